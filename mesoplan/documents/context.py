"""What the consent and aftercare builders share while writing one document's story.

Holds the request, its language's texts, the styles and the frame width, and fills every text's
{placeholders} from one table of values, so any known placeholder works in any text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from reportlab.platypus import Flowable

from mesoplan.documents.content import DocumentRequest
from mesoplan.documents.keeping import kept_with_next
from mesoplan.documents.layout import Paragraph, format_date, letterhead, para, plain, unbroken
from mesoplan.documents.styles import DocumentStyles
from mesoplan.documents.texts import DocumentTexts, fill


@dataclass(frozen=True)
class RenderContext:
    request: DocumentRequest
    texts: DocumentTexts
    styles: DocumentStyles
    width: float

    @property
    def common(self) -> Mapping[str, Any]:
        return self.texts.common

    @property
    def section(self) -> Mapping[str, Any]:
        """The texts of the document being built (consent or aftercare)."""
        return self.texts.of(self.request.kind)

    @property
    def labels(self) -> Mapping[str, str]:
        return self.section["labels"]

    @cached_property
    def values(self) -> dict[str, str]:
        """Every placeholder value this document knows (page furniture adds page numbers later)."""
        request, common = self.request, self.common
        clinic = request.clinic
        years = clinic.retention_years
        retention = (fill(self.section["retention_years"], years=years)
                     if years and "retention_years" in self.section else
                     self.section.get("retention_default", ""))
        next_session = format_date(request.next_session, common, long=True) if request.next_session else ""
        return {
            "clinic_name": clinic.name,
            "clinic_phone": unbroken(clinic.phone) or common["no_phone"],
            "emergency_phone": unbroken(clinic.emergency_phone) or common["no_emergency_phone"],
            "retention_period": retention,
            "indication": request.plan.indication or self.labels.get("not_stated", ""),
            "next_session": next_session,
            "patient_name": request.patient.full_name,
            "patient_id": request.patient.id,
            "template_version": self.section["template_version"],
            "title": self.section["title"],
            "date": format_date(request.issued_on, common),
        }

    def text(self, template: str, **more: object) -> str:
        """A text with its placeholders filled, still plain (not yet markup)."""
        return fill(template, self.values, **more)

    def paragraph(self, template: str, style=None, **more: object) -> Flowable:
        """A text with its placeholders filled (with right-to-left data it wraps in reading order)."""
        return para(self.text(template, **more), style or self.styles.body)

    def intro(self, template: str, style=None, **more: object) -> Paragraph:
        """A sentence introducing what follows: a page break never falls straight after it."""
        return kept_with_next(self.paragraph(template, style, **more))

    def heading(self, key: str) -> list[Flowable]:
        """A section heading, kept on the same page as the start of what follows it."""
        return [kept_with_next(Paragraph(plain(self.section["headings"][key]), self.styles.heading))]

    def subheading(self, text: str) -> list[Flowable]:
        return [kept_with_next(Paragraph(plain(self.text(text)), self.styles.subheading))]

    def title_block(self, subtitle: str) -> list[Flowable]:
        """Letterhead, document title and the line under it (first page only)."""
        return [
            letterhead(self.request.clinic, self.common, self.styles, self.width),
            Paragraph(plain(self.section["title"]), self.styles.title),
            Paragraph(plain(self.text(subtitle)), self.styles.subtitle),
        ]

    def date(self, value, long: bool = False) -> str:
        return format_date(value, self.common, long=long)
