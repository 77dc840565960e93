"""Read a questionnaire file's YAML: plain values, where every key and value is written, problems in plain words.

libyaml's event parser (through PyYAML) scans the text, fast; this module builds the values with YAML 1.2's
core schema (`no`, `on` and `1:30` stay text), keeps the span of every key and value, and says what a
syntax error means and how to fix it. A file with a syntax error is read on: the broken line (with the
lines indented under it) is blanked and the rest read again, so one slip does not hide every other finding.
Control characters are reported where they are and read as spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

Path = tuple[str | int, ...]
Point = tuple[int, int]  # 0-based line and column (in characters)
Span = tuple[int, int, int, int]  # 0-based start line, start column, end line, end column

MAX_DEPTH = 100
MAX_EXPANDED = 50_000  # values reachable through aliases, counted as often as they are reached
MAX_REPAIRS = 12

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# YAML 1.2's printable characters, less the line breaks that editors do not count (NEL, U+2028, U+2029).
_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCTAL = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INFINITY = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
_STR_TAG = "tag:yaml.org,2002:str"
LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as an editor (and LSP) ends a line; U+2028 does not
_KEY_WITHOUT_COLON = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w-]*) +[{\[\"'\w]")
# A line with a key: its indentation, the '- ' of list items in front of the key, the key, and what follows ':'.
_KEY_LINE = re.compile(r"^( *)((?:- +)*)([A-Za-z_][\w-]*):(?:[ \t]+(.*))?$")


@dataclass(frozen=True)
class Problem:
    """Something that keeps the text from being read as intended: where it is, and what to do."""

    span: Span
    message: str
    code: str = "Q001"


@dataclass
class Document:
    """A file's value with the spans of its keys and values (by path), and the problems met reading it."""

    text: str
    value: Any = None
    keys: dict[Path, Span] = field(default_factory=dict)
    values: dict[Path, Span] = field(default_factory=dict)
    styles: dict[Path, str] = field(default_factory=dict)  # a scalar's style: '' plain, ' " quoted, | > block
    problems: list[Problem] = field(default_factory=list)
    damaged: tuple[int, ...] = ()  # 0-based lines left out to read the rest after a syntax error
    _line_starts: list[int] = field(default_factory=list, repr=False)

    @property
    def readable(self) -> bool:
        """True when the text gave a value (possibly after leaving out broken lines)."""
        return self.value is not None

    def line_starts(self) -> list[int]:
        if not self._line_starts:
            starts = [0]
            starts.extend(match.end() for match in LINE_BREAK.finditer(self.text))
            self._line_starts = starts
        return self._line_starts

    def line_text(self, line: int) -> str:
        """The text of a 0-based line, without its line break ('' past the end)."""
        starts = self.line_starts()
        if not 0 <= line < len(starts):
            return ""
        end = starts[line + 1] if line + 1 < len(starts) else len(self.text)
        return self.text[starts[line] : end].rstrip("\r\n")

    def offset(self, point: Point) -> int:
        starts = self.line_starts()
        line = min(max(point[0], 0), len(starts) - 1)
        return min(starts[line] + point[1], len(self.text))

    def point(self, offset: int) -> Point:
        starts = self.line_starts()
        low, high = 0, len(starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return low, offset - starts[low]

    def locate(self, path: Path, offset: int) -> Point:
        """Where character `offset` of the text value at `path` is written (quotes, escapes and folding skipped)."""
        span = self.values.get(path)
        value = value_at(self.value, path)
        if span is None or not isinstance(value, str):
            return span[:2] if span else (0, 0)
        return self.point(
            locate_in_source(
                self.text, self.offset(span[:2]), self.offset(span[2:]), value, offset, self.styles.get(path, "")
            )
        )


def value_at(value: Any, path: Path) -> Any:
    """What the parsed document holds at `path` (keys and list positions), or None when nothing is there."""
    for part in path:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def locate_in_source(text: str, start: int, end: int, value: str, offset: int, style: str) -> int:
    """The index in `text` of character `offset` of a scalar `value` written in text[start:end].

    The value's characters are matched to the source's in order; what the value does not show (quotes, a
    block header, indentation, a doubled quote, an escape's backslash) is skipped, folded line breaks match
    the spaces they became.
    """
    i, j = 0, start
    if style in ("|", ">"):
        while j < end and text[j] not in "\r\n":  # the header line: | or > with its indicators and comment
            j += 1
    elif style in ("'", '"'):
        j += 1
    offset = min(offset, len(value))
    while i < offset and j < end:
        char, source = value[i], text[j]
        if style == '"' and source == "\\":
            line_break = text[j + 1 : j + 2] in ("\r", "\n")  # an escaped line break stands for nothing
            j += _escape_length(text, j)
            if not line_break:
                i += 1
        elif style == "'" and source == "'" and j + 1 < end and text[j + 1] == "'":
            i, j = i + 1, j + 2
        elif char == source:
            i, j = i + 1, j + 1
        elif char in " \n" and source in " \t\r\n":
            while j < end and text[j] in " \t\r\n":
                j += 1
            while i < offset and value[i] in " \n":
                i += 1
        else:
            j += 1
    if i == len(value):  # just after the last character: a plain value's end is the span's end
        return j
    while j < end and text[j] in " \t\r\n" and value[i] not in " \t\r\n":
        j += 1  # indentation before the character itself
    return min(j, max(end - 1, start))


def _escape_length(text: str, j: int) -> int:
    following = text[j + 1 : j + 2]
    if following in ("\r", "\n"):
        length = 2 + (1 if text[j + 1 : j + 3] == "\r\n" else 0)
        while j + length < len(text) and text[j + length] in " \t":
            length += 1
        return length
    return {"x": 4, "u": 6, "U": 10}.get(following, 2)


# -- values -----------------------------------------------------------------------------------------------


def scalar_value(text: str, style: str | None, tag: str | None) -> Any:
    """A scalar as YAML 1.2's core schema reads it (quoted, block and !!str scalars are texts)."""
    if style not in (None, "") or tag == _STR_TAG:
        return text
    if _NULL.match(text):
        return None
    if _TRUE.match(text):
        return True
    if _FALSE.match(text):
        return False
    if _INT.match(text):
        return int(text)
    if _OCTAL.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INFINITY.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text


def _span(start: Any, end: Any) -> Span:
    return start.line, start.column, end.line, end.column


@dataclass
class _Frame:
    container: dict[Any, Any] | list[Any]
    path: Path
    start: Any
    anchor: str | None
    key: Any = None
    key_span: Span | None = None
    has_key: bool = False
    skip: bool = False  # the pending key cannot be used (not a text, or a merge key): drop its value
    size: int = 1


class _Composer:
    """Builds values from parser events, recording spans; problems for what YAML allows but a file cannot use."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.expanded = 0
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.done = False

    def problem(self, span: Span, message: str, code: str = "Q001") -> None:
        self.document.problems.append(Problem(span, message, code))

    def path(self) -> Path:
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return (*frame.path, len(frame.container))
        return (*frame.path, str(frame.key))

    def compose(self, events: Iterator[Any]) -> None:
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent) and self.done:
                self.problem(
                    _span(event.start_mark, event.end_mark),
                    "a questionnaire file holds one YAML document; remove this '---' and what follows",
                )
                return
            if isinstance(event, yaml.ScalarEvent):
                value = self.scalar(event)
                self.add(value, _span(event.start_mark, event.end_mark), 1, event.anchor, event.style or "")
            elif isinstance(event, yaml.AliasEvent):
                self.alias(event)
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                if len(self.stack) >= MAX_DEPTH:
                    self.problem(
                        _span(event.start_mark, event.end_mark),
                        f"the values are nested more than {MAX_DEPTH} levels deep here; flatten them",
                    )
                    return
                self.tag(event)
                container: dict[Any, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
                self.stack.append(_Frame(container, self.path(), event.start_mark, event.anchor))
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                frame = self.stack.pop()
                self.add(frame.container, _span(frame.start, event.end_mark), frame.size, frame.anchor, "")
            elif isinstance(event, yaml.DocumentEndEvent):
                self.done = True
            if self.expanded > MAX_EXPANDED:
                return

    def tag(self, event: Any) -> None:
        tag = event.tag
        if tag is None or tag == "!" or tag == _STR_TAG:
            return
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        self.problem(
            _span(event.start_mark, event.end_mark),
            f"YAML tags like '{shown}' are not used in questionnaire files; remove it",
        )

    def scalar(self, event: Any) -> Any:
        self.tag(event)
        return scalar_value(event.value, event.style, event.tag)

    def alias(self, event: Any) -> None:
        span = _span(event.start_mark, event.end_mark)
        if event.anchor not in self.anchors:
            self.problem(
                span,
                f"'*{event.anchor}' repeats the value marked '&{event.anchor}', but no value above "
                f"is marked so; add '&{event.anchor}' to it, or put the text in quotes",
            )
            self.add(None, span, 1, None, "")
            return
        value, size = self.anchors[event.anchor]
        self.expanded += size
        if self.expanded > MAX_EXPANDED:
            self.problem(span, "aliases (*name) repeat values too often in this file; write the values out")
            return
        self.add(value, span, size, None, "*")

    def add(self, value: Any, span: Span, size: int, anchor: str | None, style: str) -> None:
        if anchor is not None:
            self.anchors[anchor] = (value, size)
        if not self.stack:
            self.root = value
            self.document.values[()] = span
            return
        frame = self.stack[-1]
        frame.size += size
        if isinstance(frame.container, list):
            path = (*frame.path, len(frame.container))
            frame.container.append(value)
            self.record(path, span, style)
            return
        if not frame.has_key:
            frame.has_key, frame.key, frame.key_span, frame.skip = True, value, span, False
            if isinstance(value, dict | list):
                self.problem(span, "a key must be a plain text, not a list or a mapping; write 'key: value'")
                frame.skip = True
            elif value == "<<" and style == "":
                self.problem(span, "merge keys ('<<') are not part of YAML 1.2; write the keys out")
                frame.skip = True
            elif value in frame.container:
                first = self.document.keys.get((*frame.path, str(value)))
                where = f" (first at line {first[0] + 1})" if first else ""
                self.problem(span, f"'{value}' is written twice in this mapping{where}; keep one of them", "Q005")
                frame.skip = True
            return
        frame.has_key = False
        if frame.skip:
            return
        frame.container[frame.key] = value
        path = (*frame.path, str(frame.key))
        assert frame.key_span is not None
        self.document.keys[path] = frame.key_span
        self.record(path, span, style)

    def record(self, path: Path, span: Span, style: str) -> None:
        self.document.values[path] = span
        if style:
            self.document.styles[path] = style


# -- syntax errors in plain words --------------------------------------------------------------------------


def _explain(error: yaml.MarkedYAMLError, text: str) -> tuple[Point, str]:
    """Where a syntax error is, and what it means in plain words with the fix."""
    problem, context = error.problem or "", error.context or ""
    mark, start = error.problem_mark, error.context_mark
    at: Point = (mark.line, mark.column) if mark else (0, 0)
    opened: Point = (start.line, start.column) if start else at
    lines = text.splitlines() or [""]
    if at[0] >= len(lines):  # the end of the file: point at the end of its last line
        at = (len(lines) - 1, len(lines[-1]))
    opened = (min(opened[0], len(lines) - 1), opened[1])
    line_text = lines[at[0]]
    char = line_text[at[1] : at[1] + 1]
    if not char.strip() and "end of stream" not in problem and not line_text[at[1] :].strip() and "flow" in context:
        return opened, "the bracket opened here is never closed; add the closing bracket"
    if "tab" in problem or char == "\t":
        return at, "a tab is here: YAML indents with spaces only; replace the tab with spaces"
    if "quoted scalar" in context and ("end of stream" in problem or "document indicator" in problem):
        return opened, "the quote opened here is never closed; add the closing quote"
    if "unknown escape" in problem:
        return (
            at,
            r"a backslash in double quotes starts an escape like \n; write \\ for a backslash, or use single quotes",
        )
    if "flow sequence" in context or "flow mapping" in context:
        brackets = "[ ]" if "sequence" in context else "{ }"
        if opened[0] != at[0]:
            comment = _comment_column(lines[opened[0]])
            if comment is not None and comment > opened[1]:
                return (opened[0], comment), (
                    f"' #' starts a comment, so the rest of this line is left out and the {brackets} is not closed; "
                    "put the text with '#' in quotes"
                )
            return opened, f"the {brackets} opened here is not closed on its line; add '{brackets[-1]}'"
        return at, (
            f"inside {brackets} the entries are separated by commas; put a text with ',', ':', "
            "'{', '}', '[' or ']' in quotes"
        )
    if "could not find expected ':'" in problem:
        missing = _KEY_WITHOUT_COLON.match(lines[opened[0]][opened[1] :])
        if missing:
            key = missing.group(2)
            return (opened[0], opened[1] + missing.end(2)), f"'{key}' needs a ':' after it (write {key}: ...)"
        return opened, "this key has no ':' after it; write 'key: value'"
    if "mapping values are not allowed" in problem:
        missing = _KEY_WITHOUT_COLON.match(line_text[: at[1]])
        if missing:
            return (at[0], missing.end(2)), f"'{missing.group(2)}' needs a ':' after it (write {missing.group(2)}: ...)"
        above = _indented_under_a_value(lines, at)
        if above is not None:
            key, row = above
            return (at[0], len(line_text) - len(line_text.lstrip(" "))), (
                f"this line is indented more than the key '{key}:' above it (line {row + 1}), so it reads as that "
                f"key's value going on; line it up with {key}:"
            )
        return at, (
            "a ':' here starts a key where none can be: if the text before it is a key, it needs its "
            "own line and ':'; if it is a text, put it all in quotes"
        )
    if "expected '-' indicator" in problem or "block collection" in context:
        return at, _off_the_items(lines, at) or (
            "this line is indented differently from the list items above it; line it up with them"
        )
    if "expected key" in problem:
        if char == "-":
            return at, "a list item ('- ') where a key was expected: indent it under the key it belongs to"
        if char in "]}":
            return at, f"a closing '{char}' without its opening bracket; remove it, or put the text in quotes"
        if line_text[: at[1]].strip():
            return at, "the text goes on after its closing quote or bracket; put the whole text in quotes"
        return at, "this line is indented differently from the keys above it; line it up with its neighbours"
    if "anchor" in context or "alias" in context:
        return opened, "'&' and '*' start anchors and aliases in YAML; put a text that starts with them in quotes"
    if "directive" in context:
        return opened, "'%' at the start of a line starts a YAML directive; put the text in quotes or indent it"
    if "cannot start any token" in problem or "node content" in problem:
        if not char.strip():
            return at, "a value is missing here: write it, or remove what stands before it"
        return at, f"a value cannot start with '{char}'; put the text in quotes"
    if "block sequence entries are not allowed" in problem:
        return at, "a list item ('- ') cannot stand after a key on the same line; start it on a line of its own"
    if "comment or line break" in problem:
        return at, "the text goes on after its closing quote or bracket; put the whole text in quotes"
    return at, "this cannot be read as YAML: check the indentation, the ':' after each key, and quotes and brackets"


def _off_the_items(lines: list[str], at: Point) -> str | None:
    """For a key at the column of the '- ' of the list items above (`prefer:` under an option, in line with its
    `- id:`): where that key belongs, the column of the keys of the item above. None when the line is not such a
    key, or no item above it starts at its column."""
    here = _KEY_LINE.match(lines[at[0]])
    if here is None or here.group(2) or len(here.group(1)) != at[1]:
        return None
    for row in range(at[0] - 1, -1, -1):
        text = lines[row]
        if not text.strip() or text.lstrip().startswith("#") or len(text) - len(text.lstrip(" ")) > at[1]:
            continue
        item = _KEY_LINE.match(text)
        if item is None or len(item.group(1)) < at[1] or not item.group(2):
            return None  # no list item starts at this column right above
        column = len(item.group(1)) + len(item.group(2))  # where the item's keys stand
        last = next(
            (
                r
                for r in range(at[0] - 1, row, -1)
                if (key := _KEY_LINE.match(lines[r])) and len(key.group(1)) == column
            ),
            row,
        )
        name = (_KEY_LINE.match(lines[last]) or item).group(3)
        return (
            f"'{here.group(3)}:' stands at the column of the '- ' of the list items above, where only a new item "
            f"('- ...') can start; to give it to the item above (line {row + 1}), indent it to column {column + 1}, "
            f"in line with its keys ({name}: on line {last + 1})"
        )
    return None


def _content_above(lines: list[str], row: int) -> int | None:
    """The line above `row` with something on it (not blank, not only a comment), or None."""
    for above in range(row - 1, -1, -1):
        if lines[above].strip() and not lines[above].lstrip().startswith("#"):
            return above
    return None


def _indented_under_a_value(lines: list[str], at: Point) -> tuple[str, int] | None:
    """For a ':' YAML did not expect: the key above (and its line) when the line is a key indented more than that
    key with a value on its line, which YAML reads as the value going on. None when that is not certain: the text
    before the ':' is not one word, the line above is no such key, or that key is itself out of line with the
    key above it."""
    here = lines[at[0]]
    indent = len(here) - len(here.lstrip(" "))
    if not re.fullmatch(r" *[A-Za-z_][\w-]*", here[: at[1]]):
        return None
    row = _content_above(lines, at[0])
    above = _KEY_LINE.match(lines[row]) if row is not None else None
    if row is None or above is None or not above.group(4) or above.group(4)[0] in "|>#":
        return None
    column = len(above.group(1)) + len(above.group(2))
    if indent <= column:
        return None
    # The key above is in line with its mapping: a key above it at its column, or it is the mapping's first key
    # (a list item's, or under a key that opens a block).
    before = _content_above(lines, row)
    outer = _KEY_LINE.match(lines[before]) if before is not None else None
    if outer is not None:
        outer_column = len(outer.group(1)) + len(outer.group(2))
        opens = not outer.group(4) or outer.group(4).startswith("#")
        if outer_column == column or (outer_column < column and (opens or above.group(2))):
            return above.group(3), row
    elif before is None or above.group(2):
        return above.group(3), row
    return None


def _comment_column(line: str) -> int | None:
    """Where a comment starts on a line: a '#' after a blank (or at the start), outside quotes; None for none."""
    quote = ""
    i = 0
    while i < len(line):
        char = line[i]
        if quote:
            if char == "\\" and quote == '"':
                i += 1  # an escaped character, a quote too
            elif char == quote:
                quote = ""  # ('' in single quotes closes and reopens: the same)
        elif char in "'\"" and line[:i].rstrip()[-1:] in ("", "{", "[", ",", ":", "-", "?"):
            quote = char  # a quote where a value starts (elsewhere it is a character of a plain text)
        elif char == "#" and (i == 0 or line[i - 1] in " \t"):
            return i
        i += 1
    return None


def _blank(text: str, line: int, *, with_children: bool = True) -> str:
    """The text with a line (and the lines indented under it) replaced by spaces, line breaks kept."""
    lines = LINE_BREAK.split(text)
    breaks = LINE_BREAK.findall(text)
    if line >= len(lines):
        return text
    indent = len(lines[line]) - len(lines[line].lstrip(" "))
    lines[line] = " " * len(lines[line])
    following = line + 1
    while with_children and following < len(lines):
        current = lines[following]
        if current.strip() and len(current) - len(current.lstrip(" ")) <= indent:
            break
        lines[following] = " " * len(current)
        following += 1
    return "".join(part + (breaks[i] if i < len(breaks) else "") for i, part in enumerate(lines))


def _control_characters(text: str, problems: list[Problem]) -> str:
    """Report each control character (at most one per line) and read it as a space."""
    found = list(_UNPRINTABLE.finditer(text))
    if not found:
        return text
    document = Document(text)
    reported: set[int] = set()
    for match in found:
        if match.start() == 0 and match.group() == "\ufeff":
            continue
        line, column = document.point(match.start())
        if line in reported:
            continue
        reported.add(line)
        code = ord(match.group())
        name = (
            "a line break editors do not show" if code in (0x85, 0x2028, 0x2029) else "an invisible control character"
        )
        problems.append(Problem((line, column, line, column + 1), f"{name} (U+{code:04X}) is here; delete it"))
    return _UNPRINTABLE.sub(" ", text)


def read_document(text: str) -> Document:
    """Read YAML text: the value with its spans, or problems; a syntax error leaves out its lines and reads on."""
    problems: list[Problem] = []
    readable = _control_characters(text, problems)
    damaged: list[int] = []
    for _ in range(MAX_REPAIRS):
        document = Document(text, problems=list(problems), damaged=tuple(damaged))
        composer = _Composer(document)
        try:
            composer.compose(yaml.parse(readable, Loader=_Loader))
        except yaml.MarkedYAMLError as error:
            (line, column), message = _explain(error, readable)
            problems.append(Problem((line, column, line, column + 1), message))
            if line in damaged:
                break
            damaged.append(line)
            # A tab only breaks its own line; any other slip takes the lines indented under it along.
            readable = _blank(readable, line, with_children="tab" not in message)
            continue
        except yaml.YAMLError as error:  # a reader error: control characters are replaced above, so unexpected
            problems.append(Problem((0, 0, 0, 1), f"this file cannot be read as YAML ({type(error).__name__})"))
            break
        document.value = composer.root
        return document
    return Document(text, problems=problems, damaged=tuple(damaged))


def decode(data: bytes) -> tuple[str, list[Problem]]:
    """The text of a file's bytes: UTF-8 (a BOM is fine); each byte that is not UTF-8 reported where it is."""
    problems: list[Problem] = []
    try:
        return data.decode("utf-8-sig"), problems
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8-sig", errors="replace")
    position, line, column = 0, 0, 0
    reported: set[int] = set()
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    while position < len(body):
        try:
            body[position:].decode("utf-8")
            break
        except UnicodeDecodeError as error:
            bad = position + error.start
            before = body[position:bad].decode("utf-8")
            breaks = list(LINE_BREAK.finditer(before))
            if breaks:
                line += len(breaks)
                column = len(before) - breaks[-1].end()
            else:
                column += len(before)
            if line not in reported:
                reported.add(line)
                problems.append(
                    Problem(
                        (line, column, line, column + 1),
                        f"the byte 0x{body[bad]:02X} here is not UTF-8 (the file was saved in another "
                        "encoding); save the file as UTF-8",
                    )
                )
            position = bad + max(1, error.end - error.start)
            column += 1
    return text, problems
