"""The condition kinds about the plan: cocktail, technique and areas, sessions, batches and consent.

Each function checks its parameters when rules.json is loaded and returns the compiled check; see
the "conditions" section at the top of resources/rules.json for what each kind means.
"""

from __future__ import annotations

from typing import Any

from mesoplan.errors import Problem
from mesoplan.safety.conditions import (
    BARE,
    Check,
    CompileEnv,
    Context,
    Hit,
    add_months,
    condition_kind,
    need_names,
    need_positive_int,
    need_true,
)
from mesoplan.safety.consent_status import (
    NO_FORM,
    NOT_COVERING,
    NOT_SIGNED,
    SIGNED_BEFORE_ISSUE,
    SIGNED_IN_FUTURE,
    STATES,
    VALID,
    consent_status,
)
from mesoplan.safety.facts import BatchFacts, ItemFacts

# Deeper than this (mm) a delivery is no longer intradermal, whatever the technique is called.
INTRADERMAL_MAX_DEPTH_MM = 4.0
LOCAL_ANAESTHETIC_TAGS = frozenset({"amide_local_anaesthetic", "ester_local_anaesthetic"})
CONSENT_CHECKS = ("missing", "not_covering", "missing_or_not_covering", "signed_before_form", "signed_in_future")
_CONSENT_STATES = {
    "missing": frozenset({NO_FORM, NOT_SIGNED, SIGNED_BEFORE_ISSUE, SIGNED_IN_FUTURE}),
    "not_covering": frozenset({NOT_COVERING}),
    "missing_or_not_covering": frozenset(STATES) - {VALID},
    "signed_before_form": frozenset(), "signed_in_future": frozenset(),
}


def _item_hit(item: ItemFacts, *details: str) -> Hit:
    return Hit(item=item.code, ingredients=(item.display_name,), details=details)


# --- the cocktail -------------------------------------------------------------------------------


@condition_kind("cocktail_not_empty")
def _cocktail_not_empty(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    if not need_true(value, path, problems):
        return None
    return lambda ctx: [BARE] if ctx.plan.items else []


@condition_kind("ingredient_tags")
def _ingredient_tags(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    tags = need_names(value, path, problems, env.known_tags, "caution tag")
    if tags is None:
        return None
    return lambda ctx: [_item_hit(i) for i in ctx.plan.items if not tags.isdisjoint(i.caution_tags)]


@condition_kind("cocktail_has_tags")
def _cocktail_has_tags(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    tags = need_names(value, path, problems, env.known_tags, "caution tag")
    if tags is None:
        return None

    def check(ctx: Context) -> list[Hit]:
        names = tuple(i.display_name for i in ctx.plan.items if not tags.isdisjoint(i.caution_tags))
        return [Hit(ingredients=names)] if names else []
    return check


@condition_kind("vehicle")
def _vehicle(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    vehicles = need_names(value, path, problems, env.vehicles, "vehicle")
    if vehicles is None:
        return None
    return lambda ctx: [_item_hit(i, f"{i.name} is in a vehicle of {i.vehicle}")
                        for i in ctx.plan.items if i.vehicle in vehicles]


@condition_kind("component_count_at_least")
def _component_count(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    least = need_positive_int(value, path, problems)
    if least is None:
        return None

    def check(ctx: Context) -> list[Hit]:
        count = ctx.plan.component_count
        return [Hit(details=(f"{count} components mixed together",))] if count >= least else []
    return check


@condition_kind("anaesthetic_dose_exceeded")
def _anaesthetic_exceeded(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    if not need_true(value, path, problems):
        return None

    def check(ctx: Context) -> list[Hit]:
        dose = ctx.plan.anaesthetic
        if dose is None or not dose.exceeded:
            return []
        names = tuple(i.display_name for i in ctx.plan.items if i.caution_tags & LOCAL_ANAESTHETIC_TAGS)
        return [Hit(ingredients=names, details=(dose.detail,) if dose.detail else ())]
    return check


# --- technique, areas, clinic -------------------------------------------------------------------


@condition_kind("technique_intradermal")
def _technique_intradermal(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    if not need_true(value, path, problems):
        return None

    def why(technique: str, depth: float | None, where: str) -> str | None:
        if env.intradermal_by_technique.get(technique):
            return f"{where}technique {env.technique_labels.get(technique, technique)} goes into the skin"
        if depth is not None and depth <= INTRADERMAL_MAX_DEPTH_MM:
            return f"{where}depth {depth:g} mm is within the skin"
        return None

    def find(ctx: Context) -> list[Hit]:
        plan = ctx.plan
        reasons = [why(plan.technique, plan.depth_mm, "")]
        reasons += [why(s.technique, s.depth_mm, f"session {s.sequence}: ")
                    for s in plan.sessions if s.status == "planned"]
        found = next((r for r in reasons if r), None)
        return [Hit(details=(found,))] if found else []
    return lambda ctx: ctx.memo("technique_intradermal", find)


@condition_kind("regions")
def _regions(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    regions = need_names(value, path, problems, env.regions, "region")
    if regions is None:
        return None

    def check(ctx: Context) -> list[Hit]:
        covered = set(ctx.plan.regions)
        for session in ctx.plan.sessions:
            if session.status == "planned":
                covered |= session.regions
        matched = sorted(regions & covered)
        return [Hit(details=(f"treatment area: {', '.join(matched)}",))] if matched else []
    return check


@condition_kind("jurisdiction")
def _jurisdiction(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    places = need_names(value, path, problems, None, "jurisdiction code")
    if places is None:
        return None
    return lambda ctx: [BARE] if ctx.plan.jurisdiction in places else []


# --- sessions and batches -----------------------------------------------------------------------


@condition_kind("interval_below_min_days")
def _interval(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    floor: int = 0
    floor_tags: frozenset[str] = frozenset()
    if isinstance(value, dict) and set(value) == {"days", "tags"}:
        days = need_positive_int(value["days"], f"{path}.days", problems)
        tags = need_names(value["tags"], f"{path}.tags", problems, env.known_tags, "caution tag")
        if days is None or tags is None:
            return None
        floor, floor_tags = days, tags
    elif value is not True:
        problems.append(Problem(path, "must be true (each ingredient's own minimum) or "
                                      "{\"days\": N, \"tags\": [...]} (at least N days for those tags)"))
        return None

    def minimum(item: ItemFacts) -> int:
        own = item.min_interval_days or 0
        return max(own, floor) if not floor_tags.isdisjoint(item.caution_tags) else own

    def check(ctx: Context) -> list[Hit]:
        needs = list({item.code: (item, days) for item in ctx.plan.items if (days := minimum(item)) > 0}.values())
        if not needs:
            return []
        sessions = ctx.active_sessions
        hits = []
        for before, after in zip(sessions, sessions[1:]):
            gap = (after.date - before.date).days
            short = [(item, days) for item, days in needs if gap < days]
            if short:
                wanted = ", ".join(f"{item.name} needs {days} days" for item, days in short)
                hits.append(Hit(session=after.sequence, ingredients=tuple(i.display_name for i, _ in short),
                                details=(f"session {after.sequence} on {after.date.isoformat()} comes {gap} days "
                                         f"after session {before.sequence}, but {wanted}",)))
        return hits
    return check


@condition_kind("batch_expired")
def _batch_expired(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    if not need_true(value, path, problems):
        return None
    return lambda ctx: [
        Hit(session=s.sequence, lot=b.lot_number,
            details=(f"batch {b.lot_number} of {b.item_name} expired on {b.expiry_date.isoformat()}, before "
                     f"session {s.sequence} on {s.date.isoformat()}",))
        for s in ctx.active_sessions for b in s.batches
        if _expired_when_given(s, b) and not _corrected(s, b)
    ]


def _expired_when_given(session, batch: BatchFacts) -> bool:
    """The batch's expiry date is before the session's day (R31 and R72 read the same fact)."""
    return batch.expiry_date is not None and batch.expiry_date < session.date


def _corrected(session, batch: BatchFacts) -> bool:
    """An expired batch the practitioner confirmed, with a reason, as what a done session used."""
    return session.status == "done" and bool(batch.correction.strip())


@condition_kind("batch_expired_corrected")
def _batch_expired_corrected(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    if not need_true(value, path, problems):
        return None
    return lambda ctx: [
        Hit(session=s.sequence, lot=b.lot_number,
            details=(f"session {s.sequence} on {s.date.isoformat()} is recorded as given with batch "
                     f"{b.lot_number} of {b.item_name}, which had expired on {b.expiry_date.isoformat()} "
                     f"(a correction of the record; reason given: \"{b.correction.strip()}\")",))
        for s in ctx.plan.sessions for b in s.batches
        if _expired_when_given(s, b) and _corrected(s, b)
    ]


@condition_kind("batch_missing")
def _batch_missing(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    if not need_true(value, path, problems):
        return None

    def check(ctx: Context) -> list[Hit]:
        if not ctx.plan.batch_required:
            return []
        hits = []
        for session in ctx.plan.sessions:
            if session.status != "done":
                continue
            missing = _sources_without_batch(ctx.plan.items, session.batches)
            if missing:
                hits.append(Hit(session=session.sequence, details=(
                    f"session {session.sequence} on {session.date.isoformat()} has no batch recorded for "
                    f"{', '.join(missing)}",)))
        return hits
    return check


def _sources_without_batch(items: tuple[ItemFacts, ...], batches: tuple[BatchFacts, ...]) -> list[str]:
    """Names of the products and single ingredients of the cocktail that no batch matches."""
    codes = {b.item_code for b in batches if b.item_code}
    names = {b.item_name.casefold() for b in batches if b.item_name}
    missing: list[str] = []
    for item in items:
        if item.via_product:
            shown = item.via_product_name or item.via_product
            matched = item.via_product in codes or shown.casefold() in names
        else:
            shown = item.name
            matched = item.code in codes or item.name.casefold() in names
        if not matched and shown not in missing:
            missing.append(shown)
    return missing


# --- consent ------------------------------------------------------------------------------------


@condition_kind("consent")
def _consent(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    if value not in CONSENT_CHECKS:
        problems.append(Problem(path, f"{value!r} must be one of {', '.join(CONSENT_CHECKS)}"))
        return None
    wanted = _CONSENT_STATES[value]

    def check(ctx: Context) -> list[Hit]:
        status = consent_status(ctx.plan.consent, ctx.plan.items, ctx.today)
        if value == "signed_before_form":
            holds = status.before_any_form
            detail = ""
            if holds:
                forms = ctx.plan.consent.issued_forms
                detail = f"the consent signature is recorded on {status.signed_on.isoformat()}, " + (
                    f"before the first consent form for this plan was issued on "
                    f"{min(f.issued_on for f in forms).isoformat()}" if forms
                    else "but no consent form has been issued for this plan")
        elif value == "signed_in_future":
            holds = status.in_future
            detail = (f"the consent signature is recorded on {status.signed_on.isoformat()}, which is after "
                      f"today ({ctx.today.isoformat()})" if holds else "")
        else:
            holds = status.state in wanted
            detail = status.detail
        return [Hit(details=(detail,))] if holds else []
    return check


@condition_kind("consent_older_than_months")
def _consent_old(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    months = need_positive_int(value, path, problems)
    if months is None:
        return None

    def check(ctx: Context) -> list[Hit]:
        consent = ctx.plan.consent
        if consent is None or consent.signed_on is None or add_months(consent.signed_on, months) >= ctx.today:
            return []
        return [Hit(details=(f"consent signed on {consent.signed_on.isoformat()}, more than {months} months ago",))]
    return check
