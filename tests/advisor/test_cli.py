"""The `advisor` command as a user runs it: real processes, exit codes and output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisor import __version__
from advisor.config import load_config
from advisor.handoff.staff import pin_matches
from advisor.paths import sample_catalog_dir
from tests.helpers.catalog import TENT, tent

ADVISOR = [sys.executable, "-c", "import sys; from ui.cli import main; sys.exit(main())"]


def advisor(*args: str, env_db: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if env_db:
        env["ADVISOR_DATABASE_URL"] = env_db
    return subprocess.run([*ADVISOR, *args], capture_output=True, text=True, env=env, timeout=120, check=False)


def test_help_lists_every_command() -> None:
    result = advisor("--help")
    assert result.returncode == 0
    for command in ("catalog", "db", "kiosk"):
        assert command in result.stdout
    catalog_help = advisor("catalog", "--help").stdout
    for action in ("import", "export", "stats", "generate"):
        assert action in catalog_help


def test_version() -> None:
    result = advisor("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"advisor {__version__}"


def test_unknown_command_is_a_usage_error() -> None:
    result = advisor("catalog", "frobnicate")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_first_start_loads_the_sample_catalog() -> None:
    result = advisor("catalog", "stats", "--format", "json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    advised = {"tents", "sleeping_bags", "backpacks", "rain_jackets"}
    assert set(stats["categories"]) == advised | {"care", "spare_parts"}  # and the care products and spare parts
    assert all(stats["categories"][category] >= 30 for category in advised)
    assert stats["products"] == sum(stats["categories"].values())


def test_import_reports_json_and_exit_codes(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert advisor("catalog", "load-sample", env_db=db).returncode == 0
    bad = tent(sku="NEW-2")
    bad["attributes"]["seasons"] = 7
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps([tent(sku="NEW-1"), bad, TENT | {"sku": "NEW-3"}]), encoding="utf-8")

    result = advisor("catalog", "import", str(path), "--format", "json", env_db=db)

    assert result.returncode == 1
    report = json.loads(result.stdout)
    missing = report.pop("missing")  # the sample's tents, which this file of tents does not contain
    assert {entry["category"] for entry in missing} == {"tents"}
    assert "NG-TENT-0001" in {entry["sku"] for entry in missing}
    assert not {"NEW-1", "NEW-2", "NEW-3"} & {entry["sku"] for entry in missing}
    assert report == {
        "imported": 2,
        "updated": 0,
        "rejected": [{"row": 2, "column": "attributes.seasons", "reason": "7 is outside 2 to 4"}],
    }
    clean = advisor("catalog", "import", str(path), "--format", "json", env_db=db)
    assert json.loads(clean.stdout)["updated"] == 2


def test_import_of_an_unusable_file_exits_2_and_says_where(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[{"sku": "A",}]', encoding="utf-8")
    result = advisor("catalog", "import", str(path), env_db=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert result.returncode == 2
    assert f"{path}:1:" in result.stderr
    assert "not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_database_is_a_clear_message(tmp_path: Path) -> None:
    result = advisor("catalog", "stats", env_db="postgresql://nobody:wrong@127.0.0.1:9/none")
    assert result.returncode == 2
    assert "cannot open the database" in result.stderr
    assert "Traceback" not in result.stderr


def test_generate_then_import_rejects_nothing(tmp_path: Path) -> None:
    out = tmp_path / "gen.csv"
    assert advisor("catalog", "generate", "--count", "200", "--seed", "3", "--out", str(out)).returncode == 0
    again = tmp_path / "again.csv"
    advisor("catalog", "generate", "--count", "200", "--seed", "3", "--out", str(again))
    assert out.read_bytes() == again.read_bytes()
    result = advisor("catalog", "import", str(out), "--format", "json", env_db=f"sqlite:///{tmp_path / 'g.sqlite3'}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["imported"] == 200


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_round_trips(tmp_path: Path, fmt: str) -> None:
    db = f"sqlite:///{tmp_path / 'e.sqlite3'}"
    out = tmp_path / f"export.{fmt}"
    assert advisor("catalog", "export", "--format", fmt, "--out", str(out), env_db=db).returncode == 0
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    advisor("catalog", "load-sample", env_db=other)
    result = advisor("catalog", "import", str(out), "--format", "json", env_db=other)
    assert result.returncode == 0, result.stdout
    sample = json.loads((sample_catalog_dir() / "products.json").read_text(encoding="utf-8"))
    assert json.loads(result.stdout)["updated"] == len(sample)


def test_an_output_file_in_a_missing_folder_is_written_and_a_folder_is_refused_plainly(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'o.sqlite3'}"
    into = tmp_path / "Auswertung Dezember" / "katalog.xlsx"
    result = advisor("catalog", "export", "--format", "xlsx", "--out", str(into), env_db=db)
    assert result.returncode == 0, result.stderr
    assert into.stat().st_size > 0, "the folder was made and the workbook written"
    schema = tmp_path / "neu" / "schema.json"
    assert advisor("schema", "--out", str(schema)).returncode == 0 and json.loads(schema.read_text())

    folder = advisor("report", "--out", str(tmp_path), env_db=db)
    assert folder.returncode == 2
    assert f"{tmp_path} is a folder: name a file in it" in folder.stderr
    assert "Traceback" not in folder.stderr

    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder", encoding="utf-8")
    refused = advisor("catalog", "export", "--format", "csv", "--out", str(a_file / "x.csv"), env_db=db)
    assert refused.returncode == 2 and "cannot write or read" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr


def test_set_pin_refuses_a_named_configuration_file_that_does_not_exist_and_writes_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "etc" / "nonexist.toml"
    result = advisor("set-pin", "--pin", "2468", "--config", str(missing))
    assert result.returncode == 2
    assert result.stderr == f"advisor: {missing}: the configuration file does not exist (nothing written)\n"
    assert not missing.exists() and not missing.parent.exists()


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_set_pin_takes_a_configuration_file_with_a_byte_order_mark_and_keeps_it(tmp_path: Path, newline: str) -> None:
    config = tmp_path / "config.toml"
    before = f"[kiosk]{newline}idle_timeout_seconds = 60   # the store's own{newline}".encode()
    config.write_bytes(b"\xef\xbb\xbf" + before)
    result = advisor("set-pin", "--pin", "2468", "--config", str(config))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert result.stdout == f"exit PIN set in {config}\n"
    after = config.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf" + before), "the mark, the comment and the line endings stay"
    assert after.count(b"\n") == after.count(newline.encode()), "new lines end as the file's own"
    loaded = load_config(config)
    assert loaded.kiosk.idle_timeout_seconds == 60
    assert pin_matches("2468", loaded.staff.exit_pin_hash)


def test_set_pin_leaves_a_configuration_file_with_a_mistake_as_it_is(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[store\n", encoding="utf-8")
    result = advisor("set-pin", "--pin", "2468", "--config", str(config))
    assert result.returncode == 2 and result.stderr.startswith(f"advisor: {config}: line 1"), result.stderr
    assert "Traceback" not in result.stderr
    assert config.read_text(encoding="utf-8") == "[store\n"
