"""The expression language of questionnaires: check an expression once, evaluate it for one shopper or every product.

Merchandisers write conditions such as `capacity >= persons`, `"alpine" in use` or
`max(persons, 2) <= capacity`. A bare name is a step id (the shopper's answer) or a product attribute; this
module does not care which, it is given the values. The syntax is a small part of Python's expressions,
checked against an allow-list; nothing is ever executed by Python.

What expressions mean (the product's contract):

- Values are null, numbers (int or float), booleans (`true`, `false`), texts and lists (list, tuple, set,
  frozenset). A missing name, None and NaN are null; so is a value of any other type. There is no null
  literal: an unanswered step is null by itself, never 0.
- Arithmetic (`+ - * /`, `-x`) takes numbers; with null or any other operand and on division by zero it
  gives null. Product columns hold numbers as 64-bit floats, so keep whole numbers below 2**53.
- A comparison holds only between values of one kind: numbers (ints and floats alike), texts, booleans
  (`==` and `!=` only) and lists (`==` and `!=`: the same elements, in any order). Anything else is False,
  `!=` included: null, `1 == "1"`, and `true == 1` (booleans are not numbers). A chain `a < b < c` holds
  when every link holds.
- `x in y` holds when y is a list with an element equal to x, or x and y are texts and x is part of y.
  `x not in y` is its negation, except that it is False too when either side is null or when y is neither a
  list nor (for a text x) a text.
- `and`, `or`, `not` and `a if test else b` read null as false, so `not (persons > 2)` holds while persons is
  unanswered. `and`, `or` and `not` give True or False, never an operand.
- A function with a null argument gives null; any_of and all_of give False.
- evaluate() never raises; evaluate_columns() gives for every product exactly what evaluate() gives for that
  product's values over the answers.

evaluate_columns() works on whole numpy columns for the shapes requirements take (numbers and arithmetic,
booleans, an enum against texts or a list, a text in a set, any_of/all_of of a set and an answer, and/or/not,
parts without product attributes evaluated once). Anything else (a part of a text, len of a set, round to
digits, two set or text columns compared) runs evaluate() product by product through Columns.value: slower,
never different.
"""

from __future__ import annotations

import ast
import difflib
import functools
import operator
import re
import warnings
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NoReturn, Protocol

import numpy as np
from numpy.typing import NDArray

MAX_LENGTH = 500
MAX_DEPTH = 50
Mask = NDArray[np.bool_]
Floats = NDArray[np.float64]


@dataclass(frozen=True)
class FunctionSpec:
    """A function that expressions may call, with how many arguments it takes (max_args None: any number)."""

    name: str
    min_args: int
    max_args: int | None
    doc: str


FUNCTIONS: Mapping[str, FunctionSpec] = MappingProxyType(
    {
        spec.name: spec
        for spec in (
            FunctionSpec("min", 1, None, "min(a, b, ...) or min(list): the smallest number"),
            FunctionSpec("max", 1, None, "max(a, b, ...) or max(list): the largest number"),
            FunctionSpec("abs", 1, 1, "abs(x): x without its sign"),
            FunctionSpec("round", 1, 2, "round(x) or round(x, digits): x rounded, halves to even; digits -100..100"),
            FunctionSpec("len", 1, 1, "len(x): the number of characters of a text or elements of a list"),
            FunctionSpec("any_of", 2, 2, "any_of(a, b): a and b share an element; a single value is a list of one"),
            FunctionSpec("all_of", 2, 2, "all_of(a, b): every element of a is in b; a single value is a list of one"),
        )
    }
)


class ExpressionError(ValueError):
    """An unusable expression: `message` says why in the merchandiser's words, about source[offset:offset + length]."""

    def __init__(self, message: str, offset: int, length: int = 1) -> None:
        super().__init__(f"{message} (at character {offset + 1})")
        self.message = message
        self.offset = offset
        self.length = max(1, length)


class Columns(Protocol):
    """Product attributes as whole columns with one entry per product; enum, text and set values are texts."""

    @property
    def size(self) -> int: ...

    def kind(self, name: str) -> str | None:
        """'number', 'boolean', 'enum', 'set' or 'text'; None when the name is not a product attribute."""

    def numbers(self, name: str) -> Floats:
        """A number or boolean column as floats (booleans 1.0 and 0.0), NaN where the value is missing."""

    def equals(self, name: str, value: str) -> Mask:
        """Where an enum or text column holds exactly `value` (missing: False)."""

    def contains(self, name: str, value: str) -> Mask:
        """Where a set column contains `value` (missing: False)."""

    def present(self, name: str) -> Mask:
        """Where the column has a value."""

    def value(self, name: str, index: int) -> Any:
        """One product's value as evaluate() takes it (a float, bool, str, frozenset or None); the slow path."""


# Values


def _kind(value: Any) -> str:
    """The kind of a value: null, boolean, number, text or list."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value == value):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple | set | frozenset):
        return "list"
    return "null"


def _truthy(value: Any) -> bool:
    return _kind(value) != "null" and bool(value)


def _as_list(value: Any) -> Sequence[Any]:
    return list(value) if _kind(value) == "list" else [value]


def _equal(a: Any, b: Any) -> bool:
    kind = _kind(a)
    if kind != _kind(b) or kind == "null":
        return False
    if kind == "list":
        return all(any(_equal(x, y) for y in b) for x in a) and all(any(_equal(y, x) for x in a) for y in b)
    return bool(a == b)


def _not_equal(a: Any, b: Any) -> bool:
    kind = _kind(a)
    return kind == _kind(b) and kind != "null" and not _equal(a, b)


def _ordering(compare: Callable[[Any, Any], Any]) -> Callable[[Any, Any], bool]:
    def test(a: Any, b: Any) -> bool:
        kind = _kind(a)
        return kind == _kind(b) and kind in ("number", "text") and bool(compare(a, b))

    return test


def _member(item: Any, container: Any) -> bool | None:
    """Whether item is in container; None when the question does not apply (null, or not a list or text)."""
    kind = _kind(container)
    if _kind(item) == "null":
        return None
    if kind == "list":
        return any(_equal(item, element) for element in container)
    if kind == "text" and _kind(item) == "text":
        return bool(item in container)
    return None


_TESTS: Mapping[str, Callable[[Any, Any], bool]] = {
    "==": _equal,
    "!=": _not_equal,
    "<": _ordering(operator.lt),
    "<=": _ordering(operator.le),
    ">": _ordering(operator.gt),
    ">=": _ordering(operator.ge),
    "in": lambda item, container: _member(item, container) is True,
    "not in": lambda item, container: _member(item, container) is False,
}
_MIRRORED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_ARRAY_TESTS: Mapping[str, Callable[[Any, Any], Mask]] = {
    "==": np.equal,
    "!=": np.not_equal,
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
}


def _arithmetic(compute: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def apply(a: Any, b: Any) -> Any:
        if _kind(a) != "number" or _kind(b) != "number":
            return None
        try:
            return compute(a, b)
        except ArithmeticError:  # division by zero, or an int too large for a float
            return None

    return apply


def _extreme(pick: Callable[[Sequence[Any]], Any]) -> Callable[..., Any]:
    def apply(*args: Any) -> Any:
        values = _as_list(args[0]) if len(args) == 1 else args
        if not values or any(_kind(value) != "number" for value in values):
            return None
        return pick(values)

    return apply


def _abs(x: Any) -> Any:
    return abs(x) if _kind(x) == "number" else None


def _round(x: Any, *digits: Any) -> Any:
    if _kind(x) != "number":
        return None
    if not digits:
        try:
            # A float stays a float, as in a column: round(1e308) + 1 must not become an exact int.
            return float(round(x)) if isinstance(x, float) else x
        except OverflowError:  # round(inf)
            return None
    # Bounded because round(int, -10**20) would compute 10**(10**20) and never finish.
    if type(digits[0]) is not int or abs(digits[0]) > 100:
        return None
    return round(x, digits[0])


def _len(x: Any) -> Any:
    return len(x) if _kind(x) in ("text", "list") else None


def _any_of(a: Any, b: Any) -> bool:
    if _kind(a) == "null" or _kind(b) == "null":
        return False
    return any(_equal(x, y) for x in _as_list(a) for y in _as_list(b))


def _all_of(a: Any, b: Any) -> bool:
    if _kind(a) == "null" or _kind(b) == "null":
        return False
    return all(any(_equal(x, y) for y in _as_list(b)) for x in _as_list(a))


_SCALAR_FUNCTIONS: Mapping[str, Callable[..., Any]] = {
    "min": _extreme(min),
    "max": _extreme(max),
    "abs": _abs,
    "round": _round,
    "len": _len,
    "any_of": _any_of,
    "all_of": _all_of,
}


# Whole columns: a part of an expression is numbers, truths, a text or set column, or one value for every product.


class _NotVectorisable(Exception):
    """This expression needs the slow path: evaluate() for each product."""


@dataclass(frozen=True)
class _Numbers:
    values: Floats  # NaN is null


@dataclass(frozen=True)
class _Truths:
    values: Mask
    known: Mask


@dataclass(frozen=True)
class _Labels:
    name: str
    kind: str  # "text" for enum and text columns, "list" for set columns


@dataclass(frozen=True)
class _Scalar:
    value: Any


_Vector = _Numbers | _Truths | _Labels | _Scalar


def _vector_kind(vector: _Vector) -> str:
    if isinstance(vector, _Numbers):
        return "number"
    if isinstance(vector, _Truths):
        return "boolean"
    if isinstance(vector, _Labels):
        return vector.kind
    return _kind(vector.value)


def _float(value: Any) -> float:
    """A number as a float, if it is one exactly (Python compares large ints exactly, numpy would not)."""
    try:
        converted = float(value)
    except OverflowError:
        raise _NotVectorisable from None
    if converted != value:
        raise _NotVectorisable
    return converted


@dataclass(frozen=True)
class _Context:
    columns: Columns
    scalars: Mapping[str, Any]
    kinds: Mapping[str, str]  # the expression's names that are product columns

    def vector(self, node: _Node) -> _Vector:
        if node.names.isdisjoint(self.kinds):
            return _Scalar(node.value(self.scalars))
        return node.column(self)

    def full(self, flag: bool) -> Mask:
        return np.full(self.columns.size, flag, dtype=np.bool_)

    def any(self, masks: Sequence[Mask]) -> Mask:
        return functools.reduce(np.logical_or, masks, self.full(False))

    def all(self, masks: Sequence[Mask]) -> Mask:
        return functools.reduce(np.logical_and, masks, self.full(True))

    def nulls(self) -> Floats:
        return np.full(self.columns.size, np.nan)

    def numbers(self, vector: _Vector) -> Floats:
        """A part as an operand of arithmetic: its numbers, null where it is anything else."""
        if isinstance(vector, _Numbers):
            return vector.values
        if isinstance(vector, _Scalar) and _kind(vector.value) == "number":
            return np.full(self.columns.size, _float(vector.value))
        return self.nulls()

    def truths(self, vector: _Vector) -> _Truths:
        """A part that is a boolean or null for every product as truths."""
        if isinstance(vector, _Truths):
            return vector
        value = vector.value if isinstance(vector, _Scalar) else None
        return _Truths(self.full(value is True), self.full(_kind(value) == "boolean"))

    def present(self, vector: _Vector) -> Mask:
        if isinstance(vector, _Numbers):
            return ~np.isnan(vector.values)
        if isinstance(vector, _Truths):
            return vector.known
        if isinstance(vector, _Labels):
            return self.columns.present(vector.name)
        return self.full(_kind(vector.value) != "null")

    def truth(self, vector: _Vector) -> Mask:
        if isinstance(vector, _Scalar):
            return self.full(_truthy(vector.value))
        if isinstance(vector, _Numbers):
            return np.not_equal(vector.values, 0) & ~np.isnan(vector.values)
        if isinstance(vector, _Truths):
            return vector.values & vector.known
        if vector.kind == "text":
            return self.columns.present(vector.name) & ~self.columns.equals(vector.name, "")
        raise _NotVectorisable

    def equal_to(self, vector: _Vector, value: Any) -> Mask:
        """Where the product's value equals `value`."""
        if _vector_kind(vector) != _kind(value):
            return self.full(False)
        if isinstance(vector, _Numbers):
            return np.equal(vector.values, _float(value))
        if isinstance(vector, _Truths):
            return np.equal(vector.values, bool(value)) & vector.known
        if isinstance(vector, _Labels) and vector.kind == "text":
            return self.columns.equals(vector.name, value)
        raise _NotVectorisable

    def holds(self, vector: _Vector, value: Any) -> Mask:
        """Where the product's value, a set or else a list of one, has an element equal to `value`."""
        if isinstance(vector, _Labels) and vector.kind == "list":
            return self.columns.contains(vector.name, value) if _kind(value) == "text" else self.full(False)
        return self.equal_to(vector, value)

    def link(self, test: str, a: _Vector, b: _Vector) -> Mask:
        """Where one comparison `a test b` holds."""
        if isinstance(a, _Scalar) and isinstance(b, _Scalar):
            return self.full(_TESTS[test](a.value, b.value))
        if test in ("in", "not in"):
            return self.membership(a, b, negated=test == "not in")
        if isinstance(a, _Scalar):
            a, b, test = b, a, _MIRRORED[test]
        kind = _vector_kind(a)
        if kind != _vector_kind(b) or (test not in ("==", "!=") and kind not in ("number", "text")):
            return self.full(False)
        if isinstance(b, _Scalar):
            if test == "==":
                return self.equal_to(a, b.value)
            if test == "!=":
                return self.present(a) & ~self.equal_to(a, b.value)
            if isinstance(a, _Numbers):
                return _ARRAY_TESTS[test](a.values, _float(b.value))
        elif isinstance(a, _Numbers | _Truths) and isinstance(b, _Numbers | _Truths):
            return _ARRAY_TESTS[test](a.values, b.values) & self.present(a) & self.present(b)
        raise _NotVectorisable  # texts in order, or two text or set columns

    def membership(self, item: _Vector, container: _Vector, *, negated: bool) -> Mask:
        if isinstance(container, _Scalar):
            kind = _kind(container.value)
            if kind == "list":
                hit = self.any([self.equal_to(item, element) for element in container.value])
                return self.present(item) & ~hit if negated else hit
            if kind == "text" and _vector_kind(item) == "text":
                raise _NotVectorisable  # a part of a text, product by product
            return self.full(False)
        kind = _vector_kind(container)
        if kind == "list" and isinstance(item, _Scalar):
            if _kind(item.value) == "null":
                return self.full(False)
            hit = self.holds(container, item.value)
            return self.present(container) & ~hit if negated else hit
        if kind == "list" or (kind == "text" and _vector_kind(item) == "text"):
            raise _NotVectorisable  # a product's value in another column, or a part of a text
        return self.full(False)


def _extreme_column(pick: Callable[[Floats, Floats], Floats]) -> Callable[[_Context, list[_Vector]], _Vector]:
    def apply(context: _Context, args: list[_Vector]) -> _Vector:
        if len(args) == 1 and not isinstance(args[0], _Numbers):
            return _Numbers(context.nulls())
        return _Numbers(functools.reduce(pick, [context.numbers(arg) for arg in args]))

    return apply


def _round_column(context: _Context, args: list[_Vector]) -> _Vector:
    if len(args) > 1:
        raise _NotVectorisable  # numpy rounds to digits differently from Python
    rounded = np.rint(context.numbers(args[0]))
    return _Numbers(np.where(np.isfinite(rounded), rounded, np.nan))


def _len_column(context: _Context, args: list[_Vector]) -> _Vector:
    if isinstance(args[0], _Labels):
        raise _NotVectorisable
    return _Numbers(context.nulls())


def _any_of_column(context: _Context, args: list[_Vector]) -> _Vector:
    column, answer = args if isinstance(args[1], _Scalar) else args[::-1]
    if not isinstance(answer, _Scalar):
        raise _NotVectorisable
    if _kind(answer.value) == "null":
        return _Truths(context.full(False), context.full(True))
    masks = [context.holds(column, element) for element in _as_list(answer.value)]
    return _Truths(context.any(masks), context.full(True))


def _all_of_column(context: _Context, args: list[_Vector]) -> _Vector:
    a, b = args
    if "null" in (_vector_kind(a), _vector_kind(b)):
        mask = context.full(False)
    elif isinstance(a, _Scalar):
        mask = context.present(b) & context.all([context.holds(b, element) for element in _as_list(a.value)])
    elif isinstance(b, _Scalar) and _vector_kind(a) != "list":
        mask = context.any([context.equal_to(a, element) for element in _as_list(b.value)])
    else:
        raise _NotVectorisable
    return _Truths(mask, context.full(True))


_COLUMN_FUNCTIONS: Mapping[str, Callable[[_Context, list[_Vector]], _Vector]] = {
    "min": _extreme_column(np.minimum),
    "max": _extreme_column(np.maximum),
    "abs": lambda context, args: _Numbers(np.abs(context.numbers(args[0]))),
    "round": _round_column,
    "len": _len_column,
    "any_of": _any_of_column,
    "all_of": _all_of_column,
}


# The checked tree: every node evaluates for one environment (value) or for every product (column).


class _Node:
    def __init__(self, span: tuple[int, int], children: Sequence[_Node] = ()) -> None:
        self.start, self.end = span
        self.children = tuple(children)
        self.names: frozenset[str] = frozenset().union(*(child.names for child in children))
        self.functions: frozenset[str] = frozenset().union(*(child.functions for child in children))

    def value(self, env: Mapping[str, Any]) -> Any:
        raise NotImplementedError

    def column(self, context: _Context) -> _Vector:
        raise _NotVectorisable


class _Constant(_Node):
    def __init__(self, span: tuple[int, int], constant: Any) -> None:
        super().__init__(span)
        self.constant = constant

    def value(self, env: Mapping[str, Any]) -> Any:
        return self.constant


class _Name(_Node):
    def __init__(self, span: tuple[int, int], name: str) -> None:
        super().__init__(span)
        self.name = name
        self.names = frozenset({name})

    def value(self, env: Mapping[str, Any]) -> Any:
        return env.get(self.name)

    def column(self, context: _Context) -> _Vector:
        kind = context.kinds[self.name]
        if kind in ("enum", "text", "set"):
            return _Labels(self.name, "list" if kind == "set" else "text")
        if kind not in ("number", "boolean"):
            raise _NotVectorisable
        numbers = np.asarray(context.columns.numbers(self.name), dtype=np.float64)
        return _Numbers(numbers) if kind == "number" else _Truths(numbers == 1.0, ~np.isnan(numbers))


class _Sequence(_Node):
    def value(self, env: Mapping[str, Any]) -> Any:
        return tuple(item.value(env) for item in self.children)


class _Not(_Node):
    def value(self, env: Mapping[str, Any]) -> Any:
        return not _truthy(self.children[0].value(env))

    def column(self, context: _Context) -> _Vector:
        return _Truths(~context.truth(context.vector(self.children[0])), context.full(True))


class _Sign(_Node):
    def __init__(self, span: tuple[int, int], operand: _Node, *, negative: bool) -> None:
        super().__init__(span, (operand,))
        self.factor = -1 if negative else 1

    def value(self, env: Mapping[str, Any]) -> Any:
        operand = self.children[0].value(env)
        return self.factor * operand if _kind(operand) == "number" else None

    def column(self, context: _Context) -> _Vector:
        return _Numbers(self.factor * context.numbers(context.vector(self.children[0])))


_ARITHMETIC: Mapping[type[ast.operator], tuple[Callable[[Any, Any], Any], Callable[[Floats, Floats], Floats]]] = {
    ast.Add: (_arithmetic(operator.add), np.add),
    ast.Sub: (_arithmetic(operator.sub), np.subtract),
    ast.Mult: (_arithmetic(operator.mul), np.multiply),
    ast.Div: (_arithmetic(operator.truediv), lambda a, b: np.divide(a, b, out=np.full_like(a, np.nan), where=b != 0)),
}


class _Arithmetic(_Node):
    def __init__(self, span: tuple[int, int], operation: type[ast.operator], left: _Node, right: _Node) -> None:
        super().__init__(span, (left, right))
        self.compute, self.compute_columns = _ARITHMETIC[operation]

    def value(self, env: Mapping[str, Any]) -> Any:
        return self.compute(self.children[0].value(env), self.children[1].value(env))

    def column(self, context: _Context) -> _Vector:
        left, right = (context.numbers(context.vector(child)) for child in self.children)
        return _Numbers(self.compute_columns(left, right))


class _Logic(_Node):
    def __init__(self, span: tuple[int, int], operands: Sequence[_Node], *, conjunction: bool) -> None:
        super().__init__(span, operands)
        self.conjunction = conjunction

    def value(self, env: Mapping[str, Any]) -> Any:
        for operand in self.children:
            if _truthy(operand.value(env)) != self.conjunction:
                return not self.conjunction
        return self.conjunction

    def column(self, context: _Context) -> _Vector:
        masks = [context.truth(context.vector(operand)) for operand in self.children]
        return _Truths(context.all(masks) if self.conjunction else context.any(masks), context.full(True))


class _Compare(_Node):
    def __init__(self, span: tuple[int, int], operands: Sequence[_Node], tests: Sequence[str]) -> None:
        super().__init__(span, operands)
        self.tests = tuple(tests)
        self.checks = tuple(_TESTS[test] for test in tests)

    def value(self, env: Mapping[str, Any]) -> Any:
        left = self.children[0].value(env)
        for check, operand in zip(self.checks, self.children[1:], strict=True):
            right = operand.value(env)
            if not check(left, right):
                return False
            left = right
        return True

    def column(self, context: _Context) -> _Vector:
        operands = [context.vector(operand) for operand in self.children]
        masks = [context.link(test, a, b) for test, a, b in zip(self.tests, operands, operands[1:], strict=False)]
        return _Truths(context.all(masks), context.full(True))


class _Choice(_Node):
    def value(self, env: Mapping[str, Any]) -> Any:
        test, body, orelse = self.children
        return body.value(env) if _truthy(test.value(env)) else orelse.value(env)

    def column(self, context: _Context) -> _Vector:
        test, body, orelse = (context.vector(child) for child in self.children)
        chosen = context.truth(test)
        kinds = {_vector_kind(body), _vector_kind(orelse)} - {"null"}
        if kinds <= {"number"}:
            return _Numbers(np.where(chosen, context.numbers(body), context.numbers(orelse)))
        if kinds == {"boolean"}:
            yes, no = context.truths(body), context.truths(orelse)
            return _Truths(np.where(chosen, yes.values, no.values), np.where(chosen, yes.known, no.known))
        raise _NotVectorisable


class _Call(_Node):
    def __init__(self, span: tuple[int, int], function: str, args: Sequence[_Node]) -> None:
        super().__init__(span, args)
        self.function = _SCALAR_FUNCTIONS[function]
        self.function_columns = _COLUMN_FUNCTIONS[function]
        self.functions = self.functions | {function}

    def value(self, env: Mapping[str, Any]) -> Any:
        return self.function(*(arg.value(env) for arg in self.children))

    def column(self, context: _Context) -> _Vector:
        return self.function_columns(context, [context.vector(arg) for arg in self.children])


# Checking the source


_REFUSED_OPERATORS: Mapping[type[ast.AST], tuple[str, str]] = {
    ast.Pow: ("**", "use *, /, + or -"),
    ast.Mod: ("%", "use /, + or -"),
    ast.FloorDiv: ("//", "use / and round()"),
    ast.MatMult: ("@", "use *"),
    ast.LShift: ("<<", "use *"),
    ast.RShift: (">>", "use /"),
    ast.BitAnd: ("&", "use 'and'"),
    ast.BitOr: ("|", "use 'or'"),
    ast.BitXor: ("^", "use 'or' or !="),
    ast.Invert: ("~", "use 'not'"),
    ast.Is: ("is", "use == to compare"),
    ast.IsNot: ("is not", "use != to compare"),
}
_REFUSED_NODES: Mapping[type[ast.AST], str] = {
    ast.Attribute: "a point cannot join names here: write the attribute's name alone, like 'inner_length_cm'",
    ast.Subscript: "square brackets cannot follow a name: to ask for a value, write '\"L\" in sizes'",
    ast.Lambda: "'lambda' cannot be used in an expression; write the condition itself, like 'persons >= 2'",
    ast.ListComp: "'for' cannot be used in an expression; to ask for a value, write '\"alpine\" in use'",
    ast.SetComp: "'for' cannot be used in an expression; to ask for a value, write '\"alpine\" in use'",
    ast.DictComp: "'for' cannot be used in an expression; to ask for a value, write '\"alpine\" in use'",
    ast.GeneratorExp: "'for' cannot be used in an expression; to ask for a value, write '\"alpine\" in use'",
    ast.JoinedStr: 'a text in quotes cannot start with f; write the text in plain quotes, like "dome"',
    ast.NamedExpr: "':=' compares nothing: write '==' to compare, like 'persons == 2'",
    ast.Await: "the word 'await' cannot be used in an expression; remove it",
    ast.Yield: "the word 'yield' cannot be used in an expression; remove it",
    ast.YieldFrom: "the word 'yield' cannot be used in an expression; remove it",
    ast.Starred: "a '*' in front of a value cannot be used here; write the value alone, like 'max(sizes)'",
    ast.Dict: (
        "braces with ':' cannot be used in an expression; a list is written in square brackets, like "
        '["dome", "tunnel"]'
    ),
    ast.Set: 'a list is written in square brackets, not braces: write ["dome", "tunnel"], not {"dome", "tunnel"}',
}
_REFUSED_CONSTANTS: Mapping[type, str] = {
    type(
        None
    ): "there is no null to write: an unanswered step is null by itself (and every comparison with it is false)",
    bytes: 'a text in quotes cannot start with b; write the text in plain quotes, like "dome"',
    complex: "letters right after a number cannot be read; write the number alone, like 2",
    type(...): "'...' cannot be used in an expression; write the value, like 2 or \"dome\"",
}
_COMPARISONS: Mapping[type[ast.cmpop], str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
}
_HINTS = (("&&", "use 'and' instead of '&&'"), ("||", "use 'or' instead of '||'"), ("!", "use 'not' instead of '!'"))
# German words for and, or, not: the expression reads them as names, and the word after one cannot be read.
_GERMAN_LOGIC = {"und": "and", "oder": "or", "nicht": "not"}
_GERMAN_WORD = re.compile(r"(?<![\w.])(und|oder|nicht)(?![\w(])", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")


_BRACKETS = {"(": ")", "[": "]", "{": "}"}
_OPENERS = {closer: opener for opener, closer in _BRACKETS.items()}
# The pieces a merchandiser sees in an expression: a number (with what sticks to it), a name or word, a text in
# quotes (perhaps not closed), a two-character comparison, or one other character.
_PIECE = re.compile(r"""\d[\w.]*|\w+|"[^"]*"?|'[^']*'?|==|!=|<=|>=|\S""")
_COMPARE_SIGNS = ("==", "!=", "<", "<=", ">", ">=")
_LONE_EQUALS = re.compile(r"(?<![=<>!])=(?!=)")
_NUMBER_SPOT = re.compile(r"\d[\w.]*")
_CONDITION = "persons >= 2"
_CHOICE = "'3 if persons > 2 else 2'"


def _shown(text: str) -> str:
    """A stretch of the expression as a message quotes it: its end when it is long."""
    text = text.strip()
    return text if len(text) <= 30 else "…" + text[-28:].lstrip()


def _pieces(source: str) -> list[re.Match[str]]:
    return list(_PIECE.finditer(source))


def _is_value(piece: str) -> bool:
    """Whether a piece ends a value (a name, a number, a text, true, a closing bracket), which an operator follows."""
    if piece in ("and", "or", "not", "in", "if", "else", "is"):
        return False
    return piece[0].isalnum() or piece[0] in "_\"')]" or not piece.isascii()


def _quote(piece: str) -> str:
    """A piece as a message names it: in quotes, unless it is a text in quotes already."""
    return piece if piece[0] in "\"'" else f"'{piece}'"


def _plain(piece: str) -> bool:
    """Whether a piece is a name or a number, which an example can show as it is."""
    return piece.isidentifier() or piece[0].isdigit()


def _missing_after(piece: str) -> str | None:
    """What is missing after a piece that needs something behind it, with an example; None for a value."""
    if piece in ("and", "or"):
        return f"after '{piece}' a condition is missing, like '{_CONDITION}'"
    if piece == "not":
        return "after 'not' a condition is missing, like 'not freestanding'"
    if piece in _COMPARE_SIGNS:
        return f"after '{piece}' the value to compare with is missing, like 'capacity {piece} 2'"
    if piece == "in":
        return "after 'in' the list or step to look in is missing, like '\"trekking\" in use'"
    if piece in ("+", "-", "*", "/"):
        return f"after '{piece}' a number is missing, like 'body_height {piece} 15'"
    if piece == "if":
        return f"after 'if' the condition is missing, like {_CHOICE}"
    if piece == "else":
        return f"after 'else' the value for the other case is missing, like {_CHOICE}"
    if piece == ",":
        return "after ',' a value is missing, like 'max(persons, 2)'"
    if piece in _BRACKETS:
        return f"after '{piece}' a value is missing, like 'max(persons, 2)'"
    return None


def _at_spot(source: str, offset: int) -> str:
    """Why the piece at `offset` cannot stand where it is, from the piece before it."""
    pieces = _pieces(source)
    here = next((p for p in pieces if p.start() <= offset < p.end()), None)
    spot = here.group() if here else source[offset]
    before = [p.group() for p in pieces if p.end() <= (here.start() if here else offset)]
    previous = before[-1] if before else None
    if spot == "is":
        return "'is' does not compare here; write '==' to compare (or '!=' for 'is not'), like 'persons == 2'"
    if spot == "else" and "if" not in before:
        return f"'else' without an 'if' before it: write 'a if condition else b', like {_CHOICE}"
    if previous is None:
        if spot in ("and", "or"):
            return f"an expression cannot start with '{spot}': a condition is missing before it, like '{_CONDITION}'"
        if spot in _COMPARE_SIGNS:
            return (
                f"an expression cannot start with '{spot}': the value to compare is missing, like 'capacity {spot} 2'"
            )
        if spot == "if":
            return f"an expression cannot start with 'if': the value is missing before it, like {_CHOICE}"
        return f"an expression cannot start with '{spot}'; remove it"
    missing = _missing_after(previous)
    if missing is not None:
        return f"'{spot}' cannot follow '{previous}': {missing}"
    if _is_value(spot) or spot in _BRACKETS or spot == "not":
        if _plain(previous) and _plain(spot):
            example = f"like '{previous} >= {spot}' or '{previous} and {spot}'"
        else:
            example = "like '>=', '+' or 'and'"
        return f"between {_quote(previous)} and {_quote(spot)} a comparison or a link is missing, {example}"
    if spot.isidentifier():
        return f"the word '{spot}' cannot stand here, after '{previous}'; remove it"
    return f"'{spot}' cannot be used in an expression here, after '{previous}'; remove it"


def _stops_early(source: str) -> str:
    """Why an expression that stops in the middle cannot be read: what its last piece needs behind it."""
    pieces = _pieces(source)
    last = pieces[-1].group() if pieces else ""
    if last == "is":
        return "'is' does not compare here; write '==' to compare, like 'persons == 2'"
    missing = _missing_after(last)
    if missing is not None:
        return missing
    return f"the expression stops too early, after '{_shown(last)}'; something is missing there"


def _number_spot(source: str, offset: int) -> str:
    """Why a number (with letters or a leading 0) at `offset` cannot be read."""
    match = next((m for m in _NUMBER_SPOT.finditer(source) if m.start() <= offset <= m.end()), None)
    if match is None:
        return "this is not a number; write the number alone, or put a space and an operator after it, like '2 * x'"
    written = match.group()
    if written.isdigit():
        return f"'{written}' is not read as a number: a whole number does not start with 0; write {int(written)}"
    digits = re.match(r"\d+(?:\.\d+)?", written)
    number = digits.group() if digits else written
    return (
        f"'{written}' is not a number: write the number alone, like {number} (a unit belongs in the step's unit), "
        f"or put a space and an operator after it, like '{number} * x'"
    )


def _syntax_message(source: str, offset: int, error: SyntaxError) -> str:
    """What Python's complaint about the spot at `offset` means, in the merchandiser's words."""
    said = error.msg
    spot = source[offset]
    if "unterminated" in said:
        quote = spot if spot in "\"'" else '"'
        return (
            f"the text in quotes that starts here is not closed; add the closing {quote} at its end, like "
            f"{quote}trekking{quote}"
        )
    if "was never closed" in said:
        closer = _BRACKETS.get(spot, ")")
        if spot == "{":
            return '\'{\' is not used in expressions; a list is written in square brackets, like ["dome", "tunnel"]'
        inside = _shown(source[offset + 1 :])
        if not inside:
            example = '["dome", "tunnel"]' if spot == "[" else "max(persons, 2)"
            return f"this '{spot}' is never closed: write what goes in it and a closing '{closer}', like {example}"
        return f"this '{spot}' is never closed: a closing '{closer}' is missing after {_quote(inside)}"
    if "unmatched" in said:
        return f"this '{spot}' closes no bracket: remove it, or add the '{_OPENERS.get(spot, '(')}' it closes before it"
    if "does not match" in said:
        brackets = re.findall(r"'(.)'", said)
        opener = brackets[1] if len(brackets) > 1 else "("
        return f"this '{spot}' cannot close the '{opener}' before it; write '{_BRACKETS.get(opener, ')')}' here"
    if "literal" in said or "leading zeros" in said:
        return _number_spot(source, offset)
    if "'else'" in said:
        return (
            f"'if' here needs an 'else' with the value for the other case: write 'a if condition else b', like "
            f"{_CHOICE}"
        )
    if "non-printable character" in said:
        return "this invisible character is not allowed; type a plain space"
    if "invalid character" in said or "continuation character" in said:
        shown = "\\" if "continuation" in said else spot
        return f"'{shown}' cannot be used in an expression; remove it"
    if source[offset : offset + 2] in ("=>", "=<"):
        turned = source[offset : offset + 2][::-1]
        return f"'{turned[::-1]}' is written the other way round: write '{turned}', like 'capacity {turned} 2'"
    if _LONE_EQUALS.search(source) and ("'=='" in said or '"=="' in said or "keyword argument" in said or spot == "="):
        return "'=' compares nothing: write '==' to compare, like 'persons == 2'"
    if "forgot a comma" in said:
        pieces = _pieces(source)
        here = next((p.group() for p in pieces if p.start() <= offset < p.end()), spot)
        if _plain(here):
            return f"after '{here}' a comma is missing, like 'max(persons, 2)', or an operator, like '{here} + 2'"
        return "a comma is missing here, like 'max(persons, 2)', or an operator, like '+' or '>='"
    return _at_spot(source, offset)


def _syntax_error(source: str, indent: int, error: SyntaxError) -> ExpressionError:
    """A friendly ExpressionError for a SyntaxError from parsing source[indent:]."""
    if not error.offset:  # Python points nowhere when the expression stops in the middle
        end = len(source.rstrip())
        return ExpressionError(_stops_early(source[:end]), end - 1)
    offset = min(indent + error.offset - 1, len(source) - 1)
    length = (error.end_offset or 0) - error.offset if error.end_lineno == error.lineno else 1
    message = _syntax_message(source, offset, error)
    for typed, hint in _HINTS:
        found = source.find(typed, max(offset - 1, 0), offset + len(typed))
        if found >= 0 and source[found : found + 2] != "!=":
            offset, length, message = found, len(typed), hint
            break
    german = _german_word(source, offset)
    if german is not None:
        offset, length = german.start(), len(german.group())
        message = (
            f"use '{_GERMAN_LOGIC[german.group().lower()]}' instead of '{german.group()}': expressions are written "
            "with and, or, not"
        )
    return ExpressionError(message, offset, min(length, len(source) - offset))


def _german_word(source: str, offset: int) -> re.Match[str] | None:
    """A German und, oder or nicht where an expression cannot be read: at the spot, or the word just before it
    (`nicht a` stops at the a), outside quotes."""
    for match in _GERMAN_WORD.finditer(source):
        if match.start() > offset:
            break
        if source[match.end() : offset].strip() or source[: match.start()].count('"') % 2:
            continue
        if source[: match.start()].count("'") % 2 == 0:
            return match
    return None


class _Checker:
    """Turns the syntax tree of one source into checked nodes, or an ExpressionError pointing into the source."""

    def __init__(self, source: str, indent: int) -> None:
        self.source = source
        self.indent = indent
        self.utf8 = None if source.isascii() else source[indent:].encode()

    def offset(self, column: int) -> int:
        """The offset in the source of a column in the parsed text, which the ast module counts in UTF-8 bytes."""
        return self.indent + (column if self.utf8 is None else len(self.utf8[:column].decode(errors="ignore")))

    def span(self, node: ast.expr | ast.keyword) -> tuple[int, int]:
        return self.offset(node.col_offset), self.offset(node.end_col_offset or node.col_offset + 1)

    def fail(self, message: str, span: tuple[int, int]) -> NoReturn:
        raise ExpressionError(message, span[0], span[1] - span[0])

    def fail_operator(self, operation: ast.AST, left: ast.expr, right: ast.expr) -> NoReturn:
        symbol, advice = _REFUSED_OPERATORS[type(operation)]
        between = self.offset(left.end_col_offset or 0), self.offset(right.col_offset)
        found = max(self.source.find(symbol.split()[0], *between), between[0])
        self.fail(f"'{symbol}' is not allowed; {advice}", (found, found + len(symbol)))

    def check(self, node: ast.expr, depth: int = 1) -> _Node:
        span = self.span(node)
        if depth > MAX_DEPTH:
            self.fail(f"the expression is nested too deeply (more than {MAX_DEPTH} levels); split it up", span)
        inner = depth + 1
        match node:
            case ast.Constant(value=value):
                if type(value) in _REFUSED_CONSTANTS:
                    self.fail(_REFUSED_CONSTANTS[type(value)], span)
                return _Constant(span, value)
            case ast.Name(id="true" | "false" as word):
                return _Constant(span, word == "true")
            case ast.Name(id=name) if name.lower() == "null":
                self.fail(_REFUSED_CONSTANTS[type(None)], span)
            case ast.Name(id=name):
                return _Name(span, name)
            case ast.BoolOp(op=operation, values=values):
                operands = [self.check(value, inner) for value in values]
                return _Logic(span, operands, conjunction=isinstance(operation, ast.And))
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                return _Not(span, (self.check(operand, inner),))
            case ast.UnaryOp(op=ast.USub() | ast.UAdd() as operation, operand=operand):
                return _Sign(span, self.check(operand, inner), negative=isinstance(operation, ast.USub))
            case ast.UnaryOp(op=operation):
                symbol, advice = _REFUSED_OPERATORS[type(operation)]
                self.fail(f"'{symbol}' is not allowed; {advice}", (span[0], span[0] + 1))
            case ast.BinOp(left=left, op=operation, right=right):
                if type(operation) not in _ARITHMETIC:
                    self.fail_operator(operation, left, right)
                return _Arithmetic(span, type(operation), self.check(left, inner), self.check(right, inner))
            case ast.Compare(left=left, ops=operations, comparators=comparators):
                for test, a, b in zip(operations, [left, *comparators], comparators, strict=False):
                    if type(test) not in _COMPARISONS:
                        self.fail_operator(test, a, b)
                operands = [self.check(operand, inner) for operand in [left, *comparators]]
                return _Compare(span, operands, [_COMPARISONS[type(test)] for test in operations])
            case ast.IfExp(test=test, body=body, orelse=orelse):
                return _Choice(span, [self.check(part, inner) for part in (test, body, orelse)])
            case ast.Tuple(elts=[first, second, *_]) if self.source[span[0]] != "(":
                self.fail_bare_comma(first, second)
            case ast.List(elts=items) | ast.Tuple(elts=items):
                return _Sequence(span, [self.check(item, inner) for item in items])
            case ast.Call(func=ast.Name(id=name) as function, args=args, keywords=keywords):
                return self.check_call(span, name, self.span(function), args, keywords, inner)
            case ast.Call(func=function):
                self.check(function, inner)
                self.fail(f"only these functions can be called: {', '.join(FUNCTIONS)}", self.span(function))
            case _:
                self.fail(_REFUSED_NODES.get(type(node), "this is not allowed in an expression"), span)

    def fail_bare_comma(self, first: ast.expr, second: ast.expr) -> NoReturn:
        """A comma outside brackets: most often a decimal comma (`0,7`), which Python would read as a list."""
        start = self.offset(first.end_col_offset or 0)
        comma = self.source.find(",", start)
        if 0 < comma < len(self.source) - 1 and self.source[comma - 1].isdigit() and self.source[comma + 1].isdigit():
            digits = re.match(r"\d+", self.source[comma + 1 :])
            whole = re.search(r"\d+$", self.source[:comma])
            assert digits is not None and whole is not None
            written = f"{whole.group()},{digits.group()}"
            self.fail(
                f"write decimals with a point: {written.replace(',', '.')}, not {written}",
                (comma - len(whole.group()), comma + 1 + len(digits.group())),
            )
        self.fail("a comma outside brackets: a list is written in brackets, e.g. [1, 2]", (comma, comma + 1))

    def check_call(
        self,
        span: tuple[int, int],
        name: str,
        name_span: tuple[int, int],
        args: list[ast.expr],
        keywords: list[ast.keyword],
        depth: int,
    ) -> _Node:
        spec = FUNCTIONS.get(name)
        if spec is None and name.lower() in _GERMAN_LOGIC:  # nicht (…) reads as a call of a function "nicht"
            self.fail(f"use '{_GERMAN_LOGIC[name.lower()]}' instead of '{name}': expressions are written with and, "
                      "or, not", name_span)  # fmt: skip
        if spec is None:
            close = difflib.get_close_matches(name, FUNCTIONS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"the functions are {', '.join(FUNCTIONS)}"
            self.fail(f"there is no function '{name}'; {hint}", name_span)
        if keywords:
            word = keywords[0].arg
            named = (
                f"a value in {name}()'s brackets cannot be named ('{word}=')" if word else "'**' cannot be used here"
            )
            self.fail(f"{named}; give the values in order, like round(weight_kg, 1)", self.span(keywords[0]))
        checked = [self.check(arg, depth) for arg in args]
        if len(args) < spec.min_args or (spec.max_args is not None and len(args) > spec.max_args):
            example = _CALLS.get(name, f"{name}(x)")
            self.fail(f"{name}() takes {_arity(spec)} in its brackets, not {len(args)}, like {example}", span)
        return _Call(span, name, checked)


# A right call of each function, for the message about a wrong number of values.
_CALLS: Mapping[str, str] = {
    "min": "min(persons, 2)",
    "max": "max(persons, 2)",
    "abs": "abs(x)",
    "round": "round(weight_kg, 1)",
    "len": "len(use)",
    "any_of": "any_of(use, activity)",
    "all_of": "all_of(activity, use)",
}


def _arity(spec: FunctionSpec) -> str:
    plural = "" if (spec.max_args or spec.min_args) == 1 else "s"
    if spec.max_args is None:
        return f"at least {spec.min_args} value{plural}"
    if spec.max_args == spec.min_args:
        return f"exactly {spec.min_args} value{plural}"
    return f"{spec.min_args} or {spec.max_args} values"


# The public surface


@dataclass(frozen=True)
class Comparison:
    """One comparison link in an expression, such as `weight_kg <= budget_weight`, and where it stands."""

    operator: str  # ==, !=, <, <=, >, >=, in or not in
    left: Expression
    right: Expression
    expression: Expression  # the link on its own, to evaluate it apart from the rest
    offset: int
    length: int


@dataclass(frozen=True)
class Expression:
    """A checked expression: parse it once, evaluate it many times."""

    source: str
    names: frozenset[str]
    functions: frozenset[str]
    _root: _Node = field(repr=False, compare=False)

    def comparisons(self) -> tuple[Comparison, ...]:
        """Every comparison link, outermost first and left to right; `a < b < c` has the links a < b and b < c."""
        found: list[Comparison] = []
        pending = [self._root]
        while pending:
            node = pending.pop(0)
            pending[:0] = node.children
            if isinstance(node, _Compare):
                spans = [self._widened(operand, node) for operand in node.children]
                for test, (start, left_end), (right_start, end) in zip(node.tests, spans, spans[1:], strict=False):
                    left, right, link = (
                        parse(self.source[a:b]) for a, b in ((start, left_end), (right_start, end), (start, end))
                    )
                    found.append(Comparison(test, left, right, link, start, end - start))
        return tuple(found)

    def _widened(self, operand: _Node, within: _Node) -> tuple[int, int]:
        """The span of an operand with the brackets around it, which the syntax tree leaves out."""
        start, end = operand.start, operand.end
        while True:
            before = len(self.source[:start].rstrip(" \t")) - 1
            after = len(self.source) - len(self.source[end:].lstrip(" \t"))
            if before < within.start or after >= within.end or self.source[before] + self.source[after] != "()":
                return start, end
            start, end = before, after + 1


def parse(source: str) -> Expression:
    """Check an expression and prepare it for evaluation; ExpressionError says what is wrong and where."""
    if len(source) > MAX_LENGTH:
        raise ExpressionError(
            f"the expression is {len(source)} characters long; at most {MAX_LENGTH} are allowed",
            MAX_LENGTH,
            len(source) - MAX_LENGTH,
        )
    if not source.strip():
        raise ExpressionError("the expression is empty", 0, len(source))
    invisible = _INVISIBLE.search(source)
    if invisible:
        newline = invisible.group() in "\r\n"
        message = "an expression must fit on one line" if newline else "this invisible character is not allowed"
        raise ExpressionError(message, invisible.start())
    indent = len(source) - len(source.lstrip(" \t"))  # ast.parse takes leading blanks for an indented block
    try:
        # Python warns about odd escapes like "\d"; a warning filter set to "error" must not change the outcome.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source[indent:], mode="eval")
    except SyntaxError as error:
        raise _syntax_error(source, indent, error) from None
    root = _Checker(source, indent).check(tree.body)
    return Expression(source, root.names, root.functions, root)


def evaluate(expression: Expression, env: Mapping[str, Any]) -> Any:
    """The value of an expression for one set of values (answers, a product's attributes); None for null."""
    result = expression._root.value(env)
    return None if _kind(result) == "null" else result


_UNSETTLED = object()


def _settled(node: _Node, known: Mapping[str, Any]) -> Any:
    """A node's value from the `known` names alone, or _UNSETTLED when it depends on others; `and`, `or` and `not`
    short-circuit on what is known (`not insulated or warmth` is true once warmth is)."""
    if isinstance(node, _Not):
        inner = _settled(node.children[0], known)
        return _UNSETTLED if inner is _UNSETTLED else not _truthy(inner)
    if isinstance(node, _Logic):
        open_ = False
        for operand in node.children:
            found = _settled(operand, known)
            if found is _UNSETTLED:
                open_ = True
            elif _truthy(found) != node.conjunction:
                return not node.conjunction
        return _UNSETTLED if open_ else node.conjunction
    if isinstance(node, _Choice):
        test = _settled(node.children[0], known)
        if test is not _UNSETTLED:
            return _settled(node.children[1] if _truthy(test) else node.children[2], known)
    return node.value(known) if node.names <= known.keys() else _UNSETTLED


def settled(expression: Expression, known: Mapping[str, Any]) -> bool | None:
    """Whether the expression is true (or false) whatever the names missing from `known` hold, None when they
    decide: a requirement true for every product once the shopper answered (`not insulated or warmth` with warmth
    yes) says nothing about a product."""
    found = _settled(expression._root, known)
    return None if found is _UNSETTLED else _truthy(found)


_EXTREME = {">": "max", ">=": "max", "<": "min", "<=": "min"}


def decided_by_extreme(expression: Expression, names: Collection[str]) -> tuple[str, str] | None:
    """(name, "max" or "min") when the expression is one ordering comparison of an attribute among `names` with
    something that names none of them (an answer, a number, another attribute).

    Some row of a group of rows (a model's variants) then passes it exactly when a row with the group's largest
    ("max") or smallest ("min") value of that attribute does, missing values left out: `height <= max_body_height_cm`
    fits some variant when the longest one fits.
    """
    root = expression._root
    if not isinstance(root, _Compare) or len(root.tests) != 1 or root.tests[0] not in _EXTREME:
        return None
    (left, right), test = root.children, root.tests[0]
    if isinstance(left, _Name) and left.name in names and right.names.isdisjoint(names):
        return left.name, _EXTREME[test]
    if isinstance(right, _Name) and right.name in names and left.names.isdisjoint(names):
        return right.name, _EXTREME[_MIRRORED[test]]
    return None


def evaluate_columns(expression: Expression, scalars: Mapping[str, Any], columns: Columns) -> Mask:
    """Where every product passes the expression as a requirement; product attributes win over same-named answers."""
    kinds = {name: kind for name in expression.names if (kind := columns.kind(name)) is not None}
    context = _Context(columns, scalars, kinds)
    try:
        with np.errstate(all="ignore"):
            return np.array(context.truth(context.vector(expression._root)), dtype=np.bool_)
    except _NotVectorisable:
        env = dict(scalars)
        passes = np.empty(columns.size, dtype=np.bool_)
        for index in range(columns.size):
            env.update({name: columns.value(name, index) for name in kinds})
            passes[index] = _truthy(expression._root.value(env))
        return passes
