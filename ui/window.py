"""The kiosk window: the top bar over a stack of screens, switched by the session's view."""

from __future__ import annotations

import sys
from typing import Any

import shiboken6
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from advisor.i18n import text
from ui import session as views
from ui.focus import FocusVisible
from ui.keyboard import TouchKeyboard
from ui.keys import FourKeys, reachable, reading_order
from ui.screens.base import Screen
from ui.screens.start import WelcomeScreen
from ui.session import KioskSession
from ui.speech import QtVoice, Speech, Voice
from ui.widgets import ICONS, TopBar, label, screen_room

NARROW = 900  # window width below which texts of buttons shrink
LEFT_RETRY_MS = 3000  # a shopper's leaving the database could not take: tried again this often, until it takes it


class KioskWindow(QMainWindow):
    """One window for the whole advice; the session decides which screen shows."""

    def __init__(self, session: KioskSession, voice: Voice | None = None) -> None:
        super().__init__()
        self.session = session
        self.talk_dialog: QWidget | None = None
        # Speech and the four keys: the system's voice unless told (tests record what would be said).
        self.speech = Speech(self, session, voice if voice is not None else QtVoice())
        self.shown_key: tuple[object, ...] | None = None  # the screen last settled (session.screen_key)
        self.focus_memory: tuple[str, ...] | None = None  # the focused control, to find again after a rebuild
        # The screen's control to focus is not shown yet: looked for again shortly (one wait at a time, or a second
        # wait would find the memory used up and put focus back on the screen's first control).
        self.focus_retry = QTimer(self)
        self.focus_retry.setSingleShot(True)
        self.focus_retry.setInterval(20)
        self.focus_tries = 0
        self.bar_focus: QWidget | None = None  # the accessibility switch pressed by a key keeps the focus
        self.opener_gone = False  # a dialog closed whose opener the screen's rebuild took away (see focus_after_dialog)
        self.focus_retry.timeout.connect(lambda: self._focus_screen(self.focus_tries))
        self.setWindowTitle(text("app.title", session.locale))
        self.setMinimumSize(QSize(1024 // 2, 600).boundedTo(screen_room(self)))  # (960x540 at 200 %: less)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.top_bar = TopBar(ICONS / "logo.svg")
        self.top_bar.home.connect(self._home)
        self.top_bar.switch_language.connect(self._switch_language)
        self.top_bar.talk.connect(self._talk)
        self.top_bar.accessibility.connect(self._toggle_accessible)
        layout.addWidget(self.top_bar)
        # The shopper's appointment, checked in by their code: when, and who comes (while their advice is on screen).
        self.arrival_box = QWidget()
        box = QVBoxLayout(self.arrival_box)
        box.setContentsMargins(32, 16, 32, 0)
        self.arrival = label("", "Help")
        self.arrival.setAccessibleName("arrival")
        box.addWidget(self.arrival)
        self.arrival_box.setVisible(False)
        self.arrival_said: str | None = None  # the appointment whose check-in speech has said
        layout.addWidget(self.arrival_box)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        # Only the welcome screen is built at start (it must appear fast); the others when first needed.
        self.screens: dict[str, Screen] = {views.WELCOME: WelcomeScreen(session)}
        self.stack.addWidget(self.screens[views.WELCOME])
        session.changed.connect(self.refresh)
        session.handoff_changed.connect(self._handoff_changed)
        self.locked = False
        app = QApplication.instance()
        if isinstance(app, QApplication) and app.property("focusVisible") is None:
            app.setProperty("focusVisible", True)  # one filter per application, however many windows
            self.focus_visible = FocusVisible(app)
        self.idle_guard: Any = None
        self.lockdown: Any = None
        self.keys = FourKeys(self)
        self.keyboard = TouchKeyboard(self, session)  # a tapped text field brings it up (ui/keyboard.py)
        self.refresh()

    # -- the kiosk in public space --------------------------------------------------------------------------

    def lock(self, exit_pin_hash: str) -> None:
        """Full screen without a frame; nothing leaves but the hidden gesture (5 taps on the logo) and the PIN."""
        from advisor.handoff.exitpin import ExitGuard
        from ui.guard import Lockdown

        self.locked = True
        self.exit_guard = ExitGuard(exit_pin_hash)
        self.setWindowFlags(self.windowFlags() | Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
        self.lockdown = Lockdown(self, self.top_bar.logo, back_key=lambda: self.session.guided)
        self.lockdown.gesture.connect(self.ask_exit_pin)
        self.showFullScreen()

    def ask_exit_pin(self) -> None:
        from ui.guard import ExitDialog

        self.exit_dialog = ExitDialog(self.exit_guard, self.session.locale, self)
        self.exit_dialog.accepted.connect(self.leave)
        self.exit_dialog.open()

    def leave(self) -> None:
        """The right PIN: the kiosk closes (systemd leaves it closed: a clean exit is not a crash)."""
        self.locked = False
        if self.lockdown is not None:
            self.lockdown.active = False
        self.close()
        app = QApplication.instance()
        if app is not None:
            app.quit()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.locked:
            event.ignore()  # the window manager's close, Alt+F4: nothing happens
            return
        super().closeEvent(event)
        self.speech.listen(False)
        self.keys.listen(False)
        self.keyboard.listen(False)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.speech.listen(True)
        self.keys.listen(True)
        self.keyboard.listen(True)

    def typing(self, on: bool) -> None:
        """While the on-screen keyboard is up below a screen, the screen keeps its room: the top bar and the screen's
        row of buttons step aside (the keyboard's "Fertig" brings them back)."""
        self.top_bar.setVisible(not on)
        shown = self.stack.currentWidget()
        for screen in self.screens.values():
            box = getattr(screen, "footer_box", None)
            if box is not None:
                box.setVisible(not (on and screen is shown))

    def watch_idle(self, timeout_s: int, warning_s: int) -> None:
        """Warn after `timeout_s` without a touch, wipe after the countdown (see ui/guard.py)."""
        from ui.guard import IdleGuard

        self.idle_guard = IdleGuard(
            self, timeout_s=timeout_s, warning_s=warning_s, is_idle_worthy=self.has_shopper, wipe=self.wipe,
            locale=lambda: (self.session.locale, self.session.address), handoff_question=self.handoff_question,
        )  # fmt: skip
        self.idle_guard.second.timeout.connect(self._count_down)
        # Back from the warning, where the shopper is, in short (after the focus has returned to it).
        self.idle_guard.continued.connect(lambda: QTimer.singleShot(0, self, self.speech.reoriented))

    def _count_down(self) -> None:
        """The idle warning's countdown, said again every ten seconds and five seconds before the end: a shopper who
        cannot see it knows how long is left."""
        warning = getattr(self.idle_guard, "warning", None)
        left = getattr(warning, "left", 0)
        if warning is not None and left > 0 and (left % 10 == 0 or left == 5):
            self.speech.interrupt()  # (the time left replaces what was being said, and what was queued)
            self.speech.say(warning.countdown.text())

    def has_shopper(self) -> bool:
        """Whether anything of a shopper is on screen (the welcome screen alone is nothing to wipe), or a person
        is on the way to them."""
        session = self.session
        default = session.config.store.default_locale if session.config is not None else "de"
        dialogs = any(dialog.isVisible() for dialog in self.findChildren(QDialog))
        waiting = session.handoff is not None
        return session.view != views.WELCOME or dialogs or waiting or session.accessible or session.locale != default

    def talk_label(self) -> str:
        """The top bar's talk button: while the shopper's request is open it says so and leads back to it ("Zum
        Chat mit Anna"), so a closed chat window does not look like a closed chat."""
        session, handoff = self.session, self.session.handoff
        if handoff is None:
            key = "talk.button"
        elif handoff.kind == "chat":
            key = "talk.button.chat" if handoff.staff else "talk.button.chat_waiting"
        else:
            key = "talk.button.coming" if handoff.staff else "talk.button.waiting"
        return text(key, session.locale, session.address, name=handoff.staff if handoff else "")

    def _handoff_changed(self) -> None:
        self.top_bar.talk_button.setText(self.talk_label())

    def handoff_question(self) -> str | None:
        """What the idle warning asks while a person is on the way or a chat is open; None while nothing is."""
        session, handoff = self.session, self.session.handoff
        if handoff is None:
            return None
        if handoff.kind == "chat":
            key = "idle.in_chat" if handoff.staff else "idle.chat_open"
        else:
            key = "idle.on_the_way" if handoff.staff else "idle.someone_coming"
        return text(key, session.locale, session.address, name=handoff.staff)

    def wipe(self) -> None:
        """Forget the shopper entirely: dialogs, typed text, chat, every screen but the welcome; back to the start.

        Sessions the shopper agreed to hand over stay in the database for staff; nothing of them stays here. A
        request still open ends as the shopper's cancellation, and its chat tells staff the shopper left.
        """
        handoff, engine = self.session.handoff, self.session.engine
        self.speech.reorient = False  # (the next shopper starts afresh)
        if self.session.accessible:  # a shopper listening hears that everything is gone (said before speech goes off)
            self.speech.fresh = True
            self.speech.say(text("speech.wiped", self.session.locale, self.session.address))
        self.session.wipe()  # first: a talk dialog closed below stops following a request no longer the shopper's
        self.keyboard.put_away()  # out of any dialog before the dialogs go
        if handoff is not None and engine is not None:
            self._tell_staff_shopper_left(engine, handoff.request_id)
        for dialog in self.findChildren(QDialog):
            dialog.done(QDialog.DialogCode.Rejected)
            dialog.deleteLater()
        self.talk_dialog = None
        for name, screen in list(self.screens.items()):
            if name != views.WELCOME:
                self.stack.removeWidget(screen)
                screen.deleteLater()
                del self.screens[name]

    def _tell_staff_shopper_left(self, engine: Any, request_id: int, attempt: int = 0) -> None:
        """End the request as the shopper's leaving (off the GUI thread); while the database is away, kept and tried
        again every few seconds however long the outage lasts, so staff do not walk to an empty kiosk (a kiosk
        restarted meanwhile ends it at its start: `advisor.handoff.left.left_at_start`)."""
        from advisor.db.retry import short_reason
        from advisor.handoff.chat import shopper_left
        from advisor.insights.events import record_cancel

        def failed(error: Exception) -> None:
            if attempt == 0:  # (said once: the journal has one line an outage, not one every few seconds)
                sys.stderr.write(f"advisor kiosk: staff are told the shopper left once the database is back "
                                 f"({short_reason(error)})\n")  # fmt: skip
            QTimer.singleShot(LEFT_RETRY_MS, self, lambda: self._tell_staff_shopper_left(engine, request_id,
                                                                                       attempt + 1))  # fmt: skip

        def delivered(_ended: bool) -> None:
            if attempt:
                sys.stderr.write("advisor kiosk: staff were told the shopper left\n")

        self.session.writes.run(lambda: shopper_left(engine, request_id, in_transaction=record_cancel), delivered,
                                failed)  # fmt: skip

    def refresh(self) -> None:
        """Show the session's screen, rebuilt from the session."""
        session = self.session
        if not self.speech.holding:  # (a second change before the first rebuild settled keeps the first's memory)
            focus = self.focusWidget()
            same = session.screen_key() == self.shown_key and focus is not None and self.isAncestorOf(focus)
            self.focus_memory = _focus_key(focus) if same and focus is not None else None
        self.speech.hold()
        self.top_bar.retranslate(
            text("language.switch", session.locale), self.talk_label(),
            text("a11y.short", session.locale), session.accessible, text("top.home", session.locale),
            text("language.short", session.locale),
        )  # fmt: skip
        self._show_arrival()
        screen = self.screen_for(session.view)
        screen.set_roomy(session.accessible)
        screen.refresh()
        screen.fit_footer()
        self.stack.setCurrentWidget(screen)
        # The screen's new widgets are shown on the next pass of the event loop: focus its first answer then.
        QTimer.singleShot(0, self, self._focus_screen)

    def _show_arrival(self) -> None:
        """The notice that the shopper's appointment is checked in, in their language; said once when it comes."""
        checked_in = self.session.checked_in
        if checked_in is None:
            self.arrival_box.setVisible(False)
            self.arrival_said = None
            return
        from ui.code import checked_in_text

        words = checked_in_text(checked_in, self.session.locale, self.session.address)
        self.arrival.setText(words)
        self.arrival_box.setVisible(True)
        if self.arrival_said != checked_in.appointment_id:
            self.arrival_said = checked_in.appointment_id
            self.speech.say(words)  # before the screen it lands on (accessibility mode)

    def _focus_screen(self, tries: int = 10) -> None:
        """Put keyboard focus on the screen's first answer (keyboard users start there, not in the top bar); after a
        rebuild of the same screen, back on the control that had it (and on the accessibility switch, pressed by a
        key, in its new mode). Then speech says the screen, if it is a new one, and the focused control."""
        self.focus_retry.stop()
        screen = self.stack.currentWidget()
        if not isinstance(screen, Screen) or not screen.ready():
            return  # the results fill their products a moment later, and call again
        key = self.session.screen_key()
        new = key != self.shown_key
        dialogs = [dialog for dialog in self.findChildren(QDialog) if dialog.isVisible()]
        if dialogs:  # the dialog keeps the focus; the screen is said after it (guidance switched on: the dialog now)
            modal = QApplication.activeModalWidget()
            front = modal if isinstance(modal, QDialog) and modal in dialogs else dialogs[-1]
            self.bar_focus = None
            self.speech.settled(front, front.focusWidget(), new=self.speech.guidance_pending())
            return
        bar = self.bar_focus if self.bar_focus is not None and shiboken6.isValid(self.bar_focus) else None
        opened = self._opened_product(screen) if new else None
        if self.opener_gone:  # (not where the window's focus fell meanwhile: the screen's place for it, or its first)
            kept = None if new else screen.kept_focus()
        else:
            kept = None if new else self._remembered(screen) or self._settled_focus(screen) or screen.kept_focus()
        target = (bar if bar is not None and reachable(bar) else None) or opened or kept or screen.first_focus()
        if target is None:
            order = [widget for widget in reading_order(self) if screen.isAncestorOf(widget)]
            target = order[0] if order else None
        if (target is None or not target.isVisible()) and tries:
            self.focus_tries = tries - 1  # its widgets are not shown yet
            self.focus_retry.start()
            return
        if target is not None and target.isVisible():
            target.setFocus(Qt.FocusReason.TabFocusReason)
        else:
            target = None
        if opened is not None and self.session.view == views.COMPARE:
            # Back on the comparison from a column's details: its name first (its "Details: …" says the same as
            # a product's on the results)
            self.speech.say(f"{text('results.compare', self.session.locale)}.")
        self.shown_key = key
        self.focus_memory = None
        self.bar_focus = None
        self.opener_gone = False
        # Back from a product's details (or the comparison): that product (or "Compare (3)") is said, not the whole
        # results again (the shopper knows the list it stands in).
        self.speech.settled(screen, target, new=new and opened is None)

    def _opened_product(self, screen: Screen) -> QWidget | None:
        """Back on the results (or the comparison) from a screen opened there: the control the shopper left from, if
        still shown (the product whose details they were, its column's "Details" on the comparison; "Compare (3)"
        from the comparison)."""
        shown = self.shown_key
        if shown is None or self.session.view not in (views.RESULTS, views.COMPARE):
            return None
        if shown[0] == views.DETAIL:
            find = getattr(screen, "product_card", None)
            card = find(shown[4]) if callable(find) else None
        elif shown[0] == views.COMPARE and self.session.view == views.RESULTS:
            opener = getattr(screen, "compare_opener", None)
            card = opener() if callable(opener) else None
        else:
            return None
        return card if isinstance(card, QWidget) else None

    def _settled_focus(self, screen: Screen) -> QWidget | None:
        """Asked again after this very screen has had its focus put (the results call once their products are in,
        which may come after): the control it went to stays, unless a rebuild remembered another one."""
        focus = self.focusWidget()
        if self.focus_memory is not None or focus is None or not screen.isAncestorOf(focus) or not focus.isVisible():
            return None
        return focus

    def _remembered(self, screen: Screen) -> QWidget | None:
        """The control that had focus before the screen was rebuilt (the same button in its new build, which may
        show only on the next pass of the event loop: focus waits for it)."""
        if self.focus_memory is None:
            return None
        for widget in (*self.top_bar.findChildren(QWidget), *screen.findChildren(QWidget)):
            if _focus_key(widget) == self.focus_memory and _showing(widget, self) and widget.isEnabled():
                return widget
        return None

    def focus_after_dialog(self, opener: QWidget | None) -> None:
        """A dialog closed: focus back on the control that opened it, else on the screen (said if it changed)."""
        self.activateWindow()  # (a window system may leave no window active when the dialog goes)
        opener_shown = opener is not None and shiboken6.isValid(opener) and self.isAncestorOf(opener)
        if opener is not None and opener_shown and reachable(opener) and self.session.screen_key() == self.shown_key:
            opener.setFocus(Qt.FocusReason.OtherFocusReason)
            # Said where it lands, unless its focus came back as the window was raised (said then, or kept silent
            # as "nothing moved" when the dialog never took the focus that was said last).
            self.speech.say_focus(opener)
            return
        # Its opener is gone (the screen rebuilt behind the dialog: a repair ordered): the screen's control for that
        # (the repair's card), else its first one; never where the window's own focus fell meanwhile (the top bar's
        # logo, first in its order) nor a rebuild's memory of that.
        self.focus_memory = None
        self.bar_focus = None
        self.opener_gone = opener is not None
        self._focus_screen()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        narrow = self.width() < NARROW
        if self.property("narrow") != narrow:
            # Portrait kiosk screens: smaller button texts, so bars and footers fit (see theme.py).
            self.setProperty("narrow", narrow)
            for widget in (self, *self.findChildren(QWidget)):
                widget.style().unpolish(widget)
                widget.style().polish(widget)

    def screen_for(self, view: str) -> Screen:  # (not screen(): QWidget.screen() is the display it is on)
        """The screen for a view, built on first use."""
        if view not in self.screens:
            from ui.screens.help import FindScreen, HelpScreen, OutcomesScreen
            from ui.screens.question import OverviewScreen, QuestionScreen
            from ui.screens.results import CompareScreen, DetailScreen, ResultsScreen
            from ui.screens.start import ChooseScreen

            kinds: dict[str, type[Screen]] = {
                views.CHOOSE: ChooseScreen,
                views.QUESTION: QuestionScreen,
                views.OVERVIEW: OverviewScreen,
                views.RESULTS: ResultsScreen,
                views.DETAIL: DetailScreen,
                views.COMPARE: CompareScreen,
                views.HELP: HelpScreen,
                views.FIND: FindScreen,
                views.OUTCOMES: OutcomesScreen,
            }
            made = self.screens[view] = kinds[view](self.session)
            if isinstance(made, ResultsScreen):
                made.talk_requested.connect(self._talk)
                made.restart_requested.connect(self._home)
                made.filled.connect(self._filled)
            if isinstance(made, OutcomesScreen):
                made.talk_requested.connect(self._talk)
                made.order_requested.connect(self._order_repair)
            self.stack.addWidget(self.screens[view])
        return self.screens[view]

    def _filled(self) -> None:
        """The results' products and offers are built: focus goes to them on the next pass of the event loop, once
        they show (a wait for them could move the focus after the shopper has)."""
        if self.stack.currentWidget() is self.screens.get(views.RESULTS):
            QTimer.singleShot(0, self, self._focus_screen)

    def _order_repair(self, outcome_id: str) -> None:
        """The repair order for one of the outcomes shown (with the guides shown, to tick what was tried)."""
        from ui.repair_order import RepairDialog
        from ui.screens.help import OutcomesScreen

        screen = self.screens.get(views.OUTCOMES)
        if not isinstance(screen, OutcomesScreen):
            return
        shown = {view.id: view for view in screen.views}
        if outcome_id not in shown:
            return
        guides = [view for view in screen.views if view.kind == "guide"]
        screen.ordering = outcome_id  # (focus comes back to its card, its button rebuilt by the order)
        self.repair_dialog = RepairDialog(self.session, shown[outcome_id], guides, self)
        self.repair_dialog.open()

    def _home(self) -> None:
        """The logo (or the results' "start again"): a new advice on the welcome screen; a shopper listening hears
        that their answers are gone."""
        if self.session.state is not None and self.session.state.answers:
            self.speech.fresh = True
            self.speech.say(text("speech.home", self.session.locale, self.session.address))
        self.session.reset()

    def _keep_bar_focus(self) -> None:
        """The top bar's accessibility switch pressed by a key keeps the focus through the rebuild it causes: the next
        select switches back, and does not answer the question below (switched off, nothing says where the focus
        went). A tap leaves the focus to the screen's first answer; the language switch does too (the question, in
        the new language, goes on from its answers)."""
        focus = self.focusWidget()
        visible = FocusVisible.of(QApplication.instance())
        keyed = visible is not None and visible.keyboard
        self.bar_focus = focus if keyed and focus is not None and self.top_bar.isAncestorOf(focus) else None

    def _toggle_accessible(self) -> None:
        """Accessibility mode on or off; switched off, speech says so first (it is silent after)."""
        session = self.session
        self._keep_bar_focus()
        if session.accessible:
            self.speech.say(text("speech.off", session.locale, session.address))
        session.set_accessible(not session.accessible)

    def _switch_language(self) -> None:
        self.session.set_locale("en" if self.session.locale == "de" else "de")

    def _talk(self) -> None:
        from ui.talk import TalkDialog

        talk = self.talk_dialog
        if not isinstance(talk, TalkDialog) or not talk.following:
            talk = TalkDialog(self.session, self)
            self.talk_dialog = talk
        else:
            talk.follow_language()
        talk.open()  # a request still open shows again, with its chat


def _showing(widget: QWidget, top: QWidget) -> bool:
    """Whether `widget` shows, or will on the next pass of the event loop (nothing on the way to `top` is hidden on
    purpose: a control just built is not shown yet, one taken away is hidden)."""
    node: QWidget | None = widget
    while node is not None and node is not top:
        if node.isHidden() and node.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide):
            return False
        node = node.parentWidget()
    return node is top


def _focus_key(widget: QWidget) -> tuple[str, ...]:
    """What a control is, across a rebuild of its screen: its kind, object name and accessible name or text; or the
    key it names itself by, when its words change with its state (a product's Compare toggle, "Vergleichen ✓")."""
    own = getattr(widget, "focus_key", None)
    if isinstance(own, str):
        return (type(widget).__name__, widget.objectName(), own)
    text_of = getattr(widget, "text", None)
    shown = text_of() if callable(text_of) else ""
    return (type(widget).__name__, widget.objectName(), widget.accessibleName(), str(shown))
