"""What a shopper sees on the phone's booking page for one day, and on their appointments page after a missed one:
the day's times grouped (morning, midday …) rather than one long column, the reminder offered only when one can go
out, a closed day said as closed, and a missed appointment said as missed, with a new booking offered."""

from __future__ import annotations

import dataclasses
import re
import warnings
from collections.abc import Iterator
from datetime import datetime, timedelta
from html import unescape

import pytest

from advisor.appointments import booking, staff
from advisor.config import AppointmentsConfig, OpeningHours
from advisor.i18n import day_text
from advisor.web.app import create_app
from advisor.web.context import WebContext
from tests.helpers.appointments import add_consultants
from tests.web.conftest import csrf_of, start, walk_to_results

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r".*httpx2", category=UserWarning)
    from fastapi.testclient import TestClient

_SLOT = re.compile(r'name="starts_at" value="([^"]+)"')
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@pytest.fixture
def open_all_day(web: WebContext) -> Iterator[tuple[TestClient, WebContext]]:
    """A store open round the clock but closed the day after tomorrow, and Ben advising on backpacks all day."""
    zone = web.config.store.zone
    closed = datetime.now(zone).date() + timedelta(days=2)
    config = web.config.model_copy(update={
        "store": web.config.store.model_copy(update={
            "opening_hours": OpeningHours.model_validate(dict.fromkeys(DAYS, "00:00-24:00")),
            "holidays": {closed.isoformat(): "closed"}}),
        "appointments": AppointmentsConfig.model_validate({"kinds": {"backpacks": {"length_minutes": 30}}}),
    })  # fmt: skip
    add_consultants(web.engine, ["ben"], span=(0, 24 * 60))
    staff.set_skills(web.engine, staff_name="ben", categories=["backpacks"])
    context = dataclasses.replace(web, config=config)
    with TestClient(create_app(context)) as client:
        yield client, context


def test_a_days_times_come_in_groups_of_the_day_each_a_fieldset_with_its_legend(
    open_all_day: tuple[TestClient, WebContext], backpacks: object
) -> None:
    client, context = open_all_day
    start(client)
    walk_to_results(client, backpacks)  # type: ignore[arg-type]
    tomorrow = datetime.now(context.config.store.zone).date() + timedelta(days=1)
    page = client.get(f"/advice/appointment?day={tomorrow.isoformat()}").text
    legends = re.findall(r'<fieldset class="day-part">\s*<legend>([^<]+)</legend>', page)
    assert legends == ["Vormittag", "Mittag", "Nachmittag", "Abend"], "a whole day's times, in four groups"
    assert len(_SLOT.findall(page)) > 40, "every time is still there to choose"
    evening = page.split("<legend>Abend</legend>", 1)[1].split("</fieldset>", 1)[0]
    assert all(int(time[11:13]) >= 17 for time in _SLOT.findall(evening))
    assert 'class="time-grid"' in page and 'class="option"><input type="radio"' not in page


def test_the_reminder_the_day_before_is_offered_only_for_a_later_day(
    open_all_day: tuple[TestClient, WebContext], backpacks: object
) -> None:
    client, context = open_all_day
    start(client)
    walk_to_results(client, backpacks)  # type: ignore[arg-type]
    today = datetime.now(context.config.store.zone).date()
    tomorrow = client.get(f"/advice/appointment?day={(today + timedelta(days=1)).isoformat()}").text
    assert "Am Tag vorher erinnern" in tomorrow
    same_day = client.get(f"/advice/appointment?day={today.isoformat()}").text
    assert 'name="remind"' not in same_day and "Am Tag vorher erinnern" not in same_day, "no reminder can go out"
    assert booking.reminds(context.config, datetime.now(context.config.store.zone) + timedelta(days=1, minutes=5))
    assert not booking.reminds(context.config, datetime.now(context.config.store.zone) + timedelta(hours=3))


def test_a_closed_day_asked_for_is_said_to_be_closed_with_the_next_free_times(
    open_all_day: tuple[TestClient, WebContext], backpacks: object
) -> None:
    client, context = open_all_day
    start(client)
    walk_to_results(client, backpacks)  # type: ignore[arg-type]
    closed = datetime.now(context.config.store.zone).date() + timedelta(days=2)
    page = client.get(f"/advice/appointment?day={closed.isoformat()}").text
    said = f"Am {day_text(closed, 'de')} ist der Laden geschlossen – hier die nächsten freien Zeiten."
    assert said in unescape(page)
    after = closed + timedelta(days=1)
    assert f'<option value="{after.isoformat()}" selected>' in page, "the next open day, not today"
    assert _SLOT.findall(page) and all(datetime.fromisoformat(slot).date() == after for slot in _SLOT.findall(page))


def test_a_missed_appointment_is_said_on_the_phone_with_a_new_booking_offered(
    open_all_day: tuple[TestClient, WebContext], backpacks: object
) -> None:
    client, context = open_all_day
    start(client)
    walk_to_results(client, backpacks)  # type: ignore[arg-type]
    tomorrow = datetime.now(context.config.store.zone).date() + timedelta(days=1)
    form = client.get(f"/advice/appointment?day={tomorrow.isoformat()}").text
    slot = _SLOT.findall(form)[8]
    done = client.post("/advice/appointment", data={"csrf": csrf_of(form), "starts_at": slot, "name": "Paul",
                                                    "contact": "paul@example.com", "consent": "yes"})  # fmt: skip
    assert done.status_code == 200 and "Termin gebucht" in done.text
    [booked] = re.findall(r'href="/advice/appointment/([0-9a-f-]+)\.ics"', client.get("/advice/appointments").text)
    starts = datetime.fromisoformat(slot)
    assert booking.mark_no_show(context.engine, config=context.config, appointment_id=booked,
                                now=starts + timedelta(minutes=30))  # fmt: skip
    page = unescape(client.get("/advice/appointments").text)
    assert f"Deinen Termin am {day_text(starts, 'de')}, {starts:%H:%M} Uhr hast du verpasst." in page
    assert "Für diese Beratung ist kein Termin gebucht" not in page
    assert 'href="/advice/appointment">Termin vereinbaren</a>' in page, "a new booking, one tap away"
