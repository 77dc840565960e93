"""Reopen an advice session by its code: an on-screen keypad with only the code's characters."""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from advisor.db.retry import AWAY
from advisor.i18n import day_text, duration, text
from advisor.session.arrival import CheckedIn, NotCheckedIn
from ui.ops import Lane
from ui.session import Booked, KioskSession
from ui.speech import tell
from ui.spoken import character_name, sentences, spelled
from ui.widgets import button, label, readable, screen_room

if TYPE_CHECKING:
    from advisor.repairs.orders import Order
    from advisor.session.store import Record

    # The session behind the code; its appointment today, checked in; its next appointment still to come.
    Opened = tuple[Record | None, CheckedIn | None, Booked | None]


class CodeDialog(QDialog):
    """Type a code with large keys; opening it resumes the session on this kiosk."""

    types_keys = True  # letters, digits and Backspace type the code (ui/keys.py leaves them alone)

    def __init__(
        self, session: KioskSession, parent: QWidget | None = None, *, on_record: Callable[[Record], None] | None = None
    ) -> None:
        """`on_record`: what to do with the stored session the code names, instead of resuming it here (help with a
        product looks up the products an earlier advice was about)."""
        from advisor.handoff.codes import ALPHABET

        super().__init__(parent)
        self.session = session
        self.on_record = on_record
        self.lookups = Lane(self)
        self.setModal(True)
        self.setMinimumSize(760, 560)
        self.setWindowTitle(self.t("choose.code"))
        layout = QVBoxLayout(self)
        layout.addWidget(label(self.t("code.title"), "Question"))
        self.shown = label("", "NumberValue")
        self.shown.setAccessibleName(self.t("code.title"))
        readable(self.shown, lambda: sentences(self.t("code.title"), self._spelled()))
        layout.addWidget(self.shown)
        keys = QGridLayout()
        for i, character in enumerate(ALPHABET):
            key = button(character)
            key.setAccessibleName(character_name(character, session.locale))  # "acht", as the keyboard's keys
            key.setMinimumSize(64, 56)
            key.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a tap types, and leaves Return to open the code
            key.clicked.connect(lambda _=False, c=character: self.type(c))
            keys.addWidget(key, i // 8, i % 8)
        layout.addLayout(keys)
        self.message = label("", "Tradeoff")
        readable(self.message)  # a refused code: said, and focus waits here (the keys follow below)
        self.message.setVisible(False)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        close = button(self.t("talk.close"))
        close.clicked.connect(self.reject)
        delete = button(self.t("code.delete"))
        delete.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # (a scanner's Return after a tap on it must not delete)
        delete.clicked.connect(self.delete)
        self.open_button = button(self.t("code.open"), "Primary")
        self.open_button.clicked.connect(self.open_code)
        row.addWidget(close)
        row.addWidget(delete)
        row.addStretch(1)
        row.addWidget(self.open_button)
        layout.addLayout(row)
        self.code = ""
        self.looking = False  # a code is being looked up: Open waits for the answer (and keeps the focus)
        self._show()

    def t(self, key: str, **params: Any) -> str:
        return text(key, self.session.locale, self.session.address, **params)

    def spoken(self) -> str:
        return sentences(self.t("code.title"))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """A keyboard or a code scanner (which types like one) works as well as the keypad. Return and Enter open
        the code, and never press a key of the pad (Qt's default button, the first it finds: "2"): on a code not
        yet whole, the shopper hears that it is not."""
        from advisor.handoff.codes import ALPHABET, LENGTH

        typed = event.text().upper()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.open_button.isEnabled():
                self.open_code()
            elif len(self.code) < LENGTH:
                self._tell(self.t("code.incomplete", length=LENGTH))
        elif event.key() == Qt.Key.Key_Backspace:
            self.delete()
        elif len(typed) == 1 and typed in ALPHABET:
            self.type(typed)
        elif typed in ("-", " "):
            return  # the dash of "ABCD-2345" is only shown, never typed
        else:
            super().keyPressEvent(event)

    def type(self, character: str) -> None:
        from advisor.handoff.codes import LENGTH

        if len(self.code) < LENGTH:
            self.code += character
        self._show()
        self._typed()

    def delete(self) -> None:
        self.code = self.code[:-1]
        self._show()
        self._typed()

    def _typed(self) -> None:
        """The code so far, said after each key (character by character)."""
        tell(self, spelled(self.code) or self.t("code.title"))

    def _spelled(self) -> str:
        """The code so far as the code's line says it, its digits as words ("A, acht.": "8." reads as "achter")."""
        return ", ".join(character_name(character, self.session.locale) for character in self.code)

    def _show(self) -> None:
        from advisor.handoff.codes import LENGTH, shown

        self.shown.setText(shown(self.code.ljust(LENGTH, "·")))
        self.open_button.setEnabled(len(self.code) == LENGTH and self.session.engine is not None)

    def open_code(self) -> None:
        """Look the code up off the GUI thread, and check in the shopper's appointment in this store today if they
        have one (a booked shopper arrives); the answer comes back to `_opened`."""
        from advisor.repairs.orders import Order, open_by_any_code
        from advisor.session import store
        from advisor.session.arrival import check_in_by_code
        from ui.booking import booked_ahead

        engine, code, config = self.session.engine, self.code, self.session.config
        assert engine is not None
        if self.looking:
            return
        # Wrong codes are counted per kiosk, in the database: a restart forgets none.
        kiosk = f"kiosk:{self.session.store_id}/{self.session.kiosk_id or socket.gethostname()}"
        self.looking = True  # (Open stays enabled: focus stays on it, not on the code being looked up)

        def look_up() -> Opened | Order:
            now = datetime.now(UTC)
            # An advice's code, or else her repair's pickup code (one wrong code counted for both: the core's rule).
            stored = open_by_any_code(engine, code, client=kiosk, in_store=True, now=now)
            if isinstance(stored, Order):
                return stored
            # No store configured (no appointments to check in), or only the session is wanted: the session alone.
            if config is None or self.on_record is not None:
                return store.read(engine, stored.id, now=now), None, None
            # (the right code once more: counted and given back again)
            arrival = check_in_by_code(engine, config=config, code=code, client=kiosk, now=now)
            record = store.read(engine, arrival.session_id, now=now)
            locale = record.snapshot.locale if record is not None else self.session.locale
            told = told_of(arrival.checked_in, arrival.why)
            arrived = told.appointment_id if told is not None and not isinstance(told, NotYet) else None
            # (checked in now or before: their appointment on the results even when its time is over; a missed one
            # is not, so the results offer to book anew)
            return record, told, booked_ahead(engine, config, arrival.session_id, locale, arrived)

        self.lookups.run(look_up, self._opened, self._refused)

    def _refused(self, error: Exception) -> None:
        from advisor.handoff.codes import InvalidCode, TooManyAttempts
        from advisor.handoff.requests import HandoffError

        self.looking = False
        if isinstance(error, TooManyAttempts):
            self._tell(self.t("code.wait", wait=duration(error.seconds, self.session.locale)))
        elif isinstance(error, InvalidCode | HandoffError):
            self.code = ""
            self._tell(self.t("code.unknown_any"))
        elif self.session.journal(error, "a code was not opened") == AWAY:  # the code is kept for another try
            self._tell(self.t("talk.offline"))
        else:  # the database is damaged or full: not the team's line that is down, and not for a while
            self._tell(self.t("code.not_here"))

    def _tell(self, words: str, *, news: bool = False) -> None:
        """Why the code did not open (in the colour of a problem), or what it is instead (`news`: a repair's pickup
        code, a check-in): shown under the keys with room of its own, said, and the focus on it (the shopper hears
        it, not the old code)."""
        self.message.setText(words)
        self.message.setObjectName("" if news else "Tradeoff")  # (news in the text's colour, not a problem's)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setVisible(True)
        self._make_room()
        tell(self, words)
        self.message.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show()  # (Open, disabled once the code is cleared, no longer has the focus to give away)

    def _make_room(self) -> None:
        """Grow the dialog by what the message needs (the keys keep their size), as far as the screen has room, and
        keep it over the middle of its window."""
        layout = self.layout()
        assert layout is not None
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else layout.sizeHint().height()
        height = min(max(needed, self.height()), screen_room(self).height())
        if height <= self.height():
            return
        top = self.y()
        parent = self.parentWidget()
        if parent is not None:
            owner = parent.window().geometry()
            top = max(owner.top(), min(owner.center().y() - height // 2, owner.bottom() + 1 - height))
        self.setGeometry(self.x(), top, self.width(), height)

    def _opened(self, opened: Opened | Order) -> None:
        self.looking = False
        if not isinstance(opened, tuple):  # her repair's pickup code: how the repair stands, and what she does next
            self.code = ""
            self._tell(pickup_text(opened, self.session), news=True)
            return
        record, checked_in, booked = opened
        if record is None or record.snapshot.questionnaire_id not in self.session.questionnaires:
            if record is not None:  # a true code, of an advice this kiosk does not offer now (its file has errors)
                sys.stderr.write(f"advisor kiosk: a code was not opened: {record.snapshot.questionnaire_id} is not "
                                 "offered at this kiosk\n")  # fmt: skip
            # (checked in all the same, the advice cannot go on here: the shopper is told that someone comes)
            missing = self.t("code.unknown_any" if record is None else "code.not_offered")
            if checked_in is not None:
                self._tell(checked_in_text(checked_in, self.session.locale, self.session.address), news=True)
            else:
                self._tell(missing)
            return
        self.accept()
        if self.on_record is not None:
            self.on_record(record)
            return
        self.session.resume(record, checked_in, booked)


@dataclass(frozen=True)
class NotYet(CheckedIn):
    """Not a check-in: the shopper's appointment the typed code could not check in (due later today, on a later day,
    or missed), carried where the window shows a check-in (`KioskSession.checked_in`), so the notice stays in sight
    with the advice, in the shopper's language, and is said once."""

    why: NotCheckedIn = NotCheckedIn("none")


def pickup_text(order: Order, session: KioskSession) -> str:
    """What the shopper is told when she typed her repair's pickup code for a resume code: where the repair is, and
    what comes next (hand it in, when it should be ready, collect it with the code), as the repair page says it."""
    from advisor.insights.events import STORE_ZONE
    from advisor.repairs.days import expected_text
    from advisor.repairs.orders import State
    from ui.talk import shown_code, store_name_of

    # (addressed as his order was taken: a store's formal help flow says "Sie" here too, whatever the kiosk shows now)
    locale, address, code = session.locale, order.address, shown_code(order.pickup_code)
    said = [text("code.pickup", locale, address, state=text(f"repair.state.{order.state}", locale, address))]
    expected = order.expected_ready
    if order.state == State.REGISTERED:
        said.append(text("repair.bring_in", locale, address, code=code, days=order.turnaround_days))
    elif order.state == State.COLLECTED:
        said.append(text("web.repair.finished", locale, address))
    elif order.state == State.RETURNED_UNREPAIRED:
        said.append(text("web.repair.unrepaired", locale, address))
    elif order.state == State.CANCELLED:
        said.append(text("web.repair.cancelled", locale, address))
    else:  # in the workshop, or ready
        if order.state != State.READY and expected is not None:
            if session.config is not None:  # (a day the store is open, with its weekday: as the phone says it)
                day = expected_text(order, session.config.store, locale)
            else:
                day = day_text(expected.astimezone(STORE_ZONE).date(), locale, weekday="short", year=True)
            said.append(text("web.repair.expected", locale, address, date=day))
        store = store_name_of(session) if order.store_id == session.store_id else ""  # (another store's: its page)
        if store:
            said.append(text("web.repair.where", locale, address, store=store))
        said.append(text("repair.bring", locale, address, code=code))
    return sentences(*said)


def told_of(checked_in: CheckedIn | None, why: NotCheckedIn | None) -> CheckedIn | None:
    """What the kiosk tells the shopper whose code it opened, from the core's one answer: checked in now or already
    (when, and who comes), or why not (`NotYet`); None when they have no appointment to speak of."""
    if checked_in is not None:
        return checked_in
    if why is None or why.appointment_id is None or why.starts_at is None:
        return None
    if why.reason == "checked_in":  # (at the counter, or their code typed here before): as if checked in just now
        return CheckedIn(why.appointment_id, why.starts_at, why.staff_name, staff_here=why.staff_here)
    if why.reason in ("not_due", "later_day", "no_show"):
        return NotYet(why.appointment_id, why.starts_at, why.staff_name, why=why)
    return None


def checked_in_text(checked_in: CheckedIn, locale: str, address: str) -> str:
    """What the shopper is told when their code checked in their appointment: when, and who comes; or, when it did
    not (`NotYet`), when their appointment is and from when they can check in, or that they missed it."""
    time = checked_in.starts_at.strftime("%H:%M")
    if isinstance(checked_in, NotYet):
        why = checked_in.why
        if why.reason == "not_due" and why.opens is not None:
            return text("code.not_due", locale, address, time=time, opens=why.opens.strftime("%H:%M"))
        if why.reason == "no_show":
            return text("code.no_show", locale, address, time=time)
        return text("code.later_day", locale, address, time=time, day=day_text(checked_in.starts_at.date(), locale))
    key = "code.checked_in" if checked_in.staff_here else "code.checked_in_team"  # (a consultant off: the team)
    return text(key, locale, address, time=time, staff=checked_in.staff_name)
