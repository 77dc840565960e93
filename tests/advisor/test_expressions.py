"""The expression language: what parse refuses and where, what expressions mean, and columns agreeing with scalars."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from advisor.expressions import (
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    Expression,
    ExpressionError,
    evaluate,
    evaluate_columns,
    parse,
    settled,
)

KINDS = {
    "capacity": "number",
    "weight_kg": "number",
    "inner_length_cm": "number",
    "freestanding": "boolean",
    "tent_type": "enum",
    "name": "text",
    "use": "set",
}
ANSWERS = ("persons", "budget", "body_height", "chosen_types", "wanted_uses", "flag", "nickname")
WORDS = ("dome", "tunnel", "alpine", "trekking", "")


class SlowPath(Exception):
    """The columns were asked for one product's value."""


class ProductColumns:
    """Columns over a list of products, answering the way the recommender's index does."""

    def __init__(self, products: Sequence[Mapping[str, Any]], *, slow_path: bool = True) -> None:
        self.products = products
        self.slow_path = slow_path

    @property
    def size(self) -> int:
        return len(self.products)

    def column(self, name: str) -> list[Any]:
        return [product.get(name) for product in self.products]

    def kind(self, name: str) -> str | None:
        return KINDS.get(name)

    def numbers(self, name: str) -> np.ndarray:
        return np.array([math.nan if v is None else float(v) for v in self.column(name)], dtype=np.float64)

    def equals(self, name: str, value: str) -> np.ndarray:
        return np.array([v == value for v in self.column(name)], dtype=np.bool_)

    def contains(self, name: str, value: str) -> np.ndarray:
        return np.array([v is not None and value in v for v in self.column(name)], dtype=np.bool_)

    def present(self, name: str) -> np.ndarray:
        return np.array([v is not None for v in self.column(name)], dtype=np.bool_)

    def value(self, name: str, index: int) -> Any:
        if not self.slow_path:
            raise SlowPath(name)
        return self.products[index].get(name)


def product_env(scalars: Mapping[str, Any], product: Mapping[str, Any]) -> dict[str, Any]:
    """What evaluate() sees for one product: its attributes (missing ones null) over the answers."""
    return {**scalars, **{name: product.get(name) for name in KINDS}}


def error_of(source: str) -> ExpressionError:
    with pytest.raises(ExpressionError) as caught:
        parse(source)
    return caught.value


# Parse errors


@pytest.mark.parametrize(
    ("source", "offset", "length", "message"),
    [
        (
            "size.cm > 2",
            0,
            7,
            "a point cannot join names here: write the attribute's name alone, like 'inner_length_cm'",
        ),
        ("sizes[0] > 2", 0, 8, "square brackets cannot follow a name: to ask for a value, write '\"L\" in sizes'"),
        (
            "(lambda: 1) > 0",
            1,
            9,
            "'lambda' cannot be used in an expression; write the condition itself, like 'persons >= 2'",
        ),
        (
            "[x for x in use]",
            0,
            16,
            "'for' cannot be used in an expression; to ask for a value, write '\"alpine\" in use'",
        ),
        (
            "any_of(use, {x for x in y})",
            12,
            14,
            "'for' cannot be used in an expression; to ask for a value, write '\"alpine\" in use'",
        ),
        (
            "max(x for x in y)",
            3,
            14,
            "'for' cannot be used in an expression; to ask for a value, write '\"alpine\" in use'",
        ),
        ('f"{use}" == "a"', 0, 8, 'a text in quotes cannot start with f; write the text in plain quotes, like "dome"'),
        ("(n := 3) > 2", 1, 6, "':=' compares nothing: write '==' to compare, like 'persons == 2'"),
        ("await x", 0, 7, "the word 'await' cannot be used in an expression; remove it"),
        ("(yield x)", 1, 7, "the word 'yield' cannot be used in an expression; remove it"),
        ("[*use]", 1, 4, "a '*' in front of a value cannot be used here; write the value alone, like 'max(sizes)'"),
        (
            "max(*sizes)",
            4,
            6,
            "a '*' in front of a value cannot be used here; write the value alone, like 'max(sizes)'",
        ),
        (
            "{'a': 1}",
            0,
            8,
            "braces with ':' cannot be used in an expression; a list is written in square brackets, like [\"dome\", "
            '"tunnel"]',
        ),
        (
            "tent_type in {'dome', 'tunnel'}",
            13,
            18,
            'a list is written in square brackets, not braces: write ["dome", "tunnel"], not {"dome", "tunnel"}',
        ),
        ("weight_kg ** 2 > 4", 10, 2, "'**' is not allowed; use *, /, + or -"),
        ("(weight) ** (2)", 9, 2, "'**' is not allowed; use *, /, + or -"),
        ("capacity % 2 == 0", 9, 1, "'%' is not allowed; use /, + or -"),
        ("capacity // 2", 9, 2, "'//' is not allowed; use / and round()"),
        ("a @ b", 2, 1, "'@' is not allowed; use *"),
        ("a << 1", 2, 2, "'<<' is not allowed; use *"),
        ("a >> 1", 2, 2, "'>>' is not allowed; use /"),
        ("a & b", 2, 1, "'&' is not allowed; use 'and'"),
        ("a | b", 2, 1, "'|' is not allowed; use 'or'"),
        ("a ^ b", 2, 1, "'^' is not allowed; use 'or' or !="),
        ("~a", 0, 1, "'~' is not allowed; use 'not'"),
        ("persons is 2", 8, 2, "'is' is not allowed; use == to compare"),
        ("1 < persons is not 2", 12, 6, "'is not' is not allowed; use != to compare"),
        ("b'dome' == t", 0, 7, 'a text in quotes cannot start with b; write the text in plain quotes, like "dome"'),
        ("2j > 1", 0, 2, "letters right after a number cannot be read; write the number alone, like 2"),
        ("... == a", 0, 3, "'...' cannot be used in an expression; write the value, like 2 or \"dome\""),
        (
            "persons == None",
            11,
            4,
            "there is no null to write: an unanswered step is null by itself (and every comparison with it is false)",
        ),
        (
            "persons != null",
            11,
            4,
            "there is no null to write: an unanswered step is null by itself (and every comparison with it is false)",
        ),
        (
            "persons == NULL",
            11,
            4,
            "there is no null to write: an unanswered step is null by itself (and every comparison with it is false)",
        ),
        ("max(1)(2)", 0, 6, "only these functions can be called: min, max, abs, round, len, any_of, all_of"),
        (
            "round(x, digits=2)",
            9,
            8,
            "a value in round()'s brackets cannot be named ('digits='); give the values in order, like "
            "round(weight_kg, 1)",
        ),
        # A decimal comma, which Python reads as a list of three (always true): the rule would be switched off.
        ("weight_kg <= 0,7 + 0,6 * persons", 13, 3, "write decimals with a point: 0.7, not 0,7"),
        ("2,5 > x", 0, 3, "write decimals with a point: 2.5, not 2,5"),
        ("a, b", 1, 1, "a comma outside brackets: a list is written in brackets, e.g. [1, 2]"),
        # Offsets count characters, although Python counts UTF-8 bytes.
        (
            "'größe' in use.x",
            11,
            5,
            "a point cannot join names here: write the attribute's name alone, like 'inner_length_cm'",
        ),
        ("'größe' ** 2", 8, 2, "'**' is not allowed; use *, /, + or -"),
        # Leading blanks, which Python would take for an indented block, are skipped.
        (
            "\t size.cm > 2",
            2,
            7,
            "a point cannot join names here: write the attribute's name alone, like 'inner_length_cm'",
        ),
    ],
)
def test_refused_constructs_are_named_where_they_stand(source: str, offset: int, length: int, message: str) -> None:
    error = error_of(source)
    assert (error.message, error.offset, error.length) == (message, offset, length)


@pytest.mark.parametrize(
    ("source", "offset", "message"),
    [
        ("capacity >=", 10, "after '>=' the value to compare with is missing, like 'capacity >= 2'"),
        ("capacity >=   ", 10, "after '>=' the value to compare with is missing, like 'capacity >= 2'"),
        ("max(persons, 2", 3, "this '(' is never closed: a closing ')' is missing after 'persons, 2'"),
        ("capacity)", 8, "this ')' closes no bracket: remove it, or add the '(' it closes before it"),
        ("(capacity]", 9, "this ']' cannot close the '(' before it; write ')' here"),
        (
            "use == 'alpine",
            7,
            "the text in quotes that starts here is not closed; add the closing ' at its end, like 'trekking'",
        ),
        (
            "2cm > 1",
            0,
            "'2cm' is not a number: write the number alone, like 2 (a unit belongs in the step's unit), or put a "
            "space and an operator after it, like '2 * x'",
        ),
        (
            "a if b",
            0,
            "'if' here needs an 'else' with the value for the other case: write 'a if condition else b', like '3 if "
            "persons > 2 else 2'",
        ),
        ("capacity\u00a0> 2", 8, "this invisible character is not allowed; type a plain space"),
        ("capacity € 2", 9, "'€' cannot be used in an expression; remove it"),
        ("capacity = persons", 9, "'=' compares nothing: write '==' to compare, like 'persons == 2'"),
        ("  capacity = persons", 11, "'=' compares nothing: write '==' to compare, like 'persons == 2'"),
        ("a && b", 2, "use 'and' instead of '&&'"),
        ("a || b", 2, "use 'or' instead of '||'"),
        ("!freestanding", 0, "use 'not' instead of '!'"),
        # German words for and, or, not: named where they stand (Python stops at the word after 'nicht').
        (
            "waterproof_floor_mm >= 5000 und waterproof_fly_mm >= 3000",
            28,
            "use 'and' instead of 'und': expressions are written with and, or, not",
        ),
        (
            "region == 'alpine' oder persons > 2",
            19,
            "use 'or' instead of 'oder': expressions are written with and, or, not",
        ),
        ("nicht freestanding", 0, "use 'not' instead of 'nicht': expressions are written with and, or, not"),
        ("a and Nicht b", 6, "use 'not' instead of 'Nicht': expressions are written with and, or, not"),
        ('nicht (trip in ["canoe"])', 0, "use 'not' instead of 'nicht': expressions are written with and, or, not"),
        ("use == 'und' b", 13, "between 'und' and 'b' a comparison or a link is missing, like '>=', '+' or 'and'"),
        ("max(a b)", 4, "after 'a' a comma is missing, like 'max(persons, 2)', or an operator, like 'a + 2'"),
        (
            "capacity persons",
            9,
            "between 'capacity' and 'persons' a comparison or a link is missing, like 'capacity >= persons' or "
            "'capacity and persons'",
        ),
        ("1 +* 2", 3, "'*' cannot follow '+': after '+' a number is missing, like 'body_height + 15'"),
        # What is wrong at the spot, with the right form.
        ("max(persons >= 2", 3, "this '(' is never closed: a closing ')' is missing after 'persons >= 2'"),
        ("capacity >= 2 and", 16, "after 'and' a condition is missing, like 'persons >= 2'"),
        (
            "capacity >= 2 and or x",
            18,
            "'or' cannot follow 'and': after 'and' a condition is missing, like 'persons >= 2'",
        ),
        ("inner_length_cm >= body_height +", 31, "after '+' a number is missing, like 'body_height + 15'"),
        ("'alpine' in", 10, "after 'in' the list or step to look in is missing, like '\"trekking\" in use'"),
        (
            "persons 2",
            8,
            "between 'persons' and '2' a comparison or a link is missing, like 'persons >= 2' or 'persons and 2'",
        ),
        (
            "and persons > 2",
            0,
            "an expression cannot start with 'and': a condition is missing before it, like 'persons >= 2'",
        ),
        ("capacity => persons", 9, "'=>' is written the other way round: write '>=', like 'capacity >= 2'"),
        (
            "activity == 'x' else 2",
            16,
            "'else' without an 'if' before it: write 'a if condition else b', like '3 if persons > 2 else 2'",
        ),
        ("not (activity = 'family')", 5, "'=' compares nothing: write '==' to compare, like 'persons == 2'"),
        ("persons >= 02", 11, "'02' is not read as a number: a whole number does not start with 0; write 2"),
        ("tent_type in ['dome'", 13, "this '[' is never closed: a closing ']' is missing after 'dome'"),
        ("persons ; 2", 8, "';' cannot be used in an expression here, after 'persons'; remove it"),
        ("capacity >= \n persons", 12, "an expression must fit on one line"),
        ("capacity >= \r persons", 12, "an expression must fit on one line"),
        ("capacity\x00", 8, "this invisible character is not allowed"),
    ],
)
def test_syntax_errors_read_friendly(source: str, offset: int, message: str) -> None:
    error = error_of(source)
    assert (error.message, error.offset) == (message, offset)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("maxx(a, b) > 2", "there is no function 'maxx'; did you mean 'max'?"),
        ("any(use, x)", "there is no function 'any'; did you mean 'any_of'?"),
        ("anyof(use, x)", "there is no function 'anyof'; did you mean 'any_of'?"),
        ("sqrt(x) > 2", "there is no function 'sqrt'; the functions are min, max, abs, round, len, any_of, all_of"),
    ],
)
def test_unknown_functions_point_at_their_name(source: str, message: str) -> None:
    error = error_of(source)
    assert (error.message, error.offset, error.length) == (message, 0, source.index("("))


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("max() > 1", "max() takes at least 1 value in its brackets, not 0, like max(persons, 2)"),
        ("abs(a, b) > 1", "abs() takes exactly 1 value in its brackets, not 2, like abs(x)"),
        ("round(a, 1, 2) > 1", "round() takes 1 or 2 values in its brackets, not 3, like round(weight_kg, 1)"),
        ("any_of(use)", "any_of() takes exactly 2 values in its brackets, not 1, like any_of(use, activity)"),
        ("all_of(a, b, c)", "all_of() takes exactly 2 values in its brackets, not 3, like all_of(activity, use)"),
        ("len()", "len() takes exactly 1 value in its brackets, not 0, like len(use)"),
    ],
)
def test_argument_counts(source: str, message: str) -> None:
    error = error_of(source)
    assert (error.message, error.offset, error.length) == (message, 0, source.index(")") + 1)


@pytest.mark.parametrize("source", ["", "   ", "\t"])
def test_empty_expressions(source: str) -> None:
    error = error_of(source)
    assert (error.message, error.offset) == ("the expression is empty", 0)


def test_too_long_expressions_are_refused_from_the_limit_on() -> None:
    source = "capacity + " * 50 + "1"
    error = error_of(source)
    assert error.message == f"the expression is {len(source)} characters long; at most {MAX_LENGTH} are allowed"
    assert (error.offset, error.length) == (MAX_LENGTH, len(source) - MAX_LENGTH)
    assert len(parse("a" * (MAX_LENGTH - 4) + " > 1").source) == MAX_LENGTH


@pytest.mark.parametrize(
    ("source", "offset"),
    [
        ("-" * 60 + "x", MAX_DEPTH),
        ("not " * 60 + "x", 4 * MAX_DEPTH),
        ("[" * 60 + "]" * 60, MAX_DEPTH),
        ("abs(" * 60 + "x" + ")" * 60, 4 * MAX_DEPTH),
        ("(" * 190 + "x" + ")" * 190 + " > 1", None),  # brackets without a node below are no nesting
    ],
)
def test_deep_nesting_is_refused_not_a_crash(source: str, offset: int | None) -> None:
    if offset is None:
        assert parse(source).names == {"x"}
        return
    error = error_of(source)
    assert error.message == f"the expression is nested too deeply (more than {MAX_DEPTH} levels); split it up"
    assert error.offset == offset


def test_names_and_functions_are_exactly_those_referenced() -> None:
    expression = parse("max(persons, min(sizes)) <= capacity and 'alpine' in use or not true and any_of(a, [b, 1])")
    assert expression.names == {"persons", "sizes", "capacity", "use", "a", "b"}
    assert expression.functions == {"max", "min", "any_of"}
    assert parse("max > 2").names == {"max"}
    assert parse("true or false").names == frozenset()


def test_functions_are_described() -> None:
    assert set(FUNCTIONS) == {"min", "max", "abs", "round", "len", "any_of", "all_of"}
    assert all(spec.doc.startswith(f"{name}(") for name, spec in FUNCTIONS.items())


def test_comparisons_are_the_links_with_their_sides_and_place() -> None:
    source = "weight_kg <= budget_weight or 1 < (persons + 1) <= capacity and max(a < b, 0)"
    found = [
        (c.operator, c.left.source, c.right.source, c.expression.source, c.offset) for c in parse(source).comparisons()
    ]
    assert found == [
        ("<=", "weight_kg", "budget_weight", "weight_kg <= budget_weight", 0),
        ("<", "1", "(persons + 1)", "1 < (persons + 1)", 30),
        ("<=", "(persons + 1)", "capacity", "(persons + 1) <= capacity", 34),
        ("<", "a", "b", "a < b", 68),
    ]
    link = parse(source).comparisons()[2]
    assert source[link.offset : link.offset + link.length] == link.expression.source
    assert evaluate(link.expression, {"persons": 1, "capacity": 2}) is True


# What expressions mean


@pytest.mark.parametrize(
    ("source", "env", "expected"),
    [
        # An unanswered step is null, never 0; comparisons with null are False, != too.
        ("persons > 2", {}, False),
        ("persons < 2", {"persons": None}, False),
        ("persons == 0", {}, False),
        ("persons != 2", {}, False),
        ("persons != persons", {"persons": None}, False),
        ("not (persons > 2)", {}, True),
        ("not persons", {}, True),
        ("x", {"x": math.nan}, None),
        ("x == x", {"x": math.nan}, False),
        # Arithmetic with null is null; division by zero is null.
        ("persons + 1", {}, None),
        ("persons * 2 > 1", {}, False),
        ("-persons", {}, None),
        ("persons / 0", {"persons": 4}, None),
        ("0.0 / 0", {}, None),
        ("7 / 2", {}, 3.5),
        ("2 * 3 - 1", {}, 5),
        ("'a' + 'b'", {}, None),
        ("1e308 * 10 > 1e308", {}, True),
        # Booleans are not numbers; other kinds never compare, != included.
        ("flag == 1", {"flag": True}, False),
        ("flag != 1", {"flag": True}, False),
        ("flag > 0", {"flag": True}, False),
        ("flag + 1", {"flag": True}, None),
        ("flag == true", {"flag": True}, True),
        ("flag != false", {"flag": True}, True),
        ("'1' == 1", {}, False),
        ("'1' != 1", {}, False),
        ("'b' > 'a'", {}, True),
        ("1 == 1.0", {}, True),
        ("[1, 2] == [2, 1]", {}, True),
        ("use != ['a', 'b']", {"use": {"b", "a"}}, False),
        ("[1] < [2]", {}, False),
        # Chains hold when every link holds.
        ("1 < x < 3", {"x": 2}, True),
        ("1 < x < 3", {"x": 3}, False),
        ("1 < x < 3", {}, False),
        ("1 < 2 != x", {}, False),
        # Membership.
        ("'alpine' in use", {"use": ["alpine", "trekking"]}, True),
        ("'alpine' in use", {"use": frozenset({"alpine"})}, True),
        ("'alpine' in use", {}, False),
        ("'alpine' not in use", {}, False),
        ("'alpine' not in use", {"use": ("trekking",)}, True),
        ("x in use", {"use": ["a"]}, False),
        ("x not in use", {"use": ["a"]}, False),
        ("'alp' in name", {"name": "alpine"}, True),
        ("'alp' not in name", {"name": "alpine"}, False),
        ("1 in name", {"name": "1"}, False),
        ("1 not in name", {"name": "1"}, False),
        ("1 not in 2", {}, False),
        ("x in [1, 2]", {"x": 1.0}, True),
        ("x in [1, 2]", {"x": True}, False),
        ("x not in [1, 2]", {"x": True}, True),
        ("[1] in [[1], 2]", {}, True),
        # and, or, not, if-else read null as false and give booleans.
        ("a and b", {"a": 1, "b": "x"}, True),
        ("a or b", {"a": 0, "b": ""}, False),
        ("a or b", {"b": [1]}, True),
        ("not a", {"a": []}, True),
        ("x if flag else y", {"x": 1, "y": 2}, 2),
        ("x if flag else y", {"flag": "yes", "x": 1, "y": 2}, 1),
        ("true and not false", {}, True),
        # Functions.
        ("max(persons, 2)", {"persons": 3}, 3),
        ("max(persons, 2)", {}, None),
        ("min(sizes)", {"sizes": [3, 1.5]}, 1.5),
        ("min(sizes)", {"sizes": []}, None),
        ("min(sizes)", {"sizes": [1, None]}, None),
        ("min(2)", {}, 2),
        ("min('a', 'b')", {}, None),
        ("abs(-2)", {}, 2),
        ("abs(true)", {}, None),
        ("round(2.5)", {}, 2),
        ("round(3.5)", {}, 4),
        ("round(2.675, 2)", {}, 2.67),
        ("round(1234, -2)", {}, 1200),
        ("round(x, 1000)", {"x": 1}, None),
        ("round(x, d)", {"x": 1.5}, None),
        ("round(x, 1.0)", {"x": 1.5}, None),
        ("round(1e308 * 10)", {}, None),
        ("len(use)", {"use": ["a", "b"]}, 2),
        ("len('dome')", {}, 4),
        ("len(x)", {"x": 3}, None),
        ("any_of(use, ['alpine', 'winter'])", {"use": ["alpine"]}, True),
        ("any_of(use, ['winter'])", {"use": ["alpine"]}, False),
        ("any_of(tent_type, ['dome', 'tunnel'])", {"tent_type": "dome"}, True),
        ("any_of(use, chosen)", {"use": ["alpine"]}, False),
        ("all_of(['alpine'], use)", {"use": ["alpine", "trekking"]}, True),
        ("all_of(['alpine', 'winter'], use)", {"use": ["alpine"]}, False),
        ("all_of([], use)", {"use": []}, True),
        ("all_of([], use)", {}, False),
        ("all_of(tent_type, ['dome'])", {"tent_type": "dome"}, True),
    ],
)
def test_semantics(source: str, env: dict[str, Any], expected: Any) -> None:
    result = evaluate(parse(source), env)
    assert (result, isinstance(result, bool)) == (expected, isinstance(expected, bool))


def test_values_of_other_types_count_as_null() -> None:
    assert evaluate(parse("x"), {"x": {"a": 1}}) is None
    assert evaluate(parse("x == x or x != 1"), {"x": object()}) is False


# Random expressions from a grammar over product columns and answers

NUMBER_LITERALS = st.one_of(st.integers(-3, 12).map(str), st.sampled_from(["0", "0.5", "1.5", "2.0", "1e308"]))
LITERALS = st.one_of(
    NUMBER_LITERALS,
    st.sampled_from(["true", "false"]),
    st.sampled_from(WORDS).map(json.dumps),
    st.lists(st.one_of(st.sampled_from(WORDS).map(json.dumps), NUMBER_LITERALS), max_size=3).map(
        lambda items: f"[{', '.join(items)}]"
    ),
)
ATOMS = st.one_of(st.sampled_from([*KINDS, *ANSWERS, "unknown"]), LITERALS)
COMPARE = st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "in", "not in"])


def _compound(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def call(name: str, count: int) -> st.SearchStrategy[str]:
        return st.lists(children, min_size=count, max_size=count).map(lambda args: f"{name}({', '.join(args)})")

    return st.one_of(
        st.tuples(children, st.sampled_from(["+", "-", "*", "/"]), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(children, COMPARE, children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(children, COMPARE, children, COMPARE, children).map(lambda t: "({} {} {} {} {})".format(*t)),
        st.tuples(children, st.sampled_from(["and", "or"]), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        children.map(lambda c: f"(not {c})"),
        children.map(lambda c: f"(-{c})"),
        st.tuples(children, children, children).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        st.lists(children, max_size=2).map(lambda items: f"[{', '.join(items)}]"),
        *(call(name, count) for name, count in [("abs", 1), ("round", 1), ("round", 2), ("len", 1)]),
        *(call(name, count) for name in ("min", "max") for count in (1, 2, 3)),
        *(call(name, 2) for name in ("any_of", "all_of")),
    )


EXPRESSIONS = st.recursive(ATOMS, _compound, max_leaves=10).filter(lambda source: len(source) <= MAX_LENGTH)

# Values come mostly from small pools: drawing them is fast, and equal values meet often.
MISSING = object()
ANSWER_POOL = [
    MISSING, None, 0, 1, 2, 3, -1, 12, 190, 0.5, 2.5, -1.5, 1e3, True, False, *WORDS,
    [], ["dome"], ["dome", "tunnel", 2], ("alpine",), ("alpine", "trekking"), frozenset({"alpine", ""}), (1, None, [1]),
]  # fmt: skip
ANSWER_VALUES = st.sampled_from(ANSWER_POOL) | st.integers(-1000, 1000) | st.floats(-1e6, 1e6)
ANSWERS_ENV = st.fixed_dictionaries({name: ANSWER_VALUES for name in [*ANSWERS, "capacity", "use"]}).map(
    lambda answers: {name: value for name, value in answers.items() if value is not MISSING}
)
PRODUCT_VALUES = {
    "number": st.sampled_from([None, -3, 0, 1, 2, 3, 12, 0.5, 1.5, 2.5, -0.5, 1e3]) | st.floats(-1e3, 1e3),
    "boolean": st.sampled_from([None, True, False]),
    "enum": st.sampled_from([None, *WORDS]),
    "text": st.sampled_from([None, *WORDS, "alpine tent"]),
    "set": st.sampled_from([None, frozenset(), *(frozenset(pair) for pair in zip(WORDS, WORDS[1:], strict=False))]),
}
PRODUCTS = st.lists(st.fixed_dictionaries({name: PRODUCT_VALUES[kind] for name, kind in KINDS.items()}), max_size=6)

# Anything evaluate() may be handed, well beyond what answers and products hold.
WILD_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.integers(),
        st.floats(),
        st.booleans(),
        st.text(max_size=5),
        st.sampled_from([10**400, -(10**400), 2**53 + 1]),
        st.builds(object),
    ),
    lambda children: st.one_of(st.lists(children, max_size=3), st.lists(children, max_size=3).map(tuple)),
    max_leaves=6,
) | st.frozensets(st.one_of(st.integers(), st.text(max_size=3), st.floats()), max_size=3)


@settings(max_examples=300, deadline=None)
@given(source=EXPRESSIONS, env=st.dictionaries(st.sampled_from([*ANSWERS, *KINDS]), WILD_VALUES))
def test_evaluate_never_raises(source: str, env: dict[str, Any]) -> None:
    result = evaluate(parse(source), env)
    assert result is None or isinstance(result, bool | int | float | str | list | tuple | set | frozenset)
    assert not (isinstance(result, float) and math.isnan(result))


@settings(max_examples=200, deadline=None)
@given(source=EXPRESSIONS)
def test_comparisons_reparse_and_evaluate_like_their_place(source: str) -> None:
    for comparison in parse(source).comparisons():
        assert source[comparison.offset : comparison.offset + comparison.length] == comparison.expression.source
        assert comparison.expression.names == comparison.left.names | comparison.right.names


# parse() on anything

MUTATION_CHARACTERS = st.one_of(
    st.sampled_from(list("()[]{},.:;+-*/%<>=!&|~^@'\"\\ #_0123456789eEjbfrux") + ["\n", "\x00", "ä", "\u2028", "\t"]),
    st.characters(),
)


SAMPLES = (
    "capacity >= persons",
    '"alpine" in use',
    "inner_length_cm >= body_height + 15",
    "weight_kg <= budget_weight or persons > 2",
    "max(persons, 2) <= capacity",
    "tent_type in ['dome', 'tunnel'] and not freestanding",
    "1 < round(weight_kg / 2, 1) <= abs(-x) if any_of(use, wanted) else len(name) != 0",
    "all_of(['größe'], use) == true",
)


@st.composite
def mutated_expressions(draw: st.DrawFn) -> str:
    source = draw(st.sampled_from(SAMPLES))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(source)))
        change = draw(st.sampled_from(["insert", "delete", "replace"]))
        character = "" if change == "delete" else draw(MUTATION_CHARACTERS)
        source = source[:position] + character + source[position + (change != "insert") :]
    return source


@settings(max_examples=2000, deadline=None)
@given(source=st.one_of(st.text(max_size=60), mutated_expressions(), st.text(alphabet="([{-not ", max_size=520)))
def test_parse_refuses_with_expression_error_only(source: str) -> None:
    try:
        outcome: Expression | ExpressionError = parse(source)
    except ExpressionError as error:
        outcome = error
    if isinstance(outcome, ExpressionError):
        event("refused")
        assert outcome.message
        assert outcome.length >= 1
        assert 0 <= outcome.offset < outcome.offset + outcome.length <= max(len(source), 1)
    else:
        event("accepted")
        assert outcome.source == source


# Words of a programmer's, which a merchandiser does not read in a message.
PROGRAMMER_WORDS = (
    "token", "eof", "parse", "parsing", "lexer", "unexpected", "identifier", "syntax", "literal", "argument",
    "operand", "keyword", "invalid", "statement", "expected", "perhaps", "python", "prefix", "octal", "integer",
    "indexing", "subscript", "comprehension", "f-string", "tuple", "dictionar", "unpacking", "attribute access",
    "line continuation",
)  # fmt: skip
# What an author's slip puts into a condition: a piece of another condition, or a character.
SLIPS = st.one_of(
    st.sampled_from(
        ["and", "or", "not", "in", "if", "else", "=", "==", ">=", "=>", "<", "+", "*", ",", "(", ")", "[", "]", "{",
         '"', "'", ".", ":", "!", "&&", "2cm", "0", "07", " ", "persons", "und", "€", "\\", "is", "; ", "?"]
    ),
    MUTATION_CHARACTERS.filter(lambda c: c.isprintable()),
)  # fmt: skip


@st.composite
def broken_expressions(draw: st.DrawFn) -> str:
    """A valid expression cut short and with slips inserted (and what is left of it not valid)."""
    source = draw(st.sampled_from(SAMPLES))
    if draw(st.booleans()):
        source = source[: draw(st.integers(0, len(source)))]
    for _ in range(draw(st.integers(0, 3))):
        position = draw(st.integers(0, len(source)))
        source = source[:position] + draw(SLIPS) + source[position:]
    return source


@settings(max_examples=1500, deadline=None)
@given(source=broken_expressions())
def test_a_broken_expression_says_what_is_wrong_in_an_authors_words_at_a_spot_in_it(source: str) -> None:
    try:
        outcome: Expression | ExpressionError = parse(source)
    except ExpressionError as error:
        outcome = error
    if not isinstance(outcome, ExpressionError):
        event("accepted")
        return
    event("refused")
    said = outcome.message.lower()
    assert not [word for word in PROGRAMMER_WORDS if word in said], outcome.message
    if source:
        assert 0 <= outcome.offset < outcome.offset + outcome.length <= len(source)


# Every product at once, agreeing with evaluate()


@settings(max_examples=700, deadline=None)
@given(source=EXPRESSIONS, scalars=ANSWERS_ENV, products=PRODUCTS)
def test_columns_agree_with_scalar_evaluation(
    source: str, scalars: dict[str, Any], products: list[dict[str, Any]]
) -> None:
    expression = parse(source)
    try:
        passes = evaluate_columns(expression, scalars, ProductColumns(products, slow_path=False))
        event("vectorised")
    except SlowPath:
        passes = evaluate_columns(expression, scalars, ProductColumns(products))
        event("slow path")
    assert passes.dtype == np.bool_
    assert passes.tolist() == [bool(evaluate(expression, product_env(scalars, p))) for p in products]


TENTS: list[dict[str, Any]] = [
    {"capacity": 2, "weight_kg": 1.9, "inner_length_cm": 215, "freestanding": True, "tent_type": "dome",
     "use": frozenset({"trekking", "camping"}), "name": "Hütte 2"},
    {"capacity": 3, "weight_kg": 3.5, "inner_length_cm": 200, "freestanding": False, "tent_type": "tunnel",
     "use": frozenset({"alpine"}), "name": "Alp 3"},
    {"capacity": 4, "weight_kg": None, "inner_length_cm": 230, "tent_type": "tunnel", "use": frozenset(), "name": ""},
    {"capacity": None, "weight_kg": 0.9, "freestanding": True, "tent_type": "", "use": frozenset({"alpine", "bike"})},
    {},
]  # fmt: skip
SHOPPER = {"persons": 3, "budget": 4, "body_height": 190, "chosen_types": ["dome", "tunnel"], "wanted_uses": ["alpine"]}


@pytest.mark.parametrize(
    "source",
    [
        "inner_length_cm >= body_height + 15",
        "capacity >= persons",
        "weight_kg * 2 < max(1, budget)",
        "weight_kg / (capacity - 2) < 1",
        "capacity > weight_kg",
        "capacity != weight_kg",
        "capacity != persons",
        "1 < capacity <= 3",
        "'alpine' in use",
        "'alpine' not in use",
        "tent_type in ['dome', 'tunnel']",
        "tent_type in chosen_types",
        "tent_type not in chosen_types",
        "tent_type == 'dome'",
        "tent_type != 'dome'",
        "tent_type",
        "freestanding",
        "not freestanding",
        "freestanding == true",
        "freestanding != false",
        "not (capacity > 2)",
        "capacity >= 2 and (freestanding or weight_kg < 2)",
        "persons > 2",
        "unanswered > 2",
        "any_of(use, wanted_uses)",
        "any_of(chosen_types, tent_type)",
        "all_of(wanted_uses, use)",
        "all_of(tent_type, chosen_types)",
        "round(weight_kg) <= 2",
        "abs(capacity - persons) <= 1",
        "min(capacity, persons) == 3",
        "(capacity if freestanding else 0) >= 2",
        "(freestanding if capacity > 2 else true)",
        "capacity == 'two'",
        "freestanding > 0",
        "len(weight_kg) > 0",
    ],
)
def test_common_requirements_never_take_the_slow_path(source: str) -> None:
    expression = parse(source)
    passes = evaluate_columns(expression, SHOPPER, ProductColumns(TENTS, slow_path=False))
    assert passes.tolist() == [bool(evaluate(expression, product_env(SHOPPER, tent))) for tent in TENTS]


@pytest.mark.parametrize(
    ("source", "scalars", "expected"),
    [
        ("'Alp' in name", {}, [False, True, False, False, False]),
        ("len(use) >= 2", {}, [True, False, False, True, False]),
        ("round(weight_kg, 1) > 1", {}, [True, True, False, False, False]),
        ("capacity < persons", {"persons": 10**400}, [True, True, True, False, False]),
        ("use", {}, [True, True, False, True, False]),
    ],
)
def test_other_shapes_take_the_slow_path_and_agree(source: str, scalars: dict[str, Any], expected: list[bool]) -> None:
    expression = parse(source)
    with pytest.raises(SlowPath):
        evaluate_columns(expression, scalars, ProductColumns(TENTS, slow_path=False))
    assert evaluate_columns(expression, scalars, ProductColumns(TENTS)).tolist() == expected


def test_product_attributes_win_over_answers_with_the_same_name() -> None:
    passes = evaluate_columns(parse("capacity > 2"), {"capacity": 10}, ProductColumns(TENTS))
    assert passes.tolist() == [False, True, True, False, False]


@settings(max_examples=400, deadline=None)
@given(source=EXPRESSIONS, answers=ANSWERS_ENV, products=PRODUCTS)
def test_an_expression_settled_by_the_answers_has_that_truth_for_every_product(
    source: str, answers: dict[str, Any], products: list[dict[str, Any]]
) -> None:
    """`settled` says an expression is true (or false) from the answers alone only when every product's values give
    it that truth: a requirement it calls settled-true may be left out of the wishes named to the shopper."""
    expression = parse(source)
    known = {name: answers.get(name) for name in ANSWERS}  # (an answer not given reads as null)
    found = settled(expression, known)
    for product in products:
        if found is not None:
            assert bool(evaluate(expression, {**product, **known})) is found, product


def test_a_requirement_made_true_by_the_answer_is_settled_and_one_that_reads_the_product_is_not() -> None:
    assert settled(parse("not insulated or warmth"), {"warmth": True}) is True
    assert settled(parse("not insulated or warmth"), {"warmth": False}) is None
    assert settled(parse("capacity >= persons"), {"persons": 2}) is None
    assert settled(parse("persons > 2 and capacity >= persons"), {"persons": 1}) is False
    assert settled(parse("capacity if persons > 9 else true"), {"persons": 1}) is True
