"""``mesoplan plan list`` and ``mesoplan plan show ID [--json]``: plans, cocktails, schedules, findings."""

from __future__ import annotations

import json

from mesoplan.cocktail import CocktailResult
from mesoplan.commands.arguments import record_number
from mesoplan.evaluation import PlanEvaluation, evaluate, plan_consent_status
from mesoplan.plan import PlanDraft
from mesoplan.safety.consent_status import ConsentStatus, consent_sentence
from mesoplan.services import plans as plan_service
from mesoplan.services.evaluation import load_plan_context
from mesoplan.services.patients import get_patient
from mesoplan.services.uow import read
from mesoplan.text import printable_line
from mesoplan.units import format_quantity
from mesoplan.vocabulary import indication_label, technique_label, zone_label


def register(subparsers) -> None:
    plan = subparsers.add_parser("plan", help="list plans or show one",
                                 description="List treatment plans or show one in full.")
    sub = plan.add_subparsers(dest="plan_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="every plan with its status and next session")
    listing.add_argument("--patient", type=record_number("patient number"), metavar="ID", help="only this patient's plans")
    listing.set_defaults(handler=run_list)
    show = sub.add_parser("show", help="a plan's cocktail with totals, schedule and findings")
    show.add_argument("id", type=record_number("plan number"), help="plan number (see 'mesoplan plan list')")
    show.add_argument("--json", action="store_true", help="print JSON instead of text")
    show.set_defaults(handler=run_show)


def run_list(args, context) -> int:
    with read(context.database, context.actor) as uow:
        plans = plan_service.list_plans(uow, args.patient)
    if not plans:
        print("No plans yet.")
        return 0
    rows = [("ID", "Patient", "Indication", "Status", "Sessions", "Next session")]
    rows += [(str(p.id), p.patient_name, p.indication_label, p.status, str(p.session_count),
              p.next_session.isoformat() if p.next_session else "–") for p in plans]
    print_table(rows)
    return 0


def print_table(rows: list[tuple[str, ...]]) -> None:
    rows = [tuple(printable_line(cell) for cell in row) for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for index, row in enumerate(rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if index == 0:
            print("  ".join("-" * width for width in widths))


def cocktail_report(result: CocktailResult | None) -> dict | None:
    if result is None:
        return None
    return {
        "total_volume_ml": result.total_volume_ml,
        "actives": [
            {"code": a.code, "name": a.name, "concentration": a.concentration_text,
             "amount_in_mix": format_quantity(a.amount_in_mix) if a.amount_in_mix else None,
             "strength_recorded": not a.unknown_strength,
             "per_zone": [{"zone": z.zone_code, "volume_ml": z.volume_ml,
                           "amount": format_quantity(z.amount) if z.amount else None}
                          for z in a.per_zone]}
            for a in result.actives
        ],
        "local_anaesthetic": result.anaesthetic.explanation or None,
        "warnings": list(result.warnings),
    }


def consent_report(status: ConsentStatus | None) -> dict | None:
    """The consent's state as ``plan show`` gives it (the same reading as R33, R70 and R71)."""
    if status is None:
        return None
    return {"state": status.state, "in_place": status.valid,
            "signed_on": status.signed_on.isoformat() if status.signed_on else None,
            "form_issued_on": status.form.issued_on.isoformat() if status.form else None,
            "not_covered": list(status.gaps), "signature_before_any_form": status.before_any_form,
            "signature_in_future": status.in_future, "text": consent_sentence(status)}


def plan_report(draft: PlanDraft, evaluation: PlanEvaluation, patient_name: str,
                consent: ConsentStatus | None = None) -> dict:
    """Everything ``plan show`` prints, as plain data (also the --json output)."""
    return {
        "consent": consent_report(consent),
        "id": draft.id, "patient_id": draft.patient_id, "patient": patient_name,
        "indication": indication_label(draft.indication, draft.indication_other),
        "status": draft.status, "areas": [zone_label(a) for a in draft.areas],
        "technique": technique_label(draft.technique) if draft.technique else "",
        "depth_mm": draft.depth_mm, "goals": draft.goals,
        "cocktail": [{"kind": c.kind, "code": c.code, "name": c.name,
                      "strength_value": c.strength_value, "strength_unit": c.strength_unit,
                      "volume_ml": c.volume_ml} for c in draft.components],
        "totals": cocktail_report(evaluation.cocktail),
        "cocktail_problems": [str(p) for p in evaluation.problems],
        "sessions": [{"sequence": s.sequence, "date": s.planned_date.isoformat(),
                      "phase": s.phase, "status": s.status,
                      "technique": technique_label(s.technique) if s.technique else "",
                      "depth_mm": s.depth_mm,
                      "zones": [{"zone": zone_label(z.zone), "volume_ml": z.volume_ml}
                                for z in s.zones],
                      "batches": [{"lot_number": b.lot_number, "item": b.item_name,
                                   "expiry_date": b.expiry_date.isoformat(), "volume_ml": b.volume_ml,
                                   "expired_when_given": b.expiry_date < s.planned_date,
                                   "correction": b.correction} for b in s.batches]}
                     for s in draft.sessions],
        "findings": [{"rule": f.rule_id, "severity": f.severity, "title": f.title,
                      "trigger": f.trigger, "explanation": f.explanation, "subject": f.subject,
                      "question": f.question or None, "answer": f.answer or None}
                     for f in evaluation.findings],
        "screening_unanswered": [{"question": q.key, "label": q.label}
                                 for q in evaluation.unanswered],
        "can_be_ready": evaluation.verdict.can_be_ready,
        "not_ready_because": list(evaluation.verdict.reasons),
    }


def run_show(args, context) -> int:
    with read(context.database, context.actor) as uow:
        draft = plan_service.load_plan(uow, args.id)
        context = load_plan_context(uow, draft)
        evaluation = evaluate(draft, context)
        patient = get_patient(uow, draft.patient_id)
    report = plan_report(draft, evaluation, patient.full_name, plan_consent_status(draft, context))
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_report(_printable(report))
    return 0


def _printable(value):
    """The report with every text made one printable line (stored text never breaks the output)."""
    if isinstance(value, str):
        return printable_line(value)
    if isinstance(value, dict):
        return {key: _printable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_printable(item) for item in value]
    return value


def _strength(line: dict) -> str:
    if line["strength_value"] is None:
        return "as supplied" if line["kind"] == "product" else "strength not recorded"
    return f"{line['strength_value']:g} {line['strength_unit'] or ''}".strip()


def print_report(report: dict) -> None:
    print(f"Plan {report['id']}: {report['indication']} for {report['patient']} "
          f"(patient {report['patient_id']}) – {report['status']}")
    if report["areas"]:
        print(f"Areas: {', '.join(report['areas'])}")
    if report["technique"]:
        depth = f", {report['depth_mm']:g} mm" if report["depth_mm"] is not None else ""
        print(f"Technique: {report['technique']}{depth}")
    print("\nCocktail")
    if not report["cocktail"]:
        print("  (empty)")
    for i, line in enumerate(report["cocktail"], start=1):
        print(f"  {i}. {line['name']} – {_strength(line)}, {line['volume_ml']:g} mL")
    totals = report["totals"]
    if totals:
        print(f"  Total volume: {totals['total_volume_ml']:g} mL")
        for active in totals["actives"]:
            print(f"    {active['name']}: {active['concentration']}")
        if totals["local_anaesthetic"]:
            print(f"  Local anaesthetic: {totals['local_anaesthetic']}")
        for warning in totals["warnings"]:
            print(f"  Note: {warning}")
    for problem in report["cocktail_problems"]:
        print(f"  Problem: {problem}")
    print("\nSchedule")
    if not report["sessions"]:
        print("  (no sessions planned)")
    for s in report["sessions"]:
        zones = ", ".join(f"{z['zone']} {z['volume_ml']:g} mL" for z in s["zones"])
        extra = " – ".join(part for part in (s["phase"], s["technique"], zones) if part)
        print(f"  {s['sequence']:>2}. {s['date']}  {s['status']:<9} {extra}")
        for b in s["batches"]:
            if b["correction"]:
                print(f"      Lot {b['lot_number']} of {b['item']} had expired on {b['expiry_date']}; recorded as "
                      f"a correction of the record: {b['correction']}")
    if report["consent"]:
        print(f"\nConsent\n  {report['consent']['text']}")
    print("\nSafety findings")
    if not report["findings"]:
        print("  None.")
    for f in report["findings"]:
        print(f"  [{f['severity'].upper()}] {f['rule']} {f['title']}")
        if f["trigger"]:
            print(f"      Triggered by: {f['trigger']}")
        print(f"      {f['explanation']}")
    verdict = "yes" if report["can_be_ready"] else "no"
    print(f"\nCan be marked ready: {verdict}")
    for reason in report["not_ready_because"]:
        print(f"  - {reason}")
