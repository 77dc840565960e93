"""The handoff line says what its wait is counted over, and how many requests nobody ever claimed."""

from __future__ import annotations

import pytest

from advisor.insights.events import Event
from advisor.insights.report import build_report, questionnaire_figures
from advisor.rendering.report import render_report
from tests.advisor.insights.test_report import T0, TENTS, figure


def asked(name: str, *, cancelled_after: float | None = None, claimed_after: float | None = None) -> list[Event]:
    stream = [Event("started", TENTS.id, T0, name), Event("handoff_requested", TENTS.id, T0, name, value="chat")]
    if cancelled_after is not None:
        stream.append(Event("handoff_cancelled", TENTS.id, T0, name, value="chat", number=cancelled_after))
    if claimed_after is not None:  # a claim is logged without its run (record_claim)
        stream.append(Event("handoff_claimed", TENTS.id, T0, None, value="chat", number=claimed_after))
    return stream


def requests() -> list[Event]:
    """Six requests: one withdrawn at once (a mistap), two withdrawn after waiting, one expired, two claimed."""
    return (
        asked("mistap", cancelled_after=3.0) + asked("gave-up", cancelled_after=95.0)
        + asked("at-the-cut", cancelled_after=30.0) + asked("expired")
        + asked("claimed-1", claimed_after=40.0) + asked("claimed-2", claimed_after=200.0)
    )  # fmt: skip


@pytest.mark.parametrize(
    ("locale", "line"),
    [
        (
            "de",
            "90\u00a0% der angenommenen Anfragen kamen binnen 200 s dran · 3 Anfragen nie angenommen "
            "(nach 30 s oder später zurückgezogen, oder abgelaufen)",
        ),
        (
            "en",
            "90% of the claimed requests were taken within 200 s · 3 requests never claimed "
            "(withdrawn after 30 s or later, or expired)",
        ),
    ],
)
def test_requests_never_claimed_are_shown_beside_the_wait_of_the_claimed_ones(locale: str, line: str) -> None:
    figures = questionnaire_figures(TENTS.id, requests(), TENTS, [], locale)
    assert (figures.requests, figures.withdrawn, len(figures.waits), figures.never_claimed) == (6, 1, 2, 3)
    html = render_report(build_report(requests(), {TENTS.id: TENTS}, {}, locale=locale))
    assert figure(html, TENTS.id, "claims") == line


def test_a_single_request_nobody_claimed_is_said_in_the_singular_without_a_wait() -> None:
    html = render_report(build_report(asked("expired"), {TENTS.id: TENTS}, {}, locale="de"))
    assert figure(html, TENTS.id, "claims") == (
        "1 Anfrage nie angenommen (nach 30 s oder später zurückgezogen, oder abgelaufen)"
    )
    assert "angenommenen Anfragen kamen" not in html  # no claim: no wait to tell


def test_no_request_no_claims_line() -> None:
    html = render_report(build_report([Event("started", TENTS.id, T0, "x")], {TENTS.id: TENTS}, {}, locale="de"))
    assert 'data-figure="claims"' not in html and "nie angenommen" not in html
