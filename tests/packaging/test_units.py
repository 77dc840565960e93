"""The systemd units and desktop launchers in packaging/linux, and what docs/deploying.md tells store IT about them:
the kiosk cannot be left for a text console, every program reads the store's configuration, and every user a unit
runs as is one the guide creates."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
GUIDE = ROOT / "docs" / "deploying.md"
CONFIG = "/etc/nordgrat-advisor/config.toml"
PROGRAM = "/opt/advisor/advisor"


def _values(path: Path, key: str) -> list[str]:
    """Every `key=value` line's value (comments skipped)."""
    return [
        line.partition("=")[2].strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.partition("=")[0].strip() == key and not line.lstrip().startswith("#")
    ]


def _guide_commands() -> str:
    """The shell blocks of the guide, continued lines joined."""
    blocks = re.findall(r"```sh\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.DOTALL)
    return "\n".join(blocks).replace("\\\n", " ")


def test_the_kiosk_runs_cage_without_s_so_no_key_switches_to_a_text_console() -> None:
    unit = LINUX / "advisor-kiosk.service"
    (start,) = _values(unit, "ExecStart")
    words = shlex.split(start)
    cage_options = words[1 : words.index("--")]
    assert words[0] == "/usr/bin/cage" and cage_options == ["-d"], start
    text = unit.read_text(encoding="utf-8")
    assert "-s: no VT switching" not in text, "-s allows VT switching in cage: the comment must not say otherwise"
    assert "(`-s`) no switching" not in GUIDE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "key"),
    [(path.name, "ExecStart") for path in sorted(LINUX.glob("*.service"))]
    + [(path.name, "Exec") for path in sorted(LINUX.glob("*.desktop"))],
)
def test_every_unit_and_launcher_runs_the_program_with_the_stores_configuration(file: str, key: str) -> None:
    (command,) = _values(LINUX / file, key)
    words = shlex.split(command)
    after_program = words[words.index(PROGRAM) + 1 :]
    assert "--config" in after_program, f"{file} would open a new local SQLite database: {command}"
    assert after_program[after_program.index("--config") + 1] == CONFIG, command


@pytest.mark.parametrize("file", [path.name for path in sorted(LINUX.glob("*.service"))])
def test_every_user_a_unit_runs_as_is_created_by_the_guide(file: str) -> None:
    (user,) = _values(LINUX / file, "User")
    commands = _guide_commands()
    created = re.findall(r"sudo useradd [^\n]*?(\w+)\s*(?:#|$)", commands, flags=re.MULTILINE)
    assert user in created, f"{file} runs as {user}; the guide creates {created}"


def test_the_nightly_purge_runs_as_the_user_every_machine_gets() -> None:
    (user,) = _values(LINUX / "advisor-purge.service", "User")
    assert user == "advisor", "not kiosk: a database or web host has no kiosk user"
    (web_user,) = _values(LINUX / "advisor-web.service", "User")
    assert web_user == user


def test_the_web_companion_started_while_its_database_is_down_keeps_trying_until_it_is_back() -> None:
    unit = LINUX / "advisor-web.service"
    assert _values(unit, "Restart") == ["on-failure"]
    assert _values(unit, "StartLimitIntervalSec") == ["0"], "systemd would give up after five starts in ten seconds"
