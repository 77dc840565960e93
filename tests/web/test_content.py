"""`advisor serve` with a store's own content folder ([content] in its configuration): it offers the configured
questionnaires and shows the configured guides' pictures, not the shipped ones."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from advisor.paths import questionnaires_dir, sample_catalog_dir
from tests.advisor.test_content import content_folder
from tests.web.conftest import LiveServer

pytestmark = pytest.mark.slow
OWN_PICTURE = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Filiale</title></svg>'


@pytest.fixture
def content(tmp_path: Path) -> Path:
    content = content_folder(tmp_path / "store")
    (content / "images" / "guides" / "tent-patch-1.svg").write_text(OWN_PICTURE, encoding="utf-8")
    (content / "images" / "guides" / "tent-patch-2.svg").unlink()
    return content


@pytest.fixture
def live_server_config(content: Path) -> str:
    return f'[content]\nquestionnaires = "{content / "fragen"}"\nguides = "{content / "guides.json"}"\n'


def test_the_server_offers_the_configured_questionnaires_and_guide_pictures(live_server: LiveServer) -> None:
    home = httpx.get(f"{live_server.url}/")
    assert home.status_code == 200
    assert re.findall(r'name="questionnaire_id" value="([^"]+)"', home.text) == ["store-tents"]
    assert len(list(questionnaires_dir().glob("*-finder.yaml"))) > 1  # the shipped finders are not offered
    own = httpx.get(f"{live_server.url}/guide-images/tent-patch-1.svg")
    assert own.status_code == 200 and own.text == OWN_PICTURE
    assert (sample_catalog_dir() / "images" / "guides" / "tent-patch-2.svg").is_file()
    assert httpx.get(f"{live_server.url}/guide-images/tent-patch-2.svg").status_code == 404  # only the configured
