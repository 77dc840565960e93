"""The form of address of German texts: Sie-words in a du questionnaire and du-words in a Sie questionnaire."""

from __future__ import annotations

from advisor.questionnaire.address import wrong_address


def words(text: str, form: str) -> list[tuple[str, str]]:
    return [(found.word, found.instead) for found in wrong_address(text, form)]


def test_sie_in_a_du_questionnaire() -> None:
    assert words("Wo schlagen Sie Ihr Zelt auf?", "du") == [("Sie", "du"), ("Ihr", "dein")]
    assert words("Wir zeigen Ihnen passende Zelte, die zu Ihren Touren passen.", "du") == [
        ("Ihnen", "dir"), ("Ihren", "deinen")
    ]  # fmt: skip
    assert words("Ihnen zeigen wir Zelte.", "du") == [("Ihnen", "dir")]  # Ihnen is formal at a sentence's start too


def test_what_only_looks_like_sie() -> None:
    # At the start of a sentence "Sie" and "Ihr" may be "it", "she", "her": not reported.
    assert words("Sie hält warm. Ihr Gewicht ist gering.", "du") == []
    assert words("Das Außenzelt: Sie ist dicht.", "du") == []
    assert words("Sieben Zelte, Siebdruck, Ihrerseits, sie und ihr", "du") == []
    assert words("Wo schlägst du dein Zelt auf?", "du") == []


def test_du_in_a_sie_questionnaire() -> None:
    assert words("Wo schlägst du dein Zelt auf? Dir gefällt es.", "Sie") == [
        ("du", "Sie"), ("dein", "Ihr"), ("Dir", "Ihnen")
    ]  # fmt: skip
    assert words("Habt ihr euer Zelt dabei?", "Sie") == [("euer", "Ihr")]
    assert words("Duett, dirigieren, Deinstallation, Sie und Ihr Zelt", "Sie") == []
