"""The wording of the printed documents, read from ``resources/documents/<language>.json``.

A language without a file falls back to English; a file that exists must have every required key
(checked here, so a bad translation fails with a list of what is missing rather than mid-print).
"""

from __future__ import annotations

import hashlib
import json
import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from mesoplan.documents.content import LANGUAGE_PATTERN
from mesoplan.errors import Problem, ValidationError
from mesoplan.paths import resource

FALLBACK_LANGUAGE = "en"

# Every placeholder a text may use; the renderers always supply the ones their texts need.
PLACEHOLDERS = frozenset({
    "day", "month", "year", "weekday", "page", "pages", "template_version", "date", "fingerprint",
    "title", "patient_name", "patient_id", "value", "indication", "clinic_name", "retention_period", "years",
    "clinic_phone", "emergency_phone", "next_session",
})

_CONSENT_HEADINGS = (
    "about", "procedure", "plan", "goals", "notes", "products", "off_label", "aims", "alternatives",
    "risks", "specific_risks", "declarations", "photography", "data_protection", "withdrawal", "signatures",
)
_CONSENT_LABELS = (
    "patient_name", "patient_id", "date_of_birth", "sex", "practitioner", "profession", "registration",
    "plan_ref", "issued_on", "indication", "areas", "technique", "depth", "needle", "protocol",
    "session_count", "total_volume", "session_no", "session_date", "session_time", "item", "item_kind",
    "strength", "volume", "status", "kind_ingredient", "kind_product", "contains", "off_label_mark",
    "applies_to", "yes", "no", "signature", "printed_name", "date", "time", "role", "patient_signs",
    "practitioner_signs", "witness_signs", "witness_role", "not_stated",
)
_AFTERCARE_HEADINGS = (
    "treatment", "normal", "care", "avoid", "next_session", "call_clinic", "emergency", "contact",
)
_REGIONS = ("face", "scalp", "body")
_AFTERCARE_LABELS = (
    "patient_name", "patient_id", "treated_areas", "issued_on", "practitioner", "reaction", "how_long",
    "for_how_long", "next_session", "telephone", "emergency_number", "email",
)

# The shape every language file must have: leaf values name the kind of value expected.
REQUIRED: dict[str, Any] = {
    "common": {
        "months": "months", "weekdays": "weekdays", "date_format": "text", "long_date_format": "text",
        "page_of": "text", "footer": "text", "fingerprint": "text", "running_header": "text",
        "telephone": "text", "email": "text", "not_given": "text", "no_phone": "text",
        "no_emergency_phone": "text", "millimetre": "text", "millilitre": "text",
    },
    "consent": {
        "template_version": "text", "title": "text", "subtitle": "text",
        "headings": {key: "text" for key in _CONSENT_HEADINGS},
        "labels": {key: "text" for key in _CONSENT_LABELS},
        "procedure": "texts", "plan_intro": "text", "no_sessions": "text", "products_intro": "text",
        "no_products": "text", "off_label_statement": "text", "aims": "texts",
        "alternatives_intro": "text", "alternatives": "texts", "risks_intro": "text",
        "risk_groups": "risk_groups", "specific_intro": "text", "caution_tags": "cautions",
        "caution_fallback": "text", "findings_intro": "text", "finding_fallback": "text",
        "severity": {"block": "text", "acknowledge": "text", "info": "text"},
        "no_specific_risks": "text", "declarations_intro": "text", "declarations": "texts",
        "off_label_declaration": "text", "photography_intro": "text", "photography_choices": "texts",
        "photography_note": "text", "data_protection": "texts", "retention_years": "text",
        "retention_default": "text", "withdrawal": "texts", "signature_patient_statement": "text",
        "signature_practitioner_statement": "text", "signature_witness_statement": "text",
    },
    "aftercare": {
        "template_version": "text", "title": "text", "intro": "text",
        "headings": {key: "text" for key in _AFTERCARE_HEADINGS},
        "labels": {key: "text" for key in _AFTERCARE_LABELS},
        "normal": {"general": "instructions", **{key: "instructions_or_none" for key in _REGIONS}},
        "normal_outcome": "text", "care": "texts", "avoid_intro": "text",
        "region_headings": {key: "text" for key in ("general", *_REGIONS)},
        "avoid": {key: "instructions" for key in ("general", *_REGIONS)},
        "call_clinic_intro": "text",
        "call_clinic": {"general": "texts", **{key: "texts_or_none" for key in _REGIONS}},
        "call_clinic_unreachable": "text",
        "emergency_intro": "text", "emergency": "texts", "next_session_date": "text",
        "next_session_none": "text", "next_session_advice": "text",
    },
}


@dataclass(frozen=True)
class DocumentTexts:
    """One language's texts (read-only) and a digest of each document's wording."""

    language: str
    common: Mapping[str, Any]
    consent: Mapping[str, Any]
    aftercare: Mapping[str, Any]
    digests: Mapping[str, str]

    def of(self, kind: str) -> Mapping[str, Any]:
        return self.consent if kind == "consent" else self.aftercare

    def template_version(self, kind: str) -> str:
        return self.of(kind)["template_version"]


class _Values(dict):
    """Placeholder values; one this document does not know is left as written, never an error."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, values: Mapping[str, object] | None = None, **more: object) -> str:
    """Put values into a text's {placeholders}; values are data, so braces in them are harmless."""
    if "{" not in template and "}" not in template:
        return template
    return template.format_map(_Values({**(values or {}), **more}))


def _problems_in_text(where: str, value: Any) -> list[Problem]:
    if not isinstance(value, str) or not value.strip():
        return [Problem(where, "must be a non-empty text")]
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError as error:
        return [Problem(where, f"has a stray brace ({error}); write {{{{ or }}}} for a literal brace")]
    unknown = sorted(names - PLACEHOLDERS)
    if unknown:
        return [Problem(where, f"uses unknown placeholder {', '.join('{' + n + '}' for n in unknown)}")]
    return []


def _problems_in_list(where: str, value: Any, item_check, may_be_empty: bool = False) -> list[Problem]:
    if not isinstance(value, list) or not (value or may_be_empty):
        return [Problem(where, "must be a list" if may_be_empty else "must be a non-empty list")]
    return [p for i, item in enumerate(value) for p in item_check(f"{where}[{i}]", item)]


def _problems_in_instruction(where: str, item: Any) -> list[Problem]:
    return _problems_in_record(where, item, {"text": "text", "window": "text"})


def _problems_in_record(where: str, value: Any, fields: dict[str, str]) -> list[Problem]:
    if not isinstance(value, dict):
        return [Problem(where, "must be an object")]
    return _check(fields, value, where)


_LEAF_CHECKS = {
    "text": _problems_in_text,
    "texts": lambda w, v: _problems_in_list(w, v, _problems_in_text),
    "months": lambda w, v: [Problem(w, "must list 12 month names")] if not isinstance(v, list) or len(v) != 12
    else _problems_in_list(w, v, _problems_in_text),
    "weekdays": lambda w, v: [Problem(w, "must list 7 weekday names, Monday first")]
    if not isinstance(v, list) or len(v) != 7 else _problems_in_list(w, v, _problems_in_text),
    "instructions": lambda w, v: _problems_in_list(w, v, _problems_in_instruction),
    # A region's own items: the list may be empty when nothing differs for that region.
    "instructions_or_none": lambda w, v: _problems_in_list(w, v, _problems_in_instruction, may_be_empty=True),
    "texts_or_none": lambda w, v: _problems_in_list(w, v, _problems_in_text, may_be_empty=True),
    "risk_groups": lambda w, v: _problems_in_list(
        w, v, lambda wi, item: _problems_in_record(wi, item, {"title": "text", "items": "texts"})),
    "cautions": lambda w, v: [Problem(w, "must be an object of caution tags")] if not isinstance(v, dict)
    else [p for tag, entry in v.items() if entry is not None  # null: not shown to patients
          for p in _problems_in_record(f"{w}.{tag}", entry, {"title": "text", "text": "text"})],
}


def _check(spec: dict[str, Any], data: Any, where: str = "") -> list[Problem]:
    problems: list[Problem] = []
    for key, expected in spec.items():
        path = f"{where}.{key}" if where else key
        if not isinstance(data, dict) or key not in data:
            problems.append(Problem(path, "is missing"))
        elif isinstance(expected, dict):
            if not isinstance(data[key], dict):
                problems.append(Problem(path, "must be an object"))
            else:
                problems.extend(_check(expected, data[key], path))
        else:
            problems.extend(_LEAF_CHECKS[expected](path, data[key]))
    return problems


def validate_texts(data: Any, source: str = "document texts") -> None:
    """Raise ValidationError naming every missing or malformed key of a language file."""
    problems = _check(REQUIRED, data)
    if problems:
        raise ValidationError([Problem(f"{source}: {p.where}", p.message) for p in problems])


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


def _digest(value: Any) -> str:
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _language_file(language: str):
    return resource("documents", f"{language}.json")


@cache
def load_texts(language: str = FALLBACK_LANGUAGE) -> DocumentTexts:
    """The texts for ``language`` (English when no file exists for it), validated; cached per process."""
    if not LANGUAGE_PATTERN.match(language or ""):
        raise ValidationError(f"{language!r} is not a language code such as 'en' or 'de'", where="language")
    node = _language_file(language)
    if not node.is_file():
        if language == FALLBACK_LANGUAGE:
            raise ValidationError("the English document texts are missing from the installation",
                                  where=f"documents/{language}.json")
        return load_texts(FALLBACK_LANGUAGE)
    source = f"documents/{language}.json"
    try:
        data = json.loads(node.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValidationError(f"is not valid JSON ({error})", where=source) from None
    validate_texts(data, source)
    digests = {kind: _digest({"common": data["common"], kind: data[kind]}) for kind in ("consent", "aftercare")}
    return DocumentTexts(
        language=language,
        common=_frozen(data["common"]),
        consent=_frozen(data["consent"]),
        aftercare=_frozen(data["aftercare"]),
        digests=MappingProxyType(digests),
    )
