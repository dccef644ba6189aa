"""Reading JSON from outside safely (pure): size and nesting are checked before parsing.

A file nested thousands of levels deep would make any recursive reader fail with a
RecursionError; ``parse_json`` measures the nesting first (with regular expressions, not
recursion) and refuses anything deeper than ``MAX_DEPTH`` with a plain message.
"""

from __future__ import annotations

import json
import re
from typing import Any

from mesoplan.errors import Problem, ValidationError

MAX_DEPTH = 32
"""Deepest nesting of objects and lists accepted (an exchange file needs about 8)."""
MAX_IMPORT_BYTES = 256 * 1024 * 1024
"""Largest file an import reads (about 100,000 patients with their plans)."""

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_INNERMOST = re.compile(r"\[\]|\{\}")


def nesting_depth(text: str, limit: int = MAX_DEPTH) -> int:
    """How deeply ``text``'s objects and lists nest, counting at most to ``limit + 1``."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    depth = 0
    while brackets and depth <= limit:
        brackets, removed = _INNERMOST.subn("", brackets)
        if not removed:
            break  # unbalanced: the parser reports where
        depth += 1
    return depth


def _size(count: int) -> str:
    if count >= 1_048_576:
        return f"{count / 1_048_576:.1f} MB"
    return f"{count / 1024:.1f} KB"


def size_problem(size: int, where: str, limit: int | None = None) -> Problem | None:
    """A problem when a file of ``size`` bytes is over ``limit`` (default ``MAX_IMPORT_BYTES``)."""
    limit = MAX_IMPORT_BYTES if limit is None else limit
    if size <= limit:
        return None
    return Problem(where, f"the file is {_size(size)}; MesoPlan reads files of up to "
                          f"{_size(limit)}. Split it into smaller files.")


def parse_json(text: str, where: str, max_depth: int = MAX_DEPTH) -> Any:
    """The parsed document; ValidationError (with ``where``) when it is too deep or not JSON."""
    if nesting_depth(text, max_depth) > max_depth:
        raise ValidationError([Problem(where, f"the data is nested more than {max_depth} levels "
                                              "deep; this is not a MesoPlan file")])
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError([Problem(f"{where}, line {exc.lineno}, column {exc.colno}",
                                       f"not valid JSON: {exc.msg}")]) from None
    except ValueError as exc:  # e.g. a number with more digits than Python converts
        raise ValidationError([Problem(where, f"not valid JSON: {str(exc).split(';')[0]}")]) from None
    except RecursionError:  # unbalanced brackets the depth count could not pair up
        raise ValidationError([Problem(where, f"the data is nested more than {max_depth} levels "
                                              "deep; this is not a MesoPlan file")]) from None
