"""The staff console's sign-in as a guesser meets it: after five wrong PINs a name waits, even with the right PIN,
and the console says for how long in its language."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from advisor.db import make_engine, upgrade
from advisor.handoff.staff import set_pin
from advisor.recommend.index import CatalogIndex
from tests.helpers.index import sample_index
from tests.ui.conftest import CATEGORIES, PUBLIC_ADDRESS
from tests.ui.test_kiosk import click
from ui.session import KioskSession
from ui.staff import StaffConsole


def test_after_five_wrong_pins_even_the_right_one_waits_and_the_console_says_how_long(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'sign-in.sqlite3'}")
    upgrade(engine)
    set_pin(engine, "Anna", "4711")
    console = StaffConsole(engine, session.questionnaires, CatalogIndex(1, {c: sample_index(c) for c in CATEGORIES}),
                           PUBLIC_ADDRESS)  # fmt: skip
    qtbot.addWidget(console)
    console.show()

    def sign_in(pin: str) -> str:
        """Type the PIN, sign in, and read what the console answers (the check runs on a worker)."""
        console.sign_in_error.setText("")
        console.name.setText("Anna")
        console.pin.setText(pin)
        click(qtbot, console.sign_in_button)
        qtbot.waitUntil(lambda: bool(console.sign_in_error.text()) and console.sign_in_button.isEnabled())
        return console.sign_in_error.text()

    for pin in ("0000", "1111", "2222", "3333", "4444"):
        assert sign_in(pin) == "Name oder PIN falsch."
    assert sign_in("4711") == "Zu viele falsche Versuche. Bitte in 1 Minute noch einmal versuchen."
    assert console.staff is None and console.pages.currentIndex() == 0, "the right PIN does not open a waiting name"
    assert console.pin.text() == "", "the PIN is never left in the field"
    console.language.setCurrentIndex(console.language.findData("en"))
    assert sign_in("4711") == "Too many wrong tries. Please try again in 1 minute."
    assert console.staff is None
    console.close()
