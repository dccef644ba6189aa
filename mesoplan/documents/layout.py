"""Page furniture and building blocks shared by both documents (ReportLab platypus, no Qt).

Every piece of data enters paragraph markup through ``plain()``, so a name such as ``<b>Bob</b>``
or ``&copy;`` prints exactly as typed. Page numbers ("Page X of Y"), the running header and the
footer with template version and content fingerprint are drawn after layout by ``PagedCanvas``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    PageTemplate,
    Table,
    TableStyle,
)
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.ttfonts import makeShapedFragWord
from reportlab.platypus import Paragraph as _ReportLabParagraph
from reportlab.platypus import paragraph as _rl_paragraph

from mesoplan.documents import scripts
from mesoplan.documents.content import ClinicInfo
from mesoplan.documents.fonts import BOLD, REGULAR
from mesoplan.documents.keeping import OrphanFreeTable, kept_with_next
from mesoplan.documents.styles import ACCENT, CHECKBOX, FOOTER_SIZE, MUTED, RULE, DocumentStyles
from mesoplan.documents.texts import fill
from mesoplan.errors import ValidationError

PAGE_SIZES = {"A4": A4, "Letter": LETTER}
MARGIN_SIDE = 18 * mm
MARGIN_TOP = 17 * mm
MARGIN_BOTTOM = 21 * mm
LOGO_MAX_WIDTH = 45 * mm
LOGO_MAX_HEIGHT = 20 * mm

_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def clean(text: object) -> str:
    """Text without control characters or lone surrogates (which no PDF font can show)."""
    return _UNPRINTABLE.sub("", str(text)).replace("\t", " ")


def _lines(text: object) -> str:
    return clean(text).replace("\r\n", "\n").replace("\r", "\n")


def plain(text: object) -> str:
    """Data as paragraph markup that prints literally: escaped, control characters dropped, line breaks
    kept, every character in a font that has it and right-to-left words in display order."""
    return scripts.text_markup(_lines(text))


class Paragraph(_ReportLabParagraph):
    """A ReportLab paragraph that keeps its line breaks for the width it was last wrapped to.

    Keeping a heading with what follows measures paragraphs before the frame lays them out, and
    tables and ``KeepTogether`` wrap their content more than once; the text is broken into lines
    once per width instead of each time. The result is the same; only the repeated work is saved.
    """

    _wrapped_width: float | None = None

    def __init__(self, text: str, style=None, *args, **kwargs) -> None:
        if text and style is not None and scripts.wants_shaping(text):
            style = _shaped(style)  # HarfBuzz only where it is needed: plain Latin lays out faster
        super().__init__(text, style, *args, **kwargs)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (ReportLab's names)
        if availWidth == self._wrapped_width and "blPara" in self.__dict__:  # a failed split drops blPara
            return self.width, self.height
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped_width = availWidth
        return width, height


_SHAPED_STYLES: dict[int, object] = {}


def _shaped(style):
    key = id(style)
    if key not in _SHAPED_STYLES:
        _SHAPED_STYLES[key] = (style, ParagraphStyle(f"{style.name}-shaped", parent=style, shaping=1))
    return _SHAPED_STYLES[key][1]


def _shape_by_font(word, *args, **kwargs):
    """ReportLab's HarfBuzz shaping of one word, done font run by font run.

    ReportLab shapes a whole word with the font of its first fragment; a word printed in two fonts
    (DejaVu for a bracket, a Devanagari font for the letters) is shaped in parts instead.
    """
    fragments = list(word[1:])
    groups: list[list] = []
    for fragment in fragments:
        name = getattr(fragment[0], "fontName", None)
        if groups and getattr(groups[-1][-1][0], "fontName", None) == name:
            groups[-1].append(fragment)
        else:
            groups.append([fragment])
    if len(groups) <= 1:
        return _reportlab_shape(word, *args, **kwargs)
    total, parts = 0.0, []
    for group in groups:
        width = sum(stringWidth(text, f.fontName, f.fontSize) for f, text in group if hasattr(f, "fontName"))
        shaped = _reportlab_shape([width, *group], *args, **kwargs)
        total += shaped[0]
        parts.extend(shaped[1:])
    result = makeShapedFragWord(word)(parts)
    result.insert(0, total)
    return result


_reportlab_shape = _rl_paragraph.shapeFragWord
if getattr(_reportlab_shape, "__name__", "") != "_shape_by_font":
    _rl_paragraph.shapeFragWord = _shape_by_font


class DataParagraph(Flowable):
    """A data text with right-to-left words: broken into lines in reading order, each line then put in
    display order (``scripts``), so a long Arabic or Hebrew name that wraps reads from its first line."""

    def __init__(self, text: str, style) -> None:
        super().__init__()
        self.text, self.style = _lines(text), style
        self._inner: Paragraph | None = None
        self._inner_width: float | None = None

    def _paragraph(self, width: float) -> Paragraph:
        if self._inner is None or self._inner_width != width:
            bold = self.style.fontName == BOLD
            usable = max(width - self.style.leftIndent - self.style.rightIndent - 0.5, 1.0)
            lines = scripts.break_lines(self.text, usable, self.style.fontSize, bold)
            markup = "<br/>".join(scripts.line_markup(line, bold, base) for line, base in lines)
            self._inner, self._inner_width = Paragraph(markup, self.style), width
        return self._inner

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = self._paragraph(availWidth).wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return self._paragraph(availWidth).split(availWidth, availHeight)

    def draw(self) -> None:
        self._inner.drawOn(self.canv, 0, 0)

    def getSpaceBefore(self) -> float:  # noqa: N802
        return self.style.spaceBefore

    def getSpaceAfter(self) -> float:  # noqa: N802
        return self.style.spaceAfter


def para(text: object, style) -> Flowable:
    """A paragraph of data text in ``style`` (right-to-left text: a ``DataParagraph``)."""
    if scripts.is_rtl(str(text)):
        return DataParagraph(str(text), style)
    return Paragraph(plain(text), style)


NO_BREAK_SPACE = "\u00a0"


def unbroken(text: object) -> str:
    """Text whose spaces do not allow a line break (a telephone number, "Tel. +44 20 ...")."""
    return NO_BREAK_SPACE.join(str(text).split())


CELL_PADDING = 10  # left + right padding of a grid table cell (styles.grid)


def _number_width(text: str, style) -> float:
    return max((scripts.word_width(word, style.fontSize) for word in text.split(" ") if word), default=0.0)


def widen_for_numbers(widths: Sequence[float], donor: int, minimum: float, needs: Mapping[int, Iterable[str]],
                      style) -> list[float]:
    """Column widths where each listed column is wide enough for its longest unbroken number, the room
    taken from column ``donor`` down to ``minimum``."""
    widths = list(widths)
    for column, texts in needs.items():
        wanted = max((_number_width(t, style) for t in texts), default=0.0) + CELL_PADDING
        extra = min(max(0.0, wanted - widths[column]), max(0.0, widths[donor] - minimum))
        widths[column] += extra
        widths[donor] -= extra
    return widths


def number_cell(text: str, style, width: float) -> Paragraph:
    """A number (with its unit, joined by no-break spaces) that is never cut: printed smaller when it
    is wider than its cell."""
    needed = _number_width(text, style)
    if needed > width > 0:
        size = max(style.fontSize * width / needed * 0.98, 1.0)
        style = ParagraphStyle(f"{style.name}-fit", parent=style, fontSize=size, leading=max(size * 1.3, 1.0))
    return Paragraph(plain(text), style)


def bold(text: object) -> str:
    return f"<b>{scripts.text_markup(_lines(text), bold=True)}</b>"


def format_number(value: float) -> str:
    """1.0 -> '1', 0.25 -> '0.25' (no float noise such as 0.30000000000000004)."""
    return f"{value:.3f}".rstrip("0").rstrip(".")


def format_date(value: dt.date | None, common: Mapping, long: bool = False) -> str:
    if value is None:
        return common["not_given"]
    pattern = common["long_date_format" if long else "date_format"]
    return fill(pattern, day=value.day, month=common["months"][value.month - 1], year=value.year,
                          weekday=common["weekdays"][value.weekday()])


def format_time(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


# --- tables and lists -----------------------------------------------------------------------------


def grid_table(header: Sequence[str], rows: Sequence[Sequence[Flowable | str]], widths: Sequence[float],
               styles: DocumentStyles) -> Table:
    """A table with a header row repeated on every page it spans; never one row alone on a page."""
    head = [Paragraph(plain(h), styles.cell_header) for h in header]
    table = OrphanFreeTable([head, *rows], colWidths=list(widths), repeatRows=1, splitByRow=1, splitInRow=1,
                            hAlign="LEFT")
    table.setStyle(styles.grid)
    return table


def key_value_table(rows: Iterable[tuple[str, Flowable]], widths: Sequence[float], styles: DocumentStyles,
                    columns: int = 1) -> Table:
    """Label/value pairs, ``columns`` pairs per row (labels muted, values in plain ink)."""
    cells = [[Paragraph(plain(label), styles.cell_label), value] for label, value in rows]
    data = []
    for start in range(0, len(cells), columns):
        row = [c for pair in cells[start:start + columns] for c in pair]
        row += [""] * (2 * columns - len(row))
        data.append(row)
    table = OrphanFreeTable(data, colWidths=list(widths), splitByRow=1, splitInRow=1, hAlign="LEFT")
    table.setStyle(styles.key_value)
    return table


def _last_two_together(items: list[Paragraph]) -> list[Paragraph]:
    """A list's last item never starts a page alone (the one before it is kept with it)."""
    if len(items) >= 3:
        kept_with_next(items[-2])
    return items


def bullets(items: Iterable[str], styles: DocumentStyles) -> list[Paragraph]:
    return _last_two_together([Paragraph(plain(item), styles.bullet, bulletText="•") for item in items])


def checkboxes(items: Iterable[str], styles: DocumentStyles) -> list[Paragraph]:
    return _last_two_together([Paragraph(plain(item), styles.checkbox, bulletText=CHECKBOX) for item in items])


# --- letterhead -----------------------------------------------------------------------------------


def _logo(png: bytes) -> Image:
    try:
        reader = ImageReader(io.BytesIO(png))
        width, height = reader.getSize()
    except Exception as error:  # Pillow raises many kinds for broken files
        raise ValidationError(f"the clinic logo cannot be read as an image ({error})", where="clinic logo") from None
    scale = min(LOGO_MAX_WIDTH / width, LOGO_MAX_HEIGHT / height)
    return Image(io.BytesIO(png), width=width * scale, height=height * scale, mask="auto", hAlign="RIGHT")


def letterhead(clinic: ClinicInfo, common: Mapping, styles: DocumentStyles, width: float) -> Table:
    """Clinic name, address and contact details, with the logo on the right when there is one."""
    contact = [plain(unbroken(f"{common['telephone']} {clinic.phone}")) if clinic.phone.strip() else "",
               plain(unbroken(f"{common['email']} {clinic.email}")) if clinic.email.strip() else ""]
    left: list[Flowable] = [para(clinic.name, styles.clinic_name)]
    if clinic.address.strip():
        left.append(para(clinic.address.strip(), styles.clinic_detail))
    if any(contact):
        left.append(Paragraph(" · ".join(c for c in contact if c), styles.clinic_detail))
    logo_width = LOGO_MAX_WIDTH + 4 * mm if clinic.logo_png else 0
    right = _logo(clinic.logo_png) if clinic.logo_png else ""
    table = Table([[left, right]], colWidths=[width - logo_width, logo_width], hAlign="LEFT", splitInRow=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (1, 0), (1, 0), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("LINEBELOW", (0, 0), (-1, -1), 1.1, ACCENT),
    ]))
    return table


# --- page furniture and the document itself ----------------------------------------------------------


@dataclass(frozen=True)
class PageFurniture:
    """What is printed outside the text frame of every page."""

    running_header: str  # shown from page 2 on
    footer_left: str
    fingerprint_line: str
    page_of: str  # a text with {page} and {pages}, filled per page
    pdf_date: dt.date


def _fit(text: str, size: float, width: float) -> str:
    """One line of text, shortened with an ellipsis if it is wider than ``width``."""
    text = " ".join(clean(text).split())

    if scripts.is_simple(text) and stringWidth(text, REGULAR, size) <= width:
        return text

    def measure(value: str) -> float:
        words = value.split(" ")
        return sum(scripts.word_width(w, size) for w in words) + (len(words) - 1) * stringWidth(" ", REGULAR, size)

    if measure(text) <= width:
        return text
    while text and measure(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _draw_line(canvas: Canvas, text: str, size: float, x: float, baseline: float, width: float,
               right: bool = False) -> None:
    """One line of page furniture, shortened to ``width``, in fonts that have its characters."""
    text = _fit(text, size, width)
    if scripts.is_simple(text):  # the shipped font prints it as it is
        canvas.setFont(REGULAR, size)
        canvas.setFillColor(MUTED)
        (canvas.drawRightString if right else canvas.drawString)(x + width if right else x, baseline, text)
        return
    style = ParagraphStyle("furniture", fontName=REGULAR, fontSize=size, leading=size * 1.2, textColor=MUTED,
                           alignment=TA_RIGHT if right else TA_LEFT)
    line = Paragraph(scripts.line_markup(text), style)
    line.wrap(width, size * 10)
    line.drawOn(canvas, x, baseline - size * 0.2)


class PagedCanvas(Canvas):
    """Holds every page until the end so each can print "Page X of Y" and the footer."""

    def __init__(self, *args, furniture: PageFurniture, page_count: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._furniture = furniture
        self._page_count = page_count
        self._page_states: list[dict] = []
        stamp = furniture.pdf_date.strftime("D:%Y%m%d000000+00'00'")
        self.setDateFormatter(lambda *_: stamp)

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._page_states.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._page_states)
        self._page_count.append(total)
        for state in self._page_states:
            self.__dict__.update(state)
            self._draw_furniture(total)
            Canvas.showPage(self)
        Canvas.save(self)

    def _draw_furniture(self, total: int) -> None:
        f = self._furniture
        width, height = self._pagesize
        left, right = MARGIN_SIDE, width - MARGIN_SIDE
        page_text = fill(f.page_of, page=self.getPageNumber(), pages=total)
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(left, 14.5 * mm, right, 14.5 * mm)
        self.setFillColor(MUTED)
        self.setFont(REGULAR, FOOTER_SIZE + 1)
        self.drawRightString(right, 10.5 * mm, page_text)
        page_width = stringWidth(page_text, REGULAR, FOOTER_SIZE + 1) + 6 * mm
        _draw_line(self, f.footer_left, FOOTER_SIZE, left, 10.5 * mm, right - left - page_width)
        _draw_line(self, f.fingerprint_line, FOOTER_SIZE - 0.5, left, 7 * mm, right - left)
        if self.getPageNumber() > 1:
            _draw_line(self, f.running_header, FOOTER_SIZE + 0.5, left, height - 11 * mm, right - left)
            self.line(left, height - 12.8 * mm, right, height - 12.8 * mm)
        self.restoreState()


def frame_width(page_size: str) -> float:
    return PAGE_SIZES[page_size][0] - 2 * MARGIN_SIDE


def build_pdf(story: list[Flowable], page_size: str, furniture: PageFurniture, *, title: str, author: str,
              subject: str, lang: str) -> tuple[bytes, int]:
    """Lay out the story on A4 or Letter pages; returns the PDF bytes and the number of pages."""
    buffer = io.BytesIO()
    page_count: list[int] = []
    size = PAGE_SIZES[page_size]
    doc = BaseDocTemplate(
        buffer, pagesize=size, leftMargin=MARGIN_SIDE, rightMargin=MARGIN_SIDE, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=title, author=author, subject=subject, creator="MesoPlan",
        invariant=1, initialFontName=REGULAR, lang=lang,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    def make_canvas(*args, **kwargs) -> PagedCanvas:
        return PagedCanvas(*args, furniture=furniture, page_count=page_count, **kwargs)

    doc.build(story, canvasmaker=make_canvas)
    return buffer.getvalue(), page_count[-1]
