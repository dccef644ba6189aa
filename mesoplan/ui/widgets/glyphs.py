"""Which characters of a text the screen cannot show (they would appear as empty boxes).

Qt draws a character in the widget's font or, failing that, in any installed font that has it;
``missing_glyphs`` lays each distinct character out exactly as a label would and reports those that
still come out as the "missing glyph" (glyph 0) or with no glyph at all. Used to tell the user,
e.g. in the document preview, that a patient's name has characters this computer cannot display.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtGui import QFont, QTextLayout


def _shows_nothing(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in ("Cf", "Cc", "Mn", "Me")


def missing_glyphs(text: str, font: QFont) -> list[str]:
    """The distinct characters of ``text`` that no font available to Qt can show, in order of appearance."""
    missing: dict[str, None] = {}
    for char in dict.fromkeys(text):
        if _shows_nothing(char):
            continue
        layout = QTextLayout(char, font)
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(1_000_000)
        layout.endLayout()
        runs = layout.glyphRuns()
        if not runs or any(index == 0 for run in runs for index in run.glyphIndexes()):
            missing[char] = None
    return list(missing)


def _name(char: str) -> str:
    return unicodedata.name(char, "") or {"Co": "private use character", "Cn": "unassigned character"}.get(
        unicodedata.category(char), "")


def missing_glyphs_message(what: str, text: str, font: QFont) -> str:
    """'The patient name has characters this screen cannot show: …' or '' when every character shows."""
    chars = missing_glyphs(text, font)
    if not chars:
        return ""
    listed = ", ".join(f"U+{ord(c):04X} {_name(c)}".strip() for c in chars)
    return f"The {what} has characters this screen cannot show (no installed font has them): {listed}."
