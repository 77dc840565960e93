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
        ("size.cm > 2", 0, 7, "attribute access like a.b is not allowed"),
        ("sizes[0] > 2", 0, 8, "indexing like a[0] is not allowed"),
        ("(lambda: 1) > 0", 1, 9, "lambda functions are not allowed"),
        ("[x for x in use]", 0, 16, "comprehensions like [x for x in y] are not allowed"),
        ("any_of(use, {x for x in y})", 12, 14, "comprehensions like {x for x in y} are not allowed"),
        ("max(x for x in y)", 3, 14, "comprehensions like (x for x in y) are not allowed"),
        ('f"{use}" == "a"', 0, 8, "f-strings are not allowed; write the text in plain quotes"),
        ("(n := 3) > 2", 1, 6, "':=' is not allowed; use == to compare"),
        ("await x", 0, 7, "'await' is not allowed"),
        ("(yield x)", 1, 7, "'yield' is not allowed"),
        ("[*use]", 1, 4, "unpacking with * is not allowed"),
        ("max(*sizes)", 4, 6, "unpacking with * is not allowed"),
        ("{'a': 1}", 0, 8, "dictionaries like {'a': 1} are not allowed"),
        ("tent_type in {'dome', 'tunnel'}", 13, 18, "sets in braces like {a, b} are not allowed; use a list [a, b]"),
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
        ("b'dome' == t", 0, 7, "byte strings like b'..' are not allowed; use plain quotes"),
        ("2j > 1", 0, 2, "imaginary numbers like 2j are not allowed"),
        ("... == a", 0, 3, "'...' is not allowed"),
        ("persons == None", 11, 4, "there is no null literal; an unanswered step is null by itself"),
        ("persons != null", 11, 4, "there is no null literal; an unanswered step is null by itself"),
        ("persons == NULL", 11, 4, "there is no null literal; an unanswered step is null by itself"),
        ("max(1)(2)", 0, 6, "only these functions can be called: min, max, abs, round, len, any_of, all_of"),
        ("round(x, digits=2)", 9, 8, "arguments by name like digits=2 are not allowed; give them in order"),
        # A decimal comma, which Python reads as a list of three (always true): the rule would be switched off.
        ("weight_kg <= 0,7 + 0,6 * persons", 13, 3, "write decimals with a point: 0.7, not 0,7"),
        ("2,5 > x", 0, 3, "write decimals with a point: 2.5, not 2,5"),
        ("a, b", 1, 1, "a comma outside brackets: a list is written in brackets, e.g. [1, 2]"),
        # Offsets count characters, although Python counts UTF-8 bytes.
        ("'größe' in use.x", 11, 5, "attribute access like a.b is not allowed"),
        ("'größe' ** 2", 8, 2, "'**' is not allowed; use *, /, + or -"),
        # Leading blanks, which Python would take for an indented block, are skipped.
        ("\t size.cm > 2", 2, 7, "attribute access like a.b is not allowed"),
    ],
)
def test_refused_constructs_are_named_where_they_stand(source: str, offset: int, length: int, message: str) -> None:
    error = error_of(source)
    assert (error.message, error.offset, error.length) == (message, offset, length)


@pytest.mark.parametrize(
    ("source", "offset", "message"),
    [
        ("capacity >=", 10, "the expression stops too early; something is missing after this"),
        ("capacity >=   ", 10, "the expression stops too early; something is missing after this"),
        ("max(persons, 2", 3, "this bracket is never closed"),
        ("capacity)", 8, "this bracket has no opening partner"),
        ("(capacity]", 9, "this bracket does not match the one it closes"),
        ("use == 'alpine", 7, "the text in quotes is not closed; add the closing quote"),
        ("2cm > 1", 0, "this is not a number; put a space or an operator after a number"),
        ("a if b", 0, "'a if test' needs an 'else b'"),
        ("capacity\u00a0> 2", 8, "this invisible character is not allowed; type a plain space"),
        ("capacity € 2", 9, "this character is not allowed"),
        ("capacity = persons", 9, "use == to compare; '=' is not allowed"),
        ("  capacity = persons", 11, "use == to compare; '=' is not allowed"),
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
        ("use == 'und' b", 13, "this cannot be read here"),
        ("max(a b)", 4, "something is missing here: an operator or a comma"),
        ("capacity persons", 9, "this cannot be read here"),
        ("1 +* 2", 3, "this cannot be read here"),
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
        ("max() > 1", "max() takes at least 1 argument, not 0"),
        ("abs(a, b) > 1", "abs() takes exactly 1 argument, not 2"),
        ("round(a, 1, 2) > 1", "round() takes 1 or 2 arguments, not 3"),
        ("any_of(use)", "any_of() takes exactly 2 arguments, not 1"),
        ("all_of(a, b, c)", "all_of() takes exactly 2 arguments, not 3"),
        ("len()", "len() takes exactly 1 argument, not 0"),
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
