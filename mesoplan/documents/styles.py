"""The one stylesheet of the printed documents: fonts, sizes, colours and table looks (built once).

Calm and clinical: dark slate text, one muted teal accent for headings, light rules, no heavy boxes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from mesoplan.documents.fonts import BOLD, REGULAR, register_fonts

INK = colors.HexColor("#1d2a33")
ACCENT = colors.HexColor("#2f5d6e")
MUTED = colors.HexColor("#5b6b74")
RULE = colors.HexColor("#b9c5cc")
FILL = colors.HexColor("#eaf0f3")
SOFT_FILL = colors.HexColor("#f5f8f9")

BODY_SIZE = 9.5
FOOTER_SIZE = 7
CHECKBOX = "\u2610"  # ☐ (in DejaVu Sans)


@dataclass(frozen=True)
class DocumentStyles:
    body: ParagraphStyle
    body_tight: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    bullet: ParagraphStyle
    checkbox: ParagraphStyle
    cell: ParagraphStyle
    cell_label: ParagraphStyle
    cell_header: ParagraphStyle
    cell_right: ParagraphStyle
    clinic_name: ParagraphStyle
    clinic_detail: ParagraphStyle
    grid: TableStyle
    key_value: TableStyle


def _style(name: str, **overrides) -> ParagraphStyle:
    base = dict(fontName=REGULAR, fontSize=BODY_SIZE, leading=BODY_SIZE * 1.34, textColor=INK,
                alignment=TA_LEFT, splitLongWords=1, allowWidows=0, allowOrphans=0)
    base.update(overrides)
    return ParagraphStyle(name, **base)


@cache
def document_styles() -> DocumentStyles:
    """The shared styles; fonts are registered first. Never mutate the returned objects."""
    register_fonts()
    cell = _style("cell", fontSize=8.8, leading=11.6)
    return DocumentStyles(
        body=_style("body", spaceAfter=5),
        body_tight=_style("body_tight", spaceAfter=1),
        small=_style("small", fontSize=8, leading=10.5),
        muted=_style("muted", fontSize=8.5, leading=11.5, textColor=MUTED),
        title=_style("title", fontName=BOLD, fontSize=16, leading=20, textColor=INK, spaceBefore=10, spaceAfter=2),
        subtitle=_style("subtitle", fontSize=9, leading=12.5, textColor=MUTED, spaceAfter=6),
        heading=_style("heading", fontName=BOLD, fontSize=11.5, leading=15, textColor=ACCENT,
                       spaceBefore=11, spaceAfter=4),
        subheading=_style("subheading", fontName=BOLD, fontSize=9.5, leading=13, spaceBefore=6, spaceAfter=2),
        bullet=_style("bullet", leftIndent=13, bulletIndent=3, spaceAfter=2.5, bulletFontName=REGULAR),
        checkbox=_style("checkbox", leftIndent=18, bulletIndent=0, spaceAfter=4.5, bulletFontName=REGULAR,
                        bulletFontSize=12.5, bulletOffsetY=-1),
        cell=cell,
        cell_label=_style("cell_label", parent=cell, fontSize=8.8, leading=11.6, textColor=MUTED),
        cell_header=_style("cell_header", parent=cell, fontName=BOLD, fontSize=8.5, leading=11),
        cell_right=_style("cell_right", parent=cell, alignment=TA_RIGHT),
        clinic_name=_style("clinic_name", fontName=BOLD, fontSize=13.5, leading=17, textColor=ACCENT),
        clinic_detail=_style("clinic_detail", fontSize=8.5, leading=11.3, textColor=MUTED),
        grid=TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), FILL),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
            ("LINEBELOW", (0, 1), (-1, -1), 0.35, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ]),
        key_value=TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.35, RULE),
            ("LINEABOVE", (0, 0), (-1, 0), 0.35, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]),
    )
