"""Fonts for characters the shipped DejaVu Sans lacks (CJK, Devanagari, Thai, emoji…), found on the system.

The shipped family comes first. For any other character, fontconfig is asked which installed fonts
cover it (``fc-list :charset=…``), in the order of the system's sans-serif preference
(``fc-match -s sans-serif``); the first one ReportLab can embed (TrueType outlines: not CFF-based
OpenType such as Noto Sans CJK, not colour-bitmap emoji) is registered and used. Without fontconfig
(or with no covering font) the character is *unprintable*, and the documents say so before
printing instead of printing an empty box. Nothing is downloaded; installed fonts keep their own
licences (they are embedded as subsets, which their licences allow for documents).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from mesoplan.documents.fonts import BOLD, REGULAR, register_fonts

_TIMEOUT = 10
_lock = threading.RLock()


@dataclass(frozen=True)
class Face:
    """A registered font: its ReportLab name and the characters its cmap maps."""

    name: str
    chars: frozenset[int] = field(repr=False)

    def covers(self, char: str) -> bool:
        return ord(char) in self.chars


@cache
def shipped_face(bold: bool = False) -> Face:
    """The shipped DejaVu Sans face (regular or bold), covering what *both* faces have.

    Text moves between the two faces through ``<b>`` markup, so a character only one of them has
    is taken from a fallback font instead.
    """
    register_fonts()
    chars = frozenset(pdfmetrics.getFont(REGULAR).face.charToGlyph) & frozenset(pdfmetrics.getFont(BOLD).face.charToGlyph)
    return Face(BOLD if bold else REGULAR, chars)


def _run(args: list[str]) -> str:
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout if done.returncode == 0 else ""


@dataclass(frozen=True)
class _Installed:
    path: str
    index: int
    ranges: tuple[tuple[int, int], ...]

    def covers(self, codepoint: int) -> bool:
        return any(low <= codepoint <= high for low, high in self.ranges)


def _parse_charset(text: str) -> tuple[tuple[int, int], ...]:
    ranges = []
    for part in text.split():
        low, _, high = part.partition("-")
        try:
            ranges.append((int(low, 16), int(high or low, 16)))
        except ValueError:
            continue
    return tuple(ranges)


@cache
def installed_fonts() -> tuple[_Installed, ...]:
    """Every installed font with the characters it covers, in the system's sans-serif preference order."""
    if shutil.which("fc-match") is None:
        return ()
    fonts, seen = [], set()
    for line in _run(["fc-match", "-a", "--format=%{file}|%{index}|%{charset}\\n", "sans-serif"]).splitlines():
        path, index, charset = (line.split("|", 2) + ["", ""])[:3]
        key = (path, index)
        if not path or key in seen:
            continue
        seen.add(key)
        fonts.append(_Installed(path, int(index) if index.isdigit() else 0, _parse_charset(charset)))
    return tuple(fonts)


_loaded: dict[tuple[str, int], Face | None] = {}


def _load(path: str, index: int) -> Face | None:
    """Register a font file with ReportLab (once); None when ReportLab cannot embed it."""
    key = (path, index)
    if key not in _loaded:
        name = "Fallback-" + hashlib.sha1(f"{path}|{index}".encode()).hexdigest()[:12]
        try:
            font = TTFont(name, path, subfontIndex=index)
            pdfmetrics.registerFont(font)
            pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
            _loaded[key] = Face(name, frozenset(font.face.charToGlyph))
        except Exception:  # CFF outlines, colour bitmaps, broken files: ReportLab raises many kinds
            _loaded[key] = None
    return _loaded[key]


_by_char: dict[int, Face | None] = {}


def fallback_face(char: str) -> Face | None:
    """The system font that prints ``char`` when DejaVu Sans cannot, or None (unprintable)."""
    codepoint = ord(char)
    with _lock:
        if codepoint not in _by_char:
            chosen = None
            for font in installed_fonts():
                if font.covers(codepoint):
                    face = _load(font.path, font.index)
                    if face is not None and codepoint in face.chars:
                        chosen = face
                        break
            _by_char[codepoint] = chosen
        return _by_char[codepoint]


def prepare(chars: Iterable[str]) -> None:
    """Find the fonts for these characters now (so rendering later does not stop to ask)."""
    for char in set(chars):
        if not shipped_face().covers(char):
            fallback_face(char)


def forget() -> None:
    """Drop what was found (tests simulate machines with and without fonts)."""
    with _lock:
        _by_char.clear()
        getattr(installed_fonts, "cache_clear", lambda: None)()
