"""`advisor screenshots DIR --questionnaire ID|FILE`: a merchandiser renders the screens of their own finder, with
the questionnaires and the catalog of their configuration, and a mistake is said in a line, not a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from advisor.paths import shipped_questionnaires_dir
from advisor.questionnaire.load import load_file
from ui.cli import main
from ui.screenshots import walk_answer
from ui.session import KioskSession

SHIPPED_BACKPACKS = shipped_questionnaires_dir() / "backpack-finder.yaml"
NOBODY = """      - id: giant
        label: {de: "Ein Riese", en: "A giant"}
        require:
          - expr: price < 0
            label: {de: "geschenkt", en: "free"}
"""


def own_finder(folder: Path, name: str = "filial-rucksack") -> Path:
    """A store's own finder: the shipped backpack finder under another id and title, without examples, whose first
    answer to the first question fits no product."""
    text = SHIPPED_BACKPACKS.read_text(encoding="utf-8")
    text = text.replace("id: backpack-finder", f"id: {name}", 1)
    text = text.replace('title: {de: "Rucksackberater"', 'title: {de: "Rucksäcke der Filiale"', 1)
    text = text.replace("      - id: women\n", NOBODY + "      - id: women\n", 1)
    text = text[: text.index("\nexamples:")] + "\n"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def store(root: Path) -> tuple[Path, Path]:
    """A store's configuration: its content folder with its own finder, and its database."""
    own_finder(root / "inhalt" / "fragen")
    database = root / "laden.sqlite3"
    config = root / "config.toml"
    config.write_text(f'[content]\nquestionnaires = "inhalt/fragen"\n\n[database]\nurl = "sqlite:///{database}"\n',
                      encoding="utf-8")  # fmt: skip
    return config, database


def shots(*args: str) -> int:
    return main(["screenshots", *args])


@pytest.mark.slow
def test_a_merchandiser_renders_the_screens_of_their_own_finder(
    qapp: object, tmp_path: Path, isolated_data_dir: Path
) -> None:
    config, database = store(tmp_path / "laden")
    out = tmp_path / "bilder"
    assert shots(str(out), "--questionnaire", "filial-rucksack", "--config", str(config)) == 0
    names = sorted(path.name for path in out.glob("*.png"))
    steps = [name.split("-question-")[1][:-4] for name in names if "-question-" in name]
    own = load_file(tmp_path / "laden" / "inhalt" / "fragen" / "filial-rucksack.yaml").questionnaire
    assert own is not None
    assert steps and set(steps) <= set(own.step_ids), "the questions are the store's finder's"
    shown = {name.split("-", 1)[1] for name in names}
    # Compare and detail are rendered only when the results have products: the giant, which fits none, was passed over.
    assert {"choose.png", "results.png", "compare.png", "detail.png"} <= shown
    assert database.exists(), "the catalog came from the configuration's database"
    assert not (isolated_data_dir / "advisor.sqlite3").exists(), "not from the user data folder's"
    with sqlite3.connect(database) as connection:  # its sample staff member and shared advice: not in the store's
        assert connection.execute("SELECT count(*) FROM staff_member").fetchone() == (0,)
        assert connection.execute("SELECT count(*) FROM advice_session").fetchone() == (0,)


@pytest.mark.slow
def test_a_draft_file_is_walked_and_replaces_its_version_on_the_choice(qapp: object, tmp_path: Path) -> None:
    config, _ = store(tmp_path / "laden")
    draft = own_finder(tmp_path / "entwurf", "rucksack-entwurf")
    out = tmp_path / "bilder"
    assert shots(str(out), "--questionnaire", str(draft), "--config", str(config), "--lang", "en") == 0
    assert any(path.name.endswith("-question-who.png") for path in out.glob("*.png"))
    assert any(path.name.endswith("-results.png") for path in out.glob("*.png"))


def test_an_unknown_id_names_the_finders_there_are(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config, _ = store(tmp_path / "laden")
    assert shots(str(tmp_path / "bilder"), "--questionnaire", "filial", "--config", str(config)) == 2
    said = capsys.readouterr().err
    assert "filial-rucksack" in said and "Traceback" not in said
    assert not (tmp_path / "bilder").exists()


def test_a_file_with_errors_says_to_run_advisor_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config, _ = store(tmp_path / "laden")
    draft = own_finder(tmp_path / "entwurf")
    draft.write_text(draft.read_text(encoding="utf-8").replace("fit ==", "fitt ==", 1), encoding="utf-8")
    assert shots(str(tmp_path / "bilder"), "--questionnaire", str(draft), "--config", str(config)) == 2
    said = capsys.readouterr().err
    assert f"advisor check {draft}" in said and "fitt" in said and "Traceback" not in said
    assert not (tmp_path / "bilder").exists()


def test_the_walk_takes_the_example_answer_else_the_first_that_leaves_products(
    session: KioskSession, tmp_path: Path
) -> None:
    own = load_file(own_finder(tmp_path)).questionnaire
    assert own is not None
    session.set_questionnaires({**session.questionnaires, own.id: own})
    session.start(own.id)
    who = own.step("who")
    assert walk_answer(session, who) == "women", "the giant fits no product: passed over"
    assert walk_answer(session, who, "kids") == "kids", "the author's example answer"
    assert walk_answer(session, who, "nobody") == "women", "an example answer that is no option: passed over"
    extras = own.step("extras")
    assert walk_answer(session, extras, ["hydration"]) == ("hydration",), "a list in the file: the options ticked"
    assert walk_answer(session, extras, "dont_care") == "dont_care"
