"""One session across devices, from the kiosk: the phone's QR code, the take-away summary, what staff see."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtGui import QTextTable
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from advisor.config import is_open, load_config, staff_back_at
from advisor.db import make_engine, upgrade
from advisor.handoff import sessions
from advisor.handoff.codes import shown
from advisor.handoff.staff import report_presence, set_pin
from advisor.handoff.tokens import TokenError, redeem_token
from advisor.i18n import pick
from advisor.session import store
from tests.ui.test_handoff import signed_in_console
from tests.ui.test_kiosk import answer_by_click, click, current, start, wait_for_products, walk_from_example
from ui import session as views
from ui.session import KioskSession
from ui.talk import PHONE_PAGE, SUMMARY_PAGE, TalkDialog, write_summary_pdf
from ui.window import KioskWindow


@pytest.fixture
def engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'shared.sqlite3'}")
    upgrade(engine)
    return engine


def open_talk(qtbot: QtBot, window: KioskWindow) -> TalkDialog:
    click(qtbot, window.top_bar.talk_button)
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_the_phone_qr_code_continues_exactly_here_once(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: object
) -> None:
    session.engine = engine  # type: ignore[assignment]
    session.public_base_url = "https://beratung.example.org"
    start(qtbot, window, "tent-finder")
    answer_by_click(qtbot, window)
    answer_by_click(qtbot, window)
    here = session.state.current if session.state else None
    dialog = open_talk(qtbot, window)
    click(qtbot, dialog.phone)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PHONE_PAGE)
    assert dialog.qr.renderer().isValid(), "the QR code is drawn"
    link = dialog.phone_link
    assert link.startswith("https://beratung.example.org/c/")
    token = link.rsplit("/", 1)[1]
    stored = redeem_token(engine, token)  # type: ignore[arg-type]
    assert stored.position == here
    assert dict(stored.answers) == {
        key: list(v) if isinstance(v, tuple) else v for key, v in session.state.answers.items()
    }  # type: ignore[union-attr]
    code = shown(stored.resume_code).replace("-", "\u2011")
    assert dialog.phone_code_value.text() == code, "the code to remember on a line of its own, nothing else"
    assert dialog.phone_code_value.font().pixelSize() > dialog.phone_hint.font().pixelSize(), "large"
    assert dialog.phone_address.text() == "Weitermachen unter beratung.example.org/resume", "as typed, no https://"
    said = dialog.phone_words()
    assert f"Dein Code zum Weitermachen: {', '.join(c for c in stored.resume_code)}." in said, "spelled out"
    assert said.endswith("Weitermachen unter beratung.example.org/resume."), "where it is typed, as shown"
    with pytest.raises(TokenError):
        redeem_token(engine, token)  # type: ignore[arg-type]
    new = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Neuer QR-Code")
    click(qtbot, new)
    qtbot.waitUntil(lambda: dialog.phone_link != link)  # a new token, issued on the writer lane
    assert dialog.pages.currentIndex() == PHONE_PAGE
    assert dialog.phone_code_value.text() == code, "the same session"
    assert not stored.consent, "a session sent to the shopper's own phone is not shared with staff"


def test_the_summary_has_answers_products_and_code_and_prints_to_pdf(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: object, tmp_path: Path
) -> None:
    session.engine = engine  # type: ignore[assignment]
    start(qtbot, window, "backpack-finder")
    while session.view == views.QUESTION:
        answer_by_click(qtbot, window)
    wait_for_products(qtbot, window)
    result = session.recommendation()
    assert result is not None and result.products
    dialog = open_talk(qtbot, window)
    qtbot.waitUntil(lambda: dialog.summary.icons[0] == "info")  # no printer on this machine: no printer icon either
    click(qtbot, dialog.summary)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == SUMMARY_PAGE)
    shown_text = dialog.summary_view.toPlainText()
    for item in result.products:
        assert pick(item.product.name, "de") in shown_text
    assert item.reasons[0].text in shown_text
    assert session.stored_id is not None
    stored = sessions.session_of(engine, session.stored_id)  # type: ignore[arg-type]
    assert stored is not None and shown(stored.resume_code) in shown_text
    assert "Deine Antworten" in shown_text
    assert shown_text.startswith("Deine Beratung: Rucksack\n"), "named for what the shopper came for, not the tool"
    assert f"Unsere Empfehlungen für dich ({result.count})" in shown_text
    assert "Weitermachen unter beratung.nordgrat.example/resume" in shown_text, "as the phone page shows it"
    assert "https://" not in shown_text
    assert dialog.print_button.isHidden(), "no printer on this machine"
    assert "keinen Drucker" in dialog.summary_note.text()
    # each answer stands clear of its question (a cell's padding in pt was lost: "Gewicht?Ultraleicht")
    layout, table = dialog.summary_view.document().documentLayout(), None
    for frame in dialog.summary_view.document().rootFrame().childFrames():
        table = frame if isinstance(frame, QTextTable) and frame.columns() == 2 else table
    assert table is not None
    for row in range(table.rows()):
        question, answer = (layout.blockBoundingRect(table.cellAt(row, column).firstCursorPosition().block())
                            for column in (0, 1))  # fmt: skip
        assert answer.left() - question.right() >= 12, (row, question, answer)
    pdf = tmp_path / "summary.pdf"
    assert session.resume_code == stored.resume_code
    write_summary_pdf(session, str(pdf), session.resume_code)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 2000


def test_staff_see_the_products_viewed_and_the_relaxations_met(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: object
) -> None:

    set_pin(engine, "Anna", "4711")  # type: ignore[arg-type]
    report_presence(engine, "Anna")  # type: ignore[arg-type]
    session.engine = engine  # type: ignore[assignment]
    walk_from_example(qtbot, window, no_match=True)
    offers = [b for b in current(window).offers.findChildren(QPushButton) if not b.isHidden()]
    click(qtbot, offers[0])
    wait_for_products(qtbot, window)
    result = session.recommendation()
    assert result is not None and result.products
    viewed = result.products[0]
    session.show_detail(viewed.sku)
    dialog = open_talk(qtbot, window)
    dialog.consent.setChecked(True)
    click(qtbot, dialog.call)
    console = signed_in_console(qtbot, engine, session, "Anna", "4711")
    qtbot.waitUntil(lambda: console.queue.count() == 1)
    click(qtbot, console.claim_button)
    qtbot.waitUntil(lambda: console.cases.count() == 1)
    qtbot.waitUntil(lambda: "Verlauf" in console.case_text())
    lines = console.case_text().splitlines()
    assert any(line.startswith("Angesehen:") and pick(viewed.product.name, "de") in line for line in lines), lines
    assert any(line.startswith("Kunde verzichtete auf „") for line in lines), lines
    assert not [line for line in lines if "„„" in line or "““" in line], "each wish in quotes once"


def test_when_nobody_is_in_the_shop_the_kiosk_says_when_staff_are_back(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: object, tmp_path: Path
) -> None:
    config_file = tmp_path / "config.toml"
    days = "\n".join(f'{day} = "closed"' for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
    config_file.write_text(f"[store.opening_hours]\n{days}\n", encoding="utf-8")
    closed = load_config(config_file)
    assert staff_back_at(closed, datetime.now(UTC)) is None
    hours = "\n".join(f'{day} = "00:00-00:01"' for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
    web = '[web]\npublic_base_url = "https://beratung.nordgrat.example"\n'
    config_file.write_text(f"{web}[store.opening_hours]\n{hours}\n", encoding="utf-8")
    session.configure(load_config(config_file))
    session.engine = engine  # type: ignore[assignment]
    start(qtbot, window, "tent-finder")
    answer_by_click(qtbot, window)
    dialog = open_talk(qtbot, window)
    from PySide6.QtWidgets import QLabel

    words = " ".join(label.text() for label in dialog.findChildren(QLabel))
    # Closed now (but for the first minute of a day): the kiosk says when staff are back, "tomorrow", not a weekday.
    back = "Unser Team ist morgen ab 00:00 Uhr wieder für dich da."
    assert back in words or is_open(session.config, datetime.now(UTC))  # type: ignore[arg-type]
    assert not dialog.call.isVisible()
    assert dialog.summary.isVisible() and dialog.phone.isVisible(), "the summary and the phone are offered instead"


def test_a_session_started_online_opens_at_the_kiosk_by_typed_or_scanned_code(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: object
) -> None:
    from PySide6.QtCore import Qt

    from advisor import engine as flow
    from ui.code import CodeDialog

    questionnaire = session.questionnaires["backpack-finder"]
    answers: dict[str, object] = {}
    while (step_id := flow.first_unanswered(questionnaire, answers)) is not None:
        step = questionnaire.step(step_id)
        answers[step_id] = (
            step.options[0].id if step.kind == "single" else [step.options[0].id] if step.kind == "multiple"
            else True if step.kind == "yes_no" else step.default if step.default is not None else step.min
        )  # fmt: skip
    stored = sessions.create_session(
        engine, questionnaire_id="backpack-finder", answers=answers, locale="en", position="results", origin="web",  # type: ignore[arg-type]
    )  # fmt: skip
    viewed_elsewhere = store.load(store.read(engine, stored.id), session.questionnaires)  # type: ignore[arg-type]
    viewed_elsewhere.view("NG-PACK-0001")  # on the phone, before coming to the kiosk
    store.save(engine, stored.id, viewed_elsewhere)  # type: ignore[arg-type]
    session.engine = engine  # type: ignore[assignment]
    click(qtbot, window.screens["welcome"].start)  # type: ignore[attr-defined]
    click(qtbot, current(window).code)
    dialog = current(window).code_dialog
    assert isinstance(dialog, CodeDialog)
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog, shown(stored.resume_code).lower())  # a scanner types like a keyboard, dash and all
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: session.view == views.RESULTS)
    assert session.locale == "en"
    assert session.stored_id == stored.id, "the kiosk continues the same session (same code)"
    assert session.viewed == ["NG-PACK-0001"]
    wait_for_products(qtbot, window)
    result = session.recommendation()
    assert result is not None
    looked_at = next(item.sku for item in result.products if item.sku != "NG-PACK-0001")
    session.show_detail(looked_at)
    assert session.viewed == ["NG-PACK-0001", looked_at]

    def followed() -> None:  # the kiosk writes the stored session on its writer lane
        again = sessions.session_of(engine, stored.id)  # type: ignore[arg-type]
        assert again is not None and list(again.viewed) == session.viewed and again.position == "results"

    qtbot.waitUntil(followed)


def test_without_a_public_web_address_no_qr_code_and_no_localhost_for_shoppers(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: object, tmp_path: Path
) -> None:
    from advisor.config import default_config
    from ui.talk import summary_html

    session.configure(default_config())  # [web] public_base_url not set: http://localhost:8000
    session.engine = engine  # type: ignore[assignment]
    start(qtbot, window, "tent-finder")
    answer_by_click(qtbot, window)
    dialog = open_talk(qtbot, window)
    assert dialog.summary.isVisible() and not dialog.phone.isVisible(), "a phone could not open the QR code's link"
    html = summary_html(session, "ABCD2345")
    assert "localhost" not in html and "ABCD-2345" in html
