"""Taking in a repair at the counter: staff scan or type the customer's product (one the catalog no longer has as
typed), say what is wrong, turnaround and cost, and with the customer's consent how to reach them; the order is
received in the staff member's name, listed and chosen, and its pickup code is shown. What cannot be taken in is
said at its field, with everything typed kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import Engine

from advisor.bootstrap import open_database
from advisor.handoff.codes import shown
from advisor.handoff.staff import set_pin
from advisor.i18n import text
from advisor.repairs.orders import Order, State, open_orders
from tests.ui.test_console_repairs import CONFIG, open_repairs
from tests.ui.test_kiosk import click
from ui.layout_check import layout_problems
from ui.repair_intake import RepairIntakeDialog
from ui.repairs import RepairsView
from ui.session import KioskSession


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A database with the sample catalog and Anna's PIN."""
    engine = open_database(f"sqlite:///{tmp_path / 'intake.sqlite3'}")
    set_pin(engine, "Anna", "4711")
    yield engine
    engine.dispose()


def open_intake(qtbot: QtBot, view: RepairsView) -> RepairIntakeDialog:
    click(qtbot, view.take_in_button)
    dialog = view.intake
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def orders(engine: Engine) -> list[Order]:
    return open_orders(engine, store_id=CONFIG.store.id)


def enter(qtbot: QtBot, widget: QWidget, typed: str) -> None:
    """Type (or scan: a scanner types the code and Enter) into a field and press Enter."""
    widget.setFocus()
    QTest.keyClicks(widget, typed)
    QTest.keyClick(widget, Qt.Key.Key_Return)


def test_a_scanned_tent_is_taken_in_with_the_customers_email_and_its_code_shown(
    qtbot: QtBot, session: KioskSession, engine: Engine
) -> None:
    assert session.catalog is not None
    tent = next(product for product in session.catalog.categories["tents"].products if len(product.variants) > 1)
    variant = tent.variants[1]
    assert variant.gtin
    view = open_repairs(qtbot, engine, session)
    dialog = open_intake(qtbot, view)
    assert dialog.days.text() == "14" and dialog.language.currentData() == "de"
    assert not dialog.email.isEnabled(), "no consent yet: no contact"
    tabs = [dialog.field, dialog.search_button, dialog.results, dialog.problem, dialog.days, dialog.cost,
            dialog.language, dialog.consent, dialog.name, dialog.email, dialog.phone, dialog.close_button,
            dialog.accept_button]  # fmt: skip
    chain: list[QWidget] = [dialog.field]
    while chain[-1] is not dialog.accept_button and len(chain) < 60:
        following = chain[-1].nextInFocusChain()
        assert following is not None
        chain.append(following)
    assert [widget for widget in chain if widget in tabs] == tabs, "Tab goes through the form in reading order"

    enter(qtbot, dialog.field, variant.gtin)  # the scanner's Enter searches, and takes nothing in yet
    chosen = dialog.chosen()
    assert chosen is not None and (chosen.product_sku, chosen.variant_sku) == (tent.sku, variant.sku)
    assert dialog.results.count() == 1 and variant.sku in dialog.results.item(0).text()
    assert dialog.pages.currentIndex() == 0 and orders(engine) == []
    QTest.keyClicks(dialog.problem, "Stange gebrochen")
    dialog.cost.setText("20–45")
    dialog.consent.setChecked(True)
    dialog.name.setText("Kim Weber")
    dialog.email.setText("kim@example.net")
    assert layout_problems(dialog) == [], "nothing clipped or too small to tap"
    click(qtbot, dialog.accept_button)

    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1)
    [order] = orders(engine)
    assert (order.product_sku, order.variant_sku, order.problem) == (tent.sku, variant.sku, "Stange gebrochen")
    assert order.state == State.RECEIVED and order.history[0].staff_name == "Anna"
    assert order.turnaround_days == 14 and order.cost_cents == (2000, 4500) and order.locale == "de"
    assert order.contact is not None and order.contact.email == "kim@example.net" and order.contact.name == "Kim Weber"
    code = shown(order.pickup_code)
    assert dialog.code.text() == code and dialog.done_ready.text().startswith("fertig bis ")
    assert layout_problems(dialog) == [], "the code page: nothing clipped"
    qtbot.waitUntil(lambda: view.selected() is not None and view.selected().id == order.id)  # type: ignore[union-attr]
    assert view.notice.text() == f"Reparatur {code} angenommen"
    assert code in view.orders.currentItem().text()
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_a_product_not_in_the_catalog_is_taken_in_as_typed_and_without_consent_no_contact(
    qtbot: QtBot, session: KioskSession, engine: Engine
) -> None:
    view = open_repairs(qtbot, engine, session)
    dialog = open_intake(qtbot, view)
    enter(qtbot, dialog.field, "Vaude Mark II (alt)")
    assert dialog.product_message.isVisible() and dialog.product_message.text().startswith(
        "Nicht im Sortiment gefunden"
    )
    chosen = dialog.chosen()
    assert chosen is not None and (chosen.product_sku, chosen.variant_sku) == ("Vaude Mark II (alt)", None)
    dialog.problem.setPlainText("Reißverschluss am Eingang kaputt")
    dialog.days.setText("21")
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.consent.setChecked(True)
    dialog.email.setText("kim@example.net")
    dialog.consent.setChecked(False)  # the customer declined after all: the typed address is not sent
    assert not dialog.email.isEnabled()
    click(qtbot, dialog.accept_button)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1)
    [order] = orders(engine)
    assert (order.product_sku, order.variant_sku) == ("Vaude Mark II (alt)", None)
    assert order.turnaround_days == 21 and order.locale == "en" and order.cost_cents is None
    assert not order.consent and order.contact is None
    qtbot.waitUntil(lambda: view.selected() is not None and view.selected().id == order.id)  # type: ignore[union-attr]
    assert "Vaude Mark II (alt) · Reißverschluss am Eingang kaputt" in view.orders.currentItem().text()


def test_a_phone_number_that_is_none_is_refused_at_its_field_and_everything_typed_stays(
    qtbot: QtBot, session: KioskSession, engine: Engine
) -> None:
    view = open_repairs(qtbot, engine, session)
    dialog = open_intake(qtbot, view)
    enter(qtbot, dialog.field, "NG-TENT-0001")
    dialog.problem.setPlainText("Naht offen")
    dialog.cost.setText("15")
    dialog.consent.setChecked(True)
    dialog.name.setText("Kim")
    dialog.phone.setText("12")
    dialog.email.setText("kim@example")
    click(qtbot, dialog.accept_button)
    qtbot.waitUntil(dialog.phone_message.isVisible)
    assert dialog.phone_message.text() == text("help.order.phone_invalid", "de", "Sie")
    assert dialog.email_message.text() == text("web.mail.invalid", "de", "Sie"), "both at once"
    assert dialog.email.hasFocus(), "the first to correct"
    dialog.email.clear()
    assert orders(engine) == [] and dialog.pages.currentIndex() == 0
    assert (dialog.field.text(), dialog.problem.toPlainText(), dialog.cost.text()) == (
        "NG-TENT-0001",
        "Naht offen",
        "15",
    )
    assert (dialog.name.text(), dialog.phone.text(), dialog.consent.isChecked()) == ("Kim", "12", True)
    assert dialog.chosen() is not None and dialog.accept_button.isEnabled()
    assert layout_problems(dialog) == [], "the message fits"
    QTest.keyClicks(dialog.phone, "3 4567890")  # typing again clears the message
    assert not dialog.phone_message.isVisible()
    click(qtbot, dialog.accept_button)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1)
    [order] = orders(engine)
    assert order.contact is not None and order.contact.phone == "123 4567890" and order.cost_cents == (1500, 1500)


def test_a_cost_that_is_no_amount_is_refused_at_its_field(qtbot: QtBot, session: KioskSession, engine: Engine) -> None:
    view = open_repairs(qtbot, engine, session)
    dialog = open_intake(qtbot, view)
    enter(qtbot, dialog.field, "NG-TENT-0001")
    dialog.problem.setPlainText("Naht offen")
    for nonsense in ("zwanzig", "45–20", "-5", "20–"):
        dialog.cost.setText(nonsense)
        click(qtbot, dialog.accept_button)
        assert dialog.cost_message.isVisible(), nonsense
        assert dialog.cost_message.text().startswith("Bitte als Betrag oder Spanne"), nonsense
        assert dialog.cost.text() == nonsense and dialog.problem.toPlainText() == "Naht offen"
    qtbot.wait(100)  # (nothing was sent: no write could still arrive)
    assert orders(engine) == []
    dialog.cost.setText("19,90")
    click(qtbot, dialog.accept_button)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1)
    [order] = orders(engine)
    assert order.cost_cents == (1990, 1990)


def test_what_is_wrong_is_needed_and_a_database_away_keeps_everything(
    qtbot: QtBot, session: KioskSession, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.repair_intake

    view = open_repairs(qtbot, engine, session)
    dialog = open_intake(qtbot, view)
    click(qtbot, dialog.accept_button)
    assert dialog.product_message.text() == "Bitte das Produkt scannen, suchen oder beschreiben."
    assert dialog.problem_message.text() == "Bitte angeben, was kaputt ist."
    enter(qtbot, dialog.field, "Karwendel")
    assert dialog.chosen() is None and dialog.results.count() >= 3, "several: staff choose (or take it as typed)"
    dialog.field.clear()
    enter(qtbot, dialog.field, "tent")  # an English word inside one name ("Hüttentraum"): never chosen for staff
    assert dialog.chosen() is None and dialog.results.count() == 2
    assert dialog.product_message.text() == "1 gefunden – bitte eins wählen."
    dialog.field.clear()
    enter(qtbot, dialog.field, "Karwendel")
    dialog.results.setCurrentRow(1)
    dialog.problem.setPlainText("Stange gebrochen")

    def away(*args: object, **kwargs: object) -> None:
        raise sa.exc.OperationalError("insert", {}, Exception("the database is away"))

    monkeypatch.setattr(ui.repair_intake, "take_in", away)
    click(qtbot, dialog.accept_button)
    qtbot.waitUntil(lambda: dialog.notice.text().startswith("Die Datenbank ist gerade nicht erreichbar"))
    assert dialog.pages.currentIndex() == 0 and dialog.accept_button.isEnabled()
    assert dialog.problem.toPlainText() == "Stange gebrochen" and dialog.chosen() is not None
    assert orders(engine) == []
