"""Where the cursor is, read from text being typed: the same path a YAML parser gives for valid files, and
sensible answers for the half-typed lines an editor sends."""

from __future__ import annotations

import io
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.lsp.cursor import cursor_at
from advisor.questionnaire.document import read_document
from advisor.questionnaire.load import yaml_round_trip

IDENTIFIERS = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
WORDS = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(
    lambda word: word not in ("null", "true", "false", "y", "n", "yes", "no", "on", "off")
)
TREES = st.recursive(
    WORDS,
    lambda inner: st.lists(inner, min_size=1, max_size=3) | st.dictionaries(IDENTIFIERS, inner, min_size=1, max_size=3),
    max_leaves=12,
)


def dumped(value: Any, flow: bool) -> str:
    out = io.StringIO()
    writer = yaml_round_trip()
    writer.version = None  # no "%YAML 1.2" line: the files start with their keys
    if flow:
        writer.default_flow_style = None  # innermost collections in flow style: {a: b} and [x, y]
    writer.dump(value, out)
    return out.getvalue()


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(IDENTIFIERS, TREES, min_size=1, max_size=4), st.booleans())
def test_the_path_at_every_value_and_key_is_the_parsers(tree: dict[str, Any], flow: bool) -> None:
    text = dumped(tree, flow)
    document = read_document(text)
    assert document.problems == []
    for path, (line, column, _, end) in document.values.items():
        value = document.value
        for part in path:
            value = value[part]
        if not isinstance(value, str):
            continue
        middle = column + max(1, (end - column) // 2)
        cursor = cursor_at(text, line, middle)
        assert (cursor.path, cursor.in_key) == (path, False), (text, path, line, middle)
        assert cursor.prefix == value[: middle - column]
    for path, (line, _, _, end) in document.keys.items():
        cursor = cursor_at(text, line, end)
        assert (cursor.path, cursor.in_key) == (path[:-1], True), (text, path)


def test_half_typed_lines() -> None:
    text = "steps:\n  - id: trip\n    kind: sin\n    require: ['\"al' in use']\n    options:\n      - id: x\n        \n"
    assert cursor_at(text, 2, 13).path == ("steps", 0, "kind")
    quoted = cursor_at(text, 3, 18)
    assert (quoted.path, quoted.quote, quoted.value) == (("steps", 0, "require", 0), "'", '"al')
    blank = cursor_at(text, 6, 8)
    assert (blank.path, blank.in_key) == (("steps", 0, "options", 0), True)
    new_item = cursor_at("steps:\n  - ki\n", 1, 6)
    assert (new_item.path, new_item.in_key, new_item.prefix) == (("steps", 0), True, "ki")


EXPRESSIONS = st.from_regex(r"[a-z_]{1,9} (==|!=) ", fullmatch=True)


@settings(max_examples=100, deadline=None)
@given(IDENTIFIERS, EXPRESSIONS, st.from_regex(r"[a-z]{0,4}", fullmatch=True), st.booleans())
def test_a_quote_inside_an_unquoted_expression_is_part_of_it(key: str, before: str, typed: str, flow: bool) -> None:
    """`show_if: activity == "fa`: the quote opens the expression's text, not a YAML quoted value."""
    line = f'- {{{key}: {before}"{typed}' if flow else f'{key}: {before}"{typed}'
    cursor = cursor_at(line, 0, len(line))
    assert (cursor.quote, cursor.value, cursor.prefix) == ("", f'{before}"{typed}', typed)
    assert cursor.path[-1] == key
