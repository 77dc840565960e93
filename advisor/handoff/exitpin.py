"""The kiosk's exit PIN: checked against the configured scrypt hash, locked for a while after 5 wrong tries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from advisor.handoff.staff import pin_matches

MAX_TRIES = 5
LOCKOUT = timedelta(minutes=5)


class ExitLocked(ValueError):
    """Too many wrong PINs: `seconds` until the next try."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"locked for {seconds} s after {MAX_TRIES} wrong PINs")
        self.seconds = seconds


@dataclass
class ExitGuard:
    """Whether a typed PIN may leave the kiosk. Without a configured PIN nobody can leave through the screen."""

    pin_hash: str
    wrong: int = 0
    locked_until: datetime | None = None
    tries: list[datetime] = field(default_factory=list)

    def check(self, pin: str, now: datetime) -> bool:
        """True for the right PIN; False for a wrong one; ExitLocked while locked out."""
        if self.locked_until is not None and now < self.locked_until:
            raise ExitLocked(max(1, int((self.locked_until - now).total_seconds()) + 1))
        if self.pin_hash and pin_matches(pin, self.pin_hash):
            self.wrong = 0
            self.locked_until = None
            return True
        self.wrong += 1
        if self.wrong >= MAX_TRIES:
            self.wrong = 0
            self.locked_until = now + LOCKOUT
        return False
