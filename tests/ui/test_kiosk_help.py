"""Help with a product at the kiosk, as a shopper with a leaking tent walks it: "Hilfe mit meinem Produkt", the
tent's barcode typed by a USB scanner (digits and Enter), the diagnosis by taps, the guide with its pictures, the
seam sealer on this store's shelf, and instead a repair order with its pickup code; the staff see the order."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import Engine

from advisor.db.engine import make_engine, upgrade
from advisor.insights.events import read_events
from advisor.insights.service import SERVICE_OUTCOMES
from advisor.paths import sample_catalog_dir
from advisor.repairs.orders import State, find_by_code, open_orders
from tests.helpers.service import merged_catalog
from tests.ui.conftest import PUBLIC_ADDRESS
from tests.ui.test_kiosk import click, current
from ui import session as views
from ui.app import load_questionnaires
from ui.repair_order import DONE_PAGE, RepairDialog
from ui.screens.help import FindScreen, HelpScreen, OutcomeCard, OutcomesScreen, ProductChoice
from ui.screens.question import QuestionScreen
from ui.session import KioskSession
from ui.speech import RecordingVoice
from ui.theme import Theme, style_sheet
from ui.window import KioskWindow

STORE = "muc-01"


def tent_variant() -> tuple[str, str, str]:
    """The sample tent NG-TENT-0001 in its second colour: model sku, article sku, GTIN on the label."""
    products = json.loads((sample_catalog_dir() / "products.json").read_text(encoding="utf-8"))
    tent = next(product for product in products if product["sku"] == "NG-TENT-0001")
    variant = tent["variants"][1]
    return tent["sku"], variant["sku"], variant["gtin"]


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'kiosk.sqlite3'}")
    upgrade(engine)
    return engine


@pytest.fixture
def help_window(qtbot: QtBot, qapp: Any, engine: Engine) -> KioskWindow:
    from advisor.insights.events import EventLog

    session = KioskSession(load_questionnaires(), locale="de")
    session.public_base_url = PUBLIC_ADDRESS
    session.store_id = STORE
    session.set_catalog(merged_catalog())  # the care products and spare parts among them
    session.attach_database(engine, EventLog(engine, channel="kiosk", store_id=STORE))
    qapp.setStyleSheet(style_sheet(Theme()))
    window = KioskWindow(session, RecordingVoice())
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def labels(widget: Any) -> str:
    return " ".join(label.text() for label in widget.findChildren(QLabel) if label.isVisible())


def tap_option(qtbot: QtBot, window: KioskWindow, option: str) -> None:
    screen = current(window)
    assert isinstance(screen, QuestionScreen)
    click(qtbot, screen.cards[option])


def open_tent_help(qtbot: QtBot, window: KioskWindow) -> FindScreen:
    click(qtbot, current(window).help)
    assert window.session.view == views.HELP
    screen = current(window)
    assert isinstance(screen, HelpScreen)
    assert len(screen.grid.cards) == 3  # tent, zip, sleeping bag
    card = next(card for card in screen.grid.cards if card.accessibleName() == "Hilfe für dein Zelt")
    click(qtbot, card)
    assert window.session.view == views.FIND
    find = current(window)
    assert isinstance(find, FindScreen)
    return find


def test_a_leaking_tent_found_by_its_barcode_gets_the_guide_the_sealer_here_and_a_repair_order(
    qtbot: QtBot, help_window: KioskWindow, engine: Engine
) -> None:
    window, session = help_window, help_window.session
    sku, variant_sku, gtin = tent_variant()
    find = open_tent_help(qtbot, window)
    qtbot.waitUntil(lambda: find.field.hasFocus(), timeout=2000)  # the scanner types into the field at once
    qtbot.keyClicks(window.focusWidget(), gtin)
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: session.view == views.QUESTION, timeout=2000)
    assert session.advice is not None and session.advice.product == sku and session.variant_sku == variant_sku

    tap_option(qtbot, window, "leak")
    tap_option(qtbot, window, "seams")
    tap_option(qtbot, window, "after_years")
    assert session.view == views.OUTCOMES
    screen = current(window)
    assert isinstance(screen, OutcomesScreen)
    shown = labels(screen)
    assert "Dein Produkt: Karwendel UL 1" in shown
    assert screen.picture.isVisible() and not screen.picture.pixmap().isNull(), "the tent's picture beside its name"
    assert "Nähte selbst abdichten" in shown  # the guide, its steps numbered, each with its drawing
    guide = next(view.guide for view in screen.views if view.kind == "guide")
    assert guide is not None and all(f"{step.number}. {step.text}" in shown for step in guide.steps)
    drawings = [label for label in screen.findChildren(QLabel) if label.pixmap() is not None
                and not label.pixmap().isNull() and label.pixmap().width() == 180]  # fmt: skip
    assert len(drawings) == len(guide.steps)
    sealer = merged_catalog().categories["care"]
    stock = sealer.products[sealer.position["NG-CARE-0008"]].stock[STORE]  # the silicone sealer for this tent
    assert guide.id == "tent-silnylon-seams" and "Silikon-Nahtdichter 28 g" in shown
    assert shown.count("Silikon-Nahtdichter 28 g") == 1, "the sealer once: under what the guide needs"
    assert "Karwendel UL 1: Nähte der Silikonbeschichtung" in shown  # the tent's own guide, by its title
    assert f"{stock[0]} vorrätig – {stock[1]['de']}" in shown  # on this store's shelf

    order = next(b for b in screen.findChildren(QPushButton) if b.accessibleName().startswith("Reparatur beauftragen"))
    click(qtbot, order)
    qtbot.waitUntil(lambda: isinstance(getattr(window, "repair_dialog", None), RepairDialog)
                    and window.repair_dialog.isVisible(), timeout=2000)  # fmt: skip
    dialog: RepairDialog = window.repair_dialog
    assert not dialog.email.isEnabled()  # no contact without consent
    click(qtbot, next(iter(dialog.tried.values())))  # the guide was tried already
    click(qtbot, dialog.consent)
    qtbot.keyClicks(dialog.name, "Alex Berger")
    qtbot.keyClicks(dialog.email, "alex@example.org")
    click(qtbot, dialog.send)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == DONE_PAGE, timeout=5000)
    assert dialog.order is not None
    code = dialog.order.pickup_code
    assert code[:4] in dialog.done_code.text() and dialog.qr.isVisible()

    stored = find_by_code(engine, code)
    assert stored is not None and stored.state == State.REGISTERED, "the product is still in the shopper's hands"
    assert "an die Servicetheke" in dialog.bring.text() and "etwa 7 Tage nach der Abgabe" in dialog.bring.text()
    assert (stored.product_sku, stored.variant_sku) == (sku, variant_sku)
    assert stored.answers["leak_where"] == "seams" and list(stored.tried) == ["Nähte selbst abdichten"]
    assert stored.questionnaire_id == "tent-help", "the console reads the answers as this flow asked them"
    assert stored.contact is not None and stored.contact.email == "alex@example.org"
    assert stored.cost_cents == (2000, 4500) and stored.turnaround_days == 7
    assert [order.pickup_code for order in open_orders(engine, store_id=STORE)] == [code]  # the console's list
    dialog.accept()

    # the card behind the dialog says it is ordered, with its code (as the web's); ordering again changes the details
    already = f"Diese Reparatur hast du schon angemeldet. Dein Abholcode: {code[:4]}-{code[4:]}"
    qtbot.waitUntil(lambda: already in labels(current(window)), timeout=3000)
    order = next(b for b in current(window).findChildren(QPushButton) if b.accessibleName().startswith("Angaben"))
    assert order.text() == "Angaben zur Reparatur ändern"
    click(qtbot, order)  # unsure it went through, the shopper orders it once more: the same order, the same code
    qtbot.waitUntil(lambda: window.repair_dialog is not dialog and window.repair_dialog.isVisible(), timeout=2000)
    again: RepairDialog = window.repair_dialog
    click(qtbot, again.send)
    qtbot.waitUntil(lambda: again.pages.currentIndex() == DONE_PAGE, timeout=5000)
    assert again.order is not None and again.order.pickup_code == code and code[:4] in again.done_code.text()
    assert [order.pickup_code for order in open_orders(engine, store_id=STORE)] == [code]
    kept = find_by_code(engine, code)
    assert kept is not None and kept.contact == stored.contact, "the e-mail left the first time stays"
    again.accept()

    click(qtbot, current(window).back)  # back to the last question and on again: the card still says so, from storage
    qtbot.waitUntil(lambda: session.view == views.QUESTION, timeout=2000)
    assert already not in labels(current(window))
    tap_option(qtbot, window, "after_years")
    qtbot.waitUntil(lambda: session.view == views.OUTCOMES and already in labels(current(window)), timeout=3000)

    assert session.events is not None
    session.events.flush()
    runs = [event for event in read_events(engine) if event.kind == SERVICE_OUTCOMES]
    assert len({event.run for event in runs}) == 1, "one run (the report counts it once, with its last event)"
    assert runs[-1].channel == "kiosk" and runs[-1].store_id == STORE  # counted for the report
    assert runs[-1].value["sku"] == sku and runs[-1].value["problem"] == ["leak"]


def test_a_scanner_typing_while_a_picture_has_focus_still_finds_the_tent(
    qtbot: QtBot, help_window: KioskWindow
) -> None:
    window, session = help_window, help_window.session
    sku, _variant_sku, gtin = tent_variant()
    find = open_tent_help(qtbot, window)
    pictures = [card for card in find.grid.cards if isinstance(card, ProductChoice)]
    assert pictures  # the category's pictures before any search
    qtbot.waitUntil(lambda: pictures[2].isVisible(), timeout=2000)
    pictures[2].setFocus()
    qtbot.keyClicks(pictures[2], gtin)
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: session.view == views.QUESTION, timeout=2000)
    assert session.advice is not None and session.advice.product == sku


def test_an_unknown_code_and_a_name_search_say_what_they_found(qtbot: QtBot, help_window: KioskWindow) -> None:
    window, session = help_window, help_window.session
    find = open_tent_help(qtbot, window)
    qtbot.keyClicks(find.field, "4000000000006")
    qtbot.keyClick(find.field, Qt.Key.Key_Return)
    assert session.view == views.FIND
    assert find.message.isVisible() and "4000000000006" in find.message.text()
    find.field.clear()
    qtbot.keyClicks(find.field, "karwendel")
    qtbot.keyClick(find.field, Qt.Key.Key_Return)
    names = [card.accessibleName() for card in find.grid.cards]
    assert names and all("Karwendel" in name for name in names) and not find.message.isVisible()
    click(qtbot, find.grid.cards[0])
    assert session.view == views.QUESTION and session.advice is not None and session.advice.product


def test_without_knowing_the_product_the_help_goes_on_and_a_repair_asks_for_it(
    qtbot: QtBot, help_window: KioskWindow
) -> None:
    window, session = help_window, help_window.session
    find = open_tent_help(qtbot, window)
    click(qtbot, find.skip)
    assert session.view == views.QUESTION
    tap_option(qtbot, window, "leak")
    tap_option(qtbot, window, "seams")
    tap_option(qtbot, window, "after_years")
    screen = current(window)
    assert isinstance(screen, OutcomesScreen) and not screen.product.isVisible()
    ordering = [b for b in screen.findChildren(QPushButton) if b.accessibleName().startswith("Reparatur")]
    assert ordering == [], "no order without the product (as the web): the card asks for it instead"
    card = next(card for card in screen.findChildren(OutcomeCard) if card.view.kind == "repair")
    assert "Für eine Reparatur brauchen wir dein Produkt." in labels(card)
    name_it = next(b for b in card.findChildren(QPushButton))
    assert name_it.text() == screen.change.text() == "Welches Produkt hast du?"
    click(qtbot, name_it)  # name it now: back to the search, then straight to the outcomes
    assert session.view == views.FIND
    click(qtbot, current(window).grid.cards[0])
    assert session.view == views.OUTCOMES
    click(qtbot, next(b for b in screen.findChildren(QPushButton) if b.accessibleName().startswith("Reparatur")))
    qtbot.waitUntil(lambda: getattr(window, "repair_dialog", None) is not None, timeout=2000)
    dialog: RepairDialog = window.repair_dialog
    assert dialog.isVisible() and not dialog.problem.isVisible() and dialog.pages.currentIndex() != DONE_PAGE
    dialog.reject()


def test_back_from_the_first_question_returns_to_the_product_and_then_the_help(
    qtbot: QtBot, help_window: KioskWindow
) -> None:
    window, session = help_window, help_window.session
    find = open_tent_help(qtbot, window)
    click(qtbot, find.skip)
    click(qtbot, current(window).back)
    assert session.view == views.FIND
    click(qtbot, current(window).back)
    assert session.view == views.HELP
    click(qtbot, current(window).back)
    assert session.view == views.WELCOME


def test_finders_and_help_are_apart_on_the_choice(qtbot: QtBot, help_window: KioskWindow) -> None:
    window = help_window
    click(qtbot, current(window).start)
    cards = current(window).grid.cards
    names = [card.accessibleName() for card in cards]
    assert "Hilfe mit meinem Produkt" in names[-1]
    assert not any("Hilfe für dein Zelt" in name for name in names)


def test_each_help_card_shows_its_flows_picture(qtbot: QtBot, help_window: KioskWindow) -> None:
    """The zip flow names its own picture (`icon: zip`); the tent's help, naming none, shows its category's."""
    from ui.widgets import icon_pixmap

    click(qtbot, current(help_window).help)
    screen = current(help_window)
    assert isinstance(screen, HelpScreen)

    def picture(name: str) -> Any:
        card = next(card for card in screen.grid.cards if card.accessibleName() == name)
        return next(label for label in card.findChildren(QLabel) if not label.pixmap().isNull()).pixmap().toImage()

    assert picture("Hilfe beim Reißverschluss") == icon_pixmap("zip", 48).toImage()
    assert picture("Hilfe für dein Zelt") == icon_pixmap("tent", 48).toImage()


def test_where_the_store_books_tents_the_help_offers_an_appointment_beside_the_talk(
    qtbot: QtBot, help_window: KioskWindow
) -> None:
    """The outcome "rather talk to someone" offers the booking too where the store has tent appointments (as the
    web's help does); a store without them offers the talk alone."""
    from advisor.config import Config
    from ui.booking import BookingDialog

    window, session = help_window, help_window.session

    def person_buttons() -> list[str]:
        find = open_tent_help(qtbot, window)
        click(qtbot, find.skip)
        for option in ("leak", "seams", "after_years"):
            tap_option(qtbot, window, option)
        assert session.view == views.OUTCOMES
        return [b.text() for b in person_card().findChildren(QPushButton)]

    def person_card() -> OutcomeCard:
        def cards() -> list[OutcomeCard]:
            return [card for card in current(window).findChildren(OutcomeCard) if card.view.kind == "person"]

        qtbot.waitUntil(lambda: len(cards()) == 1)  # the last walk's cards gone
        return cards()[0]

    assert "Termin vereinbaren" not in person_buttons()

    session.reset()
    session.configure(Config.model_validate({"appointments": {"kinds": {"tents": {}}}}))
    assert "Termin vereinbaren" in person_buttons()
    click(qtbot, next(b for b in person_card().findChildren(QPushButton) if b.text() == "Termin vereinbaren"))
    dialog = window.findChild(BookingDialog)
    assert isinstance(dialog, BookingDialog)
    qtbot.waitUntil(dialog.isVisible)


def test_once_the_help_has_an_appointment_the_person_card_names_it_instead_of_offering_one(
    qtbot: QtBot, help_window: KioskWindow
) -> None:
    """After booking from the help (or with a code typed at the kiosk), "rather talk to someone" names the
    appointment as the finder's results do; tapping it shows the booking instead of a second one."""
    from datetime import datetime, time, timedelta

    from advisor.config import Config
    from ui.booking import DONE_PAGE as BOOKED_PAGE
    from ui.booking import BookingDialog, store_today
    from ui.session import Booked

    window, session = help_window, help_window.session
    session.configure(Config.model_validate({"appointments": {"kinds": {"tents": {}}}}))
    find = open_tent_help(qtbot, window)
    day = store_today(session) + timedelta(days=5)
    starts = datetime.combine(day, time(10, 30), tzinfo=session.config.store.zone)  # type: ignore[union-attr]
    session.booked = Booked("appt-1", starts, "Anna", ())
    click(qtbot, find.skip)
    for option in ("leak", "seams", "after_years"):
        tap_option(qtbot, window, option)
    assert session.view == views.OUTCOMES
    [card] = [card for card in current(window).findChildren(OutcomeCard) if card.view.kind == "person"]
    weekday = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")[day.weekday()]
    words = f"Dein Termin: {weekday} {day:%d.%m.}, 10:30 Uhr"
    texts = [b.text() for b in card.findChildren(QPushButton)]
    assert words in texts and "Termin vereinbaren" not in texts
    book = next(b for b in card.findChildren(QPushButton) if b.text() == words)
    assert book.accessibleName() == words, "a screen reader says the same"
    click(qtbot, book)
    dialog = window.findChild(BookingDialog)
    assert isinstance(dialog, BookingDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.pages.currentIndex() == BOOKED_PAGE


def test_a_help_flow_offers_i_dont_know_where_a_finder_offers_doesnt_matter_and_books_without_a_shortlist(
    qtbot: QtBot, help_window: KioskWindow
) -> None:
    """Asked when they bought their tent, the shopper may not know: the skip answer says "Weiß ich nicht" (shown, said
    and listed among the answers), and a booking from the help speaks of their answers, not of a shortlist."""
    from advisor.config import Config
    from ui.booking import BookingDialog, open_booking

    window, session = help_window, help_window.session
    session.configure(Config.model_validate({"appointments": {"kinds": {"tents": {}}}}))
    click(qtbot, open_tent_help(qtbot, window).skip)
    for option in ("leak", "seams", "from_new"):
        tap_option(qtbot, window, option)
    screen = current(window)
    assert isinstance(screen, QuestionScreen) and screen.question.text() == "Vor wie vielen Monaten hast du es gekauft?"
    skip = screen.cards["dont_care"]
    assert skip.title_label.text() == "Weiß ich nicht" and skip.accessibleName() == "Weiß ich nicht"
    said = skip.spoken()  # type: ignore[attr-defined]
    assert said.startswith("Weiß ich nicht") and "egal" not in said

    dialog = open_booking(session, window)
    assert isinstance(dialog, BookingDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.intro.text() == "Beim Termin liegen deine Antworten schon bereit. Wie möchtest du buchen?"
    dialog.reject()

    click(qtbot, skip)
    assert session.view == views.OUTCOMES
    session.show_overview()
    overview = current(window)
    assert "Weiß ich nicht" in labels(overview) and "Egal" not in labels(overview)


def test_a_bad_email_at_the_kiosk_is_told_in_the_shoppers_language_and_orders_nothing(
    qtbot: QtBot, help_window: KioskWindow, engine: Engine
) -> None:
    window = help_window
    find = open_tent_help(qtbot, window)
    qtbot.waitUntil(lambda: find.field.hasFocus(), timeout=2000)
    qtbot.keyClicks(window.focusWidget(), tent_variant()[2])
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.session.view == views.QUESTION, timeout=2000)
    for option in ("leak", "seams", "after_years"):
        tap_option(qtbot, window, option)
    screen = current(window)
    click(qtbot, next(b for b in screen.findChildren(QPushButton) if b.accessibleName().startswith("Reparatur")))
    qtbot.waitUntil(lambda: getattr(window, "repair_dialog", None) is not None, timeout=2000)
    dialog: RepairDialog = window.repair_dialog
    click(qtbot, dialog.consent)
    qtbot.keyClicks(dialog.email, "alex at example")
    click(qtbot, dialog.send)
    qtbot.waitUntil(lambda: dialog.problem.text() != "", timeout=3000)
    assert dialog.problem.text() == ("Bitte gib genau eine E-Mail-Adresse an, etwa name@example.org – ohne Komma und "
                                     "ohne Namen.")  # fmt: skip
    assert "e-mail address" not in dialog.problem.text() and dialog.pages.currentIndex() != DONE_PAGE
    assert dialog.send.isEnabled() and dialog.email.text() == "alex at example", "what was typed stays to correct"
    for field in (dialog.name, dialog.email, dialog.phone):  # in sight to correct, not half below the fold
        assert field.visibleRegion().boundingRect().height() == field.height()
    assert open_orders(engine, store_id=STORE) == []
    dialog.email.clear()
    qtbot.keyClicks(dialog.phone, "hello")
    click(qtbot, dialog.send)
    qtbot.waitUntil(lambda: "Telefonnummer" in dialog.problem.text(), timeout=3000)
    assert dialog.problem.text() == "Bitte gib die Telefonnummer in Ziffern an, etwa 0151 2345678."
    assert dialog.phone.hasFocus() and dialog.phone.text() == "hello"
    assert open_orders(engine, store_id=STORE) == []
    dialog.reject()


def test_a_trekking_pole_tent_is_not_asked_about_its_pole_and_i_dont_know_after_it_forgets_it(
    qtbot: QtBot, help_window: KioskWindow
) -> None:
    window, session = help_window, help_window.session
    find = open_tent_help(qtbot, window)
    card = next(card for card in find.grid.cards if card.sku == "NG-TENT-0001")  # pitched with a trekking pole
    click(qtbot, card)
    tap_option(qtbot, window, "pole")
    assert session.view == views.OUTCOMES, "no 'what does the pole look like?' for a tent without poles"
    screen = current(window)
    assert isinstance(screen, OutcomesScreen)
    assert "Dein Zelt hat kein eigenes Gestänge" in labels(screen)
    click(qtbot, screen.change)  # "another product", then "I don't know": the tent named before is forgotten
    assert session.view == views.FIND
    click(qtbot, current(window).skip)
    assert session.view == views.QUESTION and session.state is not None
    assert session.state.current == "pole_damage" and session.advice is not None and session.advice.product == ""
