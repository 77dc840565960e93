"""A store that says "Sie" says it on every page, also where no advice is open yet to say so: a used or unknown
one-time link, the code and repair pages, a stale form."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from advisor.web.app import create_app
from advisor.web.context import WebContext
from tests.web.conftest import csrf_of, start


@pytest.fixture
def formal(web: WebContext) -> Iterator[TestClient]:
    formal = {"de": "Sie", "en": "du"}
    finders = {key: dataclasses.replace(q, address=formal) for key, q in web.questionnaires().items()}
    flows = web.service_flows() if web.service_flows is not None else {}
    helps = {key: dataclasses.replace(q, address=formal) for key, q in flows.items()}
    context = dataclasses.replace(web, questionnaires=lambda: finders, service_flows=lambda: helps)
    with TestClient(create_app(context)) as client:
        yield client


def test_pages_without_an_advice_say_sie_in_a_sie_store(formal: TestClient) -> None:
    unknown = formal.get("/c/" + "x" * 27)
    assert unknown.status_code == 404
    assert "öffnen Sie die Beratung mit ihrem Code" in unknown.text and "öffne " not in unknown.text
    code = formal.get("/resume")
    assert "Geben Sie Ihren Code ein" in code.text and "deinen" not in code.text
    repair = formal.get("/repair")
    assert "Ihrer Reparatur" in repair.text and "deiner" not in repair.text


def test_a_stale_form_says_sie_in_a_sie_store(formal: TestClient) -> None:
    page = start(formal, "tent-finder")
    stale = formal.post("/advice/back", data={"csrf": csrf_of(page.text)[::-1]})
    assert stale.status_code == 403
    assert "Bitte laden Sie die Seite neu und versuchen Sie es noch einmal." in stale.text


def test_a_store_whose_finders_differ_says_du_where_no_advice_says_it(web: WebContext) -> None:
    finders = dict(web.questionnaires())
    first = next(iter(finders))
    finders[first] = dataclasses.replace(finders[first], address={"de": "Sie", "en": "du"})
    context = dataclasses.replace(web, questionnaires=lambda: finders)
    with TestClient(create_app(context)) as client:
        assert "Gib deinen Code ein" in client.get("/resume").text
