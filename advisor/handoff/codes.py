"""Resume codes: short, typed by hand at a kiosk or console, without characters that look alike."""

from __future__ import annotations

import re
import secrets
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

# No 0/O, 1/I/L: a code read off a receipt or a phone is typed without guessing.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 6
_SEPARATORS = re.compile(r"[\s\-_.]+")


class InvalidCode(ValueError):
    """Text that cannot be a resume code; the message says why."""


def new_code() -> str:
    """A random code (31^6, about 887 million, so guessing one is hopeless at a rate-limited prompt)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str:
    """A typed code in canonical form: upper case, spaces and dashes removed."""
    code = _SEPARATORS.sub("", text).upper()
    if len(code) != LENGTH:
        raise InvalidCode(f"a code has {LENGTH} characters, not {len(code)}")
    wrong = sorted({character for character in code if character not in ALPHABET})
    if wrong:
        raise InvalidCode(f"a code has no {', '.join(wrong)} (only {ALPHABET})")
    return code


def shown(code: str) -> str:
    """A code as printed: two groups of three (ABC-234)."""
    return f"{code[:3]}-{code[3:]}"


class TooManyAttempts(ValueError):
    """A client typed too many wrong codes; `seconds` until it may try again."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"too many wrong codes; try again in {seconds} s")
        self.seconds = seconds


@dataclass
class LookupLimiter:
    """At most `attempts` wrong codes per client (a kiosk, a console, an address) within `window`."""

    attempts: int = 5
    window: timedelta = timedelta(minutes=1)
    failures: dict[str, deque[datetime]] = field(default_factory=dict)

    def check(self, client: str, now: datetime) -> None:
        recent = self.failures.setdefault(client, deque())
        while recent and now - recent[0] >= self.window:
            recent.popleft()
        if len(recent) >= self.attempts:
            raise TooManyAttempts(max(1, int((recent[0] + self.window - now).total_seconds()) + 1))

    def failed(self, client: str, now: datetime) -> None:
        self.failures.setdefault(client, deque()).append(now)

    def succeeded(self, client: str) -> None:
        self.failures.pop(client, None)
