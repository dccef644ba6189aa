"""Printing any script: font runs, shaping, right-to-left order, and what cannot be printed.

- **Fonts.** Each word is printed in the shipped DejaVu Sans when it covers every character, else in
  a system font that does (``fallback``); a word needing several fonts is split into runs.
- **Shaping** (joined Arabic letters, Indic conjuncts and vowel signs, marks placed on their base) is
  done by HarfBuzz through ReportLab's own shaping support (``uharfbuzz``), turned on only for the
  paragraphs that need it.
- **Right-to-left text** (Arabic, Hebrew…) is put in display order by python-bidi (the Unicode
  Bidirectional Algorithm, UAX #9, in Rust): lines are broken in reading order first, then each line
  is reordered, so a long Arabic name that wraps still starts on the first line. Words keep their
  letters in reading order; HarfBuzz lays a right-to-left word out from right to left itself.
- **Unprintable** characters (no installed font has them, or they need shaping HarfBuzz is missing
  for) never print as empty boxes: they print as ``[U+XXXX]`` and ``unprintable()`` lists them so the
  screens and the command line can tell the user, field by field, before anything is printed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from bidi import get_display
from bidi.mirror import MIRRORED
from reportlab.lib.abag import ABag
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import shapeFragWord

from mesoplan.documents import fallback
from mesoplan.documents.fallback import Face

try:  # ReportLab shapes with HarfBuzz when uharfbuzz is importable
    import uharfbuzz  # noqa: F401

    HAVE_SHAPING = True
except ImportError:  # pragma: no cover - a dependency; the documents then warn instead
    HAVE_SHAPING = False

_RTL_CLASSES = frozenset({"R", "AL", "RLE", "RLO", "RLI"})
_COMPLEX_RANGES = (  # scripts whose letters change shape or order with their neighbours
    (0x0600, 0x08FF), (0x0900, 0x0DFF), (0x0E00, 0x0FFF), (0x1000, 0x109F), (0x1100, 0x11FF),
    (0x1700, 0x18AF), (0x1900, 0x1CFF), (0xA800, 0xABFF), (0x10A00, 0x10AFF), (0x11000, 0x11FFF),
)
_INVISIBLE = frozenset({"\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff",
                        "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"})
"""Format characters that have no picture of their own: they steer joining and direction only."""
_SPACES = re.compile(r"[ \t\u00a0]+")


def is_rtl(text: str) -> bool:
    """True when the text has right-to-left letters (or explicit right-to-left controls)."""
    return not is_simple(text) and any(unicodedata.bidirectional(c) in _RTL_CLASSES for c in text)


def needs_shaping(char: str) -> bool:
    if unicodedata.category(char) in ("Mn", "Mc", "Me"):
        return True
    code = ord(char)
    return any(low <= code <= high for low, high in _COMPLEX_RANGES)


@lru_cache(maxsize=1)
def _simple_chars() -> frozenset[str]:
    """Characters the shipped font prints as they are: no fallback font, shaping or reordering needed."""
    return frozenset(c for c in map(chr, fallback.shipped_face().chars)
                     if not needs_shaping(c) and unicodedata.bidirectional(c) not in _RTL_CLASSES) | {"\n"}


def is_simple(text: str) -> bool:
    """True for text the shipped font prints as it is (most text): the fast path."""
    return _simple_chars().issuperset(text)


def wants_shaping(text: str) -> bool:
    """True when a paragraph must be laid out by HarfBuzz: it has letters that change shape, or
    right-to-left words (kept in reading order here, HarfBuzz lays them out right to left)."""
    return HAVE_SHAPING and not is_simple(text) and any(
        needs_shaping(c) or unicodedata.bidirectional(c) in _RTL_CLASSES for c in text)


def _prints_nothing(char: str) -> bool:
    """Spaces, joiners, direction marks and variation selectors: nothing to draw of their own."""
    code = ord(char)
    return (char in _INVISIBLE or char in "\n\r\t " or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF)


def face_for(char: str, bold: bool = False) -> Face | None:
    """The font that prints ``char`` (shipped first, then the system's), or None."""
    shipped = fallback.shipped_face(bold)
    if shipped.covers(char) or _prints_nothing(char):
        return shipped
    return fallback.fallback_face(char)


def unprintable_chars(text: str) -> list[str]:
    """The distinct characters of ``text`` that cannot be printed correctly, in order of appearance."""
    text = str(text)
    if is_simple(text):
        return []
    found: dict[str, None] = {}
    for char in text:
        if char in found or _prints_nothing(char):
            continue
        if face_for(char) is None or (needs_shaping(char) and not HAVE_SHAPING):
            found[char] = None
    return list(found)


_LTR_OR_NUMBER = frozenset({"L", "EN", "AN"})


def mixed_direction_words(text: str) -> list[str]:
    """Words (between spaces) that mix right-to-left letters with left-to-right letters or digits.

    HarfBuzz lays out a word in one direction, so such a word cannot print in the right order.
    """
    found: dict[str, None] = {}
    for word in _SPACES.sub(" ", str(text).replace("\n", " ")).split(" "):
        classes = {unicodedata.bidirectional(c) for c in word}
        if classes & {"R", "AL"} and classes & _LTR_OR_NUMBER:
            found[word] = None
    return list(found)


def describe(char: str) -> str:
    """'U+1F389 PARTY POPPER' (the character itself is left out: where it is missing it shows as a box)."""
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "") or {"Co": "private use character", "Cn": "unassigned character"}.get(
        unicodedata.category(char), "")
    return f"{code} {name}".strip()


def placeholder(char: str) -> str:
    return f"[U+{ord(char):04X}]"


# --- words as font runs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    text: str
    face: Face | None  # None: unprintable, drawn as its code in the shipped face


def _word_runs(word: str, bold: bool) -> list[Run]:
    """A word in as few fonts as possible: one font for the whole word when one font has it all."""
    shipped = fallback.shipped_face(bold)
    faces = [face_for(c, bold) for c in word]
    if all(f is shipped for f in faces):
        return [Run(word, shipped)]
    for face in dict.fromkeys(f for f in faces if f is not None and f is not shipped):
        if all(face.covers(c) or _prints_nothing(c) for c in word):
            return [Run(word, face)]
    runs: list[Run] = []
    for char, face in zip(word, faces):
        if face is not None and needs_shaping(char) and not HAVE_SHAPING:
            face = None
        if runs and runs[-1].face is face and face is not None:
            runs[-1] = Run(runs[-1].text + char, face)
        else:
            runs.append(Run(char, face))
    return runs


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def runs_markup(runs: Iterable[Run], bold: bool) -> str:
    shipped = fallback.shipped_face(bold)
    parts = []
    for run in runs:
        if run.face is None:
            parts.append(escape("".join(placeholder(c) for c in run.text)))
        elif run.face is shipped or run.face is fallback.shipped_face(not bold):
            parts.append(escape(run.text))
        else:
            parts.append(f'<font name="{run.face.name}">{escape(run.text)}</font>')
    return "".join(parts)


def word_markup(word: str, bold: bool = False) -> str:
    return runs_markup(_word_runs(word, bold), bold)


def word_width(word: str, font_size: float, bold: bool = False) -> float:
    """The printed width of one word (shaped, in its fonts)."""
    total = 0.0
    shipped = fallback.shipped_face(bold)
    for run in _word_runs(word, bold):
        if run.face is None:
            total += stringWidth("".join(placeholder(c) for c in run.text), shipped.name, font_size)
        elif HAVE_SHAPING:  # the wider of both ways, so a line measured here fits however it is drawn
            total += max(_shaped_width(run.text, run.face.name, font_size),
                         stringWidth(run.text, run.face.name, font_size))
        else:
            total += stringWidth(run.text, run.face.name, font_size)
    return total


@lru_cache(maxsize=4096)
def _shaped_width(text: str, font_name: str, font_size: float) -> float:
    shaped = shapeFragWord([stringWidth(text, font_name, font_size), (ABag(fontName=font_name, fontSize=font_size), text)])
    return float(shaped[0])


# --- right-to-left order ----------------------------------------------------------------------------


def _mirrored_reverse(word: str) -> str:
    return "".join(MIRRORED.get(c, c) for c in reversed(word))


def display_words(line: str, base: str | None = None) -> list[str]:
    """The words of one line in display order (left to right), each still in reading order.

    python-bidi gives the line's display order; each of its words is matched to the reading-order
    word it came from (same letters, or the same letters reversed and mirrored), so HarfBuzz can
    shape the word and lay it out in its own direction.
    """
    words = line.split(" ")
    if not is_rtl(line):
        return words
    shown = get_display(line, base_dir=base).split(" ")
    if not HAVE_SHAPING:  # nothing will lay words out right to left: print the letters as displayed
        return shown
    unused = list(words)
    result = []
    for visual in shown:
        for index, word in enumerate(unused):
            if word == visual or _mirrored_reverse(word) == visual:
                result.append(unused.pop(index))
                break
        else:  # a word mixing directions was cut up by the algorithm: print it as displayed
            result.append(visual)
    return result


def base_direction(text: str) -> str:
    """'R' when the text's first strong letter is right-to-left, else 'L' (UAX #9 rules P2-P3)."""
    from bidi import get_base_level

    return "R" if text and get_base_level(text) == 1 else "L"


def line_markup(line: str, bold: bool = False, base: str | None = None) -> str:
    """One line of data text as paragraph markup: display order, font runs, escaped."""
    line = _SPACES.sub(" ", line).strip(" ")
    base = base or base_direction(line)
    return " ".join(word_markup(w, bold) for w in display_words(line, base) if w)


def text_markup(text: str, bold: bool = False) -> str:
    """Data text (one or more lines) as markup that prints literally, in order and in covering fonts."""
    if is_simple(text):
        return "<br/>".join(escape(_SPACES.sub(" ", line).strip(" ")) for line in text.split("\n"))
    return "<br/>".join(line_markup(line, bold) for line in text.split("\n"))


def break_lines(text: str, width: float, font_size: float, bold: bool = False) -> list[tuple[str, str]]:
    """Greedy line breaking in reading order: (line, base direction) pairs that each fit ``width``.

    Words longer than a line are cut between characters (never before a combining mark).
    """
    space = stringWidth(" ", fallback.shipped_face(bold).name, font_size)
    lines: list[tuple[str, str]] = []
    for paragraph in text.split("\n"):
        paragraph = _SPACES.sub(" ", paragraph).strip(" ")
        base = base_direction(paragraph)
        current: list[str] = []
        used = 0.0
        for word in paragraph.split(" "):
            if not word:
                continue
            pieces = _cut(word, width, font_size, bold)
            for piece in pieces:
                size = word_width(piece, font_size, bold)
                if current and used + space + size > width:
                    lines.append((" ".join(current), base))
                    current, used = [], 0.0
                used = used + space + size if current else size
                current.append(piece)
        lines.append((" ".join(current), base))
    return lines


def _cut(word: str, width: float, font_size: float, bold: bool) -> list[str]:
    if word_width(word, font_size, bold) <= width:
        return [word]
    pieces, current = [], ""
    for char in word:
        joined = current + char
        glued = unicodedata.category(char) in ("Mn", "Mc", "Me") or char in "\u200c\u200d"
        if current and not glued and word_width(joined, font_size, bold) > width:
            pieces.append(current)
            current = char
        else:
            current = joined
    if current:
        pieces.append(current)
    return pieces
