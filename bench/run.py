"""MesoPlan's clinic-scale benchmark: build (or reuse) the synthetic clinic, measure, print the table.

    python bench/run.py                       # 100,000 patients, 300,000 sessions, 10,000 catalog entries
    python bench/run.py --repeat 5 --out bench/out
    python bench/run.py --patients 2000 --sessions 6000 --catalog 1000 --only plan,documents

See bench/README.md for what each number means and how it is measured.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.synthetic import BuiltClinic, ClinicSpec, clinic_database  # noqa: E402
from bench.timing import Stat  # noqa: E402

GROUPS = ("plan", "documents", "day", "search", "catalog", "editor", "startup")
UI_GROUPS = {"search", "catalog", "editor"}
Log = Callable[[str], None]


def run_benchmark(clinic: BuiltClinic, groups: Iterable[str], repeats: int, workdir: Path,
                  log: Log = print) -> dict[str, Stat]:
    """Run the chosen measurement groups on ``clinic``; returns every Stat by key."""
    from bench import measure_core
    from mesoplan.db.engine import open_database

    groups = [g for g in GROUPS if g in set(groups)]
    stats: dict[str, Stat] = {}
    work = clinic.copy_to(workdir / "work.sqlite3")
    database = open_database(work.url)
    try:
        if "plan" in groups:
            log("Measuring: opening and recomputing a plan ...")
            stats.update(measure_core.measure_plan(database, work, repeats))
        if "documents" in groups:
            log("Measuring: consent form and aftercare sheet ...")
            stats.update(measure_core.measure_documents(database, work, repeats))
        if "day" in groups:
            log("Measuring: the front desk's day of documents (subprocess) ...")
            stats.update(measure_core.measure_day(clinic, repeats, workdir))
        if UI_GROUPS & set(groups):
            stats.update(_ui(database, work, groups, repeats, log))
    finally:
        database.dispose()
    if "startup" in groups:
        from bench import measure_app

        log("Measuring: start-up and memory (subprocesses) ...")
        stats.update(measure_app.measure_startup(clinic, repeats, workdir))
    return stats


def _ui(database, clinic: BuiltClinic, groups: list[str], repeats: int, log: Log) -> dict[str, Stat]:
    from bench import measure_ui
    from mesoplan.ui.app import make_application

    make_application([])
    ctx = measure_ui.make_context(database)
    stats: dict[str, Stat] = {}
    if "search" in groups:
        log("Measuring: patient search keystrokes (offscreen) ...")
        stats.update(measure_ui.measure_patient_search(ctx, repeats))
    if "catalog" in groups:
        log("Measuring: catalog filter keystrokes (offscreen) ...")
        stats.update(measure_ui.measure_catalog_filter(ctx, repeats))
    if "editor" in groups:
        log("Measuring: the plan editor page (offscreen) ...")
        stats.update(measure_ui.measure_plan_editor(ctx, clinic, repeats))
    ctx.tasks.wait()
    return stats


def write_results(out: Path, clinic: BuiltClinic, stats: dict[str, Stat], info: dict[str, str], text: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    data = {"machine": info, "clinic": json.loads(clinic.to_json()),
            "stats": {key: list(value.samples) for key, value in stats.items()}}
    (out / "results.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
    (out / "results.md").write_text(text + "\n", encoding="utf-8")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="MesoPlan's clinic-scale benchmark (see bench/README.md).")
    spec = ClinicSpec()
    parser.add_argument("--patients", type=int, default=spec.patients)
    parser.add_argument("--sessions", type=int, default=spec.sessions)
    parser.add_argument("--catalog", type=int, default=spec.catalog, help="catalog entries, shipped ones included")
    parser.add_argument("--day-sessions", type=int, default=spec.day_sessions,
                        help="sessions on the bench day (the front-desk measurement prints them all)")
    parser.add_argument("--seed", type=int, default=spec.seed)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each measurement (the median is shown)")
    parser.add_argument("--only", default=",".join(GROUPS), help=f"comma-separated groups: {', '.join(GROUPS)}")
    parser.add_argument("--out", type=Path, help="folder for results.json and results.md")
    parser.add_argument("--cache-dir", type=Path, default=REPO / "bench" / ".cache",
                        help="where built clinics are kept between runs (keyed by their parameters)")
    parser.add_argument("--rebuild", action="store_true", help="build the clinic again even if it is cached")
    args = parser.parse_args(argv)
    unknown = set(args.only.split(",")) - set(GROUPS)
    if unknown:
        parser.error(f"unknown group(s) {', '.join(sorted(unknown))}; use {', '.join(GROUPS)}")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mesoplan-bench-") as folder:
        workdir = Path(folder)
        # Offscreen Qt and private settings/data folders, before anything imports Qt.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        os.environ["XDG_CONFIG_HOME"] = str(workdir / "config")
        os.environ["MESOPLAN_DATA_DIR"] = str(workdir / "data")
        os.environ.pop("MESOPLAN_DATABASE_URL", None)
        from bench import report

        spec = ClinicSpec(patients=args.patients, sessions=args.sessions, catalog=args.catalog,
                          day_sessions=args.day_sessions, seed=args.seed)
        clinic = clinic_database(spec, args.cache_dir, rebuild=args.rebuild)
        info = report.machine()
        stats = run_benchmark(clinic, args.only.split(","), args.repeat, workdir)
        info["load_average_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    text = "\n".join([
        f"MesoPlan benchmark: {spec.patients:,} patients, {spec.sessions:,} sessions, {spec.catalog:,} catalog "
        f"entries; median of {args.repeat} run(s) (min and max beside it).",
        f"Machine: {report.machine_line(info)}; load average at the end {info['load_average_end']}.",
        "", report.table(stats), "", *(f"- {note}" for note in report.ratios(stats)),
    ])
    print()
    print(text)
    if args.out:
        write_results(args.out, clinic, stats, info, text)
        print(f"\nResults written to {args.out / 'results.md'} and {args.out / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
