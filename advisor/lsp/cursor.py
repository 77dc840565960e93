"""Where the cursor is in a questionnaire that is being typed: the path of keys and list items around it.

A file being edited is often not valid YAML ("kind: sin", "require: ['capa"), so this reads the structure
from the text itself, YAML's way: a line's indentation, its list markers ("- ") and "key:" say what it belongs
to; on the cursor's line (and the lines of a flow collection it continues) quotes, brackets and commas say
where in a `{...}` or `[...]` the cursor is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from advisor.questionnaire.document import LINE_BREAK

Path = tuple[str | int, ...]
_WORD = re.compile(r"[A-Za-z0-9_\-.]*$")
_KEY = re.compile(r"([^\s:#'\"{}\[\],][^:#{}\[\],]*?|'[^']*'|\"[^\"]*\")\s*:(?:\s|$)")


def lines_of(text: str) -> list[str]:
    """The text's lines as an editor counts them: only \\r\\n, \\r and \\n end a line (U+2028 does not)."""
    return LINE_BREAK.split(text)


@dataclass(frozen=True)
class Cursor:
    """What the cursor is in: the path to it, whether a key is being typed, and the text before it."""

    path: Path  # the containers around the cursor, and the key (or list index) whose value it is in
    in_key: bool  # a key is being typed (no ':' after it yet)
    prefix: str  # the word before the cursor (what a completion replaces)
    start: int  # the column where that word starts
    value: str  # the value's text before the cursor (an expression being typed)
    quote: str = ""  # the quote the value is written in ('' for none)
    block_text: bool = False  # inside a block scalar (| or >): free text
    line: int = -1  # the cursor's line


@dataclass
class _Line:
    indent: int
    markers: list[int]  # columns of the "- " list markers
    content: int  # the column where the content after the markers starts
    key: str | None
    rest: str  # what follows "key:" (or the content, without a key)


def _parse_line(text: str) -> _Line | None:
    """A line's block structure; None for a blank line or a comment."""
    stripped = text.lstrip(" ")
    if not stripped or stripped.startswith("#"):
        return None
    indent = len(text) - len(stripped)
    markers = []
    column = indent
    while text[column : column + 2] == "- " or text[column:].rstrip() == "-":
        markers.append(column)
        column += 2
        while column < len(text) and text[column] == " ":
            column += 1
    content = text[column:]
    match = _KEY.match(content)
    if match:
        key = match.group(1).strip().strip("'\"")
        return _Line(indent, markers, column, key, content[match.end() :].strip())
    return _Line(indent, markers, column, None, content.strip())


def _is_block_scalar(rest: str) -> bool:
    head = rest.split("#", 1)[0].strip()
    return bool(head) and head[0] in "|>" and all(char in "|>+-0123456789" for char in head)


def _flow_depths(lines: list[str], upto: int) -> list[int]:
    """For each line up to `upto`, how many flow brackets ({, [) are open at its start (quotes respected)."""
    depths = []
    depth = 0
    for text in lines[: upto + 1]:
        depths.append(depth)
        stack, _, _ = _scan_flow(text)
        closed = _closed_before_open(text)
        depth = max(0, depth - closed) + len(stack)
    return depths


def _closed_before_open(text: str) -> int:
    """How many brackets opened on earlier lines this line closes."""
    closed = 0
    opened = 0
    quote = ""
    starts = True  # a quote here starts a quoted text (elsewhere it is part of a plain one: a == "x")
    for i, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"" and starts:
            quote = char
        elif char == "#" and (i == 0 or text[i - 1] in " \t"):
            break
        elif char in "{[":
            opened += 1
        elif char in "}]":
            if opened:
                opened -= 1
            else:
                closed += 1
        starts = _starts_value(text, i, starts, flow=True)
    return closed


def _starts_value(text: str, i: int, starts: bool, *, flow: bool) -> bool:
    """Whether a value may start after character i (YAML's quotes and brackets count only there): where one could
    start before, after blanks; in a flow collection after its bracket or a comma; after "key: " or "- "."""
    char, following = text[i], text[i + 1 : i + 2]
    if char in " \t\r\n":
        return starts
    if char in "{[":
        return starts and flow  # the bracket opened a collection (in a plain text it is a character of it)
    if char == ",":
        return flow
    return char in ":-?" and following in (" ", "\t", "\r", "\n", "") and (char == ":" or starts)


def _ancestors(lines: list[str], line: int, column: int) -> Path:
    """The path of the block containers a line's content at `column` is in (from the lines above it)."""
    found: list[str | int] = []
    target = column
    row = line - 1
    while row >= 0 and target > 0:
        parsed = _parse_line(lines[row])
        if parsed is None:
            row -= 1
            continue
        opens_block = not parsed.rest or _is_block_scalar(parsed.rest)
        if parsed.key is not None and parsed.content < target and opens_block:
            found.append(parsed.key)
            target = parsed.content
        if parsed.markers and parsed.markers[0] < target:
            for marker in reversed([m for m in parsed.markers if m < target]):
                # A list that starts after another list's marker on the same line: this is its first item.
                found.append(_item_index(lines, row, marker) if marker == parsed.markers[0] else 0)
                target = marker
        elif parsed.indent < target and parsed.key is None and not parsed.markers:
            target = parsed.indent  # a plain line less indented: stop climbing past it
        row -= 1
    return tuple(reversed(found))


def _item_index(lines: list[str], row: int, marker: int) -> int:
    """Which item of its list the "- " at `marker` on `row` starts (0 for the first)."""
    index = 0
    for above in range(row - 1, -1, -1):
        parsed = _parse_line(lines[above])
        if parsed is None:
            continue
        if marker in parsed.markers:
            index += 1
            if parsed.markers[0] != marker:
                break  # the list starts on this line, after its parent's marker
        elif parsed.indent <= marker:
            break
    return index


def _scan_flow(text: str) -> tuple[list[tuple[str, list[str | int], int]], str, int]:
    """The flow collections open at the end of `text`: (bracket, path inside it, where its entry starts).

    Also the quote open at the end ('' for none) and where the quoted text starts.
    """
    stack: list[tuple[str, list[str | int], int]] = []
    quote, quote_start = "", -1
    starts = True  # a quote here starts a quoted text (elsewhere it is part of a plain one: a == "x")
    i = 0
    while i < len(text):
        char = text[i]
        if quote:
            if char == quote:
                if quote == "'" and text[i + 1 : i + 2] == "'":
                    i += 1
                else:
                    quote = ""
            elif char == "\\" and quote == '"':
                i += 1
        elif char in "'\"" and starts:
            quote, quote_start = char, i + 1
        elif char == "#" and (i == 0 or text[i - 1] in " \t"):
            break
        elif char in "{[" and starts:
            stack.append((char, [0] if char == "[" else [], i + 1))
        elif char in "}]" and stack:
            stack.pop()
        elif char == "," and stack:
            bracket, inner, _ = stack[-1]
            if bracket == "[":
                inner[0] = int(inner[0]) + 1 if inner else 1
            stack[-1] = (bracket, [inner[0]] if bracket == "[" else [], i + 1)
        elif char == ":" and stack and stack[-1][0] == "{" and text[i + 1 : i + 2] in (" ", ""):
            bracket, _, start = stack[-1]
            key = text[start:i].strip().strip("'\"")
            stack[-1] = (bracket, [key], i + 1)
        starts = False if quote else _starts_value(text, i, starts, flow=bool(stack))
        i += 1
    return stack, quote, quote_start if quote else -1


def cursor_at(text: str, line: int, column: int) -> Cursor:
    """Where the cursor (0-based line, column in characters) is in the questionnaire text."""
    return replace(_cursor_at(text, line, column), line=line)


def _cursor_at(text: str, line: int, column: int) -> Cursor:
    lines = lines_of(text)
    if line >= len(lines):
        return Cursor((), True, "", column, "")
    depths = _flow_depths(lines, line)
    first = line
    while first > 0 and depths[first] > 0:
        first -= 1
    # A flow collection goes on over lines indented more than the line it opens on (else it was left unclosed).
    opening = len(lines[first]) - len(lines[first].lstrip(" "))
    if any(len(text) - len(text.lstrip(" ")) <= opening for text in lines[first + 1 : line + 1] if text.strip()):
        first = line
    joined = "\n".join(lines[first:line] + [lines[line][:column]])
    before = lines[line][:column]
    word = _WORD.search(before)
    prefix = word.group() if word else ""
    start = column - len(prefix)
    # The block part: the containers above and this line's own list markers and key.
    head_line = lines[first]
    head = _parse_line(head_line)
    if head is None:  # a blank line (or a comment): a key of the block at this indentation
        indent = len(before) - len(before.lstrip(" "))
        around = _ancestors(lines, line, indent)
        if line > 0 and indent > 0:
            above = next((p for p in (_parse_line(lines[r]) for r in range(line - 1, -1, -1)) if p), None)
            if above is not None and above.key is not None and _is_block_scalar(above.rest) and above.content < indent:
                return Cursor(around, False, prefix, start, before.strip(), block_text=True)
        return Cursor(around, True, prefix, start, "")
    path = list(_ancestors(lines, first, head.markers[0] if head.markers else head.indent))
    for marker in head.markers:
        path.append(_item_index(lines, first, marker) if marker == head.markers[0] else 0)
    if head.markers and head.key is None and first == line and not head.rest.startswith(("{", "[", "'", '"')):
        # "- wor": a list item's value, or the first key of a new mapping item; the list's key tells which.
        return Cursor(tuple(path), _item_is_mapping(path), prefix, start, head.rest[: column - head.content])
    body_start = head.content
    if head.key is not None:
        path.append(head.key)
        key_match = _KEY.match(head_line[head.content :])
        assert key_match is not None
        body_start = head.content + key_match.end()
    elif first == line and not head.markers and not head.rest.startswith(("{", "[", "'", '"')):
        if _is_block_text(lines, line, head.indent):
            return Cursor(_ancestors(lines, line, head.indent), False, prefix, start, before.strip(), block_text=True)
        return Cursor(tuple(path), True, prefix, start, "")
    if first == line and column < body_start:
        return Cursor(tuple(path[:-1]), True, prefix, start, "")  # on the key itself
    body = joined[body_start:]
    stack, quote, quote_start = _scan_flow(body)
    for _, inner, _ in stack:
        path.extend(inner)
    if stack and stack[-1][0] == "{" and not stack[-1][1]:
        entry = body[stack[-1][2] :]
        if ":" not in entry:
            return Cursor(tuple(path), True, prefix, start, "")
    value_start = stack[-1][2] if stack else 0
    value = body[value_start:].lstrip()
    if quote:
        value = body[quote_start:]
    return Cursor(tuple(path), False, prefix, start, value, quote)


def _item_is_mapping(path: list[str | int]) -> bool:
    """Whether the items of the list at `path` are mappings (steps, options...) rather than texts or skus."""
    keys = [part for part in path if isinstance(part, str)]
    return bool(keys) and keys[-1] in ("steps", "options", "examples", "next", "prefer")


def _is_block_text(lines: list[str], line: int, indent: int) -> bool:
    """Whether a line is inside a block scalar (| or >) started by a key above it."""
    for row in range(line - 1, -1, -1):
        parsed = _parse_line(lines[row])
        if parsed is None:
            continue
        if parsed.indent < indent:
            return parsed.key is not None and _is_block_scalar(parsed.rest)
        if parsed.indent == indent:
            return False
    return False
