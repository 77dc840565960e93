"""The kiosk on a bad day: a damaged or full database, a product gone from the catalog, a questionnaire file with
errors, a request nobody answered. The shopper is told something true and can go on; store IT reads one line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from advisor.db import make_engine, upgrade
from advisor.handoff import sessions
from advisor.handoff.codes import shown
from advisor.recommend.index import CatalogIndex
from tests.helpers.index import made_up_index, sample_index
from tests.ui.conftest import CATEGORIES
from tests.ui.test_handoff import call_staff
from tests.ui.test_kiosk import answer_by_click, click, current, start, wait_for_products
from ui import session as views
from ui.code import CodeDialog
from ui.session import KioskSession
from ui.talk import TalkDialog
from ui.window import KioskWindow

ANSWERS = {"region": "mild", "trip": "trekking", "frequency": "rarely"}


def journal(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith("advisor kiosk:")]


def fresh(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    return engine


def stored_tent_advice(engine: Engine) -> str:
    """A tent advice stored elsewhere (on a phone); its resume code."""
    stored = sessions.create_session(engine, questionnaire_id="tent-finder", answers=ANSWERS, locale="de",
                                     position="persons", origin="web")  # fmt: skip
    return stored.resume_code


def type_code(qtbot: QtBot, window: KioskWindow, code: str) -> CodeDialog:
    click(qtbot, window.screens["welcome"].start)  # type: ignore[attr-defined]
    click(qtbot, current(window).code)
    dialog = current(window).code_dialog
    assert isinstance(dialog, CodeDialog)
    qtbot.waitUntil(dialog.isVisible)
    return again(qtbot, dialog, code)


def again(qtbot: QtBot, dialog: CodeDialog, code: str) -> CodeDialog:
    dialog.message.setVisible(False)
    dialog.code = ""
    qtbot.keyClicks(dialog, code)  # type: ignore[no-untyped-call]
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # type: ignore[no-untyped-call]
    qtbot.waitUntil(lambda: dialog.message.isVisible() and not dialog.looking)
    return dialog


def test_a_damaged_database_file_is_named_once_and_the_shopper_is_told_to_ask_in_the_store(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "advisor.sqlite3"
    engine = fresh(path)
    code = stored_tent_advice(engine)
    engine.dispose()  # (its log written into the file)
    with path.open("r+b") as file:  # the disk spoils the file while the kiosk runs
        file.seek(4096)
        file.write(b"\xde\xad\xbe\xef" * 50_000)
    session.engine = make_engine(f"sqlite:///{path}")
    capsys.readouterr()
    dialog = type_code(qtbot, window, code)
    assert dialog.message.text() == "Das geht an diesem Kiosk gerade nicht – frag bitte im Laden nach."
    again(qtbot, dialog, code)
    lines = journal(capsys)
    assert lines == [f"advisor kiosk: the database file is damaged (sqlite:///{path}): database disk image is "
                     "malformed; a code was not opened"], "once, in one line"  # fmt: skip
    dialog.reject()


def talk_on_a_read_only_database(qtbot: QtBot, window: KioskWindow, session: KioskSession, path: Path) -> TalkDialog:
    """A shopper with one answer, in the talk dialog, at a kiosk whose database file it can read but not write (a
    full disk answers the same way: nothing is stored)."""
    fresh(path).dispose()
    session.engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    start(qtbot, window, "tent-finder")
    answer_by_click(qtbot, window)
    click(qtbot, window.top_bar.talk_button)
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog)
    qtbot.waitUntil(lambda: dialog.summary.isVisible() and dialog.phone.isVisible())
    return dialog


def test_a_summary_the_database_cannot_store_is_said_as_such_and_logged(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "advisor.sqlite3"
    dialog = talk_on_a_read_only_database(qtbot, window, session, path)
    capsys.readouterr()
    click(qtbot, dialog.summary)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1)
    assert dialog.status.text() == "Die Zusammenfassung lässt sich gerade nicht erstellen. Frag bitte im Laden nach."
    assert journal(capsys) == [
        f"advisor kiosk: the database cannot store anything (sqlite:///file:{path}): attempt to write a readonly "
        "database; the session was not stored (no code, summary or request)"
    ]
    dialog.done(0)


def test_the_phone_the_database_cannot_store_for_is_said_as_such(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    """The shopper asked to go on on their phone, not for staff: not told that the team is out of reach."""
    dialog = talk_on_a_read_only_database(qtbot, window, session, tmp_path / "advisor.sqlite3")
    click(qtbot, dialog.phone)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1)
    assert dialog.status.text() == "Weitermachen auf dem Handy geht gerade nicht. Frag bitte im Laden nach."
    dialog.done(0)


def test_a_failed_session_write_is_one_line_without_the_answers_and_its_success_is_said(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "advisor.sqlite3"
    engine = fresh(path)
    session.engine = engine
    start(qtbot, window, "tent-finder")
    answer_by_click(qtbot, window)
    session.share()
    qtbot.waitUntil(lambda: session.stored_id is not None)
    session.engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")  # the disk stops taking writes
    capsys.readouterr()
    answer_by_click(qtbot, window)
    qtbot.waitUntil(lambda: session.unwritten)
    lines = journal(capsys)
    assert lines == [
        f"advisor kiosk: the database cannot store anything (sqlite:///file:{path}): attempt to write a readonly "
        "database; the session is kept in memory until the database takes it"
    ], "one line: no statement, none of the shopper's answers"
    session.engine = engine  # room again
    qtbot.waitUntil(lambda: not session.unwritten, timeout=5_000)
    assert journal(capsys) == ["advisor kiosk: the session kept in memory is stored again"]


def test_a_code_of_a_questionnaire_not_offered_here_is_not_called_unknown(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = fresh(tmp_path / "advisor.sqlite3")
    code = stored_tent_advice(engine)
    session.engine = engine
    session.set_questionnaires({qid: q for qid, q in session.questionnaires.items() if qid != "tent-finder"})
    capsys.readouterr()
    dialog = type_code(qtbot, window, shown(code))
    assert dialog.message.text() == ("Diese Beratung kann an diesem Kiosk gerade nicht weitergehen – frag bitte im "
                                     "Laden nach.")  # fmt: skip
    assert journal(capsys) == ["advisor kiosk: a code was not opened: tent-finder is not offered at this kiosk"]
    dialog.reject()


def test_the_start_names_a_questionnaire_left_out_for_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from advisor.paths import questionnaires_dir
    from advisor.questionnaire.library import load_library
    from ui.app import _name_left_out

    shipped = questionnaires_dir()
    (tmp_path / "tent-finder.yaml").write_text("id: tent-finder\nsteps: [unclosed\n", encoding="utf-8")
    (tmp_path / "backpack-finder.yaml").write_text((shipped / "backpack-finder.yaml").read_text(encoding="utf-8"))
    monkeypatch.setattr("advisor.paths.questionnaires_dir", lambda: tmp_path)
    library = load_library([tmp_path])
    capsys.readouterr()
    _name_left_out(library)
    assert journal(capsys) == ["advisor kiosk: tent-finder is not offered: its file has errors, see above"]


def without(sku: str) -> CatalogIndex:
    """The catalog after a re-import that took product `sku` out."""
    categories = {category: sample_index(category) for category in CATEGORIES}
    tents = categories["tents"]
    categories["tents"] = made_up_index("tents", [p for p in tents.products if p.sku != sku])
    return CatalogIndex(2, categories)


def test_a_product_taken_out_while_on_show_says_so_and_back_leads_to_the_results(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    start(qtbot, window, "tent-finder")
    while session.view == views.QUESTION:
        answer_by_click(qtbot, window)
    wait_for_products(qtbot, window)
    result = session.recommendation()
    assert result is not None and result.products
    sku = result.products[0].sku
    session.show_detail(sku)
    session.set_catalog(without(sku))
    screen = current(window)
    assert session.view == views.DETAIL
    assert screen.spoken() == "Dieses Produkt gibt es nicht mehr im Sortiment."
    qtbot.waitUntil(lambda: screen.sections[0].isVisible())
    assert screen.back.isVisible()
    click(qtbot, screen.back)
    assert session.view == views.RESULTS


def test_a_comparison_left_with_one_product_goes_back_to_the_results(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    start(qtbot, window, "tent-finder")
    while session.view == views.QUESTION:
        answer_by_click(qtbot, window)
    wait_for_products(qtbot, window)
    result = session.recommendation()
    assert result is not None and len(result.products) >= 2
    first, second = result.products[0].sku, result.products[1].sku
    session.toggle_compare(first)
    session.toggle_compare(second)
    session.show_compare()
    assert session.view == views.COMPARE
    session.set_catalog(without(second))
    assert session.compare_skus == [first]
    assert session.view == views.RESULTS, "one product is nothing to compare"


def test_after_an_expired_request_the_shopper_can_ask_again(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    from advisor.config import Config

    session.config = Config.model_validate({"privacy": {"unclaimed_request_minutes": 1}})
    engine = call_staff(qtbot, window, session, f"sqlite:///{tmp_path / 'late.sqlite3'}", "consultant")
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog) and dialog.request_id is not None
    with engine.begin() as connection:  # nobody claimed it in time
        connection.exec_driver_sql(
            "UPDATE handoff_request SET requested_at = ? WHERE id = ?",
            (datetime.now(UTC) - timedelta(minutes=2), dialog.request_id),
        )
    dialog.expiry.timeout.emit()
    qtbot.waitUntil(lambda: dialog.again.isVisible())
    assert not dialog.lines.isVisible() and not dialog.message.isVisible(), "no empty chat to stare at"
    click(qtbot, dialog.again)
    assert dialog.pages.currentIndex() == 0
    qtbot.waitUntil(lambda: dialog.call.isVisible())  # Anna is still at her console
    dialog.consent.setChecked(True)
    assert dialog.call.isEnabled()
    click(qtbot, dialog.call)
    qtbot.waitUntil(lambda: dialog.request_id is not None and dialog.pages.currentIndex() == 1)
    assert dialog.lines.isVisible(), "a new request, a new chat pane"
    dialog.done(0)
    dialog.stop_following()


def test_a_kiosk_that_starts_on_a_damaged_file_says_it_cannot_advise_instead_of_soon(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No snapshot to advise from and a database file that does not heal by waiting: the welcome screen does not
    promise that the advice starts soon, and the journal says the file is damaged and what to do."""
    import gc

    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from tests.helpers.sample import open_with_sample
    from tests.ui.test_offline_start import open_kiosk
    from ui.app import KioskStart
    from ui.screens.start import WelcomeScreen

    path = tmp_path / "advisor.sqlite3"
    engine = open_with_sample(f"sqlite:///{path}")
    with engine.connect() as connection:
        root = connection.exec_driver_sql("SELECT rootpage FROM sqlite_master WHERE name = 'product'").scalar_one()
        size = connection.exec_driver_sql("PRAGMA page_size").scalar_one()
    engine.dispose()  # (the write-ahead log is in the file)
    with path.open("r+b") as damaged:
        damaged.seek((root - 1) * size)
        damaged.write(b"\xff" * size)
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    kiosks: list[KioskStart] = []
    kiosk = open_kiosk(qtbot, kiosks, f"sqlite:///{path}", str(config))
    welcome = kiosk.window.screens[views.WELCOME]
    assert isinstance(welcome, WelcomeScreen)
    out_of_order = "Dieser Kiosk kann gerade nicht beraten. Frag bitte im Laden nach."
    qtbot.waitUntil(lambda: welcome.status.text() == out_of_order, timeout=10_000)
    assert not welcome.start.isVisible()
    assert f"database file damaged (sqlite:///{path}): " in capsys.readouterr().err
    kiosk.stop()
    kiosk.window.close()
    kiosk.window.deleteLater()
    kiosk.session.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
