"""The look: MesoPlan's own font (shipped DejaVu Sans), a calm light palette, and a few marks.

Widgets say what they are with properties — ``role`` ("title", "subtitle", "hint", "error", "tag",
"chip", "question"), ``severity`` ("block", "acknowledge", "info", "ok"), ``primary`` and
``invalid`` ("true"), set with ``mark(widget, role="hint")`` — and ``ClinicStyle`` dresses them
(colours, fonts, the severity tint and bar; room for the bar comes from the widget's own
margins) when Qt polishes them, or at once when ``mark`` changes them later. It is a proxy of Fusion rather than an
application style sheet: a style sheet makes every widget of every screen go through Qt's slow
style-sheet engine (opening a plan took three times as long; bench/README.md). Only the screening
form, whose answer buttons need it, carries a small style sheet of its own (``SCREENING_SHEET``).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QHeaderView,
    QLabel,
    QProxyStyle,
    QPushButton,
    QStyle,
    QStyleFactory,
    QWidget,
)

from mesoplan.paths import resource

ACCENT = "#1f5f7a"
INK = "#33414a"
HINT = "#5b6b75"
INVALID_FILL = "#fdf1f0"
SEVERITY_COLOURS = {
    "block": ("#fbe9e7", "#b3261e"),
    "acknowledge": ("#fff4e0", "#9a5b00"),
    "info": ("#e8f1f8", "#1f5f7a"),
    "ok": ("#e8f5ec", "#1e6b3a"),
}
ERROR = SEVERITY_COLOURS["block"][1]

SCREENING_SHEET = f"""
QFrame[role="question"] {{ border: none; border-bottom: 1px solid #e3e9ec; }}
QFrame#answerButtons {{ border: 2px solid transparent; border-radius: 4px; }}
QFrame#answerButtons:focus {{ border: 2px solid {ACCENT}; }}
QFrame#answerButtons[invalid="true"] {{ border: 2px solid {ERROR}; }}
QFrame#answerButtons QToolButton {{ padding: 3px 12px; border: 1px solid #b9c5cc;
    border-radius: 3px; background: white; }}
QFrame#answerButtons QToolButton:checked {{ background: {ACCENT}; color: white;
    border-color: {ACCENT}; }}
QListWidget#sectionIndex::item {{ padding: 4px 6px; }}
QListWidget#sectionIndex::item:selected {{ background: #cfe3ee; color: black; }}
"""
"""Applied by the screening form to itself (its answer buttons are toggles in the accent colour)."""

_ROLE_COLOURS = {"title": ACCENT, "subtitle": INK, "hint": HINT, "error": ERROR, "tag": ACCENT}
_ROLE_SIZES = {"title": 1.55, "subtitle": 1.15, "tag": 0.85}
_BOLD_ROLES = {"title", "subtitle"}


def _prop(widget: QWidget | None, name: str) -> str:
    value = widget.property(name) if widget is not None else None
    return "" if value is None else str(value)


class ClinicStyle(QProxyStyle):
    """Fusion, plus the marks the properties above ask for."""

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    def polish(self, target):  # QWidget, QPalette and QApplication overloads share one name
        if isinstance(target, QPalette):
            return super().polish(target)
        result = super().polish(target)
        if isinstance(target, QWidget):
            _dress(target)
        return result

    def drawControl(self, element, option, painter, widget=None) -> None:  # noqa: N802 - Qt naming
        if element == QStyle.ControlElement.CE_ShapedFrame and widget is not None:
            if _prop(widget, "invalid") == "true":  # e.g. a text box: its frame in the error colour
                super().drawControl(element, option, painter, widget)
                _paint_outline(painter, option.rect, ERROR)
                return
            # The whole widget, margins included (a frame's own rectangle excludes its margins).
            severity = _prop(widget, "severity")
            if severity in SEVERITY_COLOURS:
                _paint_severity(painter, widget.rect(), severity, _prop(widget, "role") in ("chip", "tag"))
                return
            if _prop(widget, "role") == "tag":
                _paint_outline(painter, widget.rect(), ACCENT)
                return
        super().drawControl(element, option, painter, widget)

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: N802
        if (element == QStyle.PrimitiveElement.PE_FrameLineEdit and widget is not None
                and _prop(widget, "invalid") == "true"):
            super().drawPrimitive(element, option, painter, widget)
            _paint_outline(painter, option.rect, ERROR)
            return
        super().drawPrimitive(element, option, painter, widget)


def _paint_severity(painter, rect: QRect, severity: str, rounded: bool) -> None:
    fill, ink = (QColor(c) for c in SEVERITY_COLOURS[severity])
    painter.save()
    painter.setRenderHint(painter.RenderHint.Antialiasing, rounded)
    if rounded:  # a chip: a small rounded tag with an outline
        painter.setPen(QPen(ink, 1))
        painter.setBrush(fill)
        painter.drawRoundedRect(rect.adjusted(0, 0, -1, -1), 4, 4)
    else:  # a message: tinted, with a bar down the left side
        painter.fillRect(rect, fill)
        painter.fillRect(QRect(rect.left(), rect.top(), 4, rect.height()), ink)
    painter.restore()


def _paint_outline(painter, rect: QRect, colour: str) -> None:
    painter.save()
    painter.setRenderHint(painter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(QColor(colour), 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(rect.adjusted(0, 0, -1, -1), 3, 3)
    painter.restore()


def mark(widget: QWidget, **properties: str) -> None:
    """Set look properties (``mark(label, role="hint")``) and dress the widget again at once if
    Qt has already polished it; before that, polishing does it."""
    for name, value in properties.items():
        widget.setProperty(name, value)
    if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        _dress(widget)
        widget.update()


def _dress(widget: QWidget) -> None:
    """Fonts and colours for the widget's properties; idempotent (polish runs often)."""
    role, severity = _prop(widget, "role"), _prop(widget, "severity")
    if isinstance(widget, QLabel) and widget.wordWrap() and not widget.sizePolicy().hasHeightForWidth():
        # Wrapped text needs its height worked out from its width, or layouts squeeze it.
        policy = widget.sizePolicy()
        policy.setHeightForWidth(True)
        widget.setSizePolicy(policy)
    palette = widget.palette()
    app_palette = QApplication.palette()
    if isinstance(widget, QLabel) and role in _ROLE_COLOURS | {"chip": ""}:
        base = QApplication.font()
        font = QFont(widget.font())
        font.setBold(role in _BOLD_ROLES)
        font.setPointSizeF(base.pointSizeF() * _ROLE_SIZES.get(role, 1.0))
        if font != widget.font():
            widget.setFont(font)
    colour = _ROLE_COLOURS.get(role)
    if isinstance(widget, QLabel) and severity in SEVERITY_COLOURS and role == "chip":
        colour = SEVERITY_COLOURS[severity][1]
    wanted = QColor(colour) if colour else app_palette.color(QPalette.ColorRole.WindowText)
    has_role = widget.property("role") is not None  # labels without one keep their own palette
    if isinstance(widget, QLabel) and has_role and palette.color(QPalette.ColorRole.WindowText) != wanted:
        palette.setColor(QPalette.ColorRole.WindowText, wanted)
        widget.setPalette(palette)
    if isinstance(widget, QPushButton):
        primary = _prop(widget, "primary") == "true"
        button = QColor(ACCENT) if primary else app_palette.color(QPalette.ColorRole.Button)
        text = QColor("white") if primary else app_palette.color(QPalette.ColorRole.ButtonText)
        if palette.color(QPalette.ColorRole.Button) != button:
            palette.setColor(QPalette.ColorGroup.Active, QPalette.ColorRole.Button, button)
            palette.setColor(QPalette.ColorGroup.Inactive, QPalette.ColorRole.Button, button)
            palette.setColor(QPalette.ColorGroup.Active, QPalette.ColorRole.ButtonText, text)
            palette.setColor(QPalette.ColorGroup.Inactive, QPalette.ColorRole.ButtonText, text)
            disabled = QPalette.ColorGroup.Disabled
            palette.setColor(disabled, QPalette.ColorRole.Button, QColor("#9bb3bf") if primary
                             else app_palette.color(disabled, QPalette.ColorRole.Button))
            palette.setColor(disabled, QPalette.ColorRole.ButtonText, QColor("#f4f7f8") if primary
                             else app_palette.color(disabled, QPalette.ColorRole.ButtonText))
            widget.setPalette(palette)
    if widget.property("invalid") is not None:
        if not isinstance(widget, QAbstractButton):
            fill = QColor(INVALID_FILL) if _prop(widget, "invalid") == "true" else \
                app_palette.color(QPalette.ColorRole.Base)
            if palette.color(QPalette.ColorRole.Base) != fill:
                palette.setColor(QPalette.ColorRole.Base, fill)
                widget.setPalette(palette)
    if isinstance(widget, QHeaderView) and not widget.font().bold():
        font = QFont(widget.font())
        font.setBold(True)
        widget.setFont(font)


_fonts_loaded = False


def load_fonts() -> str:
    """Register the shipped font family with Qt (once); returns its family name."""
    global _fonts_loaded
    family = "DejaVu Sans"
    if not _fonts_loaded:
        for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
                     "DejaVuSans-BoldOblique.ttf"):
            data = resource("fonts", name).read_bytes()
            QFontDatabase.addApplicationFontFromData(data)
        _fonts_loaded = True
    return family


def clinic_palette(base: QPalette) -> QPalette:
    palette = QPalette(base)
    colours = {
        QPalette.ColorRole.Window: "#f6f8f9", QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#f3f7f9", QPalette.ColorRole.Highlight: "#cfe3ee",
        QPalette.ColorRole.HighlightedText: "#000000", QPalette.ColorRole.Button: "#eef2f4",
        QPalette.ColorRole.WindowText: INK, QPalette.ColorRole.Text: "#1c262c",
        QPalette.ColorRole.ButtonText: "#1c262c", QPalette.ColorRole.ToolTipBase: "#ffffff",
        QPalette.ColorRole.ToolTipText: INK, QPalette.ColorRole.PlaceholderText: "#7a8a94",
        QPalette.ColorRole.Link: ACCENT,
    }
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        for role, colour in colours.items():
            palette.setColor(group, role, QColor(colour))
    return palette


def apply_style(app: QApplication) -> None:
    family = load_fonts()
    if not isinstance(app.style(), ClinicStyle):
        app.setStyle(ClinicStyle())
    font = QFont(family)
    font.setPointSizeF(9.5)
    app.setFont(font)
    app.setPalette(clinic_palette(app.style().standardPalette()))
    app.setStyleSheet("")
