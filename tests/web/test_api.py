"""The JSON API under /api/v1: sessions by bearer token, answers, recommendations, phone links, resume by code."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, GenerationMode
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import positive_data_acceptance

from advisor.handoff import sessions
from advisor.handoff.codes import new_code, shown
from advisor.questionnaire.model import DONT_CARE
from advisor.web.app import SESSION_COOKIE, create_app
from advisor.web.context import WebContext
from tests.web.conftest import BACKPACKS, open_phone_link, step_of

API = "/api/v1"
FIRST = {"who": "women", "activity": "day_hike"}
REST = {"load": 8, "torso_length": 47, "carry_pref": "ventilated", "shared": True, "extras": ["cover"]}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def new_session(client: TestClient, answers: dict[str, Any] | None = None) -> dict[str, Any]:
    response = client.post(f"{API}/sessions", json={"questionnaire_id": BACKPACKS, "answers": answers or {}})
    assert response.status_code == 201, response.text
    return dict(response.json())


@pytest.mark.parametrize("web_database_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)  # fmt: skip
def test_a_session_goes_from_answers_to_products_with_reasons_and_onto_a_phone(
    client: TestClient, web: WebContext
) -> None:
    offered = client.get(f"{API}/questionnaires", params={"locale": "en"}).json()
    assert {"id": BACKPACKS, "title": "Backpack finder", "category": "backpacks", "locales": ["de", "en"]} in offered
    steps = client.get(f"{API}/questionnaires/{BACKPACKS}").json()["steps"]
    assert [step["id"] for step in steps][:3] == ["who", "activity", "nights"]

    created = new_session(client, FIRST)

    assert created["answers"] == FIRST
    assert (created["next_step"], created["complete"], created["locale"]) == ("load", False, "de")
    token = created["token"]
    read = client.get(f"{API}/session", headers=bearer(token)).json()
    assert read == created
    stored = sessions.find_session(web.engine, created["resume_code"])
    assert stored is not None and dict(stored.answers) == FIRST and stored.origin == "web"

    answered = client.put(f"{API}/session/answers", headers=bearer(token), json={"answers": REST})

    assert answered.status_code == 200, answered.text
    assert answered.json()["answers"] == {**FIRST, **REST}
    assert (answered.json()["next_step"], answered.json()["complete"]) == (None, True)

    recommendation = client.get(f"{API}/session/recommendation", headers=bearer(token)).json()

    assert recommendation["questionnaire"] == BACKPACKS
    assert recommendation["count"] >= 1
    assert recommendation["products"]
    for product in recommendation["products"]:
        assert product["sku"] and product["name"] and product["reasons"], product
    assert recommendation["critiques"]  # a refinement is applied by the key the recommendation gives
    key = recommendation["critiques"][0]["key"]
    applied = client.post(f"{API}/session/critiques", headers=bearer(token), json={"key": key})
    assert applied.status_code == 200, applied.text
    client.delete(f"{API}/session/critiques", headers=bearer(token))

    link = client.post(f"{API}/session/phone-link", headers=bearer(token))

    assert link.status_code == 200
    assert link.json()["expires_in_seconds"] == 300
    url = link.json()["url"]
    base = web.config.web.public_base_url
    assert url.startswith(f"{base}/c/")
    path = url.removeprefix(base)
    with TestClient(client.app) as phone:
        asked = phone.get(path)  # a link the API minted asks first: anyone could have sent it
        assert asked.status_code == 200 and SESSION_COOKIE not in phone.cookies
        page = open_phone_link(phone, path)
        assert page.status_code == 200 and page.url.path == "/advice"
        assert "<h1>Das passt zu dir</h1>" in page.text
        assert recommendation["products"][0]["name"] in page.text
        assert shown(created["resume_code"]) in page.text
        assert phone.get(path).status_code == 410
    with TestClient(client.app) as second_phone:
        assert second_phone.get(path).status_code == 410
        assert SESSION_COOKIE not in second_phone.cookies


def test_session_calls_need_the_sessions_token(client: TestClient, web: WebContext) -> None:
    created = new_session(client, FIRST)
    session_id = sessions.find_session(web.engine, created["resume_code"]).id  # type: ignore[union-attr]
    refused = {
        "no header": {},
        "not bearer": {"Authorization": f"Basic {created['token']}"},
        "made up": bearer("made-up"),
        "unsigned id": bearer(session_id),
        "wrong signature": bearer(created["token"][:-2] + "xx"),
        "a cookie's signature": bearer(web.signer.sign(session_id)),  # signed for the cookie, not the API
    }
    calls = [
        ("GET", "/session", None),
        ("PUT", "/session/answers", {"answers": REST}),
        ("GET", "/session/recommendation", None),
        ("POST", "/session/phone-link", None),
    ]
    for reason, headers in refused.items():
        for method, path, body in calls:
            response = client.request(method, f"{API}{path}", headers=headers, json=body)
            assert response.status_code == 401, (reason, method, path, response.text)
            assert response.json() == {"detail": "missing, wrong or expired session token"}
    assert client.get(f"{API}/session", headers=bearer(created["token"])).json()["answers"] == FIRST


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"who": "dragon"}, "'dragon' is not an option of step 'who'"),
        ({"load": "heavy"}, "step 'load' takes a number"),
        ({"load": 500}, "step 'load' takes a number from 2 to"),
        ({"shared": "yes"}, "step 'shared' takes yes or no"),
        ({"extras": ["cover", "jetpack"]}, "'jetpack' is not an option of step 'extras'"),
        ({"nights": DONT_CARE}, "step 'nights' has no 'doesn't matter' answer"),
        ({"colour": "red"}, "the questionnaire has no step 'colour'"),
    ],
)
def test_an_answer_the_step_does_not_accept_is_422_and_changes_nothing(
    client: TestClient, answers: dict[str, Any], message: str
) -> None:
    created = new_session(client, FIRST)

    response = client.put(f"{API}/session/answers", headers=bearer(created["token"]), json={"answers": answers})

    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert client.get(f"{API}/session", headers=bearer(created["token"])).json() == created
    rejected = client.post(f"{API}/sessions", json={"questionnaire_id": BACKPACKS, "answers": answers})
    assert rejected.status_code == 422


def test_a_resume_code_gives_a_token_for_the_same_session(client: TestClient, web: WebContext) -> None:
    created = new_session(client, FIRST)

    resumed = client.post(f"{API}/sessions/resume", json={"code": shown(created["resume_code"]).lower()})

    assert resumed.status_code == 200, resumed.text
    again = client.get(f"{API}/session", headers=bearer(resumed.json()["token"])).json()
    assert again["resume_code"] == created["resume_code"]
    assert again["answers"] == FIRST
    client.put(f"{API}/session/answers", headers=bearer(resumed.json()["token"]), json={"answers": {"load": 5}})
    assert client.get(f"{API}/session", headers=bearer(created["token"])).json()["answers"]["load"] == 5


def test_wrong_resume_codes_are_rate_limited(client: TestClient) -> None:
    created = new_session(client)
    wrong = [code for code in (new_code() for _ in range(10)) if code != created["resume_code"]]
    for code in [*wrong[:4], "not a code"]:
        response = client.post(f"{API}/sessions/resume", json={"code": code})
        assert response.status_code == 404, response.text

    response = client.post(f"{API}/sessions/resume", json={"code": created["resume_code"]})

    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1


def test_a_phone_page_shows_the_step_the_api_left_off_at(client: TestClient) -> None:
    created = new_session(client, FIRST)
    url = client.post(f"{API}/session/phone-link", headers=bearer(created["token"])).json()["url"]

    with TestClient(client.app) as phone:
        page = open_phone_link(phone, "/c/" + url.rpartition("/c/")[2])

    assert step_of(page.text) == created["next_step"] == "load"


# -- the OpenAPI document, fuzzed --------------------------------------------------------------------------------
# schemathesis' pytest integration (schema.parametrize, from_fixture) does not run under pytest 9 (it sets
# Function._nodeid), and the app needs this test's database: the operations are driven with Hypothesis here.


def test_the_api_never_fails_with_a_server_error(client: TestClient, web: WebContext) -> None:
    web.config = web.config.model_copy(update={"web": web.config.web.model_copy(update={"api_docs": True})})
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", create_app(web))
    token = new_session(client, FIRST)["token"]
    # A valid token, so the fuzzer reaches what lies behind it (refusals without one are tested above).
    headers = {"authorization": f"Bearer {token}"}
    operations: list[APIOperation[Any, Any, Any, Any]] = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operations.append(result.ok())
    assert len(operations) == 13

    for operation in operations:
        cases = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE, headers=headers),
            operation.as_strategy(GenerationMode.NEGATIVE, headers=headers),
        )

        @given(case=cases)
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case: schemathesis.Case[APIOperation[Any, Any, Any, Any]]) -> None:
            # Every check but one: a schema-valid `answers` object may still hold answers the questionnaire
            # refuses (422 by design; JSON Schema cannot say which steps and options a questionnaire has).
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        call()


def test_an_expired_session_gets_401_on_the_api_as_on_the_pages(client: TestClient, web: WebContext) -> None:
    import sqlalchemy as sa

    created = new_session(client)
    session_id = web.signer.unsign(created["token"], "api")
    with web.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE advice_session SET expires_at = :past WHERE id = :id"),
            {"past": "2020-01-01 00:00:00", "id": session_id},
        )
    for method, path in (("GET", "/session"), ("GET", "/session/recommendation"), ("PUT", "/session/answers")):
        response = client.request(method, f"{API}{path}", headers=bearer(created["token"]), json={"answers": {}})
        assert response.status_code == 401, (path, response.text)
    client.cookies.set(SESSION_COOKIE, web.signer.sign(str(session_id)))
    page = client.get("/advice", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/?expired=1"


def test_a_stored_session_the_questionnaire_no_longer_accepts_opens_with_what_is_left(
    client: TestClient, web: WebContext
) -> None:
    import sqlalchemy as sa

    created = new_session(client)
    session_id = web.signer.unsign(created["token"], "api")
    with web.engine.begin() as connection:  # an older version's answers, and a column a crash left half written
        connection.execute(
            sa.text("UPDATE advice_session SET answers = :answers, critiques = :broken WHERE id = :id"),
            {"answers": '{"gone_step": "x", "who": "nobody-like-this"}', "broken": "[{", "id": session_id},
        )
    response = client.get(f"{API}/session", headers=bearer(created["token"]))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["answers"] == {}
    dropped = " | ".join(body["dropped"])
    assert "gone_step" in dropped and "'who'" in dropped and "critiques" in dropped
    client.cookies.set(SESSION_COOKIE, web.signer.sign(str(session_id)))
    assert client.get("/advice").status_code == 200  # the pages open it too (no 500)


def test_a_405_names_every_method_the_address_takes(client: TestClient) -> None:
    for path, methods in ((f"{API}/session/critiques", {"POST", "DELETE"}), (f"{API}/session/answers", {"PUT"})):
        response = client.request("PATCH", path)
        assert response.status_code == 405
        assert set(response.headers["allow"].split(", ")) >= methods, (path, response.headers["allow"])
