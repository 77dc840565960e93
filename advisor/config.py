"""The store's configuration file (TOML): validated, with a default for every key, so no file means all defaults.

The kiosk, the staff console and the web server read it at start; see docs/configuration.md.
"""

from __future__ import annotations

import contextlib
import difflib
import ipaddress
import json
import os
import re
import secrets
import socket
import tomllib
import types
import typing
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal, cast
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import ErrorDetails

from advisor.paths import APP_NAME, Content, data_dir, use_content
from advisor.urls import UNUSABLE, redacted, usable

CONFIG_ENV = "ADVISOR_CONFIG"
SECRET_KEY_FILE = "secret.key"
MIN_SECRET_KEY_LENGTH = 32
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # datetime.weekday() order

_MODEL_CONFIG = ConfigDict(extra="forbid", frozen=True, strict=True)


class ConfigError(ValueError):
    """A configuration problem; the message names the file, the key and what is wrong, one problem a line."""

    def __init__(self, source: str | os.PathLike[str] | None, problems: Sequence[str]) -> None:
        self.source = None if source is None else Path(source)
        self.problems = tuple(problems)
        prefix = "" if source is None else f"{os.fspath(source)}: "
        super().__init__("\n".join(prefix + problem for problem in self.problems))


# -- value checks (raise ValueError; the message follows "[section] key: ") --------------------------------------


def _show(value: Any) -> str:
    """A value as it would look in the TOML file (shortened when long)."""
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= 60 else text[:56] + '…"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_show(item) for item in value) + "]"
    if isinstance(value, dict):
        return "a table"
    return repr(value)


_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _colour(value: str) -> str:
    if not _COLOUR.fullmatch(value):
        raise ValueError(f'{_show(value)} is not a colour like "#1f4d3a"')
    return value.lower()


Colour = Annotated[str, AfterValidator(_colour)]

_TIME = re.compile(r"(\d{1,2}):(\d{2})")


def _minutes(text: str, whole: str, *, closing: bool) -> int:
    """Minutes since midnight of "HH:MM"; "24:00" only as a closing time."""
    match = _TIME.fullmatch(text.strip())
    if not match:
        raise ValueError(f'{_show(whole)} is not opening hours like "09:30-20:00" or "closed"')
    hours, minutes = int(match[1]), int(match[2])
    if (hours, minutes) == (24, 0) and closing:
        return 24 * 60
    if hours > 23 or minutes > 59:
        raise ValueError(f"{_show(whole)}: {text.strip()} is not a time of day (00:00 to 23:59)")
    return hours * 60 + minutes


def _parse_hours(value: str) -> tuple[int, int] | None:
    """(opening, closing) in minutes since midnight, or None when closed."""
    if value.strip().lower() == "closed":
        return None
    opening, dash, closing = value.partition("-")
    if not dash:
        raise ValueError(f'{_show(value)} is not opening hours like "09:30-20:00" or "closed"')
    start = _minutes(opening, value, closing=False)
    end = _minutes(closing, value, closing=True)
    if end <= start:
        raise ValueError(f"{_show(value)}: the closing time must be after the opening time")
    return start, end


def _hours(value: str) -> str:
    span = _parse_hours(value)
    if span is None:
        return "closed"
    return "-".join(f"{minutes // 60:02d}:{minutes % 60:02d}" for minutes in span)


Hours = Annotated[str, AfterValidator(_hours)]


# -- the sections -------------------------------------------------------------------------------------------------


class OpeningHours(BaseModel):
    """When staff are in the store: "HH:MM-HH:MM" or "closed" for each weekday."""

    model_config = _MODEL_CONFIG

    mon: Hours = "09:30-20:00"
    tue: Hours = "09:30-20:00"
    wed: Hours = "09:30-20:00"
    thu: Hours = "09:30-20:00"
    fri: Hours = "09:30-20:00"
    sat: Hours = "09:30-20:00"
    sun: Hours = "closed"

    def span(self, weekday: int) -> tuple[int, int] | None:
        """(opening, closing) in minutes since midnight on a weekday (0 = Monday), or None when closed."""
        value: str = getattr(self, WEEKDAYS[weekday])
        return _parse_hours(value)


Locale = Literal["de", "en"]


class StoreConfig(BaseModel):
    """[store]: which store this is, its languages, time zone and opening hours."""

    model_config = _MODEL_CONFIG

    id: str = "muc-01"
    name: str = "Nordgrat München"
    kiosk_id: str = ""
    locales: tuple[Locale, ...] = Field(default=("de", "en"), strict=False, min_length=1)
    default_locale: Locale = Field(default="de", validate_default=True)
    timezone: str = "Europe/Berlin"
    opening_hours: OpeningHours = Field(default_factory=OpeningHours)
    # kiosk id -> where it stands ("Zelte, 1. OG"), the same in every language or per language {de = …, en = …}
    places: dict[str, str | dict[Locale, str]] = Field(default_factory=dict)
    # A date ("2026-12-24") -> the hours that day instead of its weekday's ("closed" for a holiday).
    holidays: dict[str, Hours] = Field(default_factory=dict)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9-]+", value):
            raise ValueError(f'{_show(value)} must be lower-case letters, digits and "-", like "muc-01"')
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value

    def unknown_in(self, stores: Collection[str]) -> str | None:
        """What to tell store IT when this store is none of the catalog's `stores` (a typo such as vie-1): every
        product would read as out of stock here. None when it is one of them, or the catalog names no store."""
        if not stores or self.id in stores:
            return None
        known = ", ".join(sorted(stores))
        return (f"[store] id {self.id!r} is not a store of the catalog (its stores: {known}): every product reads as "
                "out of stock here; correct [store] id in the configuration, or import this store's stock")  # fmt: skip

    @field_validator("locales")
    @classmethod
    def _locales(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        duplicates = sorted({locale for locale in value if value.count(locale) > 1})
        if duplicates:
            raise ValueError(f"{', '.join(_show(locale) for locale in duplicates)} appears more than once")
        return value

    @field_validator("default_locale")
    @classmethod
    def _default_locale(cls, value: str, info: ValidationInfo) -> str:
        locales = info.data.get("locales")
        if locales is not None and value not in locales:
            raise ValueError(f"{_show(value)} is not one of the locales {_show(list(locales))}")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValueError(f'{_show(value)} is not a known time zone like "Europe/Berlin"') from None
        return value

    @field_validator("places", mode="before")
    @classmethod
    def _places_written(cls, value: Any) -> Any:
        """One message for a place that is neither a name nor a table of names (not one per way it could be)."""
        if isinstance(value, dict):
            for kiosk, place in value.items():
                if not isinstance(place, str | dict):
                    raise ValueError(
                        f"{_show(kiosk)} must be a place in quotes, or a table of one per language like "
                        f'{{ de = "Eingang", en = "Entrance" }} (got {_show(place)})'
                    )
        return value

    @field_validator("places")
    @classmethod
    def _places(cls, value: dict[str, str | dict[Locale, str]]) -> dict[str, str | dict[Locale, str]]:
        empty = sorted(
            kiosk for kiosk, place in value.items()
            if not (place.strip() if isinstance(place, str) else place and all(name.strip() for name in place.values()))
        )  # fmt: skip
        if empty:
            raise ValueError(f"the place of {', '.join(_show(kiosk) for kiosk in empty)} must not be empty")
        return value

    def place_names(self, locale: str) -> dict[str, str]:
        """Where each kiosk stands, in `locale` (a place given in other languages only: in the store's default)."""
        names: dict[str, str] = {}
        for kiosk, place in self.places.items():
            if isinstance(place, str):
                names[kiosk] = place
            else:  # (the validator keeps every per-language place non-empty)
                by_locale = cast(Mapping[str, str], place)
                names[kiosk] = by_locale.get(locale) or by_locale.get(self.default_locale) or next(iter(place.values()))
        return names

    @field_validator("holidays")
    @classmethod
    def _holidays(cls, value: dict[str, str]) -> dict[str, str]:
        for day in value:
            try:
                date.fromisoformat(day)
            except ValueError:
                raise ValueError(f'{_show(day)} is not a date like "2026-12-24"') from None
        return {date.fromisoformat(day).isoformat(): hours for day, hours in value.items()}

    def hours_on(self, day: date) -> tuple[int, int] | None:
        """(opening, closing) in minutes since midnight on a date (a holiday's hours win), or None when closed."""
        exception = self.holidays.get(day.isoformat())
        if exception is not None:
            return _parse_hours(exception)
        return self.opening_hours.span(day.weekday())

    @property
    def zone(self) -> ZoneInfo:
        """The store's time zone."""
        return ZoneInfo(self.timezone)

    @property
    def kiosk_name(self) -> str:
        """This kiosk's name: kiosk_id, else the machine's host name."""
        return self.kiosk_id or socket.gethostname()


class KioskConfig(BaseModel):
    """[kiosk]: the kiosk screen."""

    model_config = _MODEL_CONFIG

    fullscreen: bool = False
    idle_timeout_seconds: int = Field(default=90, ge=30, le=3600)
    idle_warning_seconds: int = Field(default=20, ge=20, le=300)  # WCAG 2.2.1: at least 20 s to extend
    feedback_scale: Literal["grades", "stars"] = "grades"
    on_screen_keyboard: bool = True  # a tapped text field brings up the kiosk's own keyboard (a touch screen's keys)

    @field_validator("idle_warning_seconds")
    @classmethod
    def _warning(cls, value: int, info: ValidationInfo) -> int:
        timeout = info.data.get("idle_timeout_seconds")
        if timeout is not None and value >= timeout:
            raise ValueError(f"must be less than idle_timeout_seconds ({timeout}) (got {value})")
        return value


LOGO_SUFFIXES = (".svg", ".png")


def _relative(value: Any, info: ValidationInfo) -> tuple[str, Path] | None:
    """A path as written (for messages) and where it points: relative to the configuration file's folder."""
    if not isinstance(value, str | Path):
        raise ValueError(f"must be a string (got {_show(value)})")
    if isinstance(value, str) and not value.strip():
        return None
    path = Path(value).expanduser()
    if not path.is_absolute():
        base = (info.context or {}).get("base_dir")
        path = (Path(base) if base is not None else Path.cwd()) / path
    return str(value), path


def _logo(value: Any, info: ValidationInfo) -> Path | None:
    found = _relative(value, info)
    if found is None:
        return None
    written, path = found
    if path.suffix.lower() not in LOGO_SUFFIXES:
        raise ValueError(f"{_show(written)} is not an SVG or PNG file")
    if not path.is_file():
        raise ValueError(f"{_show(written)} does not exist (looked for {path})")
    return path


class ThemeConfig(BaseModel):
    """[theme]: the store's colours ("#rrggbb") and logo."""

    model_config = _MODEL_CONFIG

    background: Colour = "#f4f1ea"
    surface: Colour = "#ffffff"
    primary: Colour = "#1f4d3a"
    on_primary: Colour = "#ffffff"
    accent: Colour = "#b5500f"
    on_accent: Colour = "#ffffff"
    text: Colour = "#1c2420"
    muted: Colour = "#4d5a53"
    border: Colour = "#d5d0c4"
    selected: Colour = "#e3efe7"
    positive: Colour = "#1d6b3e"
    negative: Colour = "#9c2f1c"
    focus: Colour = "#0b5cad"
    logo: Path | None = None  # None: the shipped logo; else an absolute path to an existing SVG/PNG

    @field_validator("logo", mode="before")
    @classmethod
    def _logo_path(cls, value: Any, info: ValidationInfo) -> Path | None:
        return _logo(value, info)


def _existing(value: Any, info: ValidationInfo, *, folder: bool) -> Path | None:
    """A folder or a file that must be there (None: the shipped one)."""
    found = _relative(value, info)
    if found is None:
        return None
    written, path = found
    if folder and not path.is_dir():
        what = "is a file, not a folder" if path.exists() else "does not exist"
        raise ValueError(f"{_show(written)} {what} (looked for the folder {path})")
    if not folder and not path.is_file():
        what = "is a folder, not a file" if path.is_dir() else "does not exist"
        raise ValueError(f"{_show(written)} {what} (looked for {path})")
    return path


class ContentConfig(BaseModel):
    """[content]: the merchandisers' files, when not the shipped ones; a relative path is relative to the
    configuration file's folder."""

    model_config = _MODEL_CONFIG

    questionnaires: Path | None = None  # a folder of questionnaire files (.yaml)
    guides: Path | None = None  # the repair and care guides (guides.json)
    size_charts: Path | None = None  # the size charts (size_charts.json)

    @field_validator("questionnaires", mode="before")
    @classmethod
    def _questionnaires(cls, value: Any, info: ValidationInfo) -> Path | None:
        return _existing(value, info, folder=True)

    @field_validator("guides", "size_charts", mode="before")
    @classmethod
    def _files(cls, value: Any, info: ValidationInfo) -> Path | None:
        return _existing(value, info, folder=False)


class DatabaseConfig(BaseModel):
    """[database]: "" means ADVISOR_DATABASE_URL, else SQLite in the data directory; else an SQLite or a
    PostgreSQL URL (postgresql:// or postgres://), checked as --db and ADVISOR_DATABASE_URL are."""

    model_config = _MODEL_CONFIG

    url: str = Field(default="", repr=False)  # it may hold the password: a message shows it with the password hidden

    @field_validator("url")
    @classmethod
    def _url(cls, value: str, info: ValidationInfo) -> str:
        if value and not usable(value):
            raise ValueError(f"{_show(redacted(value))} {UNUSABLE}")
        return _sqlite_beside(value, info)


def _sqlite_beside(url: str, info: ValidationInfo) -> str:
    """An SQLite file named by a relative path lies in the configuration file's folder, as the logo and content
    paths do: every program reading the file (a kiosk started from /, `advisor db upgrade` from a home folder) then
    opens the same database, not one in its own working directory."""
    from sqlalchemy.engine import make_url

    if not url or not url.strip().lower().startswith("sqlite"):
        return url
    parsed = make_url(url.strip())
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:") or Path(database).is_absolute():
        return url
    base = (info.context or {}).get("base_dir")
    beside = (Path(base) if base is not None else Path.cwd()) / Path(database).expanduser()
    return parsed.set(database=str(beside.resolve())).render_as_string(hide_password=False)


class WebConfig(BaseModel):
    """[web]: the web server phones reach through the QR codes."""

    model_config = _MODEL_CONFIG

    public_base_url: str = "http://localhost:8000"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    secret_key: str = Field(default="", repr=False)
    api_docs: bool = False  # the API's OpenAPI document and Swagger UI under /api/ (off: only the API itself)
    workers: int = Field(default=1, ge=1, le=64)  # server processes; every limit is shared through the database
    # Reverse proxies (IPs or networks) whose X-Forwarded-For names the client; none: the peer is the client.
    forwarded_allow_ips: tuple[str, ...] = Field(default=(), strict=False)
    # The store's own networks (its guest Wi-Fi's public address): clients in them share no per-client budget.
    store_networks: tuple[str, ...] = Field(default=(), strict=False)

    @property
    def reachable_from_phones(self) -> bool:
        """Whether the public address can work on a shopper's phone (not localhost: the default, unset)."""
        return is_public_address(self.public_base_url)

    @field_validator("public_base_url")
    @classmethod
    def _public_base_url(cls, value: str) -> str:
        wrong = f'{_show(value)} is not a URL like "https://beratung.example.org" or "http://10.0.0.5:8000"'
        try:
            parts = urlsplit(value)
            _ = parts.port  # raises ValueError on a bad port
        except ValueError:
            raise ValueError(wrong) from None
        if parts.scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
            raise ValueError(wrong)
        if not _is_host_name(parts.hostname):
            raise ValueError(
                f"{_show(value)}: {_show(parts.hostname)} is not a host name (letters, digits, - and . only) "
                'or an IP address, like "https://beratung.example.org" or "http://10.0.0.5:8000"'
            )
        if parts.query or parts.fragment or "?" in value or "#" in value:
            raise ValueError(f"{_show(value)} must not have a query (?) or fragment (#)")
        if parts.path not in ("", "/"):
            raise ValueError(
                f"{_show(value)} has a path ({_show(parts.path)}): the web companion cannot be served under a path, "
                'it needs a host name (or port) of its own, e.g. "https://beratung.example.org"'
            )
        return value.rstrip("/")

    @field_validator("host")
    @classmethod
    def _host(cls, value: str) -> str:
        if not value.strip():
            raise ValueError('must not be empty (use "0.0.0.0" for every network interface)')
        return value

    @field_validator("secret_key")
    @classmethod
    def _secret_key(cls, value: str) -> str:
        if value and len(value) < MIN_SECRET_KEY_LENGTH:
            raise ValueError(f"must be at least {MIN_SECRET_KEY_LENGTH} characters long (got {len(value)})")
        return value

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _forwarded_allow_ips(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _networks(value, example='"10.0.0.5" or "10.0.0.0/8"')

    @field_validator("store_networks")
    @classmethod
    def _store_networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _networks(value, example='"203.0.113.7/32" or "2001:db8:1::/48"')


_HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def _is_host_name(host: str) -> bool:
    """Whether `host` (as urlsplit gives it: lower case, no brackets) is an IP address or a DNS host name; a name in
    other scripts counts by its IDNA (xn--) form, as a browser sends it."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        ascii_name = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_name.lower().removesuffix(".").split(".")
    return len(ascii_name) <= 253 and all(_HOST_LABEL.fullmatch(label) for label in labels)


def _networks(value: tuple[str, ...], *, example: str) -> tuple[str, ...]:
    """IP addresses or networks, each as its network ("10.0.0.5" as "10.0.0.5/32"; host bits are dropped)."""
    networks = []
    for entry in value:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False).compressed)
        except ValueError:
            raise ValueError(f"{_show(entry)} is not an IP address or network like {example}") from None
    return tuple(networks)


_PIN_HASH = re.compile(r"scrypt\$(?:[0-9a-f]{2})+\$(?:[0-9a-f]{2})+")


class StaffConfig(BaseModel):
    """[staff]: leaving the kiosk."""

    model_config = _MODEL_CONFIG

    exit_pin_hash: str = ""

    @field_validator("exit_pin_hash")
    @classmethod
    def _exit_pin_hash(cls, value: str) -> str:
        if value and not _PIN_HASH.fullmatch(value):
            raise ValueError('is not a PIN hash like "scrypt$<hex salt>$<hex digest>"')
        return value


class PrivacyConfig(BaseModel):
    """[privacy]: how long data is kept."""

    model_config = _MODEL_CONFIG

    session_retention_days: int = Field(default=14, ge=1, le=365)
    event_retention_days: int = Field(default=365, ge=1, le=3650)
    # A shopper's name, contact and the consultant's notes are forgotten this long after the appointment ended.
    appointment_retention_days: int = Field(default=14, ge=1, le=365)
    unclaimed_request_minutes: int = Field(default=30, ge=1, le=1440)
    # A web session nobody reached the results of or gave consent in ends this long after its last change.
    web_session_idle_hours: int = Field(default=12, ge=1, le=168)

    @property
    def unclaimed_after(self) -> timedelta:
        """How long a request for staff waits for a claim before it expires."""
        return timedelta(minutes=self.unclaimed_request_minutes)


_ADDRESS = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>.]+")


class SmtpConfig(BaseModel):
    """[smtp]: sending e-mail; host "" means e-mail is not configured."""

    model_config = _MODEL_CONFIG

    host: str = ""
    port: int = Field(default=587, ge=1, le=65535)
    username: str = ""
    password: str = Field(default="", repr=False)
    sender: str = Field(default="", validate_default=True)
    starttls: bool = True

    @field_validator("sender")
    @classmethod
    def _sender(cls, value: str, info: ValidationInfo) -> str:
        if value and not _ADDRESS.fullmatch(value):
            raise ValueError(f'{_show(value)} is not an e-mail address like "advice@example.com"')
        if not value and info.data.get("host"):
            raise ValueError('is needed when host is set: the address e-mails come from, like "advice@example.com"')
        return value

    @property
    def enabled(self) -> bool:
        """Whether e-mail is configured."""
        return bool(self.host)


class AppointmentKind(BaseModel):
    """How long an appointment of one category lasts, and the time the consultant keeps free after it."""

    model_config = _MODEL_CONFIG

    length_minutes: int = Field(default=20, ge=5, le=240)
    buffer_minutes: int = Field(default=10, ge=0, le=120)


class AppointmentsConfig(BaseModel):
    """[appointments]: booked time with a consultant."""

    model_config = _MODEL_CONFIG

    step_minutes: int = Field(default=15, ge=5, le=120)  # slots start this far apart, from the opening time
    horizon_days: int = Field(default=28, ge=1, le=365)  # how far ahead a shopper can book
    no_show_grace_minutes: int = Field(default=15, ge=0, le=120)
    kinds: dict[str, AppointmentKind] = Field(default_factory=dict)  # category id -> its appointment kind


class Config(BaseModel):
    """The whole configuration; `source` is the file it came from (None for the defaults)."""

    model_config = _MODEL_CONFIG

    store: StoreConfig = Field(default_factory=StoreConfig)
    kiosk: KioskConfig = Field(default_factory=KioskConfig)
    theme: ThemeConfig = Field(default_factory=ThemeConfig)
    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    web: WebConfig = Field(default_factory=WebConfig)
    staff: StaffConfig = Field(default_factory=StaffConfig)
    privacy: PrivacyConfig = Field(default_factory=PrivacyConfig)
    smtp: SmtpConfig = Field(default_factory=SmtpConfig)
    appointments: AppointmentsConfig = Field(default_factory=AppointmentsConfig)
    content: ContentConfig = Field(default_factory=ContentConfig)
    source: Path | None = Field(default=None, exclude=True)


SECTIONS = tuple(name for name in Config.model_fields if name != "source")


# -- loading ------------------------------------------------------------------------------------------------------


def is_public_address(url: str) -> bool:
    """Whether a web address points somewhere a phone can reach: not localhost or a loopback address."""
    import ipaddress

    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True  # a name: the store's DNS decides


def use_configured_content(config: Config) -> None:
    """From here on, this process reads the questionnaires, guides and size charts where [content] says."""
    content = config.content
    use_content(Content(content.questionnaires, content.guides, content.size_charts))


def default_config() -> Config:
    """The configuration when there is no file."""
    return Config()


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The file to read: the explicit path, else $ADVISOR_CONFIG, else config.toml in the user config directory."""
    if explicit is not None:
        return Path(explicit).expanduser()
    from_env = os.environ.get(CONFIG_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


_TOML_POSITION = re.compile(r"(?s)(.*) \(at line (\d+), column (\d+)\)")
_TOML_END = re.compile(r"(?s)(.*) \(at end of document\)")


def _syntax_problem(error: tomllib.TOMLDecodeError, text: str = "") -> str:
    message = str(error)
    if match := _TOML_POSITION.fullmatch(message):
        if match[1] == "Cannot overwrite a value":  # a key written twice: name it, and what to do
            lines = text.splitlines()
            line = lines[int(match[2]) - 1].strip() if int(match[2]) <= len(lines) else ""
            key = line.partition("=")[0].strip()
            if key:
                return f"line {match[2]}: {key} is set twice in its table; keep one of them"
        if twice := re.fullmatch(r"Cannot declare \((.*)\) twice", match[1]):
            table = ".".join(part.strip().strip("'\"") for part in twice[1].split(",") if part.strip())
            return f"line {match[2]}: the table [{table}] is written twice; put its keys under one [{table}]"
        return f"line {match[2]}, column {match[3]}: {match[1]}"
    if match := _TOML_END.fullmatch(message):
        return f"at the end of the file: {match[1]}"
    return message


def _read(path: Path, explicit: bool) -> dict[str, Any] | None:
    """The parsed file, or None when it does not exist and need not."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if explicit:
            raise ConfigError(path, ["the configuration file does not exist"]) from None
        return None
    except IsADirectoryError:
        raise ConfigError(path, ["is a folder, not a configuration file"]) from None
    except OSError as error:
        raise ConfigError(path, [f"cannot be read: {error.strerror or error}"]) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError(path, [f"line {line}: the file is not UTF-8 text"]) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(path, [_syntax_problem(error, text)]) from None


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read and check the configuration file (see config_path); all defaults when the default file is missing."""
    explicit = path is not None or bool(os.environ.get(CONFIG_ENV))
    file = config_path(path)
    raw = _read(file, explicit)
    if raw is None:
        return default_config()
    source = file.absolute()
    problems = [_unknown_problem((name,)) for name in raw if name not in SECTIONS]
    known = {name: value for name, value in raw.items() if name in SECTIONS}
    try:
        config = Config.model_validate({**known, "source": source}, context={"base_dir": source.parent})
    except ValidationError as error:
        problems += _problems(error.errors(include_url=False))
    if problems:
        raise ConfigError(file, problems)
    return config


# -- pydantic's errors, in the file's words -----------------------------------------------------------------------

_SECRET_KEYS = frozenset({"secret_key", "password"})  # their values never appear in a message
_TYPE_NAMES = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "a string in quotes",
    "tuple_type": 'a list like ["de", "en"]',
    "list_type": 'a list like ["de", "en"]',
    "model_type": "a table",
    "model_attributes_type": "a table",
    "dict_type": "a table",
}

_LIST_EXAMPLES = {  # lists whose example is not ["de", "en"]
    "forwarded_allow_ips": '["10.0.0.5", "10.0.0.0/8"]',
    "store_networks": '["203.0.113.7/32"]',
}


def _split(loc: tuple[int | str, ...]) -> tuple[list[str], list[str], type[BaseModel]]:
    """A location as (table path, key path, the model of the table)."""
    model: type[BaseModel] = Config
    tables: list[str] = []
    parts = [str(part) for part in loc if isinstance(part, str)]
    for index, part in enumerate(parts):
        field = model.model_fields.get(part)
        annotation = field.annotation if field is not None else None
        if isinstance(annotation, type) and issubclass(annotation, BaseModel) and index < len(parts) - 1:
            model = annotation
            tables.append(part)
        else:
            return tables, parts[index:], model
    return tables, [], model


def _where(tables: list[str], keys: list[str]) -> str:
    if not tables:
        return f"[{'.'.join(keys)}]"
    return f"[{'.'.join(tables)}]" + (f" {'.'.join(keys)}" if keys else "")


def _as_written(tables: list[str], keys: list[str], model: type[BaseModel]) -> tuple[list[str], list[str]]:
    """A key inside a table of free keys ([store.holidays], [store.places]) as the file writes it: under that table,
    quoted unless it is a plain name ('[store.holidays] "2026-12-24"', not '[store] holidays.2026-12-24')."""
    field = model.model_fields.get(keys[0]) if tables and keys else None
    if field is None or typing.get_origin(field.annotation) is not dict:
        return tables, keys
    inner = [key if key.isidentifier() else json.dumps(key, ensure_ascii=False) for key in keys[1:]]
    return [*tables, keys[0]], inner


def _unknown_problem(loc: tuple[int | str, ...]) -> str:
    tables, keys, model = _split(loc)
    name = keys[0] if keys else str(loc[-1])
    if not tables:
        guess = difflib.get_close_matches(name, SECTIONS, n=1)
        if guess:
            return f"[{name}]: unknown section (did you mean [{guess[0]}]?)"
        owners = [section for section in SECTIONS if name in _table_keys(section)]
        if owners:
            return f"{name}: unknown section (did you mean to put it under [{owners[0]}]?)"
        return f"[{name}]: unknown section (the sections are {', '.join(f'[{s}]' for s in SECTIONS)})"
    entry = _entry_model(model, keys)
    if entry is not None:  # a key inside one entry of a table of tables ([appointments.kinds] tents = { … })
        guess = difflib.get_close_matches(keys[-1], _keys_of(entry), n=1)
        hint = f" (did you mean {guess[0]}?)" if guess else ""
        return f"{_where(*_as_written(tables, keys, model))}: unknown key{hint}"
    guess = difflib.get_close_matches(name, _keys_of(model), n=1)
    hint = f" (did you mean {guess[0]}?)" if guess else ""
    return f"{_where(tables, [name])}: unknown key{hint}"


def _entry_model(model: type[BaseModel], keys: list[str]) -> type[BaseModel] | None:
    """The model of one entry of a table of tables (AppointmentKind for kinds.tents.<key>), when `keys` name a key
    inside such an entry; else None."""
    field = model.model_fields.get(keys[0]) if len(keys) == 3 else None
    if field is None or typing.get_origin(field.annotation) is not dict:
        return None
    entry = typing.get_args(field.annotation)[1]
    return entry if isinstance(entry, type) and issubclass(entry, BaseModel) else None


def _union_member(loc: tuple[int | str, ...]) -> tuple[tuple[int | str, ...], str | None]:
    """The location without what pydantic adds for a value of a table of free keys that may be written two ways
    ([store.places] k1 = "…" or { de = "…" }): the member tried ("str", "dict[…]") and a key's "[key]"; and that
    member (None when there is none)."""
    tables, keys, model = _split(loc)
    field = model.model_fields.get(keys[0]) if len(keys) >= 3 else None
    if field is None or typing.get_origin(field.annotation) is not dict:
        return loc, None
    value = typing.get_args(field.annotation)[1]
    if typing.get_origin(value) not in (typing.Union, types.UnionType):
        return loc, None
    inner = [key for key in keys[3:] if key != "[key]"]
    return (*tables, *keys[:2], *inner), keys[2]


def _problems(details: Sequence[ErrorDetails]) -> list[str]:
    """pydantic's errors in the file's words; of a value that may be written two ways, what is wrong with the way
    it was written (a table's wrong language, not also that it is no string)."""
    found = []
    for detail in details:
        loc, member = _union_member(tuple(detail["loc"]))
        if member == "str" and isinstance(detail.get("input"), dict):
            continue  # written as a table: the table's own errors say what is wrong with it
        cleaned = detail.copy()
        cleaned["loc"] = loc
        found.append(_problem(cleaned))
    return found


def _keys_of(model: type[BaseModel]) -> list[str]:
    return [name for name in model.model_fields if name != "source"]


def _table_keys(section: str) -> list[str]:
    annotation = Config.model_fields[section].annotation
    assert isinstance(annotation, type) and issubclass(annotation, BaseModel)
    return _keys_of(annotation)


def _problem(detail: ErrorDetails) -> str:
    kind = detail["type"]
    loc = tuple(detail["loc"])
    if kind == "extra_forbidden":
        return _unknown_problem(loc)
    tables, keys, model = _split(loc)
    where = _where(*_as_written(tables, keys, model))
    ctx = detail.get("ctx") or {}
    got = "" if keys and keys[-1] in _SECRET_KEYS else f" (got {_show(detail.get('input'))})"
    if kind == "value_error" and "error" in ctx:
        message = str(ctx["error"])
    elif kind in ("greater_than_equal", "greater_than"):
        message = f"must be at least {ctx.get('ge', ctx.get('gt'))}{got}"
    elif kind in ("less_than_equal", "less_than"):
        message = f"must be at most {ctx.get('le', ctx.get('lt'))}{got}"
    elif kind == "too_short":
        message = "must not be empty"
    elif kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", '"')
        message = f"must be {expected}{got}"
    elif kind in ("tuple_type", "list_type") and keys and keys[-1] in _LIST_EXAMPLES:
        given = detail.get("input")  # a single address written as a string: the list of it is the example
        example = f"[{_show(given)}]" if isinstance(given, str) else _LIST_EXAMPLES[keys[-1]]
        message = f"must be a list like {example}{got}"
    elif kind in _TYPE_NAMES:
        message = f"must be {_TYPE_NAMES[kind]}{got}"
    else:
        message = f"{detail['msg']}{got}"
    return f"{where}: {message}"


# -- opening hours ------------------------------------------------------------------------------------------------


def _aware(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime (with a time zone)")
    return now


def _at(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """The moment of a wall-clock time on a day in a zone (a time skipped by DST moves forward)."""
    if minutes == 24 * 60:
        wall = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    else:
        wall = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone)
    return wall.astimezone(UTC).astimezone(zone)


BACK_WITHIN_DAYS = 31  # the next opening is looked for this far ahead: a week, and the longest holiday closing


def staff_back_at(config: Config, now: datetime) -> datetime | None:
    """`now` when the store is open, else the next opening (store time zone, a holiday's hours winning over the
    weekday's) within BACK_WITHIN_DAYS; None if it does not open by then."""
    zone = config.store.zone
    today = _aware(now).astimezone(zone).date()
    moment = now.astimezone(UTC)
    for offset in range(BACK_WITHIN_DAYS + 1):
        day = today + timedelta(days=offset)
        span = config.store.hours_on(day)
        if span is None:
            continue
        opens, closes = _at(day, span[0], zone), _at(day, span[1], zone)
        if opens <= moment < closes:
            return now
        if moment < opens:
            return opens
    return None


def is_open(config: Config, now: datetime) -> bool:
    """Whether staff are in the store at `now` (an aware datetime)."""
    return staff_back_at(config, now) == now


# -- secrets and URLs ---------------------------------------------------------------------------------------------


def secret_key(config: Config) -> bytes:
    """The key for signing: [web] secret_key, else one made once and kept in <data dir>/secret.key (mode 600)."""
    if config.web.secret_key:
        return config.web.secret_key.encode()
    path = data_dir() / SECRET_KEY_FILE
    if not path.exists():
        _create_secret(path)
    try:
        key = path.read_bytes()
    except OSError as error:
        raise ConfigError(path, [f"cannot be read: {error.strerror or error}"]) from None
    if len(key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(path, [f"the secret key is too short ({len(key)} bytes); delete the file to make a new one"])
    return key


def _create_secret(path: Path) -> None:
    """Write a new random key without ever exposing a half-written or world-readable file (safe against races)."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(secrets.token_bytes(32))
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o600)  # whatever the umask
        with contextlib.suppress(FileExistsError):  # another process made the key first: that one is kept
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def database_url_of(config: Config) -> str | None:
    """The configured database URL, or None for the default (ADVISOR_DATABASE_URL, else SQLite)."""
    return config.database.url or None
