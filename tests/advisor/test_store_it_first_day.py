"""Store IT's first day with docs/deploying.md: what the commands say when a PIN is mistyped, when the sample
catalog is loaded, when a name is looked up in privacy requests."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.cli import main
from advisor.config import load_config
from advisor.handoff.staff import pin_matches


@pytest.fixture(autouse=True)
def no_usual_configuration(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ADVISOR_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


def typed(monkeypatch: pytest.MonkeyPatch, *answers: str) -> list[str]:
    """The hidden prompts answer `answers` in turn; the prompts asked are returned."""
    prompts: list[str] = []
    left: Iterator[str] = iter(answers)

    def ask(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(left)

    monkeypatch.setattr(getpass, "getpass", ask)
    return prompts


def test_set_pin_asks_twice_and_a_typo_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[kiosk]\nidle_timeout_seconds = 60\n", encoding="utf-8")
    prompts = typed(monkeypatch, "2468", "2486")
    assert main(["set-pin", "--config", str(config)]) == 2
    assert prompts == ["Exit PIN for the kiosk: ", "Exit PIN again: "]
    assert capsys.readouterr().err == "advisor: the two PINs differ: nothing stored; run the command again\n"
    assert config.read_text(encoding="utf-8") == "[kiosk]\nidle_timeout_seconds = 60\n"

    typed(monkeypatch, "2468", "2468")
    assert main(["set-pin", "--config", str(config)]) == 0
    assert pin_matches("2468", load_config(config).staff.exit_pin_hash)


def test_staff_pin_asks_twice_and_a_typo_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    prompts = typed(monkeypatch, "1357", "1375")
    assert main(["staff-pin", "Anna", "--db", db]) == 2
    assert prompts == ["PIN for Anna: ", "PIN for Anna again: "]
    captured = capsys.readouterr()
    assert captured.err == "advisor: the two PINs differ: nothing stored; run the command again\n"
    assert captured.out == ""
    assert not (tmp_path / "store.sqlite3").exists()

    typed(monkeypatch, "1357", "1357")
    assert main(["staff-pin", "Anna", "--db", db]) == 0
    assert capsys.readouterr().out.startswith("PIN set for Anna in ")


def test_a_command_that_loads_the_sample_catalog_says_so_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "store.sqlite3"
    assert main(["catalog", "stats", "--db", f"sqlite:///{file}"]) == 0
    assert capsys.readouterr().err == (
        f"advisor: loaded the sample catalog into sqlite:///{file} (the database had no products); "
        "import your own with advisor catalog import\n"
    )
    assert main(["catalog", "stats", "--db", f"sqlite:///{file}"]) == 0  # loaded: nothing to say
    assert capsys.readouterr().err == ""


def test_privacy_find_by_a_name_quotes_it_and_says_names_are_not_searched(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["privacy", "find", "Kim"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("advisor: 'Kim' is neither a resume code (a code has 8 characters, not 3)"), err
    assert err.rstrip().endswith("names are not searched: find by code, e-mail or phone"), err
    assert main(["privacy", "find", "kim@example.com", "Kim"]) == 2  # among several: which one
    assert capsys.readouterr().err.startswith("advisor: identifier 2 ('Kim') is neither a resume code")
