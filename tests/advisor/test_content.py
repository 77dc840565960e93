"""The merchandisers' own content folder ([content] in the configuration): what the surfaces and `advisor check` read
instead of the shipped questionnaires, guides and size charts."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.config import load_config, use_configured_content
from advisor.content import load_data_files, refresh_data_files
from advisor.paths import questionnaires_dir, sample_catalog_dir
from advisor.questionnaire.datafile import KeptFile
from advisor.questionnaire.findings import ERROR, Finding
from advisor.questionnaire.library import LibraryWatch, load_library
from advisor.recommend.sizes import size_charts_in_use
from advisor.service.guides import guides_in_use
from tests.advisor.test_cli import advisor

SHIPPED_QUESTIONNAIRES = questionnaires_dir()
SAMPLE = sample_catalog_dir()


def content_folder(root: Path) -> Path:
    """A store's content: one finder of its own (the tent finder under another title), guides and size charts of
    its own (the shipped ones with one title changed), with the guides' pictures beside them."""
    content = root / "inhalt"
    (content / "fragen").mkdir(parents=True)
    tent = (SHIPPED_QUESTIONNAIRES / "tent-finder.yaml").read_text(encoding="utf-8")
    own = tent.replace("id: tent-finder", "id: store-tents", 1)
    assert own != tent
    (content / "fragen" / "store-tents.yaml").write_text(own, encoding="utf-8")
    guides = json.loads((SAMPLE / "guides.json").read_text(encoding="utf-8"))
    guides["guides"][0]["title"]["de"] = "Nähte abdichten wie in der Filiale"
    (content / "guides.json").write_text(json.dumps(guides, ensure_ascii=False, indent=2), encoding="utf-8")
    shutil.copytree(SAMPLE / "images" / "guides", content / "images" / "guides")
    charts = json.loads((SAMPLE / "size_charts.json").read_text(encoding="utf-8"))
    charts["charts"] = charts["charts"][:1]
    (content / "size_charts.json").write_text(json.dumps(charts, ensure_ascii=False, indent=2), encoding="utf-8")
    return content


def config_naming(content: Path) -> Path:
    config = content.parent / "config.toml"
    config.write_text(
        '[content]\nquestionnaires = "inhalt/fragen"\nguides = "inhalt/guides.json"\n'
        'size_charts = "inhalt/size_charts.json"\n',
        encoding="utf-8",
    )
    return config


def test_a_process_reads_the_configured_content_instead_of_the_shipped(tmp_path: Path) -> None:
    content = content_folder(tmp_path)
    shipped_guides, shipped_charts = guides_in_use(), size_charts_in_use()
    use_configured_content(load_config(config_naming(content)))
    assert questionnaires_dir() == content / "fragen"
    assert set(load_library().questionnaires) == {"store-tents"}
    assert set(LibraryWatch(every=0).questionnaires()) == {"store-tents"}  # what the web companion offers
    guides = guides_in_use()
    assert guides.file == str(content / "guides.json") and guides.findings == ()
    assert next(iter(guides.by_id.values())).title["de"] == "Nähte abdichten wie in der Filiale"
    assert size_charts_in_use().file == str(content / "size_charts.json")
    assert len(size_charts_in_use().by_id) == 1 < len(shipped_charts.by_id)
    assert guides_in_use() is guides  # read once
    assert shipped_guides.file == str(SAMPLE / "guides.json")


def test_check_without_paths_checks_the_configured_files(tmp_path: Path) -> None:
    content = content_folder(tmp_path)
    finder = content / "fragen" / "store-tents.yaml"
    finder.write_text(finder.read_text(encoding="utf-8").replace("capacity >= persons", "capacty >= persons", 1))
    (content / "images" / "guides" / "tent-patch-1.svg").unlink()
    config = config_naming(content)
    result = advisor("check", "--config", str(config), env_db=f"sqlite:///{tmp_path / 'c.sqlite3'}")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{finder}:" in result.stdout and "Q008 error: 'capacty' is not a step" in result.stdout
    assert f"{content / 'guides.json'}:" in result.stdout
    assert "G001 error: guide 'tent-patch', step 1: the image images/guides/tent-patch-1.svg is not there" in (
        result.stdout
    )
    assert str(SHIPPED_QUESTIONNAIRES) not in result.stdout and str(SAMPLE) not in result.stdout
    assert result.stdout.rstrip().endswith("3 file(s) checked: 2 error(s), 0 warning(s)"), result.stdout


def test_a_content_folder_that_is_not_there_stops_check_with_the_place(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[content]\nquestionnaires = "fragen"\n', encoding="utf-8")
    result = advisor("check", "--config", str(config))
    assert result.returncode == 2
    assert result.stderr == (
        f'advisor: {config}: [content] questionnaires: "fragen" does not exist (looked for the folder '
        f"{tmp_path / 'fragen'})\n"
    )


def test_content_init_copies_the_shipped_files_and_says_what_to_configure(tmp_path: Path) -> None:
    target = tmp_path / "Inhalt Filiale"
    result = advisor("content", "init", str(target))
    assert result.returncode == 0, result.stderr
    finders = sorted(path.name for path in SHIPPED_QUESTIONNAIRES.glob("*.yaml"))
    assert sorted(path.name for path in (target / "questionnaires").glob("*.yaml")) == finders
    assert (target / "questionnaires" / "questionnaire.schema.json").is_file()  # for the editors' modeline
    assert (target / "guides.json").read_bytes() == (SAMPLE / "guides.json").read_bytes()
    pictures = sorted(path.name for path in (SAMPLE / "images" / "guides").iterdir())
    assert sorted(path.name for path in (target / "images" / "guides").iterdir()) == pictures
    block = result.stdout[result.stdout.index("[content]") :]
    config = tmp_path / "config.toml"
    config.write_text(block, encoding="utf-8")  # the printed lines, as the merchandiser pastes them
    assert load_config(config).content.questionnaires == target / "questionnaires"
    checked = advisor("check", "--config", str(config), env_db=f"sqlite:///{tmp_path / 'c.sqlite3'}")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert str(target / "questionnaires" / "tent-finder.yaml") in checked.stdout  # the copies, not the shipped
    assert f"{len(finders) + 2} file(s) checked: 0 error(s)" in checked.stdout


def test_check_takes_a_content_folder_as_its_questionnaires_guides_and_size_charts(tmp_path: Path) -> None:
    """The command `content init` prints checks the folder before any configuration names it; a guides file named
    is checked as guides, and a folder without questionnaires is no silent success."""
    target = tmp_path / "Inhalt Filiale"
    made = advisor("content", "init", str(target))
    told = next(line for line in made.stdout.splitlines() if "advisor check" in line)
    assert f"advisor check '{target}'" in told
    finders = sorted(SHIPPED_QUESTIONNAIRES.glob("*.yaml"))
    db = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    guides = target / "guides.json"
    guides.write_text(guides.read_text(encoding="utf-8").replace('"steps"', '"stepz"', 1), encoding="utf-8")

    checked = advisor("check", str(target), env_db=db)
    assert str(target / "questionnaires" / "tent-finder.yaml") in checked.stdout
    assert f"{len(finders) + 2} file(s) checked" in checked.stdout
    assert str(guides) in checked.stdout and checked.returncode == 1  # the folder's own guides, broken

    alone = advisor("check", str(guides), env_db=db)
    assert "1 file(s) checked" in alone.stdout and "Q003" not in alone.stdout and str(guides) in alone.stdout

    (tmp_path / "leer").mkdir()
    empty = advisor("check", str(tmp_path / "leer"), env_db=db)
    assert empty.returncode == 2
    assert empty.stderr.strip() == f"advisor: {tmp_path / 'leer'}: no questionnaire files (.yaml) in this folder"


def test_content_init_never_writes_into_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = advisor("content", "init", str(tmp_path))
    assert result.returncode == 2
    assert (
        result.stderr == f"advisor: {tmp_path} is not an empty folder: nothing copied (name a new or an empty folder)\n"
    )
    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]


# -- saved guides and size charts -----------------------------------------------------------------------------------


SAVES = itertools.count(time.time_ns(), 1_000_000)  # one millisecond apart: the file system's clock may be coarse


def save(path: Path, text: str) -> None:
    """Save as an editor does, a moment after the last save."""
    path.write_text(text, encoding="utf-8")
    moment = next(SAVES)
    os.utime(path, ns=(moment, moment))


def test_a_saved_guides_file_is_taken_in_and_a_broken_save_keeps_the_last_good_one(tmp_path: Path) -> None:
    content = content_folder(tmp_path)
    use_configured_content(load_config(config_naming(content)))
    load_data_files()  # as each surface does at its start
    first = guides_in_use()
    assert refresh_data_files() == [] and guides_in_use() is first  # nothing saved: nothing read
    guides = json.loads((content / "guides.json").read_text(encoding="utf-8"))
    guides["guides"][0]["title"]["de"] = "Nähte abdichten, neu geschrieben"
    save(content / "guides.json", json.dumps(guides, ensure_ascii=False))
    assert refresh_data_files() == []
    assert next(iter(guides_in_use().by_id.values())).title["de"] == "Nähte abdichten, neu geschrieben"
    good = guides_in_use()
    save(content / "guides.json", '{"format_version": 1, "guides": [')
    (broken,) = refresh_data_files()
    assert broken.file == str(content / "guides.json") and broken.code == "Q001" and "not valid JSON" in broken.message
    assert guides_in_use() is good, "a broken save is not used"
    assert refresh_data_files() == [], "a broken save is named once"
    (content / "size_charts.json").unlink()
    (gone,) = refresh_data_files()
    assert gone.file == str(content / "size_charts.json") and "cannot read the size charts file" in gone.message
    assert len(size_charts_in_use().by_id) == 1, "the last good charts stay"


class Version:
    """A data file's version as `KeptFile` loads it: its text; a text starting with '!' is a broken save."""

    def __init__(self, path: Path) -> None:
        self.text = path.read_text(encoding="utf-8") if path.exists() else None
        broken = self.text is None or self.text.startswith("!")
        self.findings = (Finding(str(path), 1, 1, "Q001", ERROR, "broken"),) if broken else ()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["refresh", "get", "delete"]), st.tuples(st.booleans(), st.integers(0, 9)))))
def test_kept_files_use_the_last_good_version_taken_in(steps: list[object]) -> None:
    """Any run of saves (good or broken), deletions, looks and uses: what is in use is the file as first read, or
    the last good version a look found; a look names a broken version once."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "guides.json"
        save(path, "v-first")
        kept: KeptFile[Version] = KeptFile(Version)
        in_use = kept.get(path).text
        named: set[object] = set()
        for number, step in enumerate(steps):
            if step == "get":
                assert kept.get(path).text == in_use
            elif step == "delete":
                path.unlink(missing_ok=True)
            elif step == "refresh":
                found = kept.refresh(path)
                text = path.read_text(encoding="utf-8") if path.exists() else None
                broken = text is None or text.startswith("!")
                if not broken:
                    in_use = text
                    assert found == ()
                else:
                    assert len(found) <= 1
                    assert not (found and text in named), "a broken version is named once"
                    named.add(text)
                assert kept.get(path).text == in_use
            else:
                assert isinstance(step, tuple)
                is_broken, variant = step
                save(path, f"{'!' if is_broken else 'v'}-{variant}-{number}")
