"""A shopper back with her repair slip types her pickup code where a resume code is asked: she is sent to how her
repair stands, not told that no advice has the code; a wrong code still costs one wrong code, and a client that has
spent its wrong codes waits for a pickup code too. The web confirmation of a repair says what the kiosk's says."""

from __future__ import annotations

import re
import warnings

import httpx
from sqlalchemy.engine import Engine

from advisor.handoff import sessions
from advisor.handoff.codes import shown
from advisor.handoff.sessions import WRONG_CODES_PER_CLIENT
from tests.web.conftest import BACKPACKS, csrf_of
from tests.web.test_help_pages import order, to_outcomes
from tests.web.test_repair import take_in

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r".*httpx2", category=UserWarning)
    from fastapi.testclient import TestClient

FREE = WRONG_CODES_PER_CLIENT.free
WRONG = "2222-3333"


def resume(client: TestClient, code: str) -> httpx.Response:
    form = client.get("/resume")
    assert form.status_code == 200
    form_data = {"csrf": csrf_of(form.text), "code": code}
    sent: httpx.Response = client.post("/resume", data=form_data, follow_redirects=False)
    return sent


def test_a_pickup_code_typed_to_continue_shows_how_the_repair_stands(client: TestClient, web_engine: Engine) -> None:
    order_ = take_in(web_engine)
    sent = resume(client, shown(order_.pickup_code).lower())
    assert sent.status_code == 303 and sent.headers["location"] == "/repair/status"
    page = client.get(sent.headers["location"])
    assert page.status_code == 200
    assert "Zu diesem Code gibt es keine Beratung" not in page.text
    assert "Stand deiner Reparatur" in page.text and f"Abholcode: {shown(order_.pickup_code)}" in page.text
    assert re.search(r'<li class="current" aria-current="step">\s*<span class="state">Angenommen</span>', page.text)
    assert "Zum Abholen brauchst du deinen Abholcode" in page.text


def test_a_code_of_neither_kind_is_still_unknown_and_costs_one_wrong_code(
    client: TestClient, web_engine: Engine
) -> None:
    order_ = take_in(web_engine)
    wrong = [resume(client, WRONG) for _ in range(FREE - 1)]
    assert [response.status_code for response in wrong] == [404] * (FREE - 1)
    assert (
        "Zu diesem Code gibt es keine Beratung und keine Reparatur (oder die Beratung ist abgelaufen)." in wrong[0].text
    )
    assert resume(client, order_.pickup_code).status_code == 303, "a right pickup code costs no wrong code"
    assert resume(client, WRONG).status_code == 404, "each wrong code cost one: the free ones are all answered"
    # The wrong codes spent, a pickup code is not looked up either, here or on the repair page: no second oracle.
    waiting = resume(client, order_.pickup_code)
    assert waiting.status_code == 429 and "Zu viele falsche Codes" in waiting.text
    assert "Retry-After" in waiting.headers
    form = client.get("/repair")
    assert client.post("/repair", data={"csrf": csrf_of(form.text), "code": order_.pickup_code}).status_code == 429


def test_a_resume_code_still_continues_the_advice(client: TestClient, web_engine: Engine) -> None:
    stored = sessions.create_session(web_engine, questionnaire_id=BACKPACKS, answers={}, locale="de")
    sent = resume(client, shown(stored.resume_code))
    assert sent.status_code == 303 and sent.headers["location"] == "/advice"


def test_the_phone_s_repair_confirmation_says_when_to_hand_it_in_and_collect_it(client: TestClient) -> None:
    done = order(client, to_outcomes(client), name="", email="", phone="")
    assert done.status_code == 200
    code = re.search(r'data-testid="pickup-code">([^<]+)<', done.text)
    assert code is not None
    said = f"Bring das Produkt mit deinem Abholcode {code[1]} an die Servicetheke. Fertig ist es etwa 7 Tage nach "
    assert said + "der Abgabe; zum Abholen brauchst du den Code wieder." in done.text, "as the kiosk says it"
    assert "Handy" not in done.text, "she is on her phone"
    assert f'<input type="hidden" name="code" value="{code[1]}">' in done.text, "the repair is followed from here"
