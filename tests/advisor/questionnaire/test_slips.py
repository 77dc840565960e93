"""Slips a merchandiser made whose first message misled: a comma inside a text in { }, a key at the column of the
list's dashes, an attribute written by its German label. Each is one finding that says what happened and the fix."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.advisor.questionnaire.test_checks import applied, check, line_of, only, planted

OPTION = "        label: {de: Zu Fuß, en: On foot}\n"


def test_a_comma_in_a_text_in_braces_is_one_finding_that_says_the_comma_ended_the_text() -> None:
    slip = "        description: {de: Mehrere Tage, Übernachtung auf Hütten, en: Several days, nights in huts}\n"
    text = planted(OPTION, OPTION + slip)
    finding = only(check(text))
    row = line_of(text, "        description:")
    assert (finding.code, finding.line) == ("Q002", row)
    assert text.splitlines()[row - 1][finding.column - 1 :].startswith("Übernachtung auf Hütten")
    assert finding.message == (
        "step 'trip', option 'trekking', description: inside { } a comma separates entries, so the German text ends "
        "at 'Mehrere Tage' and 'Übernachtung auf Hütten' reads as a locale of its own; the English text ends at "
        "'Several days' and 'nights in huts' reads as a locale of its own; put a text with a comma in quotes "
        '(de: "Mehrere Tage, Übernachtung auf Hütten", en: "Several days, nights in huts"), or write the texts as '
        "'de: ...' and 'en: ...' lines under description:"
    )


def test_a_comma_in_one_text_names_that_text_only_and_either_fix_checks_clean() -> None:
    slip = "        description: {de: Zelt, Kocher und Schlafsack, en: Tent and stove}\n"
    finding = only(check(planted(OPTION, OPTION + slip)))
    assert "so the German text ends at 'Zelt' and 'Kocher und Schlafsack' reads as a locale of its own; put" in (
        finding.message
    )
    assert "English" not in finding.message
    assert '(de: "Zelt, Kocher und Schlafsack")' in finding.message
    quoted = '        description: {de: "Zelt, Kocher und Schlafsack", en: Tent and stove}\n'
    lines = "        description:\n          de: Zelt, Kocher und Schlafsack\n          en: Tent and stove\n"
    assert check(planted(OPTION, OPTION + quoted)) == []
    assert check(planted(OPTION, OPTION + lines)) == []


def test_a_missing_text_in_braces_is_not_taken_for_a_comma() -> None:
    """`{de: Zelt, en}`: the English text is missing, not a piece of the German one."""
    findings = check(planted(OPTION, OPTION + "        description: {de: Zelt, en}\n"))
    assert [finding.code for finding in findings] == ["Q015"]
    assert "comma" not in findings[0].message


_WORD = (
    st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzäöüß "), min_size=1, max_size=12)
    .map(str.strip)
    .filter(lambda word: word and word not in ("de", "en") and not word.startswith(("y", "n", "o", "t", "f")))
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORD, min_size=3, max_size=7, unique=True), st.integers(2, 6))
def test_texts_cut_by_commas_are_read_as_meant_with_one_finding(words: list[str], cut: int) -> None:
    """However many commas cut the texts, one finding names each cut text, and its quoted form checks clean. (The
    pieces differ: a piece twice is a key written twice, a finding of its own.)"""
    cut = min(cut, len(words) - 1)
    german, english = words[:cut], words[cut:]
    texts = {"de": ", ".join(german), "en": ", ".join(english)}
    slip = f"        description: {{de: {texts['de']}, en: {texts['en']}}}\n"
    finding = only(check(planted(OPTION, OPTION + slip)))
    assert finding.code == "Q002"
    assert f"the German text ends at '{german[0]}'" in finding.message
    assert ("the English text ends" in finding.message) == (len(english) > 1)
    assert f'de: "{texts["de"]}"' in finding.message
    quoted = f'        description: {{de: "{texts["de"]}", en: "{texts["en"]}"}}\n'
    assert check(planted(OPTION, OPTION + quoted)) == []


def test_a_key_at_the_column_of_the_dashes_is_told_the_column_of_the_items_keys() -> None:
    """`prefer:` of an option written in line with the options' `- id:` reads as neither in the option nor a new
    one: the message names the column where the option's keys stand, not "line it up with them"."""
    text = planted("        prefer:\n          - {attribute: packed_volume_l",
                   "      prefer:\n          - {attribute: packed_volume_l")  # fmt: skip
    finding = only(check(text))
    row = line_of(text, "      prefer:\n          - {attribute: packed_volume_l")
    assert (finding.code, finding.line, finding.column) == ("Q001", row, 7)
    assert finding.message == (
        "'prefer:' stands at the column of the '- ' of the list items above, where only a new item ('- ...') can "
        f"start; to give it to the item above (line {row - 4}), indent it to column 9, in line with its keys "
        f"(require: on line {row - 1})"
    )


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("gewicht", "'gewicht' is not an attribute of tents (did you mean 'weight_kg' (Gewicht)?)"),
        ("Weight", "'Weight' is not an attribute of tents (did you mean 'weight_kg' (Weight)?)"),
        ("Gewict", "'Gewict' is not an attribute of tents (did you mean 'weight_kg' (Gewicht)?)"),
        ("weigth_kg", "'weigth_kg' is not an attribute of tents (did you mean 'weight_kg'?)"),
    ],
)
def test_an_attribute_written_by_its_label_is_named_with_its_name(written: str, message: str) -> None:
    old = "{attribute: weight_kg, direction: lower, weight: 3, importance"
    text = planted(old, old.replace("weight_kg", written))
    finding = only(check(text))
    assert (finding.code, finding.message) == ("Q009", message)
    assert check(applied(text, finding.fixes[0])) == []


def test_a_name_in_an_expression_written_by_its_label_is_named_with_its_name() -> None:
    text = planted("""'"trekking" in use'""", """'"trekking" in einsatzbereich'""")
    finding = only(check(text))
    assert finding.code == "Q008"
    assert finding.message.endswith("(did you mean 'use' (Einsatzbereich)?)")
