"""The configuration file: defaults, the shipped example, every kind of error message, opening hours, the secret key."""

from __future__ import annotations

import re
import socket
import stat
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import platformdirs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import config as cfg
from advisor.config import (
    Config,
    ConfigError,
    config_path,
    database_url_of,
    default_config,
    is_open,
    load_config,
    secret_key,
    staff_back_at,
)
from advisor.handoff.staff import hash_pin

EXAMPLE = Path(__file__).resolve().parents[2] / "packaging" / "config.example.toml"
BERLIN = ZoneInfo("Europe/Berlin")
COLOUR_KEYS = [name for name in cfg.ThemeConfig.model_fields if name != "logo"]


@pytest.fixture(autouse=True)
def no_config_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No inherited ADVISOR_CONFIG, and the user config directory is a fresh, empty folder."""
    monkeypatch.delenv("ADVISOR_CONFIG", raising=False)
    user_config = tmp_path / "user-config"
    monkeypatch.setattr(platformdirs, "user_config_dir", lambda *args, **kwargs: str(user_config))
    return user_config


def _write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str) -> str:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    message = str(raised.value)
    assert all(line.startswith(f"{path}: ") for line in message.splitlines()), message
    return message


def _toml_string(text: str) -> str:
    """A TOML basic string holding exactly `text`."""
    escaped = []
    for char in text:
        if char in '"\\':
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


# -- where the file is, and no file ------------------------------------------------------------------------------


def test_without_a_file_everything_is_default(no_config_env: Path) -> None:
    assert config_path() == no_config_env / "config.toml"
    config = load_config()
    assert config == default_config()
    assert config.source is None
    assert config.kiosk.idle_timeout_seconds == 90
    assert config.theme.primary == "#1f4d3a"
    assert config.store.opening_hours.sun == "closed"


def test_the_explicit_path_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ADVISOR_CONFIG", str(tmp_path / "from-env.toml"))
    assert config_path() == tmp_path / "from-env.toml"
    assert config_path(tmp_path / "given.toml") == tmp_path / "given.toml"
    assert config_path("~/x.toml") == Path.home() / "x.toml"


def test_an_explicit_file_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(ConfigError, match="does not exist") as raised:
        load_config(missing)
    assert str(missing) in str(raised.value)


def test_a_missing_file_named_by_the_environment_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = tmp_path / "env.toml"
    monkeypatch.setenv("ADVISOR_CONFIG", str(missing))
    with pytest.raises(ConfigError, match="does not exist"):
        load_config()


def test_a_file_in_the_user_config_directory_is_read(no_config_env: Path) -> None:
    no_config_env.mkdir()
    _write(no_config_env, "[kiosk]\nfullscreen = true\n")
    config = load_config()
    assert config.kiosk.fullscreen is True
    assert config.source == no_config_env / "config.toml"


def test_the_environment_names_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = _write(tmp_path, '[store]\nname = "Nordgrat Hamburg"\n', "store.toml")
    monkeypatch.setenv("ADVISOR_CONFIG", str(path))
    assert load_config().store.name == "Nordgrat Hamburg"


def test_the_shipped_example_is_exactly_the_defaults() -> None:
    config = load_config(EXAMPLE)
    assert config.source == EXAMPLE
    assert config.model_copy(update={"source": None}) == default_config()
    # and it names every key, so it documents all of them
    shipped = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert set(shipped) == set(cfg.SECTIONS)
    for section in cfg.SECTIONS:
        assert set(shipped[section]) == set(type(getattr(config, section)).model_fields), section
    assert set(shipped["store"]["opening_hours"]) == set(cfg.WEEKDAYS)
    assert shipped["store"]["places"] == {}, "no kiosk is named in the example; a comment shows how"


def test_an_empty_file_is_all_defaults_but_remembers_its_source(tmp_path: Path) -> None:
    path = _write(tmp_path, "# nothing yet\n")
    config = load_config(path)
    assert config.source == path
    assert config.model_copy(update={"source": None}) == default_config()


def test_values_are_read_and_normalised(tmp_path: Path) -> None:
    pin_hash = hash_pin("2468")
    config = load_config(
        _write(
            tmp_path,
            f"""
            [store]
            id = "ham-02"
            kiosk_id = "kiosk-3"
            locales = ["en"]
            default_locale = "en"
            timezone = "America/New_York"
            [store.opening_hours]
            mon = "9:00 - 18:00"
            sun = "Closed"
            [kiosk]
            fullscreen = true
            idle_timeout_seconds = 120
            feedback_scale = "stars"
            [theme]
            primary = "#ABCDEF"
            [database]
            url = "postgresql://advisor@db/advisor"
            [web]
            public_base_url = "https://advice.example.com/"
            port = 8443
            [staff]
            exit_pin_hash = "{pin_hash}"
            [smtp]
            host = "mail.example.com"
            sender = "advice@example.com"
            """,
        )
    )
    assert config.store.locales == ("en",)
    assert config.store.kiosk_name == "kiosk-3"
    assert config.store.zone == ZoneInfo("America/New_York")
    assert config.store.opening_hours.mon == "09:00-18:00"
    assert config.store.opening_hours.sun == "closed"
    assert config.theme.primary == "#abcdef"
    assert config.web.public_base_url == "https://advice.example.com"
    assert config.staff.exit_pin_hash == pin_hash
    assert config.smtp.enabled
    assert database_url_of(config) == "postgresql://advisor@db/advisor"
    assert database_url_of(default_config()) is None


def test_the_kiosk_name_defaults_to_the_host_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "gethostname", lambda: "kiosk-eingang")
    assert default_config().store.kiosk_name == "kiosk-eingang"


def test_the_configuration_is_frozen() -> None:
    config = default_config()
    with pytest.raises(ValueError, match="frozen"):
        config.kiosk.fullscreen = True


# -- error messages ---------------------------------------------------------------------------------------------


def test_an_error_names_the_file_the_key_and_the_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, "[kiosk]\nidle_timeout_seconds = 5\n")
    with pytest.raises(ConfigError) as raised:
        load_config("config.toml")
    assert str(raised.value) == "config.toml: [kiosk] idle_timeout_seconds: must be at least 30 (got 5)"
    assert raised.value.problems == ("[kiosk] idle_timeout_seconds: must be at least 30 (got 5)",)
    assert raised.value.source == Path("config.toml")
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[theme]\nprimary = "#12345"', '[theme] primary: "#12345" is not a colour like "#1f4d3a"'),
        ('[theme]\naccent = "red"', '[theme] accent: "red" is not a colour like "#1f4d3a"'),
        ("[kiosk]\nidle_timeout_seconds = 4000", "[kiosk] idle_timeout_seconds: must be at most 3600 (got 4000)"),
        ("[kiosk]\nidle_warning_seconds = 10", "[kiosk] idle_warning_seconds: must be at least 20 (got 10)"),
        (
            "[kiosk]\nidle_timeout_seconds = 60\nidle_warning_seconds = 60",
            "[kiosk] idle_warning_seconds: must be less than idle_timeout_seconds (60) (got 60)",
        ),
        ("[privacy]\nsession_retention_days = 0", "[privacy] session_retention_days: must be at least 1 (got 0)"),
        ("[privacy]\nevent_retention_days = 4000", "[privacy] event_retention_days: must be at most 3650 (got 4000)"),
        ("[privacy]\nunclaimed_request_minutes = 2000", "[privacy] unclaimed_request_minutes: must be at most 1440"),
        ("[web]\nport = 70000", "[web] port: must be at most 65535 (got 70000)"),
        ("[smtp]\nport = 0", "[smtp] port: must be at least 1 (got 0)"),
        (
            "[kiosk]\nidle_timout_seconds = 90",
            "[kiosk] idle_timout_seconds: unknown key (did you mean idle_timeout_seconds?)",
        ),
        ('[store.opening_hours]\nmonday = "closed"', "[store.opening_hours] monday: unknown key (did you mean mon?)"),
        ("[kiosk]\nzzz = 1", "[kiosk] zzz: unknown key"),
        ("[kiosks]\nfullscreen = true", "[kiosks]: unknown section (did you mean [kiosk]?)"),
        ("[printer]\nname = 1", "[printer]: unknown section (the sections are [store], [kiosk]"),
        ("fullscreen = true", "fullscreen: unknown section (did you mean to put it under [kiosk]?)"),
        ("[source]\npath = 1", "[source]: unknown section"),
        ('[kiosk]\nidle_timeout_seconds = "90"', '[kiosk] idle_timeout_seconds: must be a whole number (got "90")'),
        ("[kiosk]\nidle_timeout_seconds = 90.0", "[kiosk] idle_timeout_seconds: must be a whole number (got 90.0)"),
        ('[kiosk]\nfullscreen = "yes"', '[kiosk] fullscreen: must be true or false (got "yes")'),
        ("[store]\nname = 5", "[store] name: must be a string in quotes (got 5)"),
        ("[store]\ntimezone = 1979-05-27", "[store] timezone: must be a string in quotes (got 1979-05-27)"),
        ('[store]\nlocales = "de"', '[store] locales: must be a list like ["de", "en"] (got "de")'),
        ("kiosk = 5", "[kiosk]: must be a table (got 5)"),
        ('[kiosk]\nfeedback_scale = "emoji"', '[kiosk] feedback_scale: must be "grades" or "stars" (got "emoji")'),
        ('[store]\ntimezone = "Europe/Berln"', '[store] timezone: "Europe/Berln" is not a known time zone'),
        ('[store]\ntimezone = "Europe"', '[store] timezone: "Europe" is not a known time zone'),
        ('[store]\ntimezone = "../etc/passwd"', '[store] timezone: "../etc/passwd" is not a known time zone'),
        (
            '[store.opening_hours]\nmon = "25:00-26:00"',
            '[store.opening_hours] mon: "25:00-26:00": 25:00 is not a time of day (00:00 to 23:59)',
        ),
        (
            '[store.opening_hours]\nfri = "18:00-09:00"',
            '[store.opening_hours] fri: "18:00-09:00": the closing time must be after the opening time',
        ),
        (
            '[store.opening_hours]\nsat = "10:00"',
            '[store.opening_hours] sat: "10:00" is not opening hours like "09:30-20:00" or "closed"',
        ),
        ('[store.opening_hours]\ntue = "10:00-24:30"', "[store.opening_hours] tue: "),
        ('[store]\ndefault_locale = "en"\nlocales = ["de"]', '[store] default_locale: "en" is not one of the locales'),
        ('[store]\nlocales = ["de", "fr"]', '[store] locales: must be "de" or "en" (got "fr")'),
        ('[store]\nlocales = ["de", "de"]', '[store] locales: "de" appears more than once'),
        ("[store]\nlocales = []", "[store] locales: must not be empty"),
        ('[store]\nid = "MUC 01"', '[store] id: "MUC 01" must be lower-case letters, digits and "-"'),
        ('[store]\nid = ""', '[store] id: "" must be lower-case letters'),
        ('[store]\nname = "  "', "[store] name: must not be empty"),
        ('[smtp]\nhost = "mail.example.com"', "[smtp] sender: is needed when host is set"),
        ('[smtp]\nsender = "advice"', '[smtp] sender: "advice" is not an e-mail address'),
        ('[database]\nurl = "mysql://db/advisor"', '[database] url: "mysql://db/advisor" is not a database URL the'),
        ('[web]\npublic_base_url = "ftp://example.com"', '[web] public_base_url: "ftp://example.com" is not a URL'),
        ('[web]\npublic_base_url = "example.com"', '[web] public_base_url: "example.com" is not a URL'),
        ('[web]\npublic_base_url = "http://:8000"', "[web] public_base_url: "),
        ('[web]\npublic_base_url = "http://x:99999"', "[web] public_base_url: "),
        ('[web]\npublic_base_url = "http://u:p@example.com"', "[web] public_base_url: "),
        ('[web]\npublic_base_url = "https://example.com/?q=1"', "must not have a query (?) or fragment (#)"),
        ('[web]\npublic_base_url = "https://example.com/#top"', "must not have a query (?) or fragment (#)"),
        (
            '[web]\npublic_base_url = "https://store.example.org/advice"',
            '[web] public_base_url: "https://store.example.org/advice" has a path ("/advice"): the web companion '
            'cannot be served under a path, it needs a host name (or port) of its own, e.g. "https://beratung.example.org"',
        ),
        ('[web]\npublic_base_url = "http://10.0.0.5:8000/advice/"', '"http://10.0.0.5:8000/advice/" has a path'),
        (
            '[web]\npublic_base_url = "https://bera tung.example.org"',
            '[web] public_base_url: "https://bera tung.example.org": "bera tung.example.org" is not a host name',
        ),
        ('[web]\npublic_base_url = "https://advice_store.example.org"', '"advice_store.example.org" is not a host'),
        ('[web]\npublic_base_url = "https://-advice.example.org"', '"-advice.example.org" is not a host name'),
        ('[web]\nhost = ""', "[web] host: must not be empty"),
        ('[web]\nsecret_key = "short"', "[web] secret_key: must be at least 32 characters long (got 5)"),
        (
            '[web]\nstore_networks = ["203.0.113.7/32", "store-wifi"]',
            '[web] store_networks: "store-wifi" is not an IP address or network like "203.0.113.7/32"',
        ),
        ('[web]\nstore_networks = ["203.0.113.0/33"]', '[web] store_networks: "203.0.113.0/33" is not an IP address'),
        ('[web]\nforwarded_allow_ips = ["proxy"]', '[web] forwarded_allow_ips: "proxy" is not an IP address'),
        ('[staff]\nexit_pin_hash = "1234"', '[staff] exit_pin_hash: is not a PIN hash like "scrypt$<hex salt>$'),
        ('[staff]\nexit_pin_hash = "scrypt$zz$00"', "[staff] exit_pin_hash: is not a PIN hash"),
        ('[theme]\nlogo = "logo.gif"', '[theme] logo: "logo.gif" is not an SVG or PNG file'),
        ("[theme]\nlogo = 5", "[theme] logo: must be a string (got 5)"),
    ],
)
def test_each_kind_of_problem_has_a_clear_message(tmp_path: Path, text: str, expected: str) -> None:
    message = _error(tmp_path, text)
    assert expected in message
    assert "pydantic" not in message.lower() and "Input should" not in message


def test_store_networks_are_read_as_networks(tmp_path: Path) -> None:
    assert default_config().web.store_networks == ()
    config = _config(tmp_path, '[web]\nstore_networks = ["203.0.113.7", " 2001:db8:1:0:5::/48"]\n')
    assert config.web.store_networks == ("203.0.113.7/32", "2001:db8:1::/48")


def test_secrets_are_not_repeated_in_messages(tmp_path: Path) -> None:
    message = _error(tmp_path, "[smtp]\npassword = 123456789\n[web]\nsecret_key = 987654321")
    assert "123456789" not in message and "987654321" not in message
    assert "[smtp] password: must be a string in quotes" in message


@pytest.mark.parametrize(
    "url",
    [
        "mysql://advisor:S3cretPw@db.store.local/advisor",
        "postgresq://advisor:S3cretPw@db.store.local/advisor",
        "oracle://db.store.local/advisor?user=advisor&password=S3cretPw",
        "https://advisor:S3cret@Pw@db.store.local/advisor",
    ],
)
def test_a_refused_database_url_never_shows_its_password(tmp_path: Path, url: str) -> None:
    """The message is on the kiosk's welcome screen and in the journal."""
    message = _error(tmp_path, f"[database]\nurl = {_toml_string(url)}")
    assert "[database] url: " in message and "***" in message
    assert "S3cret" not in message and "Pw@" not in message
    assert "S3cret" not in repr(Config.model_validate({"database": {"url": "postgres://advisor:S3cretPw@db/a"}}))


def test_the_configuration_takes_the_database_urls_the_command_line_takes(tmp_path: Path) -> None:
    from advisor.db.location import UnusableDatabaseUrl, checked_url

    taken = ("postgres://advisor:pw@db/advisor", "postgresql://advisor:pw@db/advisor",
             "postgresql+psycopg://advisor@db/advisor", "sqlite:////var/lib/advisor.sqlite3", "sqlite://")  # fmt: skip
    for url in taken:
        config = load_config(_write(tmp_path, f"[database]\nurl = {_toml_string(url)}"))
        assert database_url_of(config) == url
        checked_url(url)  # (no error)
    for url in ("mysql://advisor:pw@db/advisor", "not a url", "sqlite:relative.sqlite3"):
        refused = _error(tmp_path, f"[database]\nurl = {_toml_string(url)}")
        with pytest.raises(UnusableDatabaseUrl) as raised:
            checked_url(url)
        assert refused.endswith(f"[database] url: {raised.value}"), "the same words as for --db"
    assert "s" * 40 not in repr(default_config().model_copy(update={"web": cfg.WebConfig(secret_key="s" * 40)}))


def test_a_missing_logo_is_named_with_the_place_looked_at(tmp_path: Path) -> None:
    message = _error(tmp_path, '[theme]\nlogo = "brand/logo.svg"')
    assert f'[theme] logo: "brand/logo.svg" does not exist (looked for {tmp_path / "brand" / "logo.svg"})' in message


def test_several_problems_are_all_reported_one_a_line(tmp_path: Path) -> None:
    message = _error(
        tmp_path,
        """
        [kiosk]
        idle_timeout_seconds = 5
        feedback_scale = "emoji"
        [theme]
        primary = "green"
        [zones]
        """,
    )
    lines = message.splitlines()
    assert len(lines) == 4
    assert any("[zones]: unknown section" in line for line in lines)
    assert any("[kiosk] idle_timeout_seconds: must be at least 30" in line for line in lines)
    assert any("[kiosk] feedback_scale: must be" in line for line in lines)
    assert any('[theme] primary: "green" is not a colour' in line for line in lines)


def test_a_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    message = _error(tmp_path, '[store]\nname = "ok"\nid = muc-01\n')
    assert re.fullmatch(re.escape(f"{tmp_path / 'config.toml'}: line 3, column 6: ") + r"\S.*", message), message


def test_a_syntax_error_at_the_end_of_the_file(tmp_path: Path) -> None:
    message = _error(tmp_path, '[store]\nname = "unterminated')
    assert "config.toml: " in message and "Unterminated string" in message


def test_a_key_or_a_table_written_twice_is_named_with_what_to_do(tmp_path: Path) -> None:
    message = _error(tmp_path, "[kiosk]\nfullscreen = true\nfullscreen = false\n")
    assert message.endswith("config.toml: line 3: fullscreen is set twice in its table; keep one of them"), message
    message = _error(tmp_path, '[store.opening_hours]\nmon = "10:00-12:00"\n[store.opening_hours]\ntue = "closed"\n')
    assert message.endswith(
        "line 3: the table [store.opening_hours] is written twice; put its keys under one [store.opening_hours]"
    ), message


def test_a_key_in_a_table_of_free_keys_is_named_as_the_file_writes_it(tmp_path: Path) -> None:
    """Store IT searches the file for what the message names: '[store.holidays] "2026-12-24"', and one message for
    a place that is neither a name nor a table of names."""
    message = _error(tmp_path, '[store.holidays]\n"2026-12-24" = "9-14"\n')
    assert '[store.holidays] "2026-12-24": "9-14" is not opening hours' in message, message
    message = _error(tmp_path, "[store.places]\nkiosk-1 = 5\n")
    assert message.count("kiosk-1") == 1 and '[store.places]: "kiosk-1" must be a place in quotes' in message, message


def test_a_file_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes('[store]\nname = "Nordgrat M\u00fcnchen"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match="line 2: the file is not UTF-8 text"):
        load_config(path)


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes('\ufeff[store]\nname = "Nordgrat M\u00fcnchen"\n'.encode())
    assert load_config(path).store.name == "Nordgrat München"


def test_a_folder_is_not_a_configuration_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a folder"):
        load_config(tmp_path)


def test_an_unreadable_file_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "")

    def refuse(self: Path) -> bytes:  # as for a file of another user (root would read it anyway)
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(ConfigError, match="cannot be read: Permission denied"):
        load_config(path)


# -- the logo -----------------------------------------------------------------------------------------------------


def test_a_relative_logo_is_found_next_to_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "etc"
    (folder / "brand").mkdir(parents=True)
    (folder / "brand" / "logo.SVG").write_text("<svg/>")
    path = _write(folder, '[theme]\nlogo = "brand/logo.SVG"\n')
    monkeypatch.chdir(tmp_path)  # not the config folder
    assert load_config(path).theme.logo == folder / "brand" / "logo.SVG"


def test_an_absolute_logo_is_used_as_it_is(tmp_path: Path) -> None:
    logo = tmp_path / "elsewhere" / "logo.png"
    logo.parent.mkdir()
    logo.write_bytes(b"\x89PNG")
    path = _write(tmp_path / "elsewhere", f"[theme]\nlogo = {_toml_string(str(logo))}\n")
    assert load_config(path).theme.logo == logo


# -- opening hours ------------------------------------------------------------------------------------------------


def _config(tmp_path: Path, text: str) -> Config:
    return load_config(_write(tmp_path, text))


def test_before_opening_on_a_weekday_staff_are_back_at_opening() -> None:
    now = datetime(2024, 10, 29, 8, 0, tzinfo=BERLIN)  # a Tuesday
    back = staff_back_at(default_config(), now)
    assert back == datetime(2024, 10, 29, 9, 30, tzinfo=BERLIN)
    assert back is not None and back.tzinfo == BERLIN
    assert not is_open(default_config(), now)


def test_during_opening_hours_staff_are_there_now() -> None:
    now = datetime(2024, 10, 29, 12, 0, tzinfo=UTC)  # 13:00 in Berlin
    assert staff_back_at(default_config(), now) is now
    assert is_open(default_config(), now)
    assert is_open(default_config(), datetime(2024, 10, 29, 9, 30, tzinfo=BERLIN))  # opening is inclusive
    assert not is_open(default_config(), datetime(2024, 10, 29, 20, 0, tzinfo=BERLIN))  # closing is not


def test_after_closing_on_saturday_staff_are_back_on_monday_across_the_dst_change() -> None:
    # Summer time starts on Sunday 2024-03-31: Saturday evening is +01:00, Monday morning +02:00.
    saturday_evening = datetime(2024, 3, 30, 20, 0, tzinfo=UTC)  # 21:00 in Berlin
    back = staff_back_at(default_config(), saturday_evening)
    assert back == datetime(2024, 4, 1, 9, 30, tzinfo=BERLIN)
    assert back is not None and back.utcoffset() == timedelta(hours=2)
    assert back.astimezone(UTC) == datetime(2024, 4, 1, 7, 30, tzinfo=UTC)
    # and back to winter time in October
    back = staff_back_at(default_config(), datetime(2024, 10, 26, 22, 0, tzinfo=BERLIN))
    assert back is not None and back.astimezone(UTC) == datetime(2024, 10, 28, 8, 30, tzinfo=UTC)


def test_the_store_time_zone_decides_the_day(tmp_path: Path) -> None:
    # 23:30 UTC on a Monday is already Tuesday 01:30 in Berlin
    assert staff_back_at(default_config(), datetime(2024, 6, 3, 23, 30, tzinfo=UTC)) == datetime(
        2024, 6, 4, 9, 30, tzinfo=BERLIN
    )
    # and still Monday afternoon in New York, where the store is open
    config = _config(tmp_path, '[store]\ntimezone = "America/New_York"\n')
    now = datetime(2024, 6, 3, 17, 30, tzinfo=UTC)  # 13:30 in New York
    assert staff_back_at(config, now) is now


def test_a_relative_sqlite_file_lies_beside_the_configuration_whatever_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kiosk started from / and `advisor db upgrade` from a home folder open the same database."""
    monkeypatch.chdir(tmp_path.parent)
    config = _config(tmp_path, '[database]\nurl = "sqlite:///store.sqlite3"\n')
    assert database_url_of(config) == f"sqlite:///{(tmp_path / 'store.sqlite3').resolve()}"
    absolute = _config(tmp_path, f'[database]\nurl = "sqlite:///{tmp_path}/other.sqlite3"\n')
    assert database_url_of(absolute) == f"sqlite:///{tmp_path}/other.sqlite3"
    assert database_url_of(_config(tmp_path, '[database]\nurl = "sqlite://"\n')) == "sqlite://", "in memory stays"
    postgres = 'url = "postgresql://advisor:secret@db.store.local/advisor"'
    assert database_url_of(_config(tmp_path, f"[database]\n{postgres}\n")) == postgres[7:-1]


def test_holiday_hours_decide_when_staff_are_there_and_back(tmp_path: Path) -> None:
    """The chat's "back at" and "open now" follow [store.holidays] as the booking does: Christmas Eve closes early,
    the holidays are closed, and the next opening is the first day that opens."""
    config = _config(tmp_path, '[store.holidays]\n"2026-12-24" = "09:30-14:00"\n"2026-12-25" = "closed"\n'
                               '"2026-12-26" = "closed"\n')  # fmt: skip
    assert is_open(config, datetime(2026, 12, 24, 13, 0, tzinfo=BERLIN))
    assert not is_open(config, datetime(2026, 12, 24, 15, 0, tzinfo=BERLIN)), "a Thursday, but closed at 14:00"
    assert not is_open(config, datetime(2026, 12, 25, 11, 0, tzinfo=BERLIN)), "a Friday, but Christmas"
    back = staff_back_at(config, datetime(2026, 12, 24, 20, 30, tzinfo=BERLIN))
    assert back == datetime(2026, 12, 28, 9, 30, tzinfo=BERLIN), "closed 25th and 26th, Sunday: back on Monday"
    everything = "\n".join(f'"{date(2027, 1, 1) + timedelta(days=n)}" = "closed"' for n in range(40))
    shut = _config(tmp_path, f"[store.holidays]\n{everything}\n")
    assert staff_back_at(shut, datetime(2027, 1, 1, 10, 0, tzinfo=BERLIN)) is None, "closed past a month: not said"


def test_open_one_day_a_week_means_up_to_a_week_of_waiting(tmp_path: Path) -> None:
    days = "\n".join(f'{day} = "closed"' for day in cfg.WEEKDAYS if day != "mon")
    config = _config(tmp_path, f'[store.opening_hours]\nmon = "10:00-12:00"\n{days}\n')
    monday_afternoon = datetime(2024, 6, 3, 13, 0, tzinfo=BERLIN)
    assert staff_back_at(config, monday_afternoon) == datetime(2024, 6, 10, 10, 0, tzinfo=BERLIN)


def test_closed_all_week_means_never(tmp_path: Path) -> None:
    days = "\n".join(f'{day} = "closed"' for day in cfg.WEEKDAYS)
    config = _config(tmp_path, f"[store.opening_hours]\n{days}\n")
    now = datetime(2024, 6, 3, 10, 0, tzinfo=BERLIN)
    assert staff_back_at(config, now) is None
    assert not is_open(config, now)


def test_opening_at_a_time_skipped_by_dst_opens_at_the_real_time_after_it(tmp_path: Path) -> None:
    config = _config(tmp_path, '[store.opening_hours]\nsun = "02:30-24:00"\n')
    back = staff_back_at(config, datetime(2024, 3, 31, 0, 0, tzinfo=BERLIN))
    assert back is not None and back.astimezone(UTC) == datetime(2024, 3, 31, 1, 30, tzinfo=UTC)  # 03:30 CEST
    assert is_open(config, datetime(2024, 3, 31, 23, 59, tzinfo=BERLIN))
    assert not is_open(config, datetime(2024, 4, 1, 0, 0, tzinfo=BERLIN))


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        staff_back_at(default_config(), datetime(2024, 6, 3, 10, 0))


@settings(max_examples=200, deadline=None)
@given(
    now=st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.sampled_from([UTC, BERLIN, ZoneInfo("America/New_York"), ZoneInfo("Pacific/Kiritimati")]),
    )
)
def test_staff_are_back_at_the_first_open_moment(now: datetime) -> None:
    config = default_config()
    back = staff_back_at(config, now)
    assert back is not None
    assert back >= now
    assert is_open(config, back)
    assert (back == now) == is_open(config, now)
    assert back - now < timedelta(days=2)  # at most the Sunday and a night
    assert not is_open(config, back - timedelta(minutes=1)) or back == now


# -- the secret key -----------------------------------------------------------------------------------------------


def test_the_secret_key_is_made_once_and_kept(isolated_data_dir: Path) -> None:
    first = secret_key(default_config())
    assert len(first) == 32
    assert secret_key(default_config()) == first
    path = isolated_data_dir / "secret.key"
    assert path.read_bytes() == first
    assert sorted(p.name for p in isolated_data_dir.iterdir()) == ["secret.key"]  # no temporary file left
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_processes_starting_together_agree_on_one_secret_key(isolated_data_dir: Path) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = set(pool.map(lambda _: secret_key(default_config()), range(16)))
    assert len(keys) == 1
    assert keys == {(isolated_data_dir / "secret.key").read_bytes()}


def test_a_configured_secret_key_is_used(tmp_path: Path, isolated_data_dir: Path) -> None:
    config = _config(tmp_path, '[web]\nsecret_key = "' + "k" * 40 + '"\n')
    assert secret_key(config) == b"k" * 40
    assert not (isolated_data_dir / "secret.key").exists()


def test_a_damaged_secret_key_file_is_an_error(isolated_data_dir: Path) -> None:
    isolated_data_dir.mkdir(parents=True, exist_ok=True)
    (isolated_data_dir / "secret.key").write_bytes(b"short")
    with pytest.raises(ConfigError, match="secret.key: the secret key is too short"):
        secret_key(default_config())


# -- colours (property tests) -------------------------------------------------------------------------------------

_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
not_a_colour = st.one_of(
    st.text(),
    st.from_regex(r"#?[0-9a-gA-Gx ]{0,8}", fullmatch=True),
    st.from_regex(r"#[0-9a-fA-F]{6}", fullmatch=True).map(lambda colour: colour + " "),
    st.from_regex(r"#[0-9a-fA-F]{3}", fullmatch=True),
).filter(lambda text: not _HEX_COLOUR.fullmatch(text))


@settings(max_examples=150, deadline=None)
@given(colour=st.from_regex(r"#[0-9a-fA-F]{6}", fullmatch=True), key=st.sampled_from(COLOUR_KEYS))
def test_any_hex_colour_is_kept_lower_cased(tmp_path_factory: pytest.TempPathFactory, colour: str, key: str) -> None:
    folder = tmp_path_factory.mktemp("colour")
    config = load_config(_write(folder, f'[theme]\n{key} = "{colour}"\n'))
    assert getattr(config.theme, key) == colour.lower()


@settings(max_examples=150, deadline=None)
@given(text=not_a_colour, key=st.sampled_from(COLOUR_KEYS))
def test_anything_else_is_refused_naming_the_key(tmp_path_factory: pytest.TempPathFactory, text: str, key: str) -> None:
    folder = tmp_path_factory.mktemp("colour")
    path = _write(folder, f"[theme]\n{key} = {_toml_string(text)}\n")
    assert tomllib.loads(path.read_text(encoding="utf-8"))["theme"][key] == text
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert str(raised.value).startswith(f"{path}: [theme] {key}: ")
    assert "is not a colour like" in str(raised.value)


@pytest.mark.parametrize(
    ("url", "public"),
    [("http://localhost:8000", False), ("http://127.0.0.1:8000", False), ("http://[::1]:8000", False),
     ("http://kiosk.localhost", False), ("http://10.0.0.5:8000", True), ("https://beratung.example.com", True)],
)  # fmt: skip
def test_a_public_web_address_is_one_a_phone_can_reach(url: str, public: bool) -> None:
    from advisor.config import is_public_address

    assert is_public_address(url) is public


def test_kiosk_places_are_read_and_an_empty_one_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, '[store.places]\nkiosk-zelte = "Zeltabteilung, 1. OG"\n')
    assert load_config(path).store.places == {"kiosk-zelte": "Zeltabteilung, 1. OG"}
    path = _write(tmp_path, '[store.places]\nkiosk-zelte = "  "\n')
    with pytest.raises(ConfigError, match=r'\[store\.places\]: .*"kiosk-zelte" must not be empty'):
        load_config(path)


def test_a_place_may_be_named_per_language_for_the_consoles(tmp_path: Path) -> None:
    path = _write(tmp_path, '[store.places]\nkiosk-zelte = "Zelte, 1. OG"\n'
                            'kiosk-eingang = { de = "Eingang, EG", en = "Entrance, ground floor" }\n'
                            'kiosk-kasse = { de = "Kasse" }\n')  # fmt: skip
    store = load_config(path).store
    assert store.place_names("en") == {"kiosk-zelte": "Zelte, 1. OG", "kiosk-eingang": "Entrance, ground floor",
                                       "kiosk-kasse": "Kasse"}  # fmt: skip
    assert store.place_names("de")["kiosk-eingang"] == "Eingang, EG"
    for wrong, message in (('{ de = "" }', '"kiosk-x" must not be empty'), ("{}", '"kiosk-x" must not be empty'),
                           ('{ fr = "Entrée" }', r"kiosk-x.*fr")):  # fmt: skip
        with pytest.raises(ConfigError, match=message):
            load_config(_write(tmp_path, f"[store.places]\nkiosk-x = {wrong}\n"))


def test_holidays_and_appointment_kinds(tmp_path: Path) -> None:
    from datetime import date

    text = (
        '[store.holidays]\n"2026-12-24" = "9:30-14:00"\n"2026-12-25" = "closed"\n'
        "[appointments.kinds]\ntents = { length_minutes = 30 }\n"
    )
    config = load_config(_write(tmp_path, text))
    assert config.store.hours_on(date(2026, 12, 24)) == (9 * 60 + 30, 14 * 60)
    assert config.store.hours_on(date(2026, 12, 25)) is None
    assert config.store.hours_on(date(2026, 12, 23)) == (9 * 60 + 30, 20 * 60), "a Wednesday: its weekday's hours"
    tents = config.appointments.kinds["tents"]
    assert (tents.length_minutes, tents.buffer_minutes) == (30, 10), "the buffer keeps its default"
    bad = '[store.holidays]\n"24.12.2026" = "closed"\n[appointments.kinds]\ntents = { length_minutes = 2 }\n'
    with pytest.raises(ConfigError) as error:
        load_config(_write(tmp_path, bad, "bad.toml"))
    assert error.value.problems == (
        '[store.holidays]: "24.12.2026" is not a date like "2026-12-24"',
        "[appointments.kinds] tents.length_minutes: must be at least 5 (got 2)",
    )


# -- the merchandisers' content -----------------------------------------------------------------------------------


def test_content_paths_are_found_next_to_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "etc"
    (folder / "content" / "questionnaires").mkdir(parents=True)
    (folder / "content" / "guides.json").write_text("{}", encoding="utf-8")
    charts = tmp_path / "charts.json"
    charts.write_text("{}", encoding="utf-8")
    path = _write(
        folder,
        f"""
        [content]
        questionnaires = "content/questionnaires"
        guides = "content/guides.json"
        size_charts = {_toml_string(str(charts))}
        """,
    )
    monkeypatch.chdir(tmp_path)  # not the config folder
    content = load_config(path).content
    assert content.questionnaires == folder / "content" / "questionnaires"
    assert content.guides == folder / "content" / "guides.json"
    assert content.size_charts == charts


def test_content_left_empty_means_the_shipped_files(tmp_path: Path) -> None:
    content = load_config(_write(tmp_path, '[content]\nquestionnaires = ""\nguides = " "\n')).content
    assert content == cfg.ContentConfig() and content.questionnaires is None and content.guides is None


def test_content_that_is_not_there_is_named_with_the_place_looked_at(tmp_path: Path) -> None:
    (tmp_path / "guides").mkdir()
    (tmp_path / "fragen.yaml").write_text("", encoding="utf-8")
    message = _error(
        tmp_path,
        '[content]\nquestionnaires = "fragen.yaml"\nguides = "guides"\nsize_charts = "charts.json"\n',
    )
    assert message.splitlines() == [
        f'{tmp_path / "config.toml"}: [content] questionnaires: "fragen.yaml" is a file, not a folder (looked for the '
        f"folder {tmp_path / 'fragen.yaml'})",
        f'{tmp_path / "config.toml"}: [content] guides: "guides" is a folder, not a file (looked for '
        f"{tmp_path / 'guides'})",
        f'{tmp_path / "config.toml"}: [content] size_charts: "charts.json" does not exist (looked for '
        f"{tmp_path / 'charts.json'})",
    ]


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://beratung.example.org/", "https://beratung.example.org"),
        ("http://10.0.0.5:8000", "http://10.0.0.5:8000"),
        ("http://[fd00::5]:8000/", "http://[fd00::5]:8000"),
        ("https://beratung.müller-sport.de", "https://beratung.müller-sport.de"),
    ],
)
def test_a_web_address_of_its_own_host_name_or_port_is_taken(tmp_path: Path, url: str, kept: str) -> None:
    config = load_config(_write(tmp_path, f'[web]\npublic_base_url = "{url}"\n'))
    assert config.web.public_base_url == kept


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[appointments.kinds]\ntents = { lenght_minutes = 20 }\n",
            "[appointments.kinds] tents.lenght_minutes: unknown key (did you mean length_minutes?)",
        ),
        ('[store.places]\nk1 = { de = "x", fr = "y" }\n', '[store.places] k1.fr: must be "de" or "en" (got "fr")'),
        ("[store.places]\nk1 = { de = 5 }\n", "[store.places] k1.de: must be a string in quotes (got 5)"),
    ],
)
def test_a_mistake_inside_a_table_of_tables_names_its_key_as_written(tmp_path: Path, text: str, expected: str) -> None:
    message = _error(tmp_path, text)
    assert message.splitlines() == [f"{tmp_path / 'config.toml'}: {expected}"]


def test_a_store_id_the_catalog_does_not_know_is_named_at_start_with_the_catalogs_stores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A typo in [store] id (vie-1 for vie-01) would show every product as out of stock: the kiosk's and the web
    server's journal say so at start, naming the stores the catalog has."""
    from advisor.bootstrap import open_database
    from advisor.cli import _warn_unknown_store

    typo = Config.model_validate({"store": {"id": "vie-1"}})
    assert typo.store.unknown_in(frozenset()) is None, "a catalog without stores: nothing to compare"
    assert Config.model_validate({"store": {"id": "muc-01"}}).store.unknown_in({"muc-01", "ham-01"}) is None
    engine = open_database(f"sqlite:///{tmp_path / 'store.sqlite3'}")  # a new file: the sample catalog
    assert capsys.readouterr().err.startswith("advisor: loaded the sample catalog into "), "said where it is loaded"
    _warn_unknown_store("advisor serve", typo, engine)
    said = capsys.readouterr().err
    assert said.startswith("advisor serve: [store] id 'vie-1' is not a store of the catalog (its stores: ")
    assert "muc-01" in said and "every product reads as out of stock here" in said
    _warn_unknown_store("advisor serve", Config.model_validate({"store": {"id": "muc-01"}}), engine)
    assert capsys.readouterr().err == ""
