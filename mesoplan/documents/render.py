"""Turn a DocumentRequest into PDF bytes: the public entry points of the documents package.

Fonts and styles are prepared once per process; each call lays out one document with fixed metadata
(``invariant=1``, creation date = issue date), so equal requests give byte-identical PDFs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from mesoplan.documents.aftercare import aftercare_story
from mesoplan.documents.consent import consent_story
from mesoplan.documents.content import DocumentRequest
from mesoplan.documents.context import RenderContext
from mesoplan.documents.fingerprint import content_fingerprint
from mesoplan.documents.keeping import keep_with_next
from mesoplan.documents.layout import PageFurniture, build_pdf, frame_width
from mesoplan.documents.printable import Unprintable, unprintable
from mesoplan.documents.styles import document_styles
from mesoplan.documents.texts import fill, load_texts

_STORIES = {"consent": consent_story, "aftercare": aftercare_story}


@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes
    fingerprint: str
    template_version: str
    page_count: int
    unprintable: tuple[Unprintable, ...] = ()
    """Fields with characters that no available font can print (they print as their code)."""


def render(request: DocumentRequest) -> RenderedDocument:
    """Lay out the consent form or aftercare sheet that ``request.kind`` names."""
    texts = load_texts(request.language)
    ctx = RenderContext(request=request, texts=texts, styles=document_styles(), width=frame_width(request.page_size))
    fingerprint = content_fingerprint(request, texts)
    common, values = texts.common, ctx.values
    furniture = PageFurniture(
        running_header=fill(common["running_header"], values),
        footer_left=fill(common["footer"], values),
        fingerprint_line=fill(common["fingerprint"], values, fingerprint=fingerprint),
        page_of=common["page_of"],
        pdf_date=request.issued_on,
    )
    pdf, pages = build_pdf(
        keep_with_next(_STORIES[request.kind](ctx)), request.page_size, furniture, title=ctx.section["title"],
        author=request.clinic.name, subject=ctx.section["template_version"], lang=texts.language,
    )
    return RenderedDocument(pdf=pdf, fingerprint=fingerprint, template_version=ctx.section["template_version"],
                            page_count=pages, unprintable=unprintable(request))


def render_consent(request: DocumentRequest) -> bytes:
    """The consent form for the request (whatever its ``kind`` says)."""
    return render(request if request.kind == "consent" else replace(request, kind="consent")).pdf


def render_aftercare(request: DocumentRequest) -> bytes:
    """The aftercare sheet for the request (whatever its ``kind`` says)."""
    return render(request if request.kind == "aftercare" else replace(request, kind="aftercare")).pdf
