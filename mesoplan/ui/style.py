"""The look: MesoPlan's own font (shipped DejaVu Sans) and a calm, light clinical palette.

Applied once at start; widgets use object names and the few properties here (``role="title"``,
``severity=...``) instead of hard-coding colours. Spin boxes and date fields keep Fusion's own
look: a stylesheet border on them would take over their arrow buttons too.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication

from mesoplan.paths import resource

ACCENT = "#1f5f7a"
SEVERITY_COLOURS = {
    "block": ("#fbe9e7", "#b3261e"),
    "acknowledge": ("#fff4e0", "#9a5b00"),
    "info": ("#e8f1f8", "#1f5f7a"),
    "ok": ("#e8f5ec", "#1e6b3a"),
}



def _chip_rules() -> str:
    """Rounded, fully bordered tags in the severity colours (the safety strip's items)."""
    return "\n".join(
        f'QLabel[role="chip"][severity="{name}"] {{ background: {fill}; color: {ink}; '
        f'border: 1px solid {ink}; border-radius: 4px; }}'
        for name, (fill, ink) in SEVERITY_COLOURS.items())


STYLESHEET = f"""
QMainWindow, QDialog {{ background: #f6f8f9; }}
QTabWidget::pane {{ border: 1px solid #d5dde2; background: white; border-radius: 4px; }}
QTabBar::tab {{ padding: 6px 14px; }}
QLabel[role="title"] {{ font-size: 15pt; font-weight: bold; color: {ACCENT}; }}
QLabel[role="subtitle"] {{ font-size: 11pt; font-weight: bold; color: #33414a; }}
QLabel[role="hint"] {{ color: #5b6b75; }}
QGroupBox {{ font-weight: bold; border: 1px solid #d5dde2; border-radius: 4px;
             margin-top: 12px; padding: 10px 8px 8px 8px; background: white; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; padding: 0 4px; color: {ACCENT}; }}
QLineEdit, QPlainTextEdit, QTextEdit, QComboBox {{
    padding: 3px 5px; border: 1px solid #b9c5cc; border-radius: 3px; background: white; }}
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus {{ border: 1px solid {ACCENT}; }}
QLineEdit[invalid="true"] {{ border: 1px solid #b3261e; background: #fdf1f0; }}
QTableView, QListView, QTreeView {{ background: white; alternate-background-color: #f3f7f9;
    selection-background-color: #cfe3ee; selection-color: black; gridline-color: #e3e9ec; }}
QHeaderView::section {{ background: #eef2f4; padding: 4px; border: none;
    border-bottom: 1px solid #d5dde2; font-weight: bold; }}
QPushButton {{ padding: 5px 12px; }}
QPushButton[primary="true"] {{ background: {ACCENT}; color: white; border-radius: 3px;
    border: 1px solid {ACCENT}; }}
QPushButton[primary="true"]:disabled {{ background: #9bb3bf; border-color: #9bb3bf; }}
QFrame[severity="block"] {{ background: {SEVERITY_COLOURS['block'][0]};
    border-left: 4px solid {SEVERITY_COLOURS['block'][1]}; }}
QFrame[severity="acknowledge"] {{ background: {SEVERITY_COLOURS['acknowledge'][0]};
    border-left: 4px solid {SEVERITY_COLOURS['acknowledge'][1]}; }}
QFrame[severity="info"] {{ background: {SEVERITY_COLOURS['info'][0]};
    border-left: 4px solid {SEVERITY_COLOURS['info'][1]}; }}
QFrame[severity="ok"] {{ background: {SEVERITY_COLOURS['ok'][0]};
    border-left: 4px solid {SEVERITY_COLOURS['ok'][1]}; }}
QStatusBar {{ color: #33414a; }}
QLabel[role="error"] {{ color: {SEVERITY_COLOURS['block'][1]}; }}
QLabel[role="tag"] {{ color: {ACCENT}; border: 1px solid {ACCENT}; border-radius: 3px;
    padding: 0px 4px; font-size: 8pt; }}
QLabel[role="chip"] {{ padding: 2px 8px; border-radius: 4px; border: 1px solid #b9c5cc; }}
{_chip_rules()}
QPlainTextEdit[invalid="true"], QComboBox[invalid="true"], QDateEdit[invalid="true"] {{
    border: 1px solid {SEVERITY_COLOURS['block'][1]}; background: #fdf1f0; }}
QFrame[role="question"] {{ border: none; border-bottom: 1px solid #e3e9ec; }}
QFrame#answerButtons {{ border: 2px solid transparent; border-radius: 4px; }}
QFrame#answerButtons:focus {{ border: 2px solid {ACCENT}; }}
QFrame#answerButtons[invalid="true"] {{ border: 2px solid {SEVERITY_COLOURS['block'][1]}; }}
QFrame#answerButtons QToolButton {{ padding: 3px 12px; border: 1px solid #b9c5cc;
    border-radius: 3px; background: white; }}
QFrame#answerButtons QToolButton:checked {{ background: {ACCENT}; color: white;
    border-color: {ACCENT}; }}
QListWidget#sectionIndex::item {{ padding: 4px 6px; }}
QListWidget#sectionIndex::item:selected {{ background: #cfe3ee; color: black; }}
"""

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


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    family = load_fonts()
    font = QFont(family)
    font.setPointSizeF(9.5)
    app.setFont(font)
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#cfe3ee"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("black"))
    palette.setColor(QPalette.ColorRole.Window, QColor("#f6f8f9"))
    app.setPalette(palette)
    app.setStyleSheet(STYLESHEET)
