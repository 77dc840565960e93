"""Journal lines store IT reads on a bad day: each true, in one line, saying what to look at (the kiosk's session
after an older backup was put back, its holds not read, a summary e-mail the mail server did not take)."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine

from advisor.rendering.mail import MailError, SmtpSettings, deliver
from tests.ui.test_bad_day_kiosk import fresh, journal
from tests.ui.test_kiosk import answer_by_click, start
from ui.session import KioskSession
from ui.window import KioskWindow


def test_a_session_an_older_backup_lacks_is_not_said_stored_again_and_gets_a_new_code(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "advisor.sqlite3"
    session.engine = fresh(path)
    start(qtbot, window, "tent-finder")
    answer_by_click(qtbot, window)
    session.share()
    qtbot.waitUntil(lambda: session.stored_id is not None)
    code = session.resume_code
    session.engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")  # the file stops taking writes
    answer_by_click(qtbot, window)
    qtbot.waitUntil(lambda: session.unwritten)
    capsys.readouterr()
    session.engine = fresh(tmp_path / "older-backup.sqlite3")  # an older copy put back: without this session
    qtbot.waitUntil(lambda: not session.unwritten, timeout=5_000)
    assert journal(capsys) == [
        "advisor kiosk: the session kept in memory is not in the database any more: it is not stored; a code or "
        "summary asked for stores it anew, under a new code"
    ]
    session.share()  # the shopper asks for a code
    qtbot.waitUntil(lambda: session.stored_id is not None)
    assert session.resume_code is not None and session.resume_code != code


def test_holds_not_read_are_one_line(
    qtbot: QtBot, session: KioskSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session.engine = create_engine(f"sqlite:///{tmp_path / 'gone' / 'advisor.sqlite3'}")  # (its folder deleted)
    said: list[str] = []

    def read() -> bool:
        said.extend(journal(capsys))
        return bool(said)

    session.read_holds()
    qtbot.waitUntil(read)
    assert said == ["advisor kiosk: holds not read: unable to open database file"]


def not_sent(host: str, port: int) -> str:
    with pytest.raises(MailError) as error:
        deliver(b"Subject: x\r\n\r\nx\r\n", to="kim@example.org", settings=SmtpSettings(host=host, port=port))
    return str(error.value)


def test_a_mail_server_out_of_reach_is_named_with_the_reason_in_words() -> None:
    assert not_sent("smtp.invalid", 587) == (
        "the mail server smtp.invalid:587 ([smtp] host) could not be reached: host name not found"
    )
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # (bound, not listening: the connection is refused)
        assert not_sent("127.0.0.1", port) == (
            f"the mail server 127.0.0.1:{port} ([smtp] host) could not be reached: connection refused (nothing listens "
            "on that port)"
        )


def test_a_login_the_mail_server_refuses_says_to_check_the_user_and_password() -> None:
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]

        def serve() -> None:  # a mail server that offers nothing but a login, and refuses it
            connection, _ = listening.accept()
            with connection, connection.makefile("rwb") as talk:
                talk.write(b"220 mail.test ESMTP\r\n")
                talk.flush()
                while line := talk.readline():
                    if line.upper().startswith(b"EHLO"):
                        talk.write(b"250-mail.test\r\n250 AUTH PLAIN LOGIN\r\n")
                    elif line.upper().startswith(b"AUTH"):
                        talk.write(b"535 5.7.8 Authentication credentials invalid\r\n")
                    else:
                        talk.write(b"221 bye\r\n")
                    talk.flush()

        server = threading.Thread(target=serve, daemon=True)
        server.start()
        settings = SmtpSettings(host="127.0.0.1", port=port, username="kiosk", password="wrong", starttls=False)
        with pytest.raises(MailError) as error:
            deliver(b"Subject: x\r\n\r\nx\r\n", to="kim@example.org", settings=settings)
        server.join(5)
    assert str(error.value) == (
        f"the mail server 127.0.0.1:{port} ([smtp] host) answered 535: login refused: check [smtp] username and "
        "password (5.7.8 Authentication credentials invalid)"
    )
