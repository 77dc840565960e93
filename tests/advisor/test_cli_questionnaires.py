"""`advisor check`, `recommend`, `migrate` and `schema` as a merchandiser runs them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from advisor.paths import questionnaires_dir
from tests.advisor.test_cli import advisor

TENT = questionnaires_dir() / "tent-finder.yaml"


def test_check_passes_the_shipped_files(tmp_path: Path) -> None:
    result = advisor("check", "--format", "json", env_db=f"sqlite:///{tmp_path / 'c.sqlite3'}")
    assert result.returncode == 0, result.stdout + result.stderr
    findings = json.loads(result.stdout)
    assert all(f["severity"] == "warning" for f in findings)
    assert {"file", "line", "column", "code", "severity", "message"} <= set(findings[0])


def test_check_names_file_line_and_column_of_a_mistake(tmp_path: Path) -> None:
    broken = tmp_path / "tent-finder.yaml"
    text = TENT.read_text(encoding="utf-8")
    line_number = next(i for i, line in enumerate(text.splitlines(), start=1) if "capacity >= persons" in line)
    column = text.splitlines()[line_number - 1].index("capacity >= persons") + 1
    broken.write_text(text.replace("capacity >= persons", "capacty >= persons", 1), encoding="utf-8")
    result = advisor("check", str(broken), env_db=f"sqlite:///{tmp_path / 'c.sqlite3'}")
    assert result.returncode == 1
    assert (
        f"{broken}:{line_number}:{column}: Q008 error: 'capacty' is not a step or a product attribute" in result.stdout
    )
    assert "did you mean 'capacity'?" in result.stdout


def test_check_json_says_where_a_finding_ends_and_how_to_fix_it(tmp_path: Path) -> None:
    broken = tmp_path / "tent-finder.yaml"
    text = TENT.read_text(encoding="utf-8").replace("capacity >= persons", "capacty >= persons", 1)
    broken.write_text(text, encoding="utf-8")
    result = advisor("check", str(broken), "--format", "json", env_db=f"sqlite:///{tmp_path / 'c.sqlite3'}")
    assert result.returncode == 1
    (typo,) = [f for f in json.loads(result.stdout) if f["code"] == "Q008"]
    assert typo["end_line"] == typo["line"] and typo["end_column"] == typo["column"] + len("capacty")
    (fix,) = typo["fixes"]
    assert (fix["title"], fix["replacement"]) == ("Change to 'capacity'", "capacity")
    assert (fix["line"], fix["column"], fix["end_line"], fix["end_column"]) == (
        typo["line"], typo["column"], typo["line"], typo["end_column"]
    )  # fmt: skip


def test_check_usage_errors_exit_2(tmp_path: Path) -> None:
    assert advisor("check", "--format", "xml", str(TENT)).returncode == 2


def test_check_reports_a_missing_file_at_0_0_and_checks_the_rest(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    result = advisor("check", str(TENT), str(missing), env_db=f"sqlite:///{tmp_path / 'c.sqlite3'}")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{missing}:0:0: Q001 error: cannot read the file: No such file or directory" in result.stdout
    assert "2 file(s) checked: 1 error(s)" in result.stdout  # the good file was checked too


def test_recommend_prints_products_reasons_relaxations_and_why_not(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    result = advisor(
        "recommend", str(TENT), "--answer", "region=mild", "--answer", "trip=trekking", "--answer", "persons=2",
        "--lang", "en", "--format", "json", "--why-not", "NG-TENT-0030", env_db=db,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["count"] > 0
    first = output["products"][0]
    assert {"sku", "name", "score", "reasons", "tradeoffs"} <= set(first)
    assert first["reasons"]
    assert isinstance(output["relaxations"], list)
    assert isinstance(output["critiques"], list)
    assert output["why_not"]["sku"] == "NG-TENT-0030"


def test_recommend_as_text_writes_prices_as_its_language_does(tmp_path: Path) -> None:
    """German text output says "29,95 €" beside "0,92 kg", English "€29.95": never "29.95 €" in German."""
    db = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    for lang, pattern in (("de", r"\(\d+,\d\d €, Punktzahl"), ("en", r"\(€\d+\.\d\d, score")):
        result = advisor("recommend", str(TENT), "--answer", "persons=2", "--lang", lang, env_db=db)
        assert result.returncode == 0, result.stderr
        listed = [line for line in result.stdout.splitlines() if line[:1].isdigit() and ". " in line]
        assert listed and all(re.search(pattern, line) for line in listed), result.stdout


def test_recommend_as_text_says_how_many_fit_and_the_score_in_its_language(tmp_path: Path) -> None:
    """Before: "6 products fit" and "score 0.9038" in English amid German reasons."""
    db = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    answers = ("--answer", "region=mild", "--answer", "trip=festival", "--answer", "persons=2")
    german = advisor("recommend", str(TENT), *answers, "--lang", "de", env_db=db)
    assert german.returncode == 0, german.stderr
    headline, first = german.stdout.splitlines()[:2]
    assert headline == "6 Zelte passen"
    assert re.fullmatch(r"1\. NG-TENT-\d+ .+ \(\d+,\d\d €, Punktzahl (1|0,\d+)\)", first), first
    english = advisor("recommend", str(TENT), *answers, "--lang", "en", env_db=db)
    headline, first = english.stdout.splitlines()[:2]
    assert headline == "6 tents fit"
    assert re.fullmatch(r"1\. NG-TENT-\d+ .+ \(€\d+\.\d\d, score (1|0\.\d+)\)", first), first


def test_recommend_refuses_an_unknown_step(tmp_path: Path) -> None:
    result = advisor("recommend", str(TENT), "--answer", "colour=red", env_db=f"sqlite:///{tmp_path / 'r.sqlite3'}")
    assert result.returncode == 2
    assert "STEP=VALUE" in result.stderr


def test_migrate_rewrites_an_old_file_keeping_comments(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    text = TENT.read_text(encoding="utf-8").replace("format_version: 2", "format_version: 1  # the old one", 1)
    text = text.replace("kind: single", "type: choice").replace("kind: multiple", "type: multi")
    old.write_text("# Pflegehinweis: bitte nicht löschen\n" + text, encoding="utf-8")
    result = advisor("migrate", str(old))
    assert result.returncode == 0, result.stderr
    migrated = old.read_text(encoding="utf-8")
    assert "# Pflegehinweis: bitte nicht löschen" in migrated
    assert "format_version: 2" in migrated
    assert "type: choice" not in migrated
    assert "kind: single" in migrated
    assert advisor("check", str(old), env_db=f"sqlite:///{tmp_path / 'm.sqlite3'}").returncode == 0


def test_migrate_keeps_the_schema_line_first_and_windows_line_endings(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    text = TENT.read_text(encoding="utf-8").replace("format_version: 2", "format_version: 1", 1)
    text = text.replace("kind: single", "type: choice")
    old.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    assert advisor("migrate", str(old)).returncode == 0
    migrated = old.read_bytes().decode("utf-8")
    assert migrated.splitlines()[0] == "# yaml-language-server: $schema=questionnaire.schema.json"
    assert "kind: single" in migrated
    assert migrated.count("\r\n") == migrated.count("\n") == text.count("\n")


def test_migrate_refuses_format_version_0_in_one_line_with_where(tmp_path: Path) -> None:
    """Before: a traceback (KeyError: 0)."""
    old = tmp_path / "old.yaml"
    text = TENT.read_text(encoding="utf-8").replace("format_version: 2", "format_version: 0", 1)
    old.write_text(text, encoding="utf-8")
    result = advisor("migrate", str(old))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"advisor: {old}:2:17: Q004 error: format_version 0 is unknown: this app reads format versions 1 to 2; "
        "write the version the file is written in: 1 (steps with type and text) or 2 (kind and question); the file "
        "is checked as version 2"
    ]
    assert old.read_text(encoding="utf-8") == text


def test_migrate_and_check_agree_on_a_quoted_format_version(tmp_path: Path) -> None:
    """Before: check asked for 2 and found 38 errors, migrate said "already at format_version 2" and exited 0."""
    old = tmp_path / "old.yaml"
    text = TENT.read_text(encoding="utf-8").replace("format_version: 2", 'format_version: "1"', 1)
    old.write_text(text.replace("kind: single", "type: choice").replace("kind: multiple", "type: multi"), "utf-8")
    told = f"{old}:2:17: Q004 error: format_version is the text '1' (in quotes), not a number; write format_version: 1"
    migrated = advisor("migrate", str(old))
    assert migrated.returncode == 2
    assert migrated.stderr.startswith(f"advisor: {told} without quotes")
    assert "already" not in migrated.stdout
    checked = advisor("check", str(old), env_db=f"sqlite:///{tmp_path / 'm.sqlite3'}")
    assert checked.returncode == 1
    assert [line for line in checked.stdout.splitlines() if " error: " in line] == [
        told + " without quotes (the file is checked as version 1)"
    ]


def test_migrate_says_a_yaml_slip_as_check_does(tmp_path: Path) -> None:
    """Before: check said line 241 "this key has no ':' after it", migrate line 242 "YAML syntax: could not find"."""
    broken = tmp_path / "tent-finder.yaml"
    broken.write_text(TENT.read_text(encoding="utf-8").replace("max: 210", "max 210", 1), encoding="utf-8")
    checked = advisor("check", str(broken), env_db=f"sqlite:///{tmp_path / 'm.sqlite3'}")
    (said,) = [line for line in checked.stdout.splitlines() if " Q001 " in line]
    assert said.endswith("Q001 error: 'max' needs a ':' after it (write max: ...)")
    migrated = advisor("migrate", str(broken))
    assert migrated.returncode == 2
    assert migrated.stderr.splitlines() == [f"advisor: {said}"]


def test_schema_is_draft_07(tmp_path: Path) -> None:
    result = advisor("schema")
    assert json.loads(result.stdout)["$schema"] == "http://json-schema.org/draft-07/schema#"


def test_recommend_json_has_no_invisible_word_joiners_for_other_programs(tmp_path: Path) -> None:
    """A screen keeps "15.000 g/m²/24h" on one line with word joiners after the slashes; a program reading the JSON
    gets the unit as written (a no-break space after the number stays)."""
    jackets = questionnaires_dir() / "rain-jacket-finder.yaml"
    answers = ("activity=hiking", "rain=persistent", "sweat=intense", "cut=women", "budget=400")
    result = advisor("recommend", str(jackets), *(part for a in answers for part in ("--answer", a)), "--format",
                     "json", env_db=f"sqlite:///{tmp_path / 'j.sqlite3'}")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "\u2060" not in result.stdout
    texts = [text for product in json.loads(result.stdout)["products"] for text in product["reasons"]]
    assert any("\u00a0g/m²/24h" in text for text in texts), texts
