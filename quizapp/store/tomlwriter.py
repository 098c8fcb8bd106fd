"""A fast TOML writer for the snapshot: byte for byte what ``tomli_w.dumps`` writes.

Writing a 100,000-card snapshot with ``tomli_w`` took most of a compaction (its string
formatting looks at every character in Python, and it walks a generator per table). This
writes the same text (the same table order, headers, blank lines, quoting, escapes and
inline-versus-array-of-tables choice, so the snapshot stays exactly as diff-friendly as it
was) with a fast path for the common case: keys and strings without characters that need
escaping are written as they are, and only the others go through ``tomli_w``'s own
formatting. A property test checks the output equals ``tomli_w.dumps`` for random data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from tomli_w import _writer as tomli_w  # its escaping rules, for the rare strings that need them

INDENT = "    "  # tomli_w's default indent
MAX_LINE_LENGTH = tomli_w.MAX_LINE_LENGTH
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_NEEDS_ESCAPE = re.compile(r'[\x00-\x08\x0a-\x1f\x7f"\\]')
_CONTEXT = tomli_w.Context(False, len(INDENT))


def key(part: str) -> str:
    if _BARE_KEY.fullmatch(part):
        return part
    return string(part)


def string(text: str) -> str:
    if _NEEDS_ESCAPE.search(text) is None:
        return f'"{text}"'
    return tomli_w.format_string(text, allow_multiline=False)


def literal(value: Any, nest_level: int = 0) -> str:
    kind = type(value)
    if kind is str:
        return string(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is float or kind is datetime or kind is date:
        return str(value)
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        indent = INDENT * (1 + nest_level)
        items = ",\n".join(indent + literal(item, nest_level + 1) for item in value)
        return f"[\n{items},\n{INDENT * nest_level}]"
    if isinstance(value, (bool, int, float, date, datetime, time, str, list, tuple, Mapping)):
        return _slow_literal(value, nest_level)
    return tomli_w.format_literal(value, _CONTEXT, nest_level=nest_level)  # raises TypeError


def _slow_literal(value: Any, nest_level: int) -> str:
    if isinstance(value, Mapping):
        return inline_table(value)
    return tomli_w.format_literal(value, _CONTEXT, nest_level=nest_level)


def inline_table(table: Mapping[str, Any]) -> str:
    if not table:
        return "{}"
    return "{ " + ", ".join(f"{key(k)} = {literal(v)}" for k, v in table.items()) + " }"


def _is_array_of_tables(value: Any) -> bool:
    return (isinstance(value, (list, tuple)) and bool(value)
            and all(isinstance(item, Mapping) for item in value))


def _fits_inline(table: Mapping[str, Any]) -> bool:
    rendered = f"{INDENT}{inline_table(table)},"
    return len(rendered) <= MAX_LINE_LENGTH and "\n" not in rendered


class Rendered:
    """A table already written as text (exactly what ``dumps`` would write for it under
    its name): the snapshot writes its 100,000 card tables with a writer of their own."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def dumps(data: Mapping[str, Any]) -> str:
    """``tomli_w.dumps(data)``, faster. A ``Rendered`` value is a table whose text is
    given."""
    out: list[str] = []
    _table(out, data, "", False)
    return "".join(out)


def _table(out: list[str], table: Mapping[str, Any], name: str, inside_aot: bool) -> None:
    """Append a table's text: ``tomli_w._writer.gen_table_chunks``, step for step."""
    literals: list[tuple[str, Any]] = []
    tables: list[tuple[str, Any, bool]] = []
    for k, v in table.items():
        if isinstance(v, (Mapping, Rendered)):
            tables.append((k, v, False))
        elif _is_array_of_tables(v) and not all(_fits_inline(t) for t in v):
            tables.extend((k, t, True) for t in v)
        else:
            literals.append((k, v))
    yielded = False
    if inside_aot or name and (literals or not tables):
        yielded = True
        out.append(f"[[{name}]]\n" if inside_aot else f"[{name}]\n")
    if literals:
        yielded = True
        out.extend(f"{key(k)} = {literal(v)}\n" for k, v in literals)
    for k, v, in_aot in tables:
        if yielded:
            out.append("\n")
        else:
            yielded = True
        if type(v) is Rendered:
            out.append(v.text)
            continue
        part = key(k)
        _table(out, v, f"{name}.{part}" if name else part, in_aot)
