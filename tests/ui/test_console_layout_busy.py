"""The console on a busy Saturday, on a laptop: a shopper standing at a kiosk is a warm line in the queue, a place
wraps between its parts ("… Schlafsäcke," / "2. OG hinten links"), the chat's lines wrap and several fit at once
beside a whole placeholder, the customer's code is never split over two lines, and the number field's arrows
have room."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QTextLayout
from PySide6.QtWidgets import QStyle, QStyleOptionSpinBox, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from advisor.config import Config
from advisor.handoff import chat, requests
from advisor.handoff.codes import shown
from advisor.session import store
from advisor.session.service import AdviceSession
from tests.ui.test_kiosk import click
from tests.ui.test_staff_console import database
from ui.session import KioskSession
from ui.staff import IN_PERSON, ITEM_INSET, StaffConsole

PLACES = {
    "kiosk-zelte": {"de": "Zeltabteilung, 1. OG", "en": "Tents, 1st floor"},
    "kiosk-rucksack": {"de": "Rucksäcke & Schlafsäcke, 2. OG hinten links", "en": "Backpacks, 2nd floor back left"},
}
SIZES = ((1024, 768), (1280, 800))

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")  # the offscreen platform


@pytest.fixture(autouse=True)
def styled(qapp: Any) -> Any:
    """The application's style sheet, as `advisor staff` sets it (create_application) under the console's own: what
    fits is measured as the staff member sees it, whatever tests ran before."""
    from ui.theme import Theme, style_sheet

    before = qapp.styleSheet()
    qapp.setStyleSheet(style_sheet(Theme()))
    yield
    qapp.setStyleSheet(before)


def console_for(qtbot: QtBot, engine: Any, session: KioskSession, locale: str = "de") -> StaffConsole:
    """A signed-in console (with a public web address: no notice about a missing one takes the chat's room)."""
    console = StaffConsole(engine, session.questionnaires, session.catalog,  # type: ignore[arg-type]
                           config=Config.model_validate({"store": {"places": PLACES}}),
                           public_base_url="https://advice.example.org")  # fmt: skip
    qtbot.addWidget(console)
    console.resize(1280, 800)
    console.show()
    console.language.setCurrentIndex(console.language.findData(locale))
    console.name.setText("Anna")
    console.pin.setText("4711")
    click(qtbot, console.sign_in_button)
    qtbot.waitUntil(lambda: console.view is not None)
    return console


def asked(engine: Any, session: KioskSession, kiosk: str | None, kind: str, finder: str = "tent-finder") -> Any:
    """A shopper (at `kiosk`, or on the web) who asked for `kind`: their request's id and their stored session."""
    questionnaire = session.questionnaires[finder]
    category = session.catalog.categories[questionnaire.category]  # type: ignore[union-attr]
    advice = AdviceSession.start(questionnaire, index=category, locale="de")
    origin = {"kiosk_id": kiosk} if kiosk else {"origin": "web"}
    record = store.create(engine, advice, store_id="muc-01", consent=True, **origin)  # type: ignore[arg-type]
    return requests.request_handoff(engine, session_id=record.id, kind=kind), record


def resized(qtbot: QtBot, console: StaffConsole, width: int, height: int) -> None:
    console.resize(width, height)
    qtbot.waitUntil(lambda: console.width() == width and console.height() == height)
    qtbot.waitUntil(lambda: console.queue.viewport().width() < width // 2)  # laid out at this size
    console.queue.doItemsLayout()
    console.chat.doItemsLayout()


def painted_lines(console: StaffConsole, row: int, narrower: int = 0) -> list[str]:
    """A queue line's text as the delegate paints it, broken into lines as Qt breaks it at the line's width (less
    `narrower` pixels: a narrower queue column, another font)."""
    queue = console.queue
    index = queue.model().index(row, 0)
    option = QStyleOptionViewItem()
    option.initFrom(queue.viewport())
    option.widget = queue
    option.rect = queue.visualRect(index)
    option.decorationSize = queue.iconSize()
    queue.itemDelegate().initStyleOption(option, index)
    icon = queue.iconSize().width() + 8 if not option.icon.isNull() else 0
    width = option.rect.width() - ITEM_INSET - icon - narrower
    lines = []
    for part in option.text.replace("\n", "\u2028").split("\u2028"):
        layout = QTextLayout(part, queue.font())
        layout.beginLayout()
        while (line := layout.createLine()).isValid():
            line.setLineWidth(width)
            lines.append(part[line.textStart() : line.textStart() + line.textLength()].strip())
        layout.endLayout()
    return lines


def test_a_shopper_at_a_kiosk_is_a_warm_line_and_a_place_wraps_between_its_parts(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine = database(tmp_path, "busy-queue")
    asked(engine, session, None, "chat", "rain-jacket-finder")  # first in the queue: the chosen line
    asked(engine, session, "kiosk-rucksack", "consultant", "backpack-finder")
    console = console_for(qtbot, engine, session)
    qtbot.waitUntil(lambda: console.queue.count() == 2)
    for width, height in SIZES:
        resized(qtbot, console, width, height)
        assert console.queue.currentRow() == 0
        standing = console.queue.item(1)
        assert not standing.icon().isNull(), "the mark stays: not colour alone"
        rect = console.queue.visualItemRect(standing)
        picture = console.queue.viewport().grab().toImage()
        shown = picture.pixelColor(rect.right() - 6, rect.center().y())  # beside the words, inside the line
        assert shown.name() == QColor(IN_PERSON).name(), f"a warm line at {width}, not {shown.name()}"
        chat_line = console.queue.visualItemRect(console.queue.item(0))
        assert picture.pixelColor(chat_line.right() - 6, chat_line.center().y()).name() != QColor(IN_PERSON).name()
        for narrower in range(0, 100, 4):  # the line as wide as it is here, and down to a third narrower
            lines = [line.replace("\xa0", " ") for line in painted_lines(console, 1, narrower)]
            assert any(line.endswith("2. OG hinten links") for line in lines), (width, narrower, lines)
    console.close()


def test_the_chat_wraps_its_lines_and_shows_several_beside_a_whole_placeholder(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine = database(tmp_path, "busy-chat")
    request_id, _ = asked(engine, session, None, "chat", "rain-jacket-finder")
    for number in range(1, 9):
        chat.post_message(engine, request_id, sender="shopper",
                          text=f"Frage {number}: Habt ihr die Jacke auch in Grün und in Größe M?")  # fmt: skip
    for locale in ("de", "en"):
        console = console_for(qtbot, engine, session, locale)
        if locale == "de":
            qtbot.waitUntil(lambda: console.queue.count() == 1)  # noqa: B023 - waited for here
            click(qtbot, console.claim_button)
        qtbot.waitUntil(lambda: console.cases.count() == 1)  # noqa: B023
        console.cases.setCurrentRow(0)
        qtbot.waitUntil(lambda: console.chat.count() == 8)  # noqa: B023
        for width, height in SIZES:
            resized(qtbot, console, width, height)
            field = console.message
            room = field.style().subElementRect(QStyle.SubElement.SE_LineEditContents, field_option(field), field)
            room_for_words = room.width() - field.textMargins().left() - field.textMargins().right() - 2 * 2
            needed = field.fontMetrics().horizontalAdvance(field.placeholderText())
            assert needed <= room_for_words, (
                f"{field.placeholderText()!r} whole at {width}: {needed} > {room_for_words}"
            )
            chat_list = console.chat
            chat_list.scrollToBottom()  # the newest messages, as a new one shows them
            qtbot.waitUntil(lambda: chat_list.verticalScrollBar().value() == chat_list.verticalScrollBar().maximum())  # noqa: B023
            assert not chat_list.horizontalScrollBar().isVisible(), "lines wrap, nothing to scroll sideways"
            viewport = chat_list.viewport().rect()
            whole = [row for row in range(chat_list.count())
                     if viewport.contains(chat_list.visualItemRect(chat_list.item(row)))]  # fmt: skip
            assert len(whole) >= 4, f"{len(whole)} messages readable at once at {width}x{height}"
            for row in whole:
                rect = chat_list.visualItemRect(chat_list.item(row))
                room = QRect(0, 0, rect.width() - ITEM_INSET, 10_000)
                words = chat_list.fontMetrics().boundingRect(room, Qt.TextFlag.TextWordWrap, chat_list.item(row).text())
                assert rect.right() <= viewport.right() + 1 and rect.height() >= words.height(), "no line cut"
        console.close()


def field_option(field: Any) -> Any:
    from PySide6.QtWidgets import QStyleOptionFrame

    option = QStyleOptionFrame()
    field.initStyleOption(option)
    return option


def test_the_code_stays_on_one_line_and_the_number_field_has_room_for_its_arrows(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine = database(tmp_path, "busy-code")
    _, record = asked(engine, session, "kiosk-zelte", "consultant")
    console = console_for(qtbot, engine, session)
    qtbot.waitUntil(lambda: console.queue.count() == 1)
    click(qtbot, console.claim_button)
    code = shown(record.resume_code)  # "DBUK-ACNN"
    qtbot.waitUntil(lambda: code[:4] in console.case_text() and "Wartet" not in console.case_text())
    for width, height in SIZES:
        resized(qtbot, console, width, height)
        for browser_width in range(console.case.width(), 240, -4):  # every width the sheet may get, down to narrow
            console.case.document().setTextWidth(browser_width)
            lines = document_lines(console)
            assert any(code[:4] in line and code[5:] in line for line in lines), (browser_width, lines)
        console.case.document().setTextWidth(console.case.viewport().width())
    console.edit_step.setCurrentIndex(console.edit_step.findData("persons"))
    qtbot.waitUntil(lambda: console.edit_number.isVisible())
    number = console.edit_number
    option = QStyleOptionSpinBox()
    number.initStyleOption(option)
    for part in (QStyle.SubControl.SC_SpinBoxUp, QStyle.SubControl.SC_SpinBoxDown):
        arrow = number.style().subControlRect(QStyle.ComplexControl.CC_SpinBox, option, part, number)
        assert arrow.width() >= 24, f"an arrow button {arrow.width()} px wide"
        assert number.rect().contains(arrow), "inside the field, not cut at its edge"
    console.close()


def document_lines(console: StaffConsole) -> list[str]:
    lines = []
    block = console.case.document().begin()
    while block.isValid():
        layout = block.layout()
        for number in range(layout.lineCount()):
            line = layout.lineAt(number)
            lines.append(block.text()[line.textStart() : line.textStart() + line.textLength()])
        block = block.next()
    return lines
