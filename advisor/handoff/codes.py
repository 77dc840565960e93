"""Resume codes: typed by hand at a kiosk or console, without characters that look alike."""

from __future__ import annotations

import re
import secrets

# No 0/O, 1/I/L: a code read off a receipt or a phone is typed without guessing.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
# 31^8, about 8.5 * 10^11 codes: with the budgets of wrong codes (advisor.handoff.sessions) a code is guessed
# with a probability below one in a million in its lifetime (docs/deploying.md, "Resume codes and guessing").
LENGTH = 8
GROUP = LENGTH // 2  # shown in two groups (ABCD-2345)
_SEPARATORS = re.compile(r"[\s\-\u2010\u2011_.]+")  # also the no-break hyphen of a code copied off a screen


class InvalidCode(ValueError):
    """Text that cannot be a resume code; the message says why."""


def new_code() -> str:
    """A random code of LENGTH characters from ALPHABET."""
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
    """A code as printed: two groups of four (ABCD-2345)."""
    return f"{code[:GROUP]}-{code[GROUP:]}"


class TooManyAttempts(ValueError):
    """A client typed too many wrong codes; `seconds` until it may try again."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"too many wrong codes; try again in {seconds} s")
        self.seconds = seconds
