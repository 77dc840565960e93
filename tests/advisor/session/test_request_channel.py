"""Where the customer is for a request, as the console reads it and the kiosk acts on it: a kiosk's session that
asks for a chat from the phone is a chat from the phone, not at the kiosk's place; a kiosk's chat the shopper takes
to the phone with the QR code goes on there, and the kiosk's idle timeout (the shopper walked away from it) does not
end it. A chat that stays at the kiosk still ends when the shopper walks away."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from advisor.db import make_engine, upgrade
from advisor.handoff import chat, requests
from advisor.handoff.tokens import issue_token, redeem_token
from advisor.session.cases import Desk, console_view
from tests.advisor.session.test_cases import BERLIN, LIBRARY, PLACES, index_for, stored

DESK = Desk("de", BERLIN, PLACES)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'channel.sqlite3'}")
    upgrade(engine)
    return engine


def queue_line(engine: Engine) -> tuple[str, str]:
    view = console_view(engine, staff="Anna Berger", opened={}, selected=None, questionnaires=LIBRARY,
                        index_for=index_for, desk=DESK)  # fmt: skip
    (line,) = view.queue
    return line.where, line.asked


def test_a_chat_asked_for_from_the_phone_is_a_phone_chat_though_the_advice_began_at_a_kiosk(engine: Engine) -> None:
    session_id = stored(engine)  # begun at the tent kiosk
    requests.request_handoff(engine, session_id=session_id, kind="chat", channel="web")
    where, asked = queue_line(engine)
    assert where == "Web / Handy"
    assert asked.startswith("Chat vom Handy")


def test_a_chat_asked_for_at_the_kiosk_is_at_the_kiosks_place(engine: Engine) -> None:
    session_id = stored(engine)
    requests.request_handoff(engine, session_id=session_id, kind="chat", channel="kiosk")
    where, asked = queue_line(engine)
    assert where == "Kiosk Zeltabteilung, 1. OG"
    assert asked.startswith("Chat am Kiosk")


def test_a_kiosk_chat_taken_to_the_phone_goes_on_when_the_kiosk_times_out(engine: Engine) -> None:
    session_id = stored(engine)
    request_id = requests.request_handoff(engine, session_id=session_id, kind="chat", channel="kiosk")
    requests.claim(engine, request_id, staff="Anna Berger")
    chat.post_message(engine, request_id, sender="staff", text="Hallo, ich bin gleich da.", author="Anna Berger")
    redeem_token(engine, issue_token(engine, session_id))  # the shopper scans the kiosk's QR code
    chat.post_message(engine, request_id, sender="shopper", text="Ich schreibe jetzt vom Handy weiter")
    assert not chat.shopper_left(engine, request_id)  # the kiosk's idle timeout wipes the kiosk
    assert requests.request_state(engine, request_id) == (requests.State.CLAIMED, "Anna Berger")
    assert chat.messages(engine, request_id)[-1].text == "Ich schreibe jetzt vom Handy weiter", "no 'left' line"
    view = console_view(engine, staff="Anna Berger", opened={}, selected=(request_id, session_id),
                        questionnaires=LIBRARY, index_for=index_for, desk=DESK)  # fmt: skip
    assert view.case is not None and view.case.sheet is not None
    assert view.case.sheet.header.where == "Web / Handy"
    assert "Chat vom Handy" in view.case.sheet.header.kind


def test_a_kiosk_chat_the_shopper_walks_away_from_ends_as_before(engine: Engine) -> None:
    session_id = stored(engine)
    request_id = requests.request_handoff(engine, session_id=session_id, kind="chat", channel="kiosk")
    requests.claim(engine, request_id, staff="Anna Berger")
    assert chat.shopper_left(engine, request_id)
    assert requests.request_state(engine, request_id)[0] == requests.State.CANCELLED


def test_a_consultant_asked_to_the_kiosk_stays_the_kiosks_when_the_shopper_takes_the_advice_to_the_phone(
    engine: Engine,
) -> None:
    session_id = stored(engine)
    request_id = requests.request_handoff(engine, session_id=session_id, kind="consultant", channel="kiosk")
    requests.claim(engine, request_id, staff="Anna Berger")
    redeem_token(engine, issue_token(engine, session_id))  # the advice goes to the phone; Anna walks to the kiosk
    view = console_view(engine, staff="Anna Berger", opened={}, selected=(request_id, session_id),
                        questionnaires=LIBRARY, index_for=index_for, desk=DESK)  # fmt: skip
    assert view.case is not None and view.case.sheet is not None
    assert view.case.sheet.header.where == "Kiosk Zeltabteilung, 1. OG"
    assert chat.shopper_left(engine, request_id), "walking away from the kiosk still ends it"


def test_a_chat_asked_for_again_at_another_kiosk_is_the_same_chat_there(engine: Engine) -> None:
    # Frau Kaya chats from her phone; Anna answers and signs out. At the entrance kiosk she types her code and asks
    # again: she waits for nobody but the team (not behind her own phone chat), the chat keeps its lines, and staff
    # walk to the kiosk she stands at, not to the one the advice began at.
    places = {**PLACES, "kiosk-eingang": "Eingang, EG"}
    desk = Desk("de", BERLIN, places)
    session_id = stored(engine)  # begun at the tent kiosk
    first = requests.request_handoff(engine, session_id=session_id, kind="chat", channel="web")
    requests.claim(engine, first, staff="Anna Berger")
    chat.post_message(engine, first, sender="shopper", text="Ist das Zelt sturmfest?")
    chat.post_message(engine, first, sender="staff", text="Ja, bis 9 Beaufort.", author="Anna Berger")
    again = requests.request_handoff(engine, session_id=session_id, kind="chat", channel="kiosk",
                                     kiosk_id="kiosk-eingang")  # fmt: skip
    assert again == first
    assert requests.requests_of(engine, session_id) == [(first, requests.State.CLAIMED, "Anna Berger")]
    assert [message.text for message in chat.messages(engine, first)] == ["Ist das Zelt sturmfest?",
                                                                          "Ja, bis 9 Beaufort."]  # fmt: skip
    view = console_view(engine, staff="Anna Berger", opened={}, selected=(first, session_id),
                        questionnaires=LIBRARY, index_for=index_for, desk=desk)  # fmt: skip
    assert [line.key for line in view.cases] == [(first, session_id)], "one case for one customer"
    assert view.case is not None and view.case.sheet is not None
    assert view.case.sheet.header.where == "Kiosk Eingang, EG"
    assert "Chat am Kiosk" in view.case.sheet.header.kind
    assert view.case.earlier == (), "no reading along with herself"
    # A consultant asked for as well is another request: staff come to her, the chat goes on.
    consultant = requests.request_handoff(engine, session_id=session_id, kind="consultant", channel="kiosk",
                                          kiosk_id="kiosk-eingang")  # fmt: skip
    assert consultant != first
    (line,) = console_view(engine, staff="Ben", opened={}, selected=None, questionnaires=LIBRARY,
                           index_for=index_for, desk=desk).queue  # fmt: skip
    assert line.where == "Kiosk Eingang, EG"
