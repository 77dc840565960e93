"""Which database a command uses, and what store IT reads when it cannot: every command finds it the same way
(--db, else the configuration's [database] url, else ADVISOR_DATABASE_URL, else the local SQLite file) and says
in one line, exit code 2, what is wrong with it, never with its password."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa

from advisor.cli import main
from advisor.db import make_engine
from advisor.db.location import HEAD
from advisor.paths import sample_catalog_dir

UNREACHABLE = "postgresql://advisor:S3cretPw@127.0.0.1:9/advisor"  # nothing listens on port 9: refused at once
UNREACHABLE_SHOWN = "postgresql+psycopg://advisor:***@127.0.0.1:9/advisor"


@pytest.fixture(autouse=True)
def no_usual_configuration(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No ADVISOR_CONFIG, and the usual configuration file is in an empty folder of this test's own."""
    monkeypatch.delenv("ADVISOR_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


def _config(tmp_path: Path, url: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(f"[database]\nurl = {json.dumps(url)}\n", encoding="utf-8")
    return path


def _revision(file: Path) -> str | None:
    """The schema revision of an SQLite file (None: no such file)."""
    if not file.exists():
        return None
    with sqlite3.connect(file) as connection:
        return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def _commands(tmp_path: Path) -> dict[str, list[str]]:
    return {
        "db upgrade": ["db", "upgrade"],
        "catalog import": ["catalog", "import", str(sample_catalog_dir() / "products.json"), "--dry-run"],
        "catalog export": ["catalog", "export", "--format", "csv", "--out", str(tmp_path / "export.csv")],
        "catalog stats": ["catalog", "stats"],
        "catalog load-sample": ["catalog", "load-sample"],
        "staff-pin": ["staff-pin", "anna", "--pin", "2468"],
        "purge": ["purge"],
        "serve": ["serve", "--port", "9"],  # (only ever refused here: it ends before it listens)
    }


DATABASE_COMMANDS = [name for name in _commands(Path()) if name != "serve"]


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    assert lines[0].startswith("advisor: "), stderr
    return lines[0]


@pytest.mark.parametrize("command", DATABASE_COMMANDS)
@pytest.mark.parametrize("named_by", ["--config", "ADVISOR_CONFIG"])
def test_every_database_command_uses_the_database_the_configuration_names(
    tmp_path: Path, isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch, command: str, named_by: str,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    configured = tmp_path / "store" / "advisor.sqlite3"
    configured.parent.mkdir()
    config = _config(tmp_path, f"sqlite:///{configured}")
    arguments = _commands(tmp_path)[command]
    if named_by == "--config":
        arguments = [*arguments, "--config", str(config)]
    else:
        monkeypatch.setenv("ADVISOR_CONFIG", str(config))

    assert main(arguments) == 0, capsys.readouterr().err
    assert _revision(configured) == HEAD, "the configured database was used (and upgraded)"
    assert not (isolated_data_dir / "advisor.sqlite3").exists(), "not the local SQLite file"


@pytest.mark.parametrize("command", [*DATABASE_COMMANDS, "serve"])
@pytest.mark.parametrize("problem", ["missing", "wrong"])
def test_a_named_configuration_file_that_is_missing_or_wrong_stops_every_database_command(
    tmp_path: Path, isolated_data_dir: Path, command: str, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "etc" / "config.toml"
    if problem == "wrong":
        config.parent.mkdir()
        config.write_text("[kiosk]\nidle_timeout_seconds = 5\n", encoding="utf-8")

    assert main([*_commands(tmp_path)[command], "--config", str(config)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert line.startswith(f"advisor: {config}: ")
    assert not (isolated_data_dir / "advisor.sqlite3").exists(), "no database was touched"


def test_the_command_line_wins_over_the_configuration_and_the_configuration_over_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    given, configured, environment = (tmp_path / f"{name}.sqlite3" for name in ("given", "configured", "environment"))
    config = _config(tmp_path, f"sqlite:///{configured}")
    monkeypatch.setenv("ADVISOR_DATABASE_URL", f"sqlite:///{environment}")

    assert main(["db", "upgrade", "--config", str(config), "--db", f"sqlite:///{given}"]) == 0
    assert (_revision(given), _revision(configured), _revision(environment)) == (HEAD, None, None)
    assert main(["db", "upgrade", "--config", str(config)]) == 0
    assert (_revision(configured), _revision(environment)) == (HEAD, None)
    assert main(["db", "upgrade"]) == 0, capsys.readouterr().err  # the usual file is missing: no [database] url
    assert _revision(environment) == HEAD


def test_a_database_that_cannot_be_opened_is_named_as_given_in_the_configuration_without_its_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(tmp_path, UNREACHABLE)
    for command in ("purge", "catalog stats", "db upgrade"):
        assert main([*_commands(tmp_path)[command], "--config", str(config)]) == 2
        line = _one_line(capsys.readouterr().err)
        assert line.startswith(f"advisor: cannot open the database {UNREACHABLE_SHOWN}: "), line
        assert "S3cretPw" not in line and "sqlite" not in line


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_postgres_and_postgresql_urls_are_taken_alike_on_the_command_line_and_in_the_configuration(
    tmp_path: Path, scheme: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = UNREACHABLE.replace("postgresql", scheme, 1)
    for arguments in (["--db", url], ["--config", str(_config(tmp_path, url))]):
        assert main(["catalog", "stats", *arguments]) == 2
        line = _one_line(capsys.readouterr().err)
        assert line.startswith(f"advisor: cannot open the database {UNREACHABLE_SHOWN}: "), "tried, not refused"


@pytest.mark.parametrize(
    ("where", "url", "said"),
    [
        ("--db", "not a url", '--db: "not a url" is not a database URL the advisor can use: it must start with'),
        ("--db", "mysql://advisor:S3cretPw@db/advisor", '--db: "mysql://advisor:***@db/advisor" is not a database URL'),
        ("env", "mysql://advisor:S3cretPw@db/advisor", 'ADVISOR_DATABASE_URL: "mysql://advisor:***@db/advisor" is not'),
        ("--db", "postgresql+psycopg2://advisor:S3cretPw@db/advisor",
         '--db: "postgresql+psycopg2://advisor:***@db/advisor" is not a usable database URL: its driver is not'),
        ("config", "postgresql+asyncpg://advisor:S3cretPw@db/advisor",
         '[database] url: "postgresql+asyncpg://advisor:***@db/advisor" is not a usable database URL: its driver'),
        ("env", "postgresql://advisor:S3cretPw@db:port/advisor",
         'ADVISOR_DATABASE_URL: "postgresql+psycopg://advisor:***@db:port/advisor" is not a usable database URL: it '
         "cannot be read"),
    ],
)  # fmt: skip
def test_a_database_url_that_cannot_be_used_is_one_line_saying_where_it_was_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], where: str, url: str,
    said: str,
) -> None:  # fmt: skip
    arguments = ["purge"]
    if where == "--db":
        arguments += ["--db", url]
    elif where == "env":
        monkeypatch.setenv("ADVISOR_DATABASE_URL", url)
    else:
        arguments += ["--config", str(_config(tmp_path, url))]

    assert main(arguments) == 2
    line = _one_line(capsys.readouterr().err)
    assert said in line and "S3cretPw" not in line, line


@pytest.mark.parametrize("command", ["db upgrade", "purge", "catalog stats", "serve"])
def test_a_database_a_newer_version_upgraded_is_one_line_and_exit_2(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "newer.sqlite3"
    url = f"sqlite:///{file}"
    assert main(["db", "upgrade", "--db", url]) == 0
    with sqlite3.connect(file) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099_future'")
    capsys.readouterr()

    assert main([*_commands(tmp_path)[command], "--db", url]) == 2
    line = _one_line(capsys.readouterr().err)
    assert line.startswith(f"advisor: {url}: the database is at schema revision 0099_future, which advisor ")
    assert "newer version" in line
    assert _revision(file) == "0099_future"


@pytest.mark.postgres
def test_the_catalog_commands_reach_the_postgresql_database_the_configuration_names(
    tmp_path: Path, isolated_data_dir: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(tmp_path, postgres_url)
    assert main(["catalog", "load-sample", "--config", str(config)]) == 0
    assert main(["catalog", "stats", "--format", "json", "--config", str(config)]) == 0
    stats = json.loads(capsys.readouterr().out.split("\n", 1)[1])  # (after load-sample's line)
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        products = connection.exec_driver_sql("SELECT count(*) FROM product").scalar()
    assert products and stats["products"] == products
    engine.dispose()
    assert not (isolated_data_dir / "advisor.sqlite3").exists()


def test_a_backup_of_the_running_sqlite_database_holds_what_was_written_and_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Store IT copies a single kiosk's database while it runs: the copy has the latest writes (still in the WAL
    file), is private like the database, and an older copy is never overwritten."""
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    assert main(["db", "upgrade", "--db", url]) == 0
    engine = make_engine(url)
    with engine.begin() as connection:  # committed, not yet checkpointed into the database file
        connection.execute(sa.text("CREATE TABLE note (words TEXT)"))
        connection.execute(sa.text("INSERT INTO note VALUES ('Anna ruft zurück')"))
    assert (tmp_path / "store.sqlite3-wal").stat().st_size > 0
    copy = tmp_path / "backup.sqlite3"
    capsys.readouterr()

    assert main(["db", "backup", str(copy), "--db", url]) == 0
    assert capsys.readouterr().out.startswith(f"backed up sqlite:///{tmp_path / 'store.sqlite3'} to {copy} (")
    with sqlite3.connect(copy) as restored:
        assert restored.execute("SELECT words FROM note").fetchall() == [("Anna ruft zurück",)]
        assert restored.execute("SELECT version_num FROM alembic_version").fetchone() is not None
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    engine.dispose()

    before = copy.read_bytes()
    assert main(["db", "backup", str(copy), "--db", url]) == 2
    assert f"{copy} exists already: name a new file" in capsys.readouterr().err
    assert copy.read_bytes() == before
    assert main(["db", "backup", str(tmp_path / "pg.dump"), "--db", "postgresql://advisor@db/advisor"]) == 2
    assert "pg_dump" in capsys.readouterr().err and not (tmp_path / "pg.dump").exists()


def test_staff_pin_names_the_database_it_wrote_to_without_its_password(
    tmp_path: Path, isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configured = tmp_path / "store.sqlite3"
    config = _config(tmp_path, f"sqlite:///{configured}")
    assert main(["staff-pin", "Anna", "--pin", "2468", "--config", str(config)]) == 0
    assert capsys.readouterr().out == f"PIN set for Anna in sqlite:///{configured}\n"
    assert main(["staff-pin", "Anna", "--pin", "2468"]) == 0  # no configuration: the local file, said as such
    assert capsys.readouterr().out == f"PIN set for Anna in sqlite:///{isolated_data_dir / 'advisor.sqlite3'}\n"


def test_staff_pin_hides_the_password_of_the_database_it_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import advisor.bootstrap
    import advisor.handoff.staff

    opened: list[str] = []

    def open_database(url: str | None, **_: object) -> sa.Engine:
        opened.append(str(url))
        return sa.create_engine("postgresql+psycopg://advisor:S3cretPw@db.store.local:5432/advisor")

    monkeypatch.setattr(advisor.bootstrap, "open_database", open_database)
    monkeypatch.setattr(advisor.handoff.staff, "set_pin", lambda engine, name, pin: None)
    config = _config(tmp_path, "postgresql://advisor:S3cretPw@db.store.local:5432/advisor")
    assert main(["staff-pin", "Anna", "--pin", "2468", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert out == "PIN set for Anna in postgresql://…@db.store.local:5432/advisor\n" and "S3cretPw" not in out
    assert opened
