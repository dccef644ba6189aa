"""Is the plan's consent in place? The recorded signature read against the consent forms issued (pure).

A consent counts only when a form that covers the plan as it is now (every product and ingredient
of the cocktail, every area treated, the plan's practitioner) was issued, and the patient's
signature is recorded on or after the day that form was issued and not after today. Only a date
is recorded for a signature on paper, so a form printed and signed during the same visit (the same
day) counts. ``consent_status`` says which case applies, in words the screens, ``plan show`` and
the rules R33, R70 and R71 all use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mesoplan.safety.facts import ConsentFacts, ConsentFormFacts, ItemFacts
from mesoplan.vocabulary import zone_label

VALID = "valid"
NO_FORM = "no_form"
NOT_COVERING = "not_covering"
NOT_SIGNED = "not_signed"
SIGNED_BEFORE_ISSUE = "signed_before_issue"
SIGNED_IN_FUTURE = "signed_in_future"
STATES = (VALID, NO_FORM, NOT_COVERING, NOT_SIGNED, SIGNED_BEFORE_ISSUE, SIGNED_IN_FUTURE)


@dataclass(frozen=True)
class ConsentStatus:
    """Where the plan's consent stands.

    ``form`` is the form the sentence is about (the one signed, the one to sign, or the newest
    one when none covers the plan). ``before_any_form`` is true when a signature is recorded with a
    date before every consent form issued for the plan (or when none was issued at all): it
    cannot be the signature of any of them. ``in_future`` when the signature is dated after today.
    """

    state: str
    signed_on: dt.date | None = None
    form: ConsentFormFacts | None = None
    gaps: tuple[str, ...] = ()
    before_any_form: bool = False
    in_future: bool = False

    @property
    def valid(self) -> bool:
        return self.state == VALID

    @property
    def detail(self) -> str:
        """One plain sentence (no full stop) saying what is wrong, or that the consent is in place."""
        signed = self.signed_on.isoformat() if self.signed_on else ""
        issued = self.form.issued_on.isoformat() if self.form else ""
        if self.state == VALID:
            return (f"consent signed on {signed} on the form issued on {issued}, which covers the "
                    "current cocktail, areas and practitioner")
        if self.state == NO_FORM:
            text = "no consent form has been issued for this plan"
            if self.signed_on:
                text += f" (a signature is recorded on {signed}, but there is no form it could be for)"
            return text
        if self.state == NOT_COVERING:
            return (f"the newest consent form (issued on {issued}) does not cover the plan as it is "
                    f"now: {'; '.join(self.gaps)}. A new form has to be issued and signed")
        if self.state == NOT_SIGNED:
            return f"the consent form issued on {issued} has not been recorded as signed"
        if self.state == SIGNED_BEFORE_ISSUE:
            return (f"the consent form covering the plan as it is now was issued on {issued}, after the "
                    f"recorded signature date ({signed}), so it has not been signed yet")
        return f"the recorded signature date, {signed}, is in the future"


_NEXT_STEP = {
    VALID: "",
    NO_FORM: "Print the consent form from the plan once it is saved, have the patient sign it, then "
             "record the date they signed.",
    NOT_COVERING: "Print a new consent form from the plan, have the patient sign it, then record the new "
                  "date they signed.",
    NOT_SIGNED: "Record the date the patient signed it (the day it was printed or later).",
    SIGNED_BEFORE_ISSUE: "Record the date the patient signed the current form (the day it was printed or "
                         "later); if they have not, have them sign it first.",
    SIGNED_IN_FUTURE: "Correct the date to the day the patient signed.",
}


def consent_sentence(status: ConsentStatus) -> str:
    """What the screens and ``plan show`` say about the consent: the state, then what to do."""
    detail = status.detail
    text = detail[:1].upper() + detail[1:] + "."
    step = _NEXT_STEP[status.state]
    return f"{text} {step}" if step else text


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def form_gaps(form: ConsentFormFacts, items: tuple[ItemFacts, ...], consent: ConsentFacts) -> tuple[str, ...]:
    """What the plan needs that the form does not name, in words; empty when the form covers it."""
    gaps: list[str] = []
    uncovered: list[str] = []
    for item in items:
        if item.code in form.covered_item_codes or (
                item.via_product is not None and item.via_product in form.covered_item_codes):
            continue
        name = (item.via_product_name or item.via_product) if item.via_product else item.name
        if name not in uncovered:
            uncovered.append(name)
    if uncovered:
        verb = "is" if len(uncovered) == 1 else "are"
        gaps.append(f"{_names(uncovered)} {verb} not named in it")
    if form.codes_only:
        return tuple(gaps)
    zones = sorted(consent.plan_zones - (form.covered_zones or frozenset()))
    if zones:
        labels = [zone_label(z) for z in zones]
        gaps.append(f"it does not name the area{'s' if len(labels) > 1 else ''} {_names(labels)}")
    wanted = consent.plan_practitioner_id
    if wanted is not None and form.practitioner_id != wanted:
        who = form.practitioner_name or "no practitioner"
        gaps.append(f"it names {who}, not the plan's practitioner")
    return tuple(gaps)


def consent_status(consent: ConsentFacts | None, items: tuple[ItemFacts, ...], today: dt.date) -> ConsentStatus:
    """The consent's state for a plan with these cocktail items, on ``today``."""
    if consent is None:
        return ConsentStatus(NO_FORM)
    signed = consent.signed_on
    forms = sorted(consent.issued_forms, key=lambda f: f.issued_on)
    in_future = signed is not None and signed > today
    before_any = signed is not None and (not forms or signed < forms[0].issued_on)
    common = {"signed_on": signed, "before_any_form": before_any, "in_future": in_future}
    if not forms:
        return ConsentStatus(NO_FORM, **common)
    covering = [f for f in forms if not form_gaps(f, items, consent)]
    if not covering:
        return ConsentStatus(NOT_COVERING, form=forms[-1], gaps=form_gaps(forms[-1], items, consent), **common)
    if signed is None:
        return ConsentStatus(NOT_SIGNED, form=covering[-1], **common)
    if in_future:
        return ConsentStatus(SIGNED_IN_FUTURE, form=covering[-1], **common)
    signed_forms = [f for f in covering if f.issued_on <= signed]
    if not signed_forms:
        return ConsentStatus(SIGNED_BEFORE_ISSUE, form=covering[0], **common)
    return ConsentStatus(VALID, form=signed_forms[-1], **common)
