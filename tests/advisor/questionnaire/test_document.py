"""Reading YAML for questionnaires: values as YAML 1.2 reads them, where each is written, problems in plain words."""

from __future__ import annotations

import io
import math
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.questionnaire.document import decode, locate_in_source, read_document
from advisor.questionnaire.load import yaml_round_trip
from advisor.questionnaire.spec import Context

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    TEXT,
)
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4), max_leaves=20
)
IDENTIFIERS = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)


def dumped(value: Any) -> str:
    """YAML 1.2 as ruamel.yaml writes it (what `advisor migrate` writes)."""
    out = io.StringIO()
    yaml_round_trip().dump(value, out)
    return out.getvalue()


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(TEXT, VALUES, min_size=1, max_size=5))
def test_what_a_yaml_1_2_writer_writes_is_read_back_the_same(value: dict[str, Any]) -> None:
    document = read_document(dumped(value))
    assert document.problems == []
    assert same(document.value, value)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(IDENTIFIERS, st.one_of(TEXT, st.lists(TEXT, max_size=3)), min_size=1, max_size=5))
def test_every_character_of_a_text_is_located_where_it_is_written(value: dict[str, Any]) -> None:
    for style in (None, "'", '"', "|", ">"):
        text = yaml.safe_dump(value, default_style=style, allow_unicode=True, width=20)
        document = read_document(text)
        for path, span in document.values.items():
            written = document.value
            for part in path:
                written = written[part]
            if not isinstance(written, str):
                continue
            start, end = document.offset(span[:2]), document.offset(span[2:])
            for i, char in enumerate(written):
                found = locate_in_source(text, start, end, written, i, document.styles.get(path, ""))
                assert start <= found <= end
                if char.strip() and not (document.styles.get(path) == '"' and text[found] == "\\"):
                    assert text[found] == char, (style, written, i, text)


def test_yaml_1_2_scalars() -> None:
    document = read_document("a: no\nb: on\nc: 0o17\nd: 1_000\ne: ~\nf: .inf\ng: 0x1F\nh: 1:30\ni: True\nj: '1'\n")
    assert document.value == {"a": "no", "b": "on", "c": 15, "d": "1_000", "e": None, "f": math.inf, "g": 31,
                              "h": "1:30", "i": True, "j": "1"}  # fmt: skip


def test_a_syntax_error_is_explained_and_the_rest_still_read() -> None:
    document = read_document("a: 1\nsteps:\n  - id: x\n    question {de: Hallo, en: Hi}\n    kind: single\nb: 2\n")
    assert [(p.span[:2], p.message) for p in document.problems] == [
        ((3, 12), "'question' needs a ':' after it (write question: ...)")
    ]
    assert document.value == {"a": 1, "steps": [{"id": "x", "kind": "single"}], "b": 2}
    assert document.damaged == (3,)


def test_a_key_without_its_colon_is_named_where_the_colon_goes() -> None:
    """Before: "this key has no ':' after it; write 'key: value'", which never said which key."""
    document = read_document("steps:\n  - id: x\n    max 210\n    kind: single\n")
    assert [(p.span[:2], p.message) for p in document.problems] == [
        ((2, 7), "'max' needs a ':' after it (write max: ...)")
    ]


def test_tabs_unclosed_quotes_and_brackets_in_plain_words() -> None:
    cases = {
        "a: 1\nb:\n\tc: 2\n": ((2, 0), "a tab is here"),
        "a: 1\nb: 'open\nc: 2\n": ((1, 3), "the quote opened here is never closed"),
        "a: [1, 2\nb: 3\n": ((0, 3), "the [ ] opened here is not closed on its line"),
        "a: 1\nb: Hinweis: wichtig\n": ((1, 10), "a ':' here starts a key where none can be"),
        'a: "x" y\n': ((0, 7), "the text goes on after its closing quote"),
        "a: @x\n": ((0, 3), "a value cannot start with '@'"),
        "a: *nothing\n": ((0, 3), "'*nothing' repeats the value marked '&nothing'"),
        "a: 1\na: 2\n": ((1, 0), "'a' is written twice in this mapping (first at line 1)"),
    }
    for text, (where, words) in cases.items():
        problems = read_document(text).problems
        assert problems, text
        assert problems[0].span[:2] == where, (text, problems)
        assert words in problems[0].message, (text, problems)
        assert "\n" not in problems[0].message


def test_control_characters_and_bytes_that_are_not_utf8_are_found_where_they_are() -> None:
    document = read_document("a: 1\nb: x\x07y\nc: 2\n")
    assert [(p.span[:2], p.message) for p in document.problems] == [
        ((1, 4), "an invisible control character (U+0007) is here; delete it")
    ]
    assert document.value == {"a": 1, "b": "x y", "c": 2}
    text, problems = decode("a: 1\nb: Gel\xe4nde\n".encode("latin-1"))
    assert [p.span[:2] for p in problems] == [(1, 6)]
    assert "0xE4" in problems[0].message
    assert read_document(text).value == {"a": 1, "b": "Gel\ufffdnde"}


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_read_without_raising_and_problems_point_into_it(text: str) -> None:
    document = read_document(text)
    lines = len(document.line_starts())
    for problem in document.problems:
        assert 0 <= problem.span[0] < lines
        assert "\n" not in problem.message and "\r" not in problem.message
    for span in (*document.values.values(), *document.keys.values()):
        assert 0 <= span[0] <= span[2] < lines + 1


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=100))
def test_any_bytes_are_decoded_with_each_bad_line_reported(data: bytes) -> None:
    text, problems = decode(data)
    lines = text.count("\n") + text.count("\r") + 1
    assert all(0 <= p.span[0] < lines for p in problems)
    assert bool(problems) == (data.decode("utf-8", errors="replace") != data.decode("utf-8", errors="ignore")) or (
        not problems
    )


LAYOUTS = (
    "key: {value}\n",  # a plain value ending its line
    "key: {value}   # a comment\n",
    "key: {value}",  # the last line, without a line break
    "outer: {{key: {value}, other: 1}}\n",  # before a comma in { }
    "outer: {{other: 1, key: {value}}}\n",  # before the closing brace
    "outer: [{value}]\n",  # before the closing bracket
    "outer:\n  - {value}\n",
    "key: '{value}'\n",
    'key: "{value}"\n',
)


@settings(max_examples=300, deadline=None)
@given(st.lists(IDENTIFIERS, max_size=3), IDENTIFIERS, st.sampled_from(LAYOUTS), st.sampled_from(("\n", "\r\n")))
def test_a_word_at_the_end_of_a_value_is_found_whole(before: list[str], word: str, layout: str, newline: str) -> None:
    """A finding about the last word of a value covers all of it, so its quick fix replaces all of it."""
    value = " >= ".join([*before, word])
    text = layout.format(value=value).replace("\n", newline)
    document = read_document(text)
    path = next(p for p, v in document.values.items() if _at(document.value, p) == value)
    ctx = Context(file="f.yaml", document=document)
    line, column, end_line, end_column = ctx.text_span(path, len(value) - len(word), len(value))
    assert document.text[document.offset((line, column)) : document.offset((end_line, end_column))] == word
    assert ctx.inner_span(path)[2:] == (end_line, end_column)


def _at(value: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        value = value[part]
    return value
