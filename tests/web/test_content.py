"""`advisor serve` with a store's own content folder ([content] in its configuration): it offers the configured
questionnaires, shows the configured guides' pictures, and a saved guides file reaches the next shoppers."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import httpx
import pytest

from advisor.paths import questionnaires_dir
from tests.advisor.test_content import SHIPPED_QUESTIONNAIRES, content_folder, save
from tests.web.conftest import LiveServer, start
from tests.web.test_help_pages import SEAMS, answer, search, second_variant_gtin

pytestmark = pytest.mark.slow
OWN_PICTURE = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Filiale</title></svg>'


@pytest.fixture
def content(tmp_path: Path) -> Path:
    content = content_folder(tmp_path / "store")
    (content / "images" / "guides" / "tent-patch-1.svg").write_text(OWN_PICTURE, encoding="utf-8")
    shutil.copy(SHIPPED_QUESTIONNAIRES / "tent-help.yaml", content / "fragen" / "tent-help.yaml")
    return content


@pytest.fixture
def live_server_config(content: Path) -> str:
    return f'[content]\nquestionnaires = "{content / "fragen"}"\nguides = "{content / "guides.json"}"\n'


def test_the_server_offers_the_configured_questionnaires_and_guide_pictures(live_server: LiveServer) -> None:
    home = httpx.get(f"{live_server.url}/")
    assert home.status_code == 200
    assert re.findall(r'name="questionnaire_id" value="([^"]+)"', home.text) == ["store-tents", "tent-help"]
    assert len(list(questionnaires_dir().glob("*-finder.yaml"))) > 1  # the shipped finders are not offered
    own = httpx.get(f"{live_server.url}/guide-images/tent-patch-1.svg")
    assert own.status_code == 200 and own.text == OWN_PICTURE


def help_for_leaking_seams(url: str) -> str:
    """A new shopper's walk through tent help to what to do about the tent's leaking seams."""
    with httpx.Client(base_url=url, follow_redirects=True) as phone:
        page = answer(phone, search(phone, start(phone, "tent-help"), second_variant_gtin()), SEAMS)
        return page.text


def test_a_saved_guides_file_reaches_the_next_shoppers_within_seconds(live_server: LiveServer, content: Path) -> None:
    assert "Karwendel UL 1: Nähte der Silikonbeschichtung" in help_for_leaking_seams(live_server.url)
    guides = json.loads((content / "guides.json").read_text(encoding="utf-8"))
    own = next(guide for guide in guides["guides"] if guide["id"] == "tent-silnylon-seams")
    own["title"]["de"] = "Karwendel UL 1: Silikonnähte, so geht es in der Filiale"
    save(content / "guides.json", json.dumps(guides, ensure_ascii=False))
    deadline = time.monotonic() + 15  # the server's housekeeping looks every 2 seconds
    while "so geht es in der Filiale" not in (page := help_for_leaking_seams(live_server.url)):
        assert time.monotonic() < deadline, page
        time.sleep(0.2)  # another process: nothing to wait on but its pages
