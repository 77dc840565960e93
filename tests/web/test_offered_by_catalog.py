"""The web companion offers, like the kiosk, no finder and no help whose category the store's catalog lacks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from advisor.config import default_config, secret_key
from advisor.questionnaire.library import QuestionnaireLibrary
from advisor.recommend.index import IndexCache
from advisor.web.app import create_app
from advisor.web.context import WebContext
from advisor.web.security import Signer
from tests.helpers.one_category import one_category_database


@pytest.fixture
def tents_only(tmp_path: Path, library: QuestionnaireLibrary) -> Iterator[WebContext]:
    engine = one_category_database(f"sqlite:///{tmp_path / 'tents.sqlite3'}", "tents", tmp_path / "catalog")
    config = default_config()
    yield WebContext(
        engine=engine, questionnaires=lambda: library.questionnaires, index_cache=IndexCache(engine), config=config,
        signer=Signer(secret_key(config)), service_flows=lambda: library.service_flows,
    )  # fmt: skip
    engine.dispose()


def test_the_pages_offer_only_what_the_catalog_has_and_the_journal_names_the_rest_once(
    tents_only: WebContext, library: QuestionnaireLibrary, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert set(tents_only.offered()) == {"tent-finder", "tent-help", "zip-help"}
    with TestClient(create_app(tents_only)) as client:
        home = client.get("/")
    assert home.status_code == 200
    assert library.questionnaires["tent-finder"].title["de"] in home.text
    assert library.questionnaires["backpack-finder"].title["de"] not in home.text
    assert library.service_flows["sleeping-bag-help"].title["de"] not in home.text
    journal = capsys.readouterr().err
    assert journal.count("backpack-finder.yaml: not offered: Q017 category 'backpacks' is not in the catalog") == 1
    assert journal.count("sleeping-bag-help.yaml: not offered") == 1
