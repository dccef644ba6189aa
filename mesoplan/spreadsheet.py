"""CSV cells that are safe to open in a spreadsheet (pure; OWASP's CSV-injection guidance).

A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula
by common spreadsheets. ``neutralise`` puts an apostrophe in front of such a cell (and of a cell
that already begins with one, so the escape is never ambiguous); ``restore`` removes exactly that
apostrophe on import, so export followed by import gives back every cell unchanged.
``safe_strip`` trims surrounding white space without ever uncovering a formula: ``"\\t=1+1"``
stays as it is instead of becoming ``"=1+1"``.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
_ESCAPED = (*FORMULA_START, ESCAPE)


def neutralise(cell: str) -> str:
    """The cell as written to a CSV file: inert in a spreadsheet."""
    return ESCAPE + cell if cell.startswith(_ESCAPED) else cell


def restore(cell: str) -> str:
    """The reverse of ``neutralise`` (any other cell is returned as it is)."""
    if cell.startswith(ESCAPE) and cell[1:].startswith(_ESCAPED):
        return cell[1:]
    return cell


def safe_strip(cell: str) -> str:
    """``cell`` without surrounding white space, unless removing it would start a formula
    (then only the trailing white space goes)."""
    trimmed = cell.strip()
    if cell[:1].isspace() and trimmed.startswith(FORMULA_START):
        return cell.rstrip()
    return trimmed


def is_formula_like(cell: str) -> bool:
    return cell.startswith(FORMULA_START)
