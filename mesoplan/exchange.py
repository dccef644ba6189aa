"""The MesoPlan exchange format (pure): patients with screenings, plans, cocktails and sessions as JSON.

Documented in docs/exchange-format.md. Reading checks the whole document first and reports every
problem with its JSON path (``$.patients[2].plans[0].sessions[1].planned_date: ...``); nothing is
returned unless the whole document is valid. Database ids never appear: patients, plans and
sessions nest, catalog items are referred to by code, batches and practitioners by a ``ref``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from mesoplan import __version__
from mesoplan.errors import Problem, ValidationError
from mesoplan.exchange_documents import DocumentData, read_documents
from mesoplan.plan import Acknowledgement, ComponentDraft, PlanDraft, SessionDraft, ZoneVolume
from mesoplan.text import multi_line_problem, nfc, one_line_problem

FORMAT_NAME = "mesoplan.exchange"
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
"""Version 2 added each plan's issued documents and batch corrections; version 1 files still import."""
PATIENT_FIELDS = ("family_name", "given_names", "date_of_birth", "sex", "phone", "email", "address",
                  "gp_details", "notes")


@dataclass(frozen=True)
class BatchRef:
    ref: str
    item_kind: str
    item_code: str
    lot_number: str
    expiry_date: dt.date


@dataclass(frozen=True)
class PractitionerRef:
    ref: str
    name: str
    profession: str = ""
    registration_number: str = ""


@dataclass(frozen=True)
class ScreeningData:
    taken_on: dt.date
    recorded_at: dt.datetime | None
    recorded_by: str
    questionnaire_version: str
    answers: dict[str, Any]
    notes: str


@dataclass(frozen=True)
class PlanData:
    """A plan as exchanged: the draft (ids empty), its practitioner ref and the batch refs it uses."""

    draft: PlanDraft
    practitioner: str | None
    session_batch_refs: tuple[tuple[tuple[str, float | None, str], ...], ...]
    """Per session: (batch ref, volume, correction reason) of each batch used."""
    path: str
    documents: tuple[DocumentData, ...] = ()


@dataclass(frozen=True)
class PatientData:
    fields: dict[str, Any]
    screenings: tuple[ScreeningData, ...]
    plans: tuple[PlanData, ...]
    path: str


@dataclass(frozen=True)
class ExchangeDocument:
    practitioners: tuple[PractitionerRef, ...] = ()
    batches: tuple[BatchRef, ...] = ()
    patients: tuple[PatientData, ...] = field(default=())
    export_id: str = ""
    """The identifier the exporting MesoPlan gave the file ("" in files from older versions)."""


# --- writing -------------------------------------------------------------------------------------


def _iso(value: dt.date | dt.datetime | dt.time | None) -> str | None:
    return value.isoformat() if value is not None else None


def plan_to_json(
    draft: PlanDraft, practitioner_ref: str | None = None,
    batch_ref: dict[int, str] | None = None,
) -> dict[str, Any]:
    """A plan as a JSON-ready dict (also used for the audit trail's before/after)."""
    batch_ref = batch_ref or {}
    return {
        "title": draft.title, "indication": draft.indication,
        "indication_other": draft.indication_other, "areas": list(draft.areas),
        "goals": draft.goals, "status": draft.status, "practitioner": practitioner_ref,
        "protocol_code": draft.protocol_code, "start_date": _iso(draft.start_date),
        "technique": draft.technique, "depth_mm": draft.depth_mm, "needle": draft.needle,
        "notes": draft.notes, "template_name": draft.template_name,
        "consent_signed_on": _iso(draft.consent_signed_on),
        "cocktail": [
            {"kind": c.kind, "code": c.code, "name": c.name, "strength_value": c.strength_value,
             "strength_unit": c.strength_unit, "volume_ml": c.volume_ml}
            for c in draft.components
        ],
        "sessions": [
            {"sequence": s.sequence, "phase": s.phase, "planned_date": _iso(s.planned_date),
             "planned_time": _iso(s.planned_time), "status": s.status, "technique": s.technique,
             "depth_mm": s.depth_mm, "needle": s.needle,
             "zones": [{"zone": z.zone, "volume_ml": z.volume_ml} for z in s.zones],
             "batches": [{"batch": batch_ref.get(b.batch_id, b.lot_number), "volume_ml": b.volume_ml,
                          "correction": b.correction}
                         for b in s.batches],
             "reactions": s.reactions, "notes": s.notes, "performed_at": _iso(s.performed_at),
             "performed_by": s.performed_by}
            for s in draft.sessions
        ],
        "acknowledgements": [
            {"rule_id": a.rule_id, "subject": a.subject, "reason": a.reason, "by": a.by,
             "at": _iso(a.at)}
            for a in draft.acknowledgements
        ],
    }


HEADER_KEYS = frozenset({"format", "format_version", "generator", "export_id", "privacy_request"})
"""Top-level keys that describe the file rather than hold records."""


def records_fingerprint(document: Any) -> str:
    """An export's identifier: a SHA-256 fingerprint of its records (every key but the header's).

    The same records give the same identifier, so exporting again, or exporting what another
    database imported, names the same file; a file is never imported twice unless asked.
    """
    records = ({k: v for k, v in document.items() if k not in HEADER_KEYS}
               if isinstance(document, dict) else document)
    text = json.dumps(records, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return "sha256-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:48]


def document_header(export_id: str = "") -> dict[str, Any]:
    """The first keys of a file; ``export_id`` names its records so a second import is noticed."""
    header: dict[str, Any] = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION,
                              "generator": f"MesoPlan {__version__}"}
    if export_id:
        header["export_id"] = export_id
    return header


# --- reading -------------------------------------------------------------------------------------


_SHOWABLE = re.compile(r"[0-9 .,:+\-TZ/]{0,40}")


def _shown(value: Any) -> str:
    """A wrong value as messages may quote it: numbers, dates and the like as they are, anything
    else (which may be a name or a note) by its kind only, so no record is repeated."""
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    if isinstance(value, str) and _SHOWABLE.fullmatch(value):
        return repr(value)
    if isinstance(value, str):
        return "this text"
    return "an object" if isinstance(value, dict) else "a list"


class _Seen(dict):
    """A JSON object that remembers which keys the reader looked at (the others are unknown)."""

    def __init__(self, value: dict[str, Any]) -> None:
        super().__init__(value)
        self.read: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.read.add(key)  # type: ignore[arg-type]
        return super().__contains__(key)


MULTI_LINE_KEYS = frozenset({"address", "gp_details", "notes", "goals", "reactions", "reason",
                             "correction"})
"""Text keys that may hold several lines; every other text key is one line (no control characters)."""


class _Reader:
    """Collects every problem while reading values out of nested dicts and lists.

    Every object goes through ``obj``, which remembers the keys read from it; ``unknown_keys``
    then refuses the keys nobody read (a misspelt key would otherwise lose its data silently).
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.objects: list[tuple[str, _Seen]] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def obj(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, "must be an object")
            return {}
        seen = _Seen(value)
        self.objects.append((path, seen))
        return seen

    def unknown_keys(self) -> None:
        """A problem for every key of every object that the reader never asked for."""
        for path, seen in self.objects:
            known = sorted(k for k in seen.read if isinstance(k, str))
            for key in seen:
                if key in seen.read:
                    continue
                close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else (
                    f"; the keys here are: {', '.join(known)}" if known else "")
                self.fail(f"{path}.{key}", f"is not a key MesoPlan knows{hint}")

    def items(self, parent: dict, key: str, path: str, required: bool = False) -> list[Any]:
        value = parent.get(key)
        if value is None:
            if required:
                self.fail(f"{path}.{key}", "is required")
            return []
        if not isinstance(value, list):
            self.fail(f"{path}.{key}", "must be a list")
            return []
        return value

    def text(self, parent: dict, key: str, path: str, required: bool = False,
             default: str = "") -> str:
        value = parent.get(key)
        if value is None:
            if required:
                self.fail(f"{path}.{key}", "is required")
            return default
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", f"must be text, not {type(value).__name__}")
            return default
        if required and not value.strip():
            self.fail(f"{path}.{key}", "must not be empty")
        problem = (multi_line_problem if key in MULTI_LINE_KEYS else one_line_problem)(value)
        if problem:
            self.fail(f"{path}.{key}", problem)
        return nfc(value)

    def number(self, parent: dict, key: str, path: str, required: bool = False) -> float | None:
        value = parent.get(key)
        if value is None:
            if required:
                self.fail(f"{path}.{key}", "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.fail(f"{path}.{key}", f"must be a number, not {_shown(value)}")
            return None
        return float(value)

    def integer(self, parent: dict, key: str, path: str) -> int:
        value = parent.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"{path}.{key}", f"must be a whole number, not {_shown(value)}")
            return 0
        return value

    def _parse(self, parent: dict, key: str, path: str, parser, what: str, required: bool):
        value = parent.get(key)
        if value is None:
            if required:
                self.fail(f"{path}.{key}", "is required")
            return None
        try:
            if not isinstance(value, str):
                raise ValueError
            return parser(value)
        except ValueError:
            self.fail(f"{path}.{key}", f"{_shown(value)} is not a {what}")
            return None

    def date(self, parent: dict, key: str, path: str, required: bool = False) -> dt.date | None:
        return self._parse(parent, key, path, dt.date.fromisoformat, "date (YYYY-MM-DD)", required)

    def datetime(self, parent: dict, key: str, path: str) -> dt.datetime | None:
        return self._parse(parent, key, path, dt.datetime.fromisoformat,
                           "date and time (YYYY-MM-DDTHH:MM:SS)", False)

    def time(self, parent: dict, key: str, path: str) -> dt.time | None:
        return self._parse(parent, key, path, dt.time.fromisoformat, "time (HH:MM)", False)


def _read_plan(r: _Reader, raw: Any, path: str, batch_refs: set[str],
               practitioner_refs: set[str]) -> PlanData:
    p = r.obj(raw, path)
    components = []
    for i, raw_c in enumerate(r.items(p, "cocktail", path)):
        cpath = f"{path}.cocktail[{i}]"
        c = r.obj(raw_c, cpath)
        kind = r.text(c, "kind", cpath, required=True)
        if kind and kind not in ("ingredient", "product"):
            r.fail(f"{cpath}.kind", "must be 'ingredient' or 'product'")
        components.append(ComponentDraft(
            kind=kind, code=r.text(c, "code", cpath, required=True), name=r.text(c, "name", cpath),
            volume_ml=r.number(c, "volume_ml", cpath, required=True) or 0.0,
            strength_value=r.number(c, "strength_value", cpath),
            strength_unit=c.get("strength_unit") if isinstance(c.get("strength_unit"), str) else None,
        ))
    sessions, session_batches = [], []
    for i, raw_s in enumerate(r.items(p, "sessions", path)):
        spath = f"{path}.sessions[{i}]"
        s = r.obj(raw_s, spath)
        zones = []
        for j, raw_z in enumerate(r.items(s, "zones", spath)):
            zpath = f"{spath}.zones[{j}]"
            z = r.obj(raw_z, zpath)
            zones.append(ZoneVolume(r.text(z, "zone", zpath, required=True),
                                    r.number(z, "volume_ml", zpath, required=True) or 0.0))
        used = []
        for j, raw_b in enumerate(r.items(s, "batches", spath)):
            bpath = f"{spath}.batches[{j}]"
            b = r.obj(raw_b, bpath)
            ref = r.text(b, "batch", bpath, required=True)
            if ref and ref not in batch_refs:
                r.fail(f"{bpath}.batch", f"'{ref}' is not listed in $.batches")
            used.append((ref, r.number(b, "volume_ml", bpath), r.text(b, "correction", bpath)))
        session_batches.append(tuple(used))
        sessions.append(SessionDraft(
            sequence=r.integer(s, "sequence", spath), phase=r.text(s, "phase", spath),
            planned_date=r.date(s, "planned_date", spath, required=True) or dt.date.min,
            planned_time=r.time(s, "planned_time", spath),
            status=r.text(s, "status", spath, default="planned"),
            technique=r.text(s, "technique", spath), depth_mm=r.number(s, "depth_mm", spath),
            needle=r.text(s, "needle", spath), zones=tuple(zones),
            reactions=r.text(s, "reactions", spath), notes=r.text(s, "notes", spath),
            performed_at=r.datetime(s, "performed_at", spath),
            performed_by=r.text(s, "performed_by", spath),
        ))
    acks = []
    for i, raw_a in enumerate(r.items(p, "acknowledgements", path)):
        apath = f"{path}.acknowledgements[{i}]"
        a = r.obj(raw_a, apath)
        acks.append(Acknowledgement(
            r.text(a, "rule_id", apath, required=True), r.text(a, "subject", apath),
            r.text(a, "reason", apath, required=True), r.text(a, "by", apath),
            r.datetime(a, "at", apath),
        ))
    practitioner = p.get("practitioner")
    if practitioner is not None and practitioner not in practitioner_refs:
        r.fail(f"{path}.practitioner", f"{_shown(practitioner)} is not listed in $.practitioners")
        practitioner = None
    areas = p.get("areas", [])
    if not isinstance(areas, list) or not all(isinstance(a, str) for a in areas):
        r.fail(f"{path}.areas", "must be a list of zone codes")
        areas = []
    draft = PlanDraft(
        patient_id=0, indication=r.text(p, "indication", path, required=True),
        title=r.text(p, "title", path), indication_other=r.text(p, "indication_other", path),
        areas=tuple(areas), goals=r.text(p, "goals", path),
        status=r.text(p, "status", path, default="draft"),
        protocol_code=r.text(p, "protocol_code", path), start_date=r.date(p, "start_date", path),
        technique=r.text(p, "technique", path), depth_mm=r.number(p, "depth_mm", path),
        needle=r.text(p, "needle", path), notes=r.text(p, "notes", path),
        template_name=r.text(p, "template_name", path),
        consent_signed_on=r.date(p, "consent_signed_on", path),
        components=tuple(components), sessions=tuple(sessions), acknowledgements=tuple(acks),
    )
    documents = read_documents(r, p, path, practitioner_refs, {s.sequence for s in sessions})
    return PlanData(draft, practitioner, tuple(session_batches), path, documents)


def read_document(data: Any) -> ExchangeDocument:
    """Check a parsed JSON document and turn it into values; raises ValidationError listing all problems."""
    r = _Reader()
    root = r.obj(data, "$")
    if root.get("format") != FORMAT_NAME:
        r.fail("$.format", f"must be {FORMAT_NAME!r}; this is not a MesoPlan exchange file")
        raise ValidationError(r.problems)
    version = root.get("format_version")
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        r.fail("$.format_version", f"{version!r} is not supported; this MesoPlan reads versions "
               f"{', '.join(map(str, READABLE_VERSIONS))}")
        raise ValidationError(r.problems)
    r.text(root, "generator", "$")
    root.get("privacy_request")  # what an access request adds for the person (not imported)
    export_id = r.text(root, "export_id", "$")
    practitioners = []
    for i, raw in enumerate(r.items(root, "practitioners", "$")):
        path = f"$.practitioners[{i}]"
        p = r.obj(raw, path)
        practitioners.append(PractitionerRef(r.text(p, "ref", path, required=True),
                                             r.text(p, "name", path, required=True),
                                             r.text(p, "profession", path),
                                             r.text(p, "registration_number", path)))
    batches = []
    for i, raw in enumerate(r.items(root, "batches", "$")):
        path = f"$.batches[{i}]"
        b = r.obj(raw, path)
        kind = r.text(b, "item_kind", path, required=True)
        if kind and kind not in ("ingredient", "product"):
            r.fail(f"{path}.item_kind", "must be 'ingredient' or 'product'")
        batches.append(BatchRef(r.text(b, "ref", path, required=True), kind,
                                r.text(b, "item_code", path, required=True),
                                r.text(b, "lot_number", path, required=True),
                                r.date(b, "expiry_date", path, required=True) or dt.date.min))
    for what, refs, prefix in (("practitioner", [p.ref for p in practitioners], "$.practitioners"),
                               ("batch", [b.ref for b in batches], "$.batches")):
        seen: set[str] = set()
        for i, ref in enumerate(refs):
            if ref in seen:
                r.fail(f"{prefix}[{i}].ref", f"{what} ref {ref!r} is used twice")
            seen.add(ref)
    batch_refs = {b.ref for b in batches}
    practitioner_refs = {p.ref for p in practitioners}
    patients = []
    for i, raw in enumerate(r.items(root, "patients", "$", required=True)):
        path = f"$.patients[{i}]"
        p = r.obj(raw, path)
        fields = {name: r.text(p, name, path, required=(name == "family_name"))
                  for name in PATIENT_FIELDS if name != "date_of_birth"}
        fields["date_of_birth"] = r.date(p, "date_of_birth", path)
        fields["sex"] = fields["sex"] or "unknown"
        screenings = []
        for j, raw_s in enumerate(r.items(p, "screenings", path)):
            spath = f"{path}.screenings[{j}]"
            s = r.obj(raw_s, spath)
            answers = s.get("answers", {})
            if not isinstance(answers, dict):
                r.fail(f"{spath}.answers", "must be an object of question keys and answers")
                answers = {}
            screenings.append(ScreeningData(
                r.date(s, "taken_on", spath, required=True) or dt.date.min,
                r.datetime(s, "recorded_at", spath), r.text(s, "recorded_by", spath),
                r.text(s, "questionnaire_version", spath), answers, r.text(s, "notes", spath)))
        plans = tuple(_read_plan(r, raw_p, f"{path}.plans[{j}]", batch_refs, practitioner_refs)
                      for j, raw_p in enumerate(r.items(p, "plans", path)))
        patients.append(PatientData(fields, tuple(screenings), plans, path))
    r.unknown_keys()
    if r.problems:
        raise ValidationError(r.problems)
    return ExchangeDocument(tuple(practitioners), tuple(batches), tuple(patients), export_id)
