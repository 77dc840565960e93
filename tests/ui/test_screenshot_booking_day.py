"""The screenshot tour's sample appointment is on the day its day picker shows chosen: the next open day after
today, not "tomorrow" when the store is closed tomorrow (a Sunday, a holiday)."""

from __future__ import annotations

from collections.abc import Generator
from datetime import datetime, timedelta

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from advisor.config import default_config
from ui.booking import BookingDialog
from ui.screenshots import booking_tour, walk_answer
from ui.session import KioskSession
from ui.window import KioskWindow


def test_the_sample_times_are_on_the_day_the_picker_shows_when_the_store_is_closed_tomorrow(
    qtbot: QtBot, qapp: QApplication, session: KioskSession, window: KioskWindow
) -> None:
    config = default_config()
    tomorrow = datetime.now(config.store.zone).date() + timedelta(days=1)
    store = config.store.model_copy(update={"holidays": {**config.store.holidays, tomorrow.isoformat(): "closed"}})
    session.config = config.model_copy(update={"store": store})
    session.start("tent-finder")
    questionnaire = session.questionnaire
    assert questionnaire is not None
    while session.state is not None and session.state.current is not None:
        step = session.state.current
        session.answer(walk_answer(session, questionnaire.step(step), None))
        if session.state is not None and session.state.current == step:
            break
    tour = booking_tour(qapp, session, window)
    assert isinstance(tour, Generator)
    try:
        for name, widget in tour:
            if name != "booking-when":
                continue
            assert isinstance(widget, BookingDialog)
            chosen = [button.accessibleName() for button in widget.day_buttons if button.isChecked()]
            days = {slot.starts_at.date() for slot in widget.slot_buttons.values()}
            assert len(days) == 1
            day = days.pop()
            assert day != tomorrow and day in widget.offered_days
            assert chosen == [widget._day_name(day)]
            break
        else:
            raise AssertionError("the tour showed no times")
    finally:
        tour.close()
