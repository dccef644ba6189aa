"""The benchmark's results table: each figure with its target and PASS/MISS, plus the machine it ran on."""

from __future__ import annotations

import datetime as dt
import os
import platform
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bench.timing import Stat


@dataclass(frozen=True)
class Row:
    """One line of the table: a measurement, how it is shown and what it is held to."""

    key: str
    label: str
    unit: str  # "ms", "s", "MB", "x" (a ratio) or "" (a count)
    target: str = ""
    check: Callable[[float, Mapping[str, Stat]], bool] | None = None
    scale: float = 1.0  # multiply samples (seconds) to the unit shown

    def values(self, stats: Mapping[str, Stat]) -> tuple[float, float, float] | None:
        found = stats.get(self.key)
        if found is None:
            return None
        shown = found.scaled(self.scale)
        return shown.median, shown.minimum, shown.maximum

    def verdict(self, stats: Mapping[str, Stat]) -> str:
        if self.check is None or self.key not in stats:
            return ""
        return "PASS" if self.check(stats[self.key].median * self.scale, stats) else "MISS"


def _median(stats: Mapping[str, Stat], key: str) -> float:
    return stats[key].median


def _ratio_check(limit: float, floor_key: str) -> Callable[[float, Mapping[str, Stat]], bool]:
    return lambda value, stats: floor_key in stats and value / 1000 <= limit * _median(stats, floor_key)


ROWS: tuple[Row, ...] = (
    Row("startup", "1. Start-up to window shown with patient list filled", "ms", "≤ 3 × bare window",
        _ratio_check(3, "startup_floor"), 1000),
    Row("startup_floor", "   floor: bare PySide6 window with one label", "ms", scale=1000),
    Row("startup_stack", "   reference: PySide6 + SQLAlchemy + first 200 patients in a list", "ms", scale=1000),
    Row("search_worst", "2. Patient search, slowest keystroke (median over runs)", "ms", "< 16 ms",
        lambda v, _s: v < 16, 1000),
    Row("search_all", "   every keystroke", "ms", scale=1000),
    Row("catalog_worst", "3. Catalog filter, slowest keystroke (median over runs)", "ms", "< 16 ms",
        lambda v, _s: v < 16, 1000),
    Row("catalog_all", "   every keystroke", "ms", scale=1000),
    Row("catalog_load", "   building the catalog browser (reads the whole catalog)", "ms", scale=1000),
    Row("plan_open", "4. Open a 20-session plan (load draft + context + evaluate)", "ms", "< 100 ms",
        lambda v, _s: v < 100, 1000),
    Row("plan_recompute", "   recompute cocktail and findings after an edit", "ms", "< 16 ms",
        lambda v, _s: v < 16, 1000),
    Row("editor_open", "   the same plan through the plan editor page", "ms", "< 100 ms",
        lambda v, _s: v < 100, 1000),
    Row("editor_recompute", "   an edit in the plan editor page (evaluate + refresh views)", "ms", "< 16 ms",
        lambda v, _s: v < 16, 1000),
    Row("documents_pair", "5. Render consent + aftercare", "ms", "≤ 4 × plain ReportLab",
        _ratio_check(4, "documents_floor"), 1000),
    Row("documents_floor", "   floor: plain Helvetica paragraphs, same page counts", "ms", scale=1000),
    Row("first_consent", "   first consent of a process (fonts loaded)", "ms", scale=1000),
    Row("day_documents", "6. Front-desk day: `mesoplan documents --day` for 50 sessions", "s", "< 5 s",
        lambda v, _s: v < 5),
    Row("memory", "7. Peak memory (VmHWM) after start-up and a search", "MB", "< 250 MB",
        lambda v, _s: v < 250),
    Row("memory_floor", "   floor: bare PySide6 window", "MB"),
)


def _number(value: float, unit: str) -> str:
    if unit in ("ms", "MB"):
        return f"{value:.1f}" if value < 100 else f"{value:.0f}"
    if unit == "s":
        return f"{value:.2f}"
    return f"{value:g}"


def table(stats: Mapping[str, Stat]) -> str:
    """The results as a Markdown table (rows whose measurement did not run are left out)."""
    lines = ["| Measurement | Median | Min | Max | Target | Result |", "|---|---:|---:|---:|---|---|"]
    for row in ROWS:
        values = row.values(stats)
        if values is None:
            continue
        median, low, high = (f"{_number(v, row.unit)} {row.unit}".strip() for v in values)
        lines.append(f"| {row.label} | {median} | {low} | {high} | {row.target} | {row.verdict(stats)} |")
    return "\n".join(lines)


def ratios(stats: Mapping[str, Stat]) -> list[str]:
    notes = []
    if "startup" in stats and "startup_floor" in stats:
        notes.append(f"start-up is {_median(stats, 'startup') / _median(stats, 'startup_floor'):.1f} × the bare window")
    if "documents_pair" in stats and "documents_floor" in stats:
        notes.append(f"consent + aftercare take {_median(stats, 'documents_pair') / _median(stats, 'documents_floor'):.1f}"
                     " × the plain ReportLab floor")
    return notes


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> float | None:
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    import PySide6
    import reportlab
    import sqlalchemy
    from PySide6.QtCore import qVersion

    ram = _ram_gib()
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "cpus": str(os.cpu_count()), "cpu": _cpu_model(), "ram": f"{ram:.1f} GiB" if ram else "unknown",
        "os": platform.platform(), "python": platform.python_version(), "qt": qVersion(),
        "pyside6": PySide6.__version__, "sqlalchemy": sqlalchemy.__version__, "reportlab": reportlab.Version,
        "sqlite": sqlite3.sqlite_version, "load_average": " ".join(f"{x:.2f}" for x in load),
    }


def machine_line(info: Mapping[str, str]) -> str:
    return (f"{info['date']}; {info['cpus']} CPUs ({info['cpu']}), {info['ram']} RAM, {info['os']}; "
            f"Python {info['python']}, Qt {info['qt']} (PySide6 {info['pyside6']}), SQLAlchemy {info['sqlalchemy']}, "
            f"ReportLab {info['reportlab']}, SQLite {info['sqlite']}; load average at start {info['load_average']}")
