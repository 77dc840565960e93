"""Pages on the event loop: a page's waiting (a pause, work in the thread pool) lets the loop go on with the others;
results, exceptions and the request's context variables come through; a busy SQLite file is waited for on the loop
and, when it stays busy, fails as a busy database does, with nothing written."""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from advisor.db.engine import make_engine
from advisor.i18n import text
from advisor.questionnaire.model import Questionnaire
from advisor.session import store
from advisor.web import context as context_module
from advisor.web.app import create_app
from advisor.web.context import WebContext
from advisor.web.waiting import in_page, off_loop, pause, run_page
from tests.web.conftest import csrf_of, first_answer, start, step_of

REQUEST = contextvars.ContextVar("REQUEST", default="none")


def test_a_page_gets_its_result_and_its_work_in_the_thread_pool_runs_off_the_loop() -> None:
    loop_thread: list[int] = []

    def handler(number: int) -> tuple[int, int, bool]:
        loop_thread.append(threading.get_ident())
        doubled, where = off_loop(lambda: (number * 2, threading.get_ident()))
        return doubled, where, in_page()

    doubled, where, inside = asyncio.run(run_page(handler, 21))
    assert (doubled, inside) == (42, True)
    assert where != loop_thread[0]  # the work ran in another thread, the handler on the loop's


def test_an_exception_of_the_work_reaches_the_page_and_the_caller() -> None:
    def failing() -> None:
        raise LookupError("gone")

    caught: list[str] = []

    def handler() -> str:
        try:
            off_loop(failing)
        except LookupError as error:
            caught.append(str(error))
        off_loop(failing)
        return "not reached"

    with pytest.raises(LookupError, match="gone"):
        asyncio.run(run_page(handler))
    assert caught == ["gone"]  # the page could handle it where it waited


def test_the_loop_goes_on_with_other_pages_while_one_waits() -> None:
    order: list[str] = []

    async def both() -> None:
        started = asyncio.Event()

        def waiting() -> None:
            order.append("a begins")
            pause(0.05)
            order.append("a ends")

        async def other() -> None:
            await asyncio.sleep(0)  # the first page is under way and pausing
            order.append("b")
            started.set()

        await asyncio.gather(run_page(waiting), other())
        assert started.is_set()

    asyncio.run(both())
    assert order == ["a begins", "b", "a ends"]


def test_a_page_sees_the_requests_context_variables() -> None:
    async def request() -> str:
        REQUEST.set("this request")
        return await run_page(REQUEST.get)

    assert asyncio.run(request()) == "this request"


def test_outside_a_page_the_work_runs_where_it_is_called() -> None:
    here = threading.get_ident()
    assert off_loop(threading.get_ident) == here
    assert not in_page()
    with pytest.raises(RuntimeError, match="event loop"):
        pause(0.01)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["pause", "thread", "fail", "value"]), max_size=8))
def test_any_mix_of_waits_gives_the_same_as_running_the_steps_in_order(steps: list[str]) -> None:
    """Whatever a page hands over, in any order, it sees the results in the order it asked, as a plain call would."""

    def plain(step: str, number: int) -> int:
        if step == "fail":
            raise ValueError(number)
        return number

    def handler(wait: bool) -> list[str]:
        seen = []
        for number, step in enumerate(steps):
            try:
                if wait and step == "pause":
                    pause(0)
                value = off_loop(plain, step, number) if wait and step == "thread" else plain(step, number)
                seen.append(f"{step}={value}")
            except ValueError as error:
                seen.append(f"failed {error}")
        return seen

    assert asyncio.run(run_page(handler, True)) == handler(False)


# -- a busy SQLite file ---------------------------------------------------------------------------------------------


@pytest.fixture
def held_lock(web: WebContext) -> Iterator[sqlite3.Connection]:
    """Another process's connection holding the SQLite file's write lock (an import, say)."""
    holder = sqlite3.connect(str(web.engine.url.database), isolation_level=None)
    yield holder
    if holder.in_transaction:
        holder.execute("ROLLBACK")
    holder.close()


def test_an_answer_to_a_file_that_stays_busy_fails_as_busy_and_loses_nothing(
    web: WebContext, held_lock: sqlite3.Connection, backpacks: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(context_module, "SERVER_BUSY_TIMEOUT_MS", 300)
    with TestClient(create_app(web)) as client:
        first_step, second_step, answer = _second_answer(client, backpacks)
        held_lock.execute("BEGIN IMMEDIATE")
        busy = client.post("/advice/answer", data=answer)
        assert busy.status_code == 503  # the database page, after waiting the busy time-out on the loop
        held_lock.execute("ROLLBACK")
        assert step_of(client.get("/advice").text) == second_step  # not stored: asked again
        assert step_of(client.post("/advice/answer", data=answer).text) not in (first_step, second_step)
    (stored,) = _web_records(web)
    assert {first_step, second_step} <= stored.snapshot.answers.keys()


@pytest.fixture
def brief_web(web: WebContext, monkeypatch: pytest.MonkeyPatch) -> WebContext:
    """The companion with a busy time-out of a fifth of a second for each try at the file, and a quarter second
    for a page in all (5 s in a server): the same rules, quick to wait for."""
    monkeypatch.setattr(context_module, "SERVER_BUSY_TIMEOUT_MS", 250)
    return dataclasses.replace(web, engine=make_engine(str(web.engine.url), busy_timeout_ms=200))


def test_back_on_a_file_that_stays_busy_gives_up_after_the_pages_busy_time_not_after_every_retry(
    brief_web: WebContext, held_lock: sqlite3.Connection, backpacks: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    tries: list[str] = []
    real_write = store.write

    def counted_write(*args: Any, **kwargs: Any) -> bool:
        tries.append("write")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(store, "write", counted_write)
    with TestClient(create_app(brief_web)) as client:
        _first, second_step, answer = _second_answer(client, backpacks)
        tries.clear()
        held_lock.execute("BEGIN IMMEDIATE")
        busy = client.post("/advice/back", data={"csrf": answer["csrf"]})
        assert busy.status_code == 503
        assert tries == ["write"], "one try within the page's busy time, not five (25 s for a shopper in a server)"
        held_lock.execute("ROLLBACK")
        assert step_of(client.get("/advice").text) == second_step  # nothing written: still at the second question
        again = _resent(client, busy)  # the page's button sends "back" once more
        assert step_of(again.text) != second_step


def test_a_chat_message_sent_while_the_file_is_busy_is_kept_on_the_page_and_sent_with_one_tap(
    brief_web: WebContext, held_lock: sqlite3.Connection, backpacks: Questionnaire
) -> None:
    typed = "Kann ich das Zelt reservieren? 🙂"
    with TestClient(create_app(brief_web)) as client:
        _second_answer(client, backpacks)
        chat = client.get("/advice/chat")
        chat = client.post("/advice/chat/start", data={"csrf": csrf_of(chat.text), "consent": "yes"})
        held_lock.execute("BEGIN IMMEDIATE")
        busy = client.post("/advice/chat/send", data={"csrf": csrf_of(chat.text), "message": typed})
        assert busy.status_code == 503
        assert text("web.error.database", "de") in busy.text and typed in unescape(busy.text), "the text is shown"
        held_lock.execute("ROLLBACK")
        _resent(client, busy)
        live = client.get("/advice/chat/live")
        assert typed in unescape(live.text), "sent once the database takes it"


def _resent(client: TestClient, page: httpx.Response) -> httpx.Response:
    """The database page's "send again" form, submitted as it stands."""
    action, fields = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', page.text, re.S).groups()  # type: ignore[union-attr]
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', fields):
        data.setdefault(unescape(name), []).append(unescape(value))
    response: httpx.Response = client.post(unescape(action), data=data)
    return response


def test_a_write_waits_on_the_loop_for_a_lock_held_briefly_elsewhere(
    web: WebContext, held_lock: sqlite3.Connection
) -> None:
    """The lock is let go while the page waits: the write goes through, and no thread of the pool was needed."""
    threads: list[int] = []

    def write(engine: Engine) -> str:
        threads.append(threading.get_ident())
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE probe (x)")
        return "written"

    async def page_while_held() -> str:
        held_lock.execute("BEGIN IMMEDIATE")
        loop = asyncio.get_running_loop()
        loop.call_later(0.05, held_lock.execute, "ROLLBACK")
        return await run_page(web.write, write)

    assert asyncio.run(page_while_held()) == "written"
    assert len(threads) > 1  # tried, waited, tried again
    assert len(set(threads)) == 1


def test_a_write_that_fails_for_another_reason_is_not_tried_again(web: WebContext) -> None:
    calls: list[int] = []

    def broken(_engine: Engine) -> None:
        calls.append(1)
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("no such table: nowhere"))

    with pytest.raises(OperationalError, match="no such table"):
        asyncio.run(run_page(web.write, broken))
    assert calls == [1]


def _second_answer(client: TestClient, questionnaire: Questionnaire) -> tuple[str, str, dict[str, object]]:
    """A session stored by its first answer: the first step, the second, and the form that answers the second."""
    page = start(client)
    first_step = step_of(page.text)
    assert first_step is not None
    answer = {"csrf": csrf_of(page.text), "step": first_step, "value": first_answer(questionnaire.step(first_step))}
    question = client.post("/advice/answer", data=answer)  # stores the session
    second_step = step_of(question.text)
    assert second_step is not None and second_step != first_step
    form = {"csrf": csrf_of(question.text), "step": second_step, "value": first_answer(questionnaire.step(second_step))}
    return first_step, second_step, form


def _web_records(web: WebContext) -> list[store.Record]:
    with web.engine.connect() as connection:
        ids = connection.execute(sa.select(store.SESSION.c.id)).scalars().all()
    return [record for session_id in ids if (record := store.read(web.engine, session_id)) is not None]


@pytest.mark.parametrize("web_database_url", ["postgresql"], indirect=True)
def test_on_postgresql_an_answer_waiting_for_a_locked_row_keeps_no_other_page_waiting(
    web: WebContext, backpacks: Questionnaire
) -> None:
    """The page's statements wait on the event loop (the driver's asyncio connection): while a staff member's
    transaction holds the session's row, the shopper's answer waits for it and the other pages are answered."""
    with TestClient(create_app(web)) as client:
        _first, second_step, answer = _second_answer(client, backpacks)
        (stored,) = _web_records(web)
        with web.engine.connect() as holder, ThreadPoolExecutor(max_workers=1) as pool:
            holder.execute(sa.select(store.SESSION.c.id).where(store.SESSION.c.id == stored.id).with_for_update())
            answered = pool.submit(client.post, "/advice/answer", data=answer, follow_redirects=False)
            slowest, seen = 0.0, 0
            deadline = time.monotonic() + 1.0
            while time.monotonic() < deadline:  # other pages of the walk meanwhile, on the same event loop
                began = time.monotonic()
                assert client.get("/").status_code == 200
                slowest, seen = max(slowest, time.monotonic() - began), seen + 1
            waited = not answered.done()
            holder.rollback()
            response = answered.result(timeout=20)
    assert seen > 10 and slowest < 0.5, f"{seen} pages meanwhile, the slowest took {slowest:.2f} s"
    assert waited
    assert response.status_code == 303
    (after,) = _web_records(web)
    assert second_step in after.snapshot.answers
