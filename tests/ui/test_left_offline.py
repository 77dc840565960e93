"""The shopper walks away while the kiosk cannot reach the database: however long the outage lasts, staff learn that
the shopper left once it answers again (a claimed consultant would otherwise stay on their way to nobody)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from pytestqt.qtbot import QtBot

import ui.window
from advisor.handoff import chat, requests
from tests.ui.test_idle_handoff import STAFF, call_staff, talk_dialog, watch_idle
from tests.ui.test_kiosk import click
from ui import session as views
from ui.guard import HandoffWarning
from ui.session import KioskSession
from ui.window import KioskWindow

OUTAGE = 60  # failed attempts: more than two minutes' worth at the kiosk's pace (every 3 s)


def test_a_claimed_consultant_learns_the_shopper_left_after_a_long_outage(
    qtbot: QtBot,
    window: KioskWindow,
    session: KioskSession,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    engine = call_staff(qtbot, window, session, f"sqlite:///{tmp_path / 'left.sqlite3'}", "consultant")
    request_id = talk_dialog(window).request_id
    assert request_id is not None
    assert requests.claim(engine, request_id, staff=STAFF)
    qtbot.waitUntil(lambda: session.handoff is not None and session.handoff.staff == STAFF)
    attempts: list[int] = []
    real = chat.shopper_left

    def down_for_a_while(*args: Any, **kwargs: Any) -> bool:
        attempts.append(1)
        if len(attempts) <= OUTAGE:
            raise sa.exc.OperationalError("connect", {}, Exception("connection refused"))
        return real(*args, **kwargs)

    monkeypatch.setattr(chat, "shopper_left", down_for_a_while)
    monkeypatch.setattr(ui.window, "LEFT_RETRY_MS", 5)
    warning = watch_idle(qtbot, window)
    assert isinstance(warning, HandoffWarning)
    capfd.readouterr()

    with qtbot.waitSignal(window.idle_guard.wiped, timeout=3000):
        click(qtbot, warning.leave)

    assert session.view == views.WELCOME, "the kiosk clears at once for the next shopper"
    qtbot.waitUntil(lambda: requests.state_of(engine, request_id) == requests.State.CANCELLED, timeout=10_000)
    assert len(attempts) == OUTAGE + 1
    assert [(line.sender, line.shown("de")) for line in chat.messages(engine, request_id)] == [
        (chat.SYSTEM, "Kunde hat den Kiosk verlassen")
    ]
    said: list[str] = []

    def told() -> bool:
        said.extend(capfd.readouterr().err.splitlines())
        return any("were told" in line for line in said)

    qtbot.waitUntil(told)
    journal = [line for line in said if "shopper left" in line]
    assert journal == [
        "advisor kiosk: staff are told the shopper left once the database is back (connection refused)",
        "advisor kiosk: staff were told the shopper left",
    ], "one line when it has to wait, one when it is told: nothing at every attempt"
    engine.dispose()
