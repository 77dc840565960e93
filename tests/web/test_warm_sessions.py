"""A server process keeps the sessions it worked on restored between a browser's pages (`WarmSessions`): the pages
show what is stored all the same, whatever another device wrote meanwhile, and an expired session stays refused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.handoff import sessions
from advisor.questionnaire.library import load_library
from advisor.questionnaire.model import Questionnaire
from advisor.session import store
from advisor.session.service import AdviceSession
from advisor.web.app import SESSION_COOKIE
from advisor.web.context import WarmSessions, WebContext
from tests.web.conftest import csrf_of, first_answer, start, step_of, stored_answer, walk_to_results
from tests.web.test_mail_outbox import BOTH


@pytest.fixture
def restores(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The questionnaire of every stored session restored from its snapshot, in order."""
    seen: list[str] = []
    original = AdviceSession.restore.__func__  # type: ignore[attr-defined]

    def counting(cls: type[AdviceSession], snapshot: store.Snapshot, *args: object, **kwargs: object) -> AdviceSession:
        seen.append(snapshot.questionnaire_id)
        return original(cls, snapshot, *args, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(AdviceSession, "restore", classmethod(counting))
    return seen


def _session_id(client: TestClient, web: WebContext) -> str:
    found = web.signer.unsign(client.cookies.get(SESSION_COOKIE))
    assert found is not None, "the browser holds no stored session"
    return found


def _answer(client: TestClient, page_text: str) -> str:
    step_id = step_of(page_text)
    assert step_id is not None, page_text[:300]
    return step_id


def test_a_walk_to_the_results_restores_nothing_after_the_first_answer_stored_it(
    client: TestClient, web: WebContext, backpacks: Questionnaire, restores: list[str]
) -> None:
    start(client)
    page, given = walk_to_results(client, backpacks)

    assert "<h1>Das passt zu dir</h1>" in page.text
    assert restores == []  # every page took the session this process had just written
    record = store.read(web.engine, _session_id(client, web))
    assert record is not None and dict(record.snapshot.answers) == given
    assert client.get(page.url).text == page.text  # the results again (a reload): the same page


def test_what_another_device_wrote_meanwhile_is_on_the_next_page_and_kept(
    client: TestClient, web: WebContext, backpacks: Questionnaire, restores: list[str]
) -> None:
    page = start(client)
    first = _answer(client, page.text)
    page = client.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": first,
                                               "value": first_answer(backpacks.step(first))})  # fmt: skip
    second = _answer(client, page.text)
    session_id = _session_id(client, web)

    # The kiosk (another process) answers the second question of the same session.
    record = store.read(web.engine, session_id)
    assert record is not None
    kiosk = store.load(record, {backpacks.id: backpacks})
    kiosk.answer(second, first_answer_value(backpacks, second))
    store.save(web.engine, session_id, kiosk)
    restores.clear()

    page = client.get("/advice")

    third = _answer(client, page.text)
    assert third not in (first, second)  # the page moved on with the kiosk's answer
    assert restores == [backpacks.id]  # a newer version than the warm one: restored from what is stored
    page = client.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": third,
                                               "value": first_answer(backpacks.step(third))})  # fmt: skip
    assert page.status_code == 200
    stored = store.read(web.engine, session_id)
    assert stored is not None
    assert stored.snapshot.answers[second] == stored_answer(
        backpacks.step(second), first_answer(backpacks.step(second))
    )
    assert {first, second, third} <= set(stored.snapshot.answers)


def first_answer_value(questionnaire: Questionnaire, step_id: str) -> object:
    """The answer first_answer gives, as the session's `answer` takes it."""
    step = questionnaire.step(step_id)
    values = first_answer(step)
    if step.kind == "multiple":
        return tuple(values)
    if step.kind == "yes_no":
        return values == ["yes"]
    if step.kind == "number":
        return float(values[0])
    return values[0]


def test_an_expired_session_is_refused_though_this_process_kept_it(
    client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    page = start(client)
    step_id = _answer(client, page.text)
    client.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": step_id,
                                        "value": first_answer(backpacks.step(step_id))})  # fmt: skip
    session_id = _session_id(client, web)
    assert len(web.warm) == 1
    with web.engine.begin() as connection:
        connection.execute(
            sa.update(store.SESSION).where(store.SESSION.c.id == session_id)
            .values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )  # fmt: skip

    page = client.get("/advice")

    assert page.url.path == "/" and "abgelaufen" in page.text
    assert len(web.warm) == 0


def test_a_reloaded_questionnaire_restores_the_session_with_the_new_one(
    client: TestClient, web: WebContext, backpacks: Questionnaire, restores: list[str]
) -> None:
    page = start(client)
    step_id = _answer(client, page.text)
    client.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": step_id,
                                        "value": first_answer(backpacks.step(step_id))})  # fmt: skip
    reloaded = load_library()  # the files read again, as when a merchandiser saved one: new objects
    web.questionnaires = lambda: reloaded.questionnaires
    restores.clear()

    page = client.get("/advice")

    assert page.status_code == 200 and step_of(page.text) is not None
    assert restores == [backpacks.id]
    opened = web.open(_session_id(client, web))
    assert opened is not None and opened.session.questionnaire is reloaded.questionnaires[backpacks.id]


def test_starting_over_keeps_nothing_of_the_old_session_warm(
    client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    page = start(client)
    step_id = _answer(client, page.text)
    page = client.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": step_id,
                                               "value": first_answer(backpacks.step(step_id))})  # fmt: skip
    old = _session_id(client, web)
    assert len(web.warm) == 1

    client.post("/advice/restart", data={"csrf": csrf_of(page.text)})

    assert len(web.warm) == 0
    assert web.open(old) is None


def test_a_session_is_taken_by_one_request_at_a_time_and_the_oldest_give_way() -> None:
    warm = WarmSessions(size=2)
    records = [
        store.Record(
            f"id-{n}",
            f"code-{n}",
            store.Snapshot("q", "1", {}, "", "de"),
            1,
            False,
            datetime.now(UTC),
            datetime.now(UTC),
        )  # fmt: skip
        for n in range(3)
    ]
    sessions = [object() for _ in records]
    for record, session in zip(records, sessions, strict=True):
        warm.put(record, session)  # type: ignore[arg-type]

    assert warm.take("id-0") is None  # the oldest gave way to the third
    taken = warm.take("id-1")
    assert taken is not None and taken[1] is sessions[1]
    assert warm.take("id-1") is None  # a second request at once restores its own
    assert len(warm) == 1


# Actions of an interleaving: the browser answers the question it shows, goes back, or reloads; the kiosk answers
# the session's current question itself, or changes the language, and the browser reloads, or ("unseen") does not
# and answers the page it still shows.
ACTIONS = st.lists(
    st.sampled_from(["answer", "back", "reload", "kiosk-answer", "kiosk-language", "kiosk-answer-unseen",
                     "kiosk-language-unseen"]),
    max_size=12,
)  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_whatever_two_devices_do_in_turn_every_page_shows_the_stored_session(
    client: TestClient, web: WebContext, backpacks: Questionnaire, actions: list[str]
) -> None:
    client.cookies.clear()
    page = start(client)
    step_id = _answer(client, page.text)
    page = client.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": step_id,
                                               "value": first_answer(backpacks.step(step_id))})  # fmt: skip
    session_id = _session_id(client, web)
    for action in actions:
        if action.startswith("kiosk"):
            record = store.read(web.engine, session_id)
            assert record is not None
            kiosk = store.load(record, {backpacks.id: backpacks})
            if action.startswith("kiosk-answer") and kiosk.step is not None:
                kiosk.answer(kiosk.step.id, first_answer_value(backpacks, kiosk.step.id))
            else:
                kiosk.set_locale("en" if kiosk.locale == "de" else "de")
            store.save(web.engine, session_id, kiosk)
            if action.endswith("unseen"):
                continue  # the browser still shows its page: its next answer is written on top of the kiosk's
            page = client.get("/advice")
        elif action == "answer" and (shown := step_of(page.text)) is not None:
            page = client.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": shown,
                                                       "value": first_answer(backpacks.step(shown))})  # fmt: skip
        elif action == "back" and step_of(page.text) is not None:
            page = client.post("/advice/back", data={"csrf": csrf_of(page.text)})
        else:
            page = client.get("/advice")
        assert page.status_code == 200, page.text[:300]
        if page.url.path != "/advice":
            break  # back from the first question: the home page
        stored = store.read(web.engine, session_id)
        assert stored is not None
        cold = store.load(stored, {backpacks.id: backpacks})
        assert step_of(page.text) == (cold.step.id if cold.step is not None else None)
        assert f'lang="{cold.locale}"' in page.text
        warm = web.open(session_id)  # (the warm one, if this process kept it)
        assert warm is not None and warm.session.snapshot() == cold.snapshot()
        web.release(warm)


# -- an answer writes the session it kept, without reading it first ----------------------------------------------


@pytest.fixture
def session_statements(web: WebContext) -> Iterator[list[str]]:
    """The SQL statements on the session table that the server runs from now on (SQLite's own trace of every
    connection the web context takes from its engines)."""
    seen: list[str] = []

    def trace(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        dbapi_connection.set_trace_callback(lambda sql: seen.append(sql) if "advice_session" in sql else None)

    loop_engine = web._loop_engine  # noqa: SLF001 - the engine of the pages on the event loop, made on first use
    engines = [web.engine, *([loop_engine] if loop_engine is not None else [])]
    for engine in engines:
        sa.event.listen(engine, "checkout", trace)
    yield seen
    for engine in engines:
        sa.event.remove(engine, "checkout", trace)


def _at_second_question(client: TestClient, web: WebContext, backpacks: Questionnaire) -> tuple[Any, str, str]:
    """A walk stored by its first answer, at the second question: its page, that question and the session."""
    page = start(client)
    first = _answer(client, page.text)
    page = client.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": first,
                                               "value": first_answer(backpacks.step(first))})  # fmt: skip
    second = _answer(client, page.text)
    assert second != first
    return page, second, _session_id(client, web)


def test_an_answer_on_the_page_this_process_served_is_one_statement_on_the_session(
    client: TestClient, web: WebContext, backpacks: Questionnaire, session_statements: list[str]
) -> None:
    page, second, session_id = _at_second_question(client, web, backpacks)
    session_statements.clear()

    answered = client.post("/advice/answer", follow_redirects=False, data={
        "csrf": csrf_of(page.text), "step": second, "value": first_answer(backpacks.step(second))})  # fmt: skip

    assert answered.status_code == 303 and answered.headers["location"].startswith("/advice?at=")
    assert [sql.split()[0] for sql in session_statements] == ["UPDATE"]  # no SELECT before it
    stored = store.read(web.engine, session_id)
    assert stored is not None and second in stored.snapshot.answers


@pytest.mark.parametrize("web_database_url", BOTH, indirect=True)
def test_an_answer_after_another_device_wrote_meanwhile_is_merged_with_what_it_wrote(
    client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    page, second, session_id = _at_second_question(client, web, backpacks)
    record = store.read(web.engine, session_id)
    assert record is not None and record.snapshot.locale == "de"
    kiosk = store.load(record, {backpacks.id: backpacks})
    kiosk.set_locale("en")  # the kiosk, after the browser's page was shown and before its answer
    store.save(web.engine, session_id, kiosk)

    page = client.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": second,
                                               "value": first_answer(backpacks.step(second))})  # fmt: skip

    assert page.status_code == 200 and 'lang="en"' in page.text
    stored = store.read(web.engine, session_id)
    assert stored is not None and stored.snapshot.locale == "en"
    assert stored.snapshot.answers[second] == stored_answer(
        backpacks.step(second), first_answer(backpacks.step(second))
    )
    assert stored.version == record.version + 2  # the kiosk's write, then the answer's on top of it


@pytest.mark.parametrize("web_database_url", BOTH, indirect=True)
@pytest.mark.parametrize("sent", ["an answer", "an answer the question does not take", "a nudge"])
def test_an_answer_to_a_session_that_expired_since_its_page_is_refused_and_nothing_is_written(
    client: TestClient, web: WebContext, backpacks: Questionnaire, sent: str
) -> None:
    page, second, session_id = _at_second_question(client, web, backpacks)
    with web.engine.begin() as connection:
        connection.execute(
            sa.update(store.SESSION).where(store.SESSION.c.id == session_id)
            .values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )  # fmt: skip
    before = _stored_row(web, session_id)
    form = {"csrf": csrf_of(page.text), "step": second, "value": first_answer(backpacks.step(second))}
    if sent == "an answer the question does not take":
        form["value"] = "no-such-option"
    elif sent == "a nudge":
        form["nudge"] = "1"

    answered = client.post("/advice/answer", data=form, follow_redirects=False)

    assert answered.status_code == 303 and answered.headers["location"] == "/?expired=1"
    assert _stored_row(web, session_id) == before


def _stored_row(web: WebContext, session_id: str) -> dict[str, Any]:
    with web.engine.connect() as connection:
        row = connection.execute(sa.select(store.SESSION).where(store.SESSION.c.id == session_id)).one()
    return dict(row._mapping)


@pytest.mark.parametrize("web_database_url", BOTH, indirect=True)
def test_consent_given_on_another_device_since_the_page_keeps_the_session_for_the_retention(
    client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    page, second, session_id = _at_second_question(client, web, backpacks)
    sessions.give_consent(web.engine, session_id)  # staff at the kiosk, after the phone's page was shown

    client.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": second,
                                        "value": first_answer(backpacks.step(second))})  # fmt: skip

    stored = store.read(web.engine, session_id)
    assert stored is not None and stored.consent and second in stored.snapshot.answers
    retention = timedelta(days=web.config.privacy.session_retention_days)
    assert stored.expires_at == stored.created_at + retention  # not the hours of a session nobody agreed to keep
