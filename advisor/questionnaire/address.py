"""The form of address in German texts: words that say Sie in a du questionnaire, or du in a Sie questionnaire.

Capitalised Sie, Ihnen, Ihr... in the middle of a sentence can only be the formal address (sie and ihr, lower
case, are "she", "they" and "her"); at the start of a sentence they are ambiguous ("Sie hält warm": it keeps
you warm), so only Ihnen counts there. du, dich, dir, dein..., euch, euer... are informal wherever they stand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FORMAL = {
    "Sie": "du", "Ihnen": "dir", "Ihr": "dein", "Ihre": "deine", "Ihrem": "deinem", "Ihren": "deinen",
    "Ihrer": "deiner", "Ihres": "deines",
}  # fmt: skip
INFORMAL = {
    "du": "Sie", "dich": "Sie", "dir": "Ihnen", "dein": "Ihr", "deine": "Ihre", "deinem": "Ihrem", "deinen": "Ihren",
    "deiner": "Ihrer", "deines": "Ihres", "euch": "Ihnen", "euer": "Ihr", "eure": "Ihre", "eurem": "Ihrem",
    "euren": "Ihren", "eurer": "Ihrer", "eures": "Ihres",
}  # fmt: skip
_FORMAL = re.compile(r"(?<![\w-])(?:" + "|".join(sorted(FORMAL, key=len, reverse=True)) + r")(?![\w-])")
_INFORMAL = re.compile(
    r"(?<![\w-])(?:" + "|".join(sorted(INFORMAL, key=len, reverse=True)) + r")(?![\w-])", re.IGNORECASE
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n]|[\"„“»«])\s*$")


@dataclass(frozen=True)
class WrongAddress:
    """A word in the other form of address, where it stands in the text, and the word to use."""

    offset: int
    word: str
    instead: str


def wrong_address(text: str, form: str) -> list[WrongAddress]:
    """The words of a German text that do not use `form` (du or Sie)."""
    found = []
    if form == "du":
        for match in _FORMAL.finditer(text):
            word = match.group()
            if word != "Ihnen" and _SENTENCE_START.search(text[: match.start()]):
                continue
            found.append(WrongAddress(match.start(), word, FORMAL[word]))
    elif form == "Sie":
        for match in _INFORMAL.finditer(text):
            word = match.group()
            found.append(WrongAddress(match.start(), word, INFORMAL[word.lower()]))
    return found
