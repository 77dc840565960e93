"""`--config FILE` and `--db URL` before the command (`advisor --config FILE report`) are the command's own, for
every command that takes them; one given after the command wins. Both the core's `advisor` and the shell's (which
runs `advisor --config FILE` alone as the kiosk)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from advisor.cli import main as core_main
from advisor.db import make_engine, upgrade
from ui.cli import main as shell_main

Main = Callable[[Sequence[str] | None], int]


@pytest.fixture(autouse=True)
def no_usual_configuration(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ADVISOR_CONFIG", raising=False)
    monkeypatch.delenv("ADVISOR_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def _store(tmp_path: Path, store: str = "ham-01") -> tuple[Path, str]:
    """A configuration naming a store and a database of its own (its schema made): (the file, the URL)."""
    url = f"sqlite:///{tmp_path / f'{store}.sqlite3'}"
    upgrade(make_engine(url))
    path = tmp_path / f"{store}.toml"
    path.write_text(f'[store]\nid = "{store}"\n\n[database]\nurl = {json.dumps(url)}\n', encoding="utf-8")
    return path, url


@pytest.mark.parametrize("main", [core_main, shell_main], ids=["core", "shell"])
def test_config_before_the_command_is_the_commands(
    main: Main, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, _ = _store(tmp_path)
    out = tmp_path / "r.html"
    assert main(["--config", str(config), "report", "--lang", "de", "--out", str(out)]) == 0, capsys.readouterr()
    assert "Filiale ham-01" in out.read_text(encoding="utf-8")  # the configured store's report
    assert main([f"--config={config}", "report", "--format", "csv", "--out", str(tmp_path / "e.csv")]) == 0
    assert "of store ham-01 written" in capsys.readouterr().err


@pytest.mark.parametrize("main", [core_main, shell_main], ids=["core", "shell"])
def test_one_given_after_the_command_wins(main: Main, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config, _ = _store(tmp_path)
    missing = tmp_path / "missing.toml"
    out = tmp_path / "r.html"
    assert main(["--config", str(missing), "report", "--config", str(config), "--out", str(out)]) == 0
    assert "Filiale ham-01" in out.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["--config", str(config), "report", "--config", str(missing), "--out", str(out)]) == 2
    assert f"{missing}: the configuration file does not exist" in capsys.readouterr().err


@pytest.mark.parametrize("main", [core_main, shell_main], ids=["core", "shell"])
def test_db_before_a_command_and_its_action(main: Main, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    assert main(["--db", url, "db", "upgrade"]) == 0, capsys.readouterr()
    assert (tmp_path / "new.sqlite3").exists()
    capsys.readouterr()
    assert main(["--db", url, "catalog", "stats"]) == 0
    counted = int(capsys.readouterr().out.split(" products", 1)[0])
    with sqlite3.connect(tmp_path / "new.sqlite3") as connection:  # that database's products, not another's
        assert connection.execute("select count(*) from product").fetchone() == (counted,)
    assert not (tmp_path / "data").exists()  # no database of the user's made


@pytest.mark.parametrize("main", [core_main, shell_main], ids=["core", "shell"])
def test_a_command_without_the_option_refuses_it(
    main: Main, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, _ = _store(tmp_path)
    with pytest.raises(SystemExit) as stopped:
        main(["--config", str(config), "schema"])
    assert stopped.value.code == 2
    assert "--config is not an option of advisor schema" in capsys.readouterr().err


def test_help_after_config_is_the_commands_not_the_kiosks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config, _ = _store(tmp_path)
    with pytest.raises(SystemExit) as stopped:
        shell_main(["--config", str(config), "report", "--help"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.startswith("usage: advisor report")
