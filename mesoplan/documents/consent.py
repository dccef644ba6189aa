"""The story (sequence of flowables) of the mesotherapy consent form.

Sections follow DOMAIN.md §7.2: who, what is planned, with which medicines (off-label marked), aims
without promises, alternatives, general and treatment-specific risks, declarations, photographs, data,
withdrawal and signatures. All wording comes from the language file; all data is escaped.
"""

from __future__ import annotations

from functools import cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from mesoplan.documents.content import CocktailLine
from mesoplan.documents.context import RenderContext
from mesoplan.documents.layout import (
    CELL_PADDING,
    Paragraph,
    bold,
    bullets,
    checkboxes,
    format_number,
    format_time,
    grid_table,
    key_value_table,
    number_cell,
    para,
    plain,
    unbroken,
    widen_for_numbers,
)
from mesoplan.documents.fonts import BOLD
from mesoplan.documents.styles import CHECKBOX, MUTED, RULE, SOFT_FILL
from mesoplan.documents.texts import fill


def consent_story(ctx: RenderContext) -> list[Flowable]:
    story = ctx.title_block(ctx.section["subtitle"])
    for part in (_about, _procedure, _plan, _products, _aims, _alternatives, _risks, _specific_risks,
                 _declarations, _photography, _data_protection, _withdrawal, _signatures):
        story.extend(part(ctx))
    return story


def _value(ctx: RenderContext, text: str) -> Paragraph:
    return para(text.strip() or ctx.common["not_given"], ctx.styles.cell)


def _about(ctx: RenderContext) -> list[Flowable]:
    r, labels, w = ctx.request, ctx.labels, ctx.width
    rows = [
        (labels["patient_name"], _value(ctx, r.patient.full_name)),
        (labels["patient_id"], _value(ctx, r.patient.id)),
        (labels["date_of_birth"], _value(ctx, ctx.date(r.patient.date_of_birth))),
        (labels["sex"], _value(ctx, r.patient.sex)),
        (labels["practitioner"], _value(ctx, r.practitioner.name)),
        (labels["profession"], _value(ctx, r.practitioner.profession)),
        (labels["registration"], _value(ctx, r.practitioner.registration_number)),
        (labels["plan_ref"], _value(ctx, r.plan.plan_id)),
        (labels["issued_on"], _value(ctx, ctx.date(r.issued_on))),
    ]
    widths = [w * 0.17, w * 0.33, w * 0.19, w * 0.31]
    return [*ctx.heading("about"), key_value_table(rows, widths, ctx.styles, columns=2)]


def _procedure(ctx: RenderContext) -> list[Flowable]:
    return [*ctx.heading("procedure"), *(ctx.paragraph(t) for t in ctx.section["procedure"])]


def _depth(ctx: RenderContext) -> str:
    plan = ctx.request.plan
    if plan.depth_mm is None:
        return ""
    value = format_number(plan.depth_mm)
    if plan.depth_max_mm is not None and plan.depth_max_mm != plan.depth_mm:
        value = f"{value}–{format_number(plan.depth_max_mm)}"
    return fill(ctx.common["millimetre"], value=value)


def _plan(ctx: RenderContext) -> list[Flowable]:
    plan, labels, w, styles = ctx.request.plan, ctx.labels, ctx.width, ctx.styles
    rows = [
        (labels["indication"], _value(ctx, plan.indication)),
        (labels["areas"], _value(ctx, ", ".join(plan.areas))),
        (labels["technique"], _value(ctx, plan.technique)),
        (labels["depth"], _value(ctx, _depth(ctx))),
        (labels["needle"], _value(ctx, plan.needle)),
        (labels["protocol"], _value(ctx, plan.protocol)),
        (labels["session_count"], _value(ctx, str(len(plan.sessions)) if plan.sessions else "")),
    ]
    story: list[Flowable] = [*ctx.heading("plan"), ctx.intro(ctx.section["plan_intro"]),
                             key_value_table(rows, [w * 0.27, w * 0.73], styles), Spacer(1, 3 * mm)]
    if plan.sessions:
        session_rows = [[Paragraph(str(n), styles.cell), Paragraph(plain(ctx.date(s.date, long=True)), styles.cell),
                         Paragraph(format_time(s.time), styles.cell)] for n, s in enumerate(plan.sessions, 1)]
        story.append(grid_table([labels["session_no"], labels["session_date"], labels["session_time"]],
                                session_rows, [w * 0.14, w * 0.56, w * 0.30], styles))
    else:
        story.append(ctx.paragraph(ctx.section["no_sessions"]))
    if plan.goals.strip():
        story += [*ctx.heading("goals"), para(plan.goals.strip(), styles.body)]
    if plan.notes.strip():
        story += [*ctx.heading("notes"), para(plan.notes.strip(), styles.body)]
    return story


def _product_cells(ctx: RenderContext, line: CocktailLine, widths: list[float]) -> list[Flowable]:
    styles, labels = ctx.styles, ctx.labels
    # Each piece of data is a paragraph of its own, so a right-to-left name wraps in reading order too.
    name: list[Flowable] = [para(line.name, _cell_style(styles, "bold"))]
    if line.actives.strip():
        name.append(para(f"{labels['contains']} {line.actives.strip()}", _cell_style(styles, "note")))
    status: list[Flowable] = [para(line.legal_status.strip(), styles.cell)] if line.legal_status.strip() else []
    if line.off_label:
        status.append(Paragraph(bold(labels["off_label_mark"]), styles.cell))
    return [
        name,
        para(labels["kind_product" if line.kind == "product" else "kind_ingredient"], styles.cell),
        number_cell(_strength(line), styles.cell, widths[2] - CELL_PADDING),
        number_cell(_volume(ctx, line), styles.cell, widths[3] - CELL_PADDING),
        status or "",
    ]


@cache
def _cell_style(styles, kind: str) -> ParagraphStyle:
    """The product cell's bold name and its small, muted list of contents."""
    if kind == "bold":
        return ParagraphStyle("cell_bold", parent=styles.cell, fontName=BOLD)
    return ParagraphStyle("cell_note", parent=styles.cell, fontSize=7.8, leading=10.5, textColor=MUTED)


def _strength(line: CocktailLine) -> str:
    return unbroken(line.strength)


def _volume(ctx: RenderContext, line: CocktailLine) -> str:
    if line.volume_ml is None:
        return ""
    return unbroken(fill(ctx.common["millilitre"], value=format_number(line.volume_ml)))


def _products(ctx: RenderContext) -> list[Flowable]:
    r, labels, w, styles = ctx.request, ctx.labels, ctx.width, ctx.styles
    story: list[Flowable] = [*ctx.heading("products")]
    if not r.lines:
        return story + [ctx.paragraph(ctx.section["no_products"])]
    story.append(ctx.intro(ctx.section["products_intro"]))
    header = [labels["item"], labels["item_kind"], labels["strength"], labels["volume"], labels["status"]]
    # A number is never cut: the strength and volume columns widen (taking room from the name column)
    # to their longest number, and only a number wider than that prints smaller.
    widths = widen_for_numbers([w * 0.35, w * 0.15, w * 0.15, w * 0.11, w * 0.24], donor=0, minimum=w * 0.2,
                               needs={2: [_strength(line) for line in r.lines],
                                      3: [_volume(ctx, line) for line in r.lines]}, style=styles.cell)
    story.append(grid_table(header, [_product_cells(ctx, line, widths) for line in r.lines], widths, styles))
    if r.total_volume.strip():
        story += [Spacer(1, 2 * mm),
                  Paragraph(f"{plain(labels['total_volume'])}: {bold(r.total_volume.strip())}", styles.body)]
    if r.has_off_label:
        story += [*ctx.heading("off_label"), _note(ctx, ctx.text(ctx.section["off_label_statement"]))]
    return story


def _note(ctx: RenderContext, text: str) -> Table:
    """A quietly shaded box for a statement that must not be missed."""
    box = Table([[para(text, ctx.styles.body_tight)]], colWidths=[ctx.width], hAlign="LEFT", splitInRow=1)
    box.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), SOFT_FILL), ("BOX", (0, 0), (-1, -1), 0.4, RULE),
                             ("LEFTPADDING", (0, 0), (-1, -1), 7), ("RIGHTPADDING", (0, 0), (-1, -1), 7),
                             ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return box


def _aims(ctx: RenderContext) -> list[Flowable]:
    return [*ctx.heading("aims"), *(ctx.paragraph(t) for t in ctx.section["aims"])]


def _alternatives(ctx: RenderContext) -> list[Flowable]:
    return [*ctx.heading("alternatives"), ctx.intro(ctx.section["alternatives_intro"]),
            *bullets((ctx.text(t) for t in ctx.section["alternatives"]), ctx.styles)]


def _risks(ctx: RenderContext) -> list[Flowable]:
    story: list[Flowable] = [*ctx.heading("risks"), ctx.intro(ctx.section["risks_intro"])]
    for group in ctx.section["risk_groups"]:
        story.extend(ctx.subheading(group["title"]))
        story.extend(bullets((ctx.text(t) for t in group["items"]), ctx.styles))
    return story


def _caution_entry(ctx: RenderContext, title: str, names: list[str], text: str) -> KeepTogether:
    styles = ctx.styles
    head = bold(title)
    if names != [title]:
        head += f"<br/><font color=\"#5b6b74\">{plain(ctx.labels['applies_to'])} {plain(', '.join(names))}</font>"
    return KeepTogether([Paragraph(head, styles.body_tight),
                         Paragraph(plain(text), styles.bullet), Spacer(1, 2.5 * mm)])


def _specific_risks(ctx: RenderContext) -> list[Flowable]:
    r, styles, section = ctx.request, ctx.styles, ctx.section
    story: list[Flowable] = [*ctx.heading("specific_risks")]
    cautions = section["caution_tags"]
    known = [tag for tag in r.caution_tags() if cautions.get(tag)]  # a null entry is never shown
    unexplained = [line for line in r.lines if any(t not in cautions for t in line.caution_tags)]
    if known or unexplained:
        story.append(ctx.intro(section["specific_intro"]))
    for tag in known:
        names = [line.name for line in r.lines_with_tag(tag)]
        story.append(_caution_entry(ctx, ctx.text(cautions[tag]["title"]), names, ctx.text(cautions[tag]["text"])))
    for line in unexplained:
        story.append(_caution_entry(ctx, line.name, [line.name], ctx.text(section["caution_fallback"])))
    for number, finding in enumerate(r.findings):
        severity = section["severity"].get(finding.severity.strip().lower(), finding.severity)
        head = f"{bold(finding.title)} <font color=\"#5b6b74\">({plain(severity)})</font>"
        parts = [ctx.paragraph(section["findings_intro"])] if number == 0 else []
        parts.append(Paragraph(head, styles.body_tight))
        # The finding's words for the patient; without them, never the clinician's: a plain pointer.
        words = finding.explanation.strip() or ctx.text(section["finding_fallback"])
        parts.append(para(words, styles.bullet))
        story.append(KeepTogether([*parts, Spacer(1, 2 * mm)]))
    if not (known or unexplained or r.findings):
        story.append(ctx.paragraph(section["no_specific_risks"]))
    return story


def _declarations(ctx: RenderContext) -> list[Flowable]:
    items = [ctx.text(t) for t in ctx.section["declarations"]]
    if ctx.request.has_off_label:
        items.append(ctx.text(ctx.section["off_label_declaration"]))
    return [*ctx.heading("declarations"), ctx.intro(ctx.section["declarations_intro"]),
            *checkboxes(items, ctx.styles)]


def _photography(ctx: RenderContext) -> list[Flowable]:
    styles, labels, w = ctx.styles, ctx.labels, ctx.width
    choice = f"{CHECKBOX} {plain(labels['yes'])}&nbsp;&nbsp;&nbsp;&nbsp;{CHECKBOX} {plain(labels['no'])}"
    rows = [[para(ctx.text(t), styles.cell), Paragraph(choice, styles.cell)]
            for t in ctx.section["photography_choices"]]
    table = Table(rows, colWidths=[w * 0.74, w * 0.26], hAlign="LEFT", splitInRow=1)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LINEBELOW", (0, 0), (-1, -1), 0.35, RULE),
                               ("LINEABOVE", (0, 0), (-1, 0), 0.35, RULE), ("TOPPADDING", (0, 0), (-1, -1), 4),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 5), ("LEFTPADDING", (0, 0), (-1, -1), 4)]))
    return [*ctx.heading("photography"), ctx.intro(ctx.section["photography_intro"]), table, Spacer(1, 2 * mm),
            ctx.paragraph(ctx.section["photography_note"], styles.muted)]


def _data_protection(ctx: RenderContext) -> list[Flowable]:
    return [*ctx.heading("data_protection"), *(ctx.paragraph(t) for t in ctx.section["data_protection"])]


def _withdrawal(ctx: RenderContext) -> list[Flowable]:
    return [*ctx.heading("withdrawal"), *(ctx.paragraph(t) for t in ctx.section["withdrawal"])]


def _signature_block(ctx: RenderContext, who: str, statement: str, name: str, witness: bool = False) -> list[Flowable]:
    styles, labels, w = ctx.styles, ctx.labels, ctx.width
    label = lambda key: para(labels[key], styles.cell_label)  # noqa: E731
    # Room to sign and to write by hand: a minimum height per row (a spacer), never a fixed one, so a
    # printed name of any length grows its row instead of running over the line and the text above.
    room = lambda height: Spacer(1, height)  # noqa: E731
    rows = [[label("signature"), room(11 * mm - 3), label("date"), room(11 * mm - 3)],
            [label("printed_name"), [room(8 * mm - 3 - styles.cell.leading), para(name, styles.cell)],
             label("witness_role" if witness else "time"), room(8 * mm - 3)]]
    table = Table(rows, colWidths=[w * 0.15, w * 0.39, w * 0.18, w * 0.28], hAlign="LEFT", splitInRow=1)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LINEBELOW", (1, 0), (1, -1), 0.5, RULE),
                               ("LINEBELOW", (3, 0), (3, -1), 0.5, RULE), ("LEFTPADDING", (0, 0), (-1, -1), 3),
                               ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return [para(labels[who], styles.subheading), para(ctx.text(statement), styles.muted), table, Spacer(1, 4 * mm)]


def _signatures(ctx: RenderContext) -> list[Flowable]:
    r, section = ctx.request, ctx.section
    return [KeepTogether([
        *ctx.heading("signatures"),
        *_signature_block(ctx, "patient_signs", section["signature_patient_statement"], r.patient.full_name),
        *_signature_block(ctx, "practitioner_signs", section["signature_practitioner_statement"], r.practitioner.name),
        *_signature_block(ctx, "witness_signs", section["signature_witness_statement"], "", witness=True),
    ])]
