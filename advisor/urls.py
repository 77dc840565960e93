"""Database URLs as people write them: which the advisor can use, and how one is shown without its password.

Below both the configuration (a `[database] url`) and the database layer (`--db`, ADVISOR_DATABASE_URL), which
sit side by side and do not import each other: one rule, the same words, wherever a URL was given."""

from __future__ import annotations

import re

# The databases the advisor runs on; "postgres" is PostgreSQL's short name (its own tools and many hosts use it).
SCHEMES = ("sqlite", "postgresql", "postgres")
UNUSABLE = (  # after the URL (redacted), wherever it was given
    'is not a database URL the advisor can use: it must start with "sqlite://" or "postgresql://" (or "postgres://")'
)
_SCHEME = re.compile(r"\s*([A-Za-z][\w+]*)://")
_PASSWORD = re.compile(r"^([\w+]+://[^:/@]*:)[^?]*@")  # to the last "@": a password may hold one
_PASSWORD_OPTION = re.compile(r"([?&]password=)[^&]*", re.IGNORECASE)


def usable(url: str) -> bool:
    """Whether a URL names a database the advisor runs on (SQLite or PostgreSQL, any driver suffix)."""
    match = _SCHEME.match(url)
    return match is not None and match[1].split("+", 1)[0].lower() in SCHEMES


def redacted(url: str) -> str:
    """A database URL for a message or a log line: the password (in the address or as an option) is ***."""
    return _PASSWORD_OPTION.sub(r"\1***", _PASSWORD.sub(r"\1***@", url.strip()))
