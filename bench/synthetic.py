"""The synthetic clinic: a fresh SQLite database of clinic size, built fast and cached (benchmark only).

``clinic_database(spec, cache_dir)`` returns a built clinic, reusing the file made earlier for the
same parameters. Building opens the database the app's way (migrations, shipped catalog and
protocols), then bulk-inserts everything else with SQLAlchemy Core in one transaction: patients
with their search keys and name tokens, screenings, synthetic catalog entries, practitioners,
batches, plans with cocktails, sessions and the batches used. Dates are relative to the build day
(``anchor``); the bench day (the anchor itself) has exactly ``day_sessions`` sessions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import random
import shutil
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, insert, select

from bench.synthetic_catalog import synthetic_catalog
from bench.synthetic_people import answer_pool, make_patients, screening_row
from bench.synthetic_plans import (
    BIG_PLAN_TEMPLATE, PRACTITIONERS, TEMPLATES, PlanFactory, Visit, shifted, used_items, visits_of,
)
from mesoplan.catalog import load_shipped_catalog
from mesoplan.db.engine import open_database
from mesoplan.db.models import Base, Ingredient, Product, ProductComponent
from mesoplan.db.schema import SCHEMA_HEAD
from mesoplan.schedule import load_shipped_protocols
from mesoplan.screening import load_questionnaire

GENERATOR_VERSION = 2
"""Bump when the generator changes what it writes, so cached clinics are rebuilt."""
INSERT_ORDER = ("practitioner", "batch", "ingredient", "product", "product_component", "patient",
                "patient_name_token", "screening", "treatment_plan", "cocktail_component",
                "issued_document", "treatment_session", "session_batch")
Log = Callable[[str], None]


@dataclass(frozen=True)
class ClinicSpec:
    patients: int = 100_000
    sessions: int = 300_000
    catalog: int = 10_000
    day_sessions: int = 50
    big_plan_sessions: int = 20
    seed: int = 20260302

    def cache_key(self) -> str:
        text = json.dumps([dataclasses.asdict(self), GENERATOR_VERSION, SCHEMA_HEAD], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class BuiltClinic:
    path: Path
    spec: ClinicSpec
    anchor: dt.date
    bench_day: dt.date
    big_plan_id: int
    big_patient_id: int
    counts: dict[str, int]
    build_seconds: float

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def to_json(self) -> str:
        data = dataclasses.asdict(self)
        data.update(path=str(self.path), anchor=self.anchor.isoformat(), bench_day=self.bench_day.isoformat())
        return json.dumps(data, indent=1)

    @classmethod
    def from_json(cls, text: str) -> BuiltClinic:
        data = json.loads(text)
        return cls(path=Path(data["path"]), spec=ClinicSpec(**data["spec"]),
                   anchor=dt.date.fromisoformat(data["anchor"]), bench_day=dt.date.fromisoformat(data["bench_day"]),
                   big_plan_id=data["big_plan_id"], big_patient_id=data["big_patient_id"],
                   counts=data["counts"], build_seconds=data["build_seconds"])

    def copy_to(self, target: Path) -> BuiltClinic:
        """A private copy (for measurements that write), described like this one."""
        shutil.copyfile(self.path, target)
        target.chmod(0o600)
        return dataclasses.replace(self, path=target)


class BulkSink:
    """Buffers rows per table and inserts them in foreign-key order with Core executemany."""

    def __init__(self, conn: Connection, chunk: int = 10_000) -> None:
        self.conn, self.chunk = conn, chunk
        self.buffers: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)

    def __call__(self, table: str, row: dict[str, Any]) -> None:
        buffer = self.buffers[table]
        buffer.append(row)
        if len(buffer) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        for name in INSERT_ORDER:
            rows = self.buffers.pop(name, None)
            if rows:
                self.conn.execute(insert(Base.metadata.tables[name]), rows)
                self.counts[name] += len(rows)


def _next_id(conn: Connection, column) -> int:
    return (conn.scalar(select(func.max(column))) or 0) + 1


def _catalog(conn: Connection, sink: BulkSink, spec: ClinicSpec, rng: random.Random
             ) -> dict[tuple[str, str], int]:
    ingredients = dict(conn.execute(select(Ingredient.code, Ingredient.id)).all())
    products = dict(conn.execute(select(Product.code, Product.id)).all())
    next_ids = {"ingredient": _next_id(conn, Ingredient.id), "product": _next_id(conn, Product.id),
                "product_component": _next_id(conn, ProductComponent.id)}
    rows = synthetic_catalog(spec.catalog, load_shipped_catalog(), ingredients, next_ids, rng)
    for table, items in (("ingredient", rows.ingredients), ("product", rows.products),
                         ("product_component", rows.components)):
        for row in items:
            sink(table, row)
    return {**{("ingredient", c): i for c, i in ingredients.items()}, **{("product", c): i for c, i in products.items()}}


def _stock(sink: BulkSink, item_ids: dict[tuple[str, str], int], anchor: dt.date) -> dict[tuple[str, str], int]:
    """Three lots of every item the plans use (one of them expired); returns the lot sessions record."""
    lots, batch_id = {}, 1
    for kind, code in sorted(used_items()):
        for suffix, days in (("A", 420), ("B", 700), ("X", -30)):
            key = "ingredient_id" if kind == "ingredient" else "product_id"
            sink("batch", {"id": batch_id, "ingredient_id": None, "product_id": None, key: item_ids[(kind, code)],
                           "lot_number": f"{code[:6].upper()}-{suffix}{batch_id:04d}",
                           "expiry_date": anchor + dt.timedelta(days=days),
                           "received_on": anchor - dt.timedelta(days=200), "quantity_received": 100, "notes": ""})
            if suffix == "A":
                lots[(kind, code)] = batch_id
            batch_id += 1
    return lots


def _away_from(visits: list[Visit], day: dt.date) -> list[Visit]:
    """Visits on ``day`` moved to the next day (only the bench-day plans have sessions on the bench day)."""
    return [Visit(v.sequence, v.phase, v.date + dt.timedelta(days=1)) if v.date == day else v for v in visits]


def _plans(factory: PlanFactory, spec: ClinicSpec, rng: random.Random) -> tuple[int, dict[int, dt.date]]:
    """All plans; returns the big plan's id and each planned patient's first start date."""
    protocols = {p.code: p for p in load_shipped_protocols()}
    anchor, first_start = factory.anchor, {}
    weights = [t.weight for t in TEMPLATES]
    protocol = protocols[BIG_PLAN_TEMPLATE.protocol]
    extra = max(0, spec.big_plan_sessions - protocol.session_count)
    big = _away_from(visits_of(protocol, anchor - dt.timedelta(days=150), extra)[:spec.big_plan_sessions], anchor)
    big_plan_id = factory.add_plan(1, BIG_PLAN_TEMPLATE, big, may_cancel=False)
    first_start[1], budget = big[0].date, spec.sessions - len(big)
    day_patients = rng.sample(range(2, spec.patients + 1), min(spec.day_sessions, spec.patients - 1))
    for slot, patient_id in enumerate(day_patients):
        template = rng.choices(TEMPLATES, weights)[0]
        visits = visits_of(protocols[template.protocol], anchor - dt.timedelta(days=60))
        index = min(2, len(visits) - 1)
        visits = shifted(visits, index, factory.bench_day)
        minutes = 8 * 60 + 30 + 10 * slot
        factory.add_plan(patient_id, template, visits, times={index: dt.time(minutes // 60 % 24, minutes % 60)},
                         statuses={index: "planned"}, may_cancel=False)
        first_start[patient_id], budget = visits[0].date, budget - len(visits)
    with_plans = rng.sample(range(2, spec.patients + 1), max(1, int((spec.patients - 1) * 0.35)))
    while budget > 0:
        template = rng.choices(TEMPLATES, weights)[0]
        start = anchor + dt.timedelta(days=rng.randint(-1100, 60))
        visits = _away_from(visits_of(protocols[template.protocol], start), anchor)[:budget]
        patient_id = rng.choice(with_plans)
        factory.add_plan(patient_id, template, visits)
        first_start[patient_id] = min(first_start.get(patient_id, visits[0].date), visits[0].date)
        budget -= len(visits)
    return big_plan_id, first_start


def _screenings(sink: BulkSink, sexes: list[str], first_start: dict[int, dt.date], anchor: dt.date,
                rng: random.Random) -> None:
    pool = answer_pool(rng, 300, anchor)
    version, screening_id = load_questionnaire().version, 1
    for patient_id, sex in enumerate(sexes, start=1):
        start = first_start.get(patient_id)
        if start is None and rng.random() >= 0.2:
            continue
        taken = min(start - dt.timedelta(days=7), anchor) if start else anchor - dt.timedelta(days=rng.randint(0, 700))
        dates = [taken - dt.timedelta(days=400), taken] if rng.random() < 0.15 else [taken]
        for day in dates:
            sink("screening", screening_row(screening_id, patient_id, sex, day, pool, version, rng))
            screening_id += 1


def build_clinic(path: Path, spec: ClinicSpec, anchor: dt.date | None = None, log: Log = print) -> BuiltClinic:
    """Build the clinic into a new file at ``path`` (an existing file there is replaced)."""
    started = time.perf_counter()
    anchor = anchor or dt.date.today()
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    database = open_database(f"sqlite:///{path}")  # schema, shipped catalog and protocols, as the app does
    rng = random.Random(spec.seed)
    try:
        with database.engine.connect() as conn:
            # A throwaway file being built: no fsync per commit (the app's own connections keep FULL).
            conn.connection.driver_connection.execute("PRAGMA synchronous=OFF")
            with conn.begin():
                conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
                sink = BulkSink(conn)
                item_ids = _catalog(conn, sink, spec, rng)
                for number, (name, profession, registration) in enumerate(PRACTITIONERS, start=1):
                    sink("practitioner", {"id": number, "name": name, "profession": profession,
                                          "registration_number": registration, "active": True})
                lots = _stock(sink, item_ids, anchor)
                sexes = []
                for patient, tokens in make_patients(spec.patients, anchor, rng):
                    sink("patient", patient)
                    sexes.append(patient["sex"])
                    for token in tokens:
                        sink("patient_name_token", token)
                log(f"  patients generated ({time.perf_counter() - started:.1f} s)")
                factory = PlanFactory(anchor, anchor, item_ids, lots,
                                      [(i + 1, p[0]) for i, p in enumerate(PRACTITIONERS)], sink, rng)
                big_plan_id, first_start = _plans(factory, spec, rng)
                log(f"  plans generated ({time.perf_counter() - started:.1f} s)")
                _screenings(sink, sexes, first_start, anchor, rng)
                sink.flush()
            conn.connection.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        database.dispose()
    return BuiltClinic(path=path, spec=spec, anchor=anchor, bench_day=anchor, big_plan_id=big_plan_id,
                       big_patient_id=1, counts=dict(sink.counts), build_seconds=time.perf_counter() - started)


def clinic_database(spec: ClinicSpec, cache_dir: Path, *, rebuild: bool = False, log: Log = print) -> BuiltClinic:
    """The cached clinic for ``spec`` (built first if missing or ``rebuild``)."""
    cache_dir = cache_dir.resolve()
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"clinic-{spec.cache_key()}.sqlite3"
    meta = path.with_suffix(".json")
    if not rebuild and path.exists() and meta.exists():
        clinic = BuiltClinic.from_json(meta.read_text())
        if clinic.spec == spec:
            return dataclasses.replace(clinic, path=path)
    log(f"Building the synthetic clinic ({spec.patients:,} patients, {spec.sessions:,} sessions, "
        f"{spec.catalog:,} catalog entries) into {path} ...")
    partial = path.with_name(path.stem + ".partial.sqlite3")
    clinic = build_clinic(partial, spec, log=log)
    meta.unlink(missing_ok=True)
    partial.replace(path)
    clinic = dataclasses.replace(clinic, path=path)
    meta.write_text(clinic.to_json())
    log(f"  built in {clinic.build_seconds:.1f} s: " + ", ".join(f"{v:,} {k}" for k, v in clinic.counts.items()))
    return clinic
