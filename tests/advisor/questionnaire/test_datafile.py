"""The JSON data files merchandisers write beside the catalog (guides, size charts): a slip is named where it is."""

from __future__ import annotations

import pytest

from advisor.questionnaire.datafile import read_data_text
from advisor.questionnaire.spec import Obj


def findings_of(text: str) -> list[tuple[int, int, str, list[str]]]:
    _, _, findings = read_data_text(text, "size_charts.json", spec=Obj(), not_a_mapping="a mapping",
                                    locales=("de", "en"))  # fmt: skip
    return [(f.line, f.column, f.message, [fix.replacement for fix in f.fixes]) for f in findings]


@pytest.mark.parametrize(
    ("text", "closing"),
    [
        ('{"sizes": [\n  {"size": "S"},\n  {"size": "M"},\n]}\n', "]"),
        ('{"sizes": [{"size": "S", "chest": [82, 88], }]}', "}"),
        ('{"charts": [],\r\n  "format_version": 1 ,\r\n}', "}"),
    ],
)
def test_a_comma_before_a_closing_bracket_is_named_at_the_comma_with_a_fix(text: str, closing: str) -> None:
    comma = text.rindex(",", 0, text.rindex(closing))
    line = text.count("\n", 0, comma) + 1
    column = comma - (text.rfind("\n", 0, comma) + 1) + 1
    assert findings_of(text) == [
        (line, column, f"not valid JSON: a comma before {closing} is not allowed; remove this comma", [""])
    ]


def test_other_slips_are_said_in_jsons_words_where_its_reader_stopped() -> None:
    assert findings_of('{"a": 1,, "b": 2}') == [(1, 9, "not valid JSON: Expecting property name enclosed in double "
                                                       "quotes", [])]  # fmt: skip
