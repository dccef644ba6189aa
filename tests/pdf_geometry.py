"""Where every word of a PDF lands (poppler's ``pdftotext -bbox``), to check that nothing overlaps.

Used by the document layout tests: each word's box must lie on its page, and no two words' boxes may
overlap (text printed over other text, or a name running over a line and the words above it).
"""

from __future__ import annotations

import html
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>', re.S)
TOLERANCE = 0.6  # points: glyph boxes of neighbouring words and lines may touch


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float  # from the top of the page
    x1: float
    y1: float
    text: str


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: tuple[Word, ...]


def pages(pdf: bytes) -> list[Page]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    result = []
    for number, (width, height, body) in enumerate(_PAGE.findall(out), 1):
        words = tuple(Word(number, float(a), float(b), float(c), float(d), html.unescape(t))
                      for a, b, c, d, t in _WORD.findall(body))
        result.append(Page(number, float(width), float(height), words))
    return result


def problems(pdf: bytes) -> list[str]:
    """Words off their page and pairs of words printed over each other (empty list: none)."""
    found = []
    for page in pages(pdf):
        for w in page.words:
            if w.x0 < -TOLERANCE or w.y0 < -TOLERANCE or w.x1 > page.width + TOLERANCE or w.y1 > page.height + TOLERANCE:
                found.append(f"page {page.number}: {w.text!r} leaves the page ({w.x0:.0f},{w.y0:.0f})-({w.x1:.0f},{w.y1:.0f})")
        ordered = sorted(page.words, key=lambda w: w.y0)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                if b.y0 >= a.y1 - TOLERANCE:
                    break
                if min(a.x1, b.x1) - max(a.x0, b.x0) > TOLERANCE and min(a.y1, b.y1) - max(a.y0, b.y0) > TOLERANCE:
                    found.append(f"page {page.number}: {a.text!r} and {b.text!r} overlap")
    return found
