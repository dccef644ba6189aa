"""The story (sequence of flowables) of the aftercare sheet given after a session.

What is normal and for how long, what helps, what to avoid and for how long, the next session, when
to call the clinic, when to call the emergency number and how to reach the clinic. The lists of what
is normal, what to avoid and when to call hold general items plus items for each treated region (face,
scalp, body). Wording and time windows are editable data in the language file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from mesoplan.documents.context import RenderContext
from mesoplan.documents.layout import Paragraph, bold, bullets, grid_table, key_value_table, para, plain, unbroken
from mesoplan.documents.styles import ACCENT, SOFT_FILL


def aftercare_story(ctx: RenderContext) -> list[Flowable]:
    story = ctx.title_block(ctx.section["intro"])
    for part in (_treatment, _normal, _care, _avoid, _next_session, _call_clinic):
        story.extend(part(ctx))
    # The contact details stay with the emergency advice, never on a page of their own.
    story.append(KeepTogether([*_emergency(ctx), *_contact(ctx)]))
    return story


def _by_region(ctx: RenderContext, lists: Mapping[str, Iterable]) -> list:
    """The general items, then those of each treated region (face, scalp, body order)."""
    return [item for group in ("general", *ctx.request.plan.ordered_regions) for item in lists.get(group, ())]


def _value(ctx: RenderContext, text: str) -> Paragraph:
    return para(text.strip() or ctx.common["not_given"], ctx.styles.cell)


def _treatment(ctx: RenderContext) -> list[Flowable]:
    r, labels, w = ctx.request, ctx.labels, ctx.width
    rows = [
        (labels["patient_name"], _value(ctx, r.patient.full_name)),
        (labels["patient_id"], _value(ctx, r.patient.id)),
        (labels["issued_on"], _value(ctx, ctx.date(r.issued_on))),
        (labels["practitioner"], _value(ctx, r.practitioner.name)),
        (labels["treated_areas"], _value(ctx, ", ".join(r.plan.areas))), ("", ""),
    ]
    table = key_value_table(rows, [w * 0.17, w * 0.35, w * 0.15, w * 0.33], ctx.styles, columns=2)
    table.setStyle(TableStyle([("SPAN", (1, -1), (-1, -1))]))  # the areas may use the whole row
    return [*ctx.heading("treatment"), table]


def _instruction_table(ctx: RenderContext, header: tuple[str, str], items: Iterable[Mapping[str, str]]) -> Table:
    styles, w = ctx.styles, ctx.width
    rows = [[para(ctx.text(item["text"]), styles.cell), para(ctx.text(item["window"]), styles.cell)] for item in items]
    return grid_table(header, rows, [w * 0.6, w * 0.4], styles)


def _normal(ctx: RenderContext) -> list[Flowable]:
    labels = ctx.labels
    return [*ctx.heading("normal"),
            _instruction_table(ctx, (labels["reaction"], labels["how_long"]), _by_region(ctx, ctx.section["normal"])),
            Spacer(1, 2 * mm), ctx.paragraph(ctx.section["normal_outcome"], ctx.styles.muted)]


def _care(ctx: RenderContext) -> list[Flowable]:
    return [*ctx.heading("care"), *bullets((ctx.text(t) for t in ctx.section["care"]), ctx.styles)]


def _avoid(ctx: RenderContext) -> list[Flowable]:
    """One table per group (general, then each treated region), headed by the group's own title."""
    section, labels = ctx.section, ctx.labels
    story: list[Flowable] = [*ctx.heading("avoid"), ctx.intro(section["avoid_intro"])]
    for number, group in enumerate(("general", *ctx.request.plan.ordered_regions)):
        if number:
            story.append(Spacer(1, 2.5 * mm))
        header = (ctx.text(section["region_headings"][group]), labels["for_how_long"])
        story.append(_instruction_table(ctx, header, section["avoid"][group]))
    return story


def _call_clinic(ctx: RenderContext) -> list[Flowable]:
    section = ctx.section
    return [*ctx.heading("call_clinic"), ctx.intro(section["call_clinic_intro"]),
            *bullets((ctx.text(t) for t in _by_region(ctx, section["call_clinic"])), ctx.styles),
            Spacer(1, 1.5 * mm), ctx.paragraph(section["call_clinic_unreachable"])]


def _emergency(ctx: RenderContext) -> list[Flowable]:
    styles, section = ctx.styles, ctx.section
    content = [Paragraph(bold(ctx.text(section["emergency_intro"])), styles.body),
               *bullets((ctx.text(t) for t in section["emergency"]), styles)]
    box = Table([[content]], colWidths=[ctx.width], hAlign="LEFT", splitInRow=1)
    box.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), SOFT_FILL),
                             ("LINEBEFORE", (0, 0), (0, -1), 2.2, ACCENT),
                             ("LEFTPADDING", (0, 0), (-1, -1), 9), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                             ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    return [*ctx.heading("emergency"), box]


def _next_session(ctx: RenderContext) -> list[Flowable]:
    r, section, styles = ctx.request, ctx.section, ctx.styles
    if r.next_session:
        first = bold(ctx.text(section["next_session_date"]))
    else:
        first = f"{bold(ctx.labels['next_session'])}: {plain(ctx.text(section['next_session_none']))}"
    advice = plain(ctx.text(section["next_session_advice"]))
    return [*ctx.heading("next_session"), Paragraph(f"{first} {advice}", styles.body)]


def _contact(ctx: RenderContext) -> list[Flowable]:
    """The telephone and emergency numbers side by side; the e-mail address on a row of its own (never broken)."""
    clinic, labels, w = ctx.request.clinic, ctx.labels, ctx.width
    email = clinic.email.strip()
    pairs = [(labels["telephone"], _value(ctx, unbroken(clinic.phone))),
             (labels["emergency_number"], _value(ctx, ctx.values["emergency_phone"]))]
    if email:
        pairs += [(labels["email"], _value(ctx, email)), ("", "")]
    table = key_value_table(pairs, [w * 0.17, w * 0.35, w * 0.17, w * 0.31], ctx.styles, columns=2)
    if email:
        table.setStyle(TableStyle([("SPAN", (1, 1), (-1, 1))]))
    return [*ctx.heading("contact"), table]
