"""The DejaVu Sans family shipped in ``resources/fonts`` (licence beside it), registered once per process.

ReportLab's built-in Helvetica cannot print names such as Łukasiewicz or Ağaoğlu; DejaVu can, and
``<b>``/``<i>`` in paragraph markup pick the matching face through the registered family.
"""

from __future__ import annotations

import io
import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from mesoplan.paths import resource

FAMILY = "DejaVuSans"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"
LICENCE_FILE = "LICENSE-DejaVu.txt"

_FACES = (REGULAR, BOLD, ITALIC, BOLD_ITALIC)
_lock = threading.Lock()
_registered = False


def register_fonts() -> str:
    """Register the family (first call only; later calls are free) and return its regular face name."""
    global _registered
    if _registered:
        return REGULAR
    with _lock:
        if not _registered:
            for face in _FACES:
                data = resource("fonts", f"{face}.ttf").read_bytes()
                pdfmetrics.registerFont(TTFont(face, io.BytesIO(data)))
            pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
            _registered = True
    return REGULAR
