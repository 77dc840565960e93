"""What the command line refuses rather than guesses (store IT's QA walk): a number out of range, a blank or an
in-memory database, an address the server cannot listen on, a folder where a file belongs. Each is one line, in
the words of the configuration's check of the same setting where it has one, exit code 2, before anything runs."""

from __future__ import annotations

import argparse
import json
import socket
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from advisor.cli import PORTS, WORKERS, build_parser, main
from advisor.config import WebConfig
from advisor.paths import sample_catalog_dir


@pytest.fixture(autouse=True)
def no_usual_configuration(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No ADVISOR_CONFIG, and the usual configuration file is in an empty folder of this test's own."""
    monkeypatch.delenv("ADVISOR_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    assert lines[0].startswith("advisor: "), stderr
    return lines[0]


def _usage_error(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """The parser's error for the arguments (exit 2, nothing run): its last line."""
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(arguments)
    assert exited.value.code == 2
    return capsys.readouterr().err.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--workers", "65", "argument --workers: must be at most 64 (got 65)"),
        ("--workers", "0", "argument --workers: must be at least 1 (got 0)"),
        ("--workers", "two", 'argument --workers: must be a whole number (got "two")'),
        ("--port", "70000", "argument --port: must be at most 65535 (got 70000)"),
        ("--port", "0", "argument --port: must be at least 1 (got 0)"),
    ],
)
def test_serve_refuses_workers_and_ports_the_configuration_refuses_and_0_is_not_taken_for_none(
    option: str, value: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _usage_error(["serve", option, value], capsys) == f"advisor serve: error: {said}"


def test_serve_takes_the_same_workers_and_ports_as_the_configuration() -> None:
    """(A guard: the options' bounds are the configuration's.)"""

    def bounds(name: str) -> tuple[int, int]:
        metadata = WebConfig.model_fields[name].metadata
        return next(m.ge for m in metadata if hasattr(m, "ge")), next(m.le for m in metadata if hasattr(m, "le"))

    assert (bounds("workers"), bounds("port")) == (WORKERS, PORTS)
    taken = build_parser().parse_args(["serve", "--workers", "64", "--port", "1"])
    assert (taken.workers, taken.port) == (64, 1)


def test_an_empty_db_option_is_refused_as_a_blank_one_is_not_taken_for_the_local_sqlite_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    said = []
    for blank in ("", " "):
        assert main(["db", "upgrade", "--db", blank]) == 2
        said.append(_one_line(capsys.readouterr().err))
    assert said[0] == said[1] and said[0].startswith('advisor: --db: "" is not a database URL the advisor can use')
    assert not any(Path(tmp_path / "data").glob("*.sqlite3")), "the local SQLite file is not made"


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///", "sqlite:///:memory:"])
@pytest.mark.parametrize("where", ["--db", "config", "env"])
def test_an_in_memory_database_is_refused_in_one_line_saying_where_it_was_given(
    url: str, where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["catalog", "stats"]
    if where == "--db":
        arguments += ["--db", url]
    elif where == "env":
        monkeypatch.setenv("ADVISOR_DATABASE_URL", url)
    else:
        config = tmp_path / "config.toml"
        config.write_text(f"[database]\nurl = {json.dumps(url)}\n", encoding="utf-8")
        arguments += ["--config", str(config)]
    assert main(arguments) == 2
    line = _one_line(capsys.readouterr().err)
    source = {"--db": "--db", "env": "ADVISOR_DATABASE_URL", "config": "[database] url"}[where]
    assert f'{source}: "{url}" is an in-memory database: nothing would be kept; give a file, e.g. sqlite:///' in line


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///"])
def test_an_in_memory_engine_is_made_without_pool_sizes(url: str) -> None:
    import sqlalchemy as sa

    from advisor.db import make_engine

    engine = make_engine(url)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT 1")).scalar() == 1


@pytest.fixture
def serving(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """`advisor serve` on a database of the test's own, uvicorn never started."""
    import uvicorn

    from advisor.bootstrap import open_database
    from advisor.web.serve import SETTINGS_ENV

    monkeypatch.delenv(SETTINGS_ENV, raising=False)  # (serve writes it: taken back after the test)

    def never(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("the server was started")

    monkeypatch.setattr(uvicorn, "run", never)
    url = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    open_database(url).dispose()  # (the store's database, its catalog loaded before: the refusal is the one line)
    return ["serve", "--db", url]


def test_serve_says_in_one_line_that_another_server_has_the_port_and_announces_nothing(
    serving: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        assert main([*serving, "--host", "127.0.0.1", "--port", str(port)]) == 2
    out, err = capsys.readouterr()
    assert "serving on" not in out
    line = _one_line(err)
    assert line.startswith(f"advisor: cannot listen on 127.0.0.1:{port}: ") and line.endswith("(another server there?)")


def test_serve_refuses_a_host_that_is_no_address(serving: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*serving, "--host", "256.1.1.1", "--port", "8000"]) == 2
    out, err = capsys.readouterr()
    assert "serving on" not in out
    assert _one_line(err).startswith("advisor: cannot listen on 256.1.1.1:8000: ")


def test_serve_names_an_unknown_appointment_kind_once_for_all_its_worker_processes(
    serving: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """`--workers 2`: the line about a kind that names no category is said by `advisor serve` before the workers
    start, not by each worker process again."""
    import uvicorn

    from advisor.config import load_config
    from advisor.web.serve import ServeSettings, web_context

    started: list[int] = []
    monkeypatch.setattr(uvicorn, "run", lambda *_args, **kwargs: started.append(kwargs["workers"]))
    config = tmp_path / "advisor.toml"
    config.write_text("[appointments.kinds.tents]\n[appointments.kinds.kayaks]\n", encoding="utf-8")
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    assert main([*serving, "--config", str(config), "--workers", "2", "--host", "127.0.0.1", "--port", str(port)]) == 0
    assert started == [2]
    kinds = [line for line in capfd.readouterr().err.splitlines() if "[appointments.kinds]" in line]
    assert kinds == [
        "advisor: [appointments.kinds] names 'kayaks', which is no category of the catalog (the catalog has "
        "backpacks, care, rain_jackets, sleeping_bags, spare_parts, tents): appointments for it cannot be booked"
    ]
    web, _housekeeping = web_context(load_config(config), ServeSettings.from_environment())  # as a worker does
    try:
        assert "[appointments.kinds]" not in capfd.readouterr().err
    finally:
        if web.events is not None:
            web.events.close(timeout=2.0)
        web.engine.dispose()


def test_the_kiosks_options_without_its_name_open_the_kiosk(monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.cli

    opened: list[argparse.Namespace] = []

    def kiosk(args: argparse.Namespace) -> int:
        opened.append(args)
        return 0

    monkeypatch.setattr(ui.cli, "cmd_kiosk", kiosk)
    assert ui.cli.main(["--config", "store.toml", "--screenshot", "x.png"]) == 0
    assert (opened[0].command, opened[0].config, opened[0].screenshot) == ("kiosk", "store.toml", "x.png")


@pytest.mark.parametrize("command", ["kiosk", "staff"])
def test_the_screens_refuse_a_db_they_cannot_use_before_they_open(
    command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import ui.cli

    def never(**_kwargs: Any) -> int:
        raise AssertionError("the screen was opened")

    monkeypatch.setitem(sys.modules, "ui.app", SimpleNamespace(run_kiosk=never))
    monkeypatch.setitem(sys.modules, "ui.staff", SimpleNamespace(run_staff=never))
    for url, said in (("", 'advisor: --db: "" is not a database URL'), ("sqlite://", "is an in-memory database"),
                      ("mysql://a:b@c/d", 'advisor: --db: "mysql://a:***@c/d" is not a database URL')):  # fmt: skip
        assert ui.cli.main([command, "--db", url]) == 2
        assert said in _one_line(capsys.readouterr().err)


def test_a_list_given_as_a_string_is_refused_with_an_example_of_its_own_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[web]\nforwarded_allow_ips = "10.0.0.2"\n', encoding="utf-8")
    assert main(["catalog", "stats", "--config", str(config)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert line.endswith('[web] forwarded_allow_ips: must be a list like ["10.0.0.2"] (got "10.0.0.2")'), line


def test_import_of_a_folder_says_it_is_one_and_which_files_to_give(capsys: pytest.CaptureFixture[str]) -> None:
    folder = sample_catalog_dir()
    assert main(["catalog", "import", str(folder), "--dry-run"]) == 2
    line = _one_line(capsys.readouterr().err)
    assert line.startswith(f"advisor: {folder}: is a folder: give the file to import: products "), line
    assert str(folder / "products.json") in line and f"--images {folder / 'images'}" in line
    assert "guides.json" not in line, "not a catalog file"


def test_import_with_missing_images_says_they_do_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "Fotos"
    products = str(sample_catalog_dir() / "products.json")
    assert main(["catalog", "import", products, "--images", str(missing), "--dry-run"]) == 2
    assert _one_line(capsys.readouterr().err) == f"advisor: {missing}: no such folder or zip file (--images)"
