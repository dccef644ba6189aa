"""Reading an earlier screening: its at-a-glance strip and every answer by section (read-only).

Answers are patient data, so all text is escaped before it enters the HTML of the view.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from mesoplan.safety.questionnaire import Questionnaire, answer_text, is_shown
from mesoplan.screening import load_questionnaire, safety_summary
from mesoplan.services.patients import PatientRecord
from mesoplan.services.screenings import ScreeningRecord
from mesoplan.ui import settings
from mesoplan.ui.widgets.dates import relative_days
from mesoplan.ui.widgets.safety_strip import SafetyStrip
from mesoplan.ui.style import mark


def screening_html(questionnaire: Questionnaire, screening: ScreeningRecord, sex: str) -> str:
    """The answers as simple HTML: answered questions per section, then what was left unanswered."""
    answers = screening.answers
    parts: list[str] = []
    for section in questionnaire.sections:
        rows: list[str] = []
        skipped: list[str] = []
        for question in section.questions:
            value = answers.get(question.key)
            if value is None or value == "":
                if is_shown(question, sex, answers):
                    skipped.append(question.name)
                continue
            mark = " <b>(safety)</b>" if question.safety else ""
            rows.append(f"<tr><td width='60%'>{escape(question.label)}{mark}</td>"
                        f"<td><b>{escape(answer_text(question, value))}</b></td></tr>")
        if not rows and not skipped:
            continue
        parts.append(f"<h3>{escape(section.title)}</h3>")
        if rows:
            parts.append("<table cellspacing='0' cellpadding='3' width='100%'>"
                         + "".join(rows) + "</table>")
        if skipped:
            parts.append(f"<p style='color:#5b6b75'>Not answered: {escape('; '.join(skipped))}</p>")
    unknown = [k for k in answers if questionnaire.question(k) is None]
    if unknown:
        parts.append("<h3>Answers to questions no longer asked</h3><p>"
                     + escape(", ".join(f"{k}: {answers[k]}" for k in unknown)) + "</p>")
    if screening.notes:
        parts.append(f"<h3>Notes</h3><p>{escape(screening.notes).replace(chr(10), '<br>')}</p>")
    return "".join(parts)


class ScreeningViewDialog(QDialog):
    def __init__(self, patient: PatientRecord, screening: ScreeningRecord,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screeningView")
        self.setWindowTitle(f"Screening of {screening.taken_on.isoformat()}: {patient.full_name}")
        questionnaire = load_questionnaire()
        title = QLabel(f"Screening of {screening.taken_on.isoformat()} "
                       f"({relative_days(screening.taken_on)})")
        mark(title, role="title")
        who = QLabel(f"{patient.full_name} · recorded by {screening.recorded_by or 'unknown'} on "
                     f"{screening.recorded_at:%Y-%m-%d %H:%M} (UTC) · questionnaire version "
                     f"{screening.questionnaire_version or '?'}")
        who.setTextFormat(Qt.TextFormat.PlainText)
        mark(who, role="hint")
        who.setWordWrap(True)
        self.strip = SafetyStrip()
        self.strip.heading.setText("At a glance")
        self.strip.show_summary(safety_summary(questionnaire, screening.answers, patient.sex),
                                screening.taken_on)
        self.strip.source.hide()
        self.browser = QTextBrowser()
        self.browser.setObjectName("screeningAnswers")
        self.browser.setOpenLinks(False)
        self.browser.setHtml(screening_html(questionnaire, screening, patient.sex))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(who)
        layout.addWidget(self.strip)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        geometry = settings.SCREENING_VIEW_GEOMETRY.get()
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(self.fontMetrics().averageCharWidth() * 110,
                        self.fontMetrics().lineSpacing() * 40)
        self.finished.connect(lambda _r: settings.SCREENING_VIEW_GEOMETRY.set(self.saveGeometry()))
