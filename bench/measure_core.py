"""Measurements without a window: opening a plan, recomputing it, rendering documents, the day's set.

Each function takes the built clinic (and an open ``Database`` where it reads in-process) and
returns ``Stat`` samples in seconds. Everything goes through the real services and renderers.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from bench.synthetic import BuiltClinic
from bench.timing import Stat, repeat, stat, timed
from mesoplan.access import Actor, local_command_actor
from mesoplan.db.engine import Database
from mesoplan.documents import DocumentRequest, render
from mesoplan.evaluation import PlanContext, evaluate
from mesoplan.plan import PlanDraft
from mesoplan.services import plans as plan_service
from mesoplan.services.document_requests import build_request
from mesoplan.services.evaluation import load_plan_context
from mesoplan.services.uow import read

REPO = Path(__file__).resolve().parent.parent


def bench_actor() -> Actor:
    """Every role, as the window's local user and the headless commands act on a database without accounts."""
    return local_command_actor()


# --- 4. opening a plan and recomputing it --------------------------------------------------------------


def open_plan(database: Database, actor: Actor, plan_id: int) -> tuple[PlanDraft, PlanContext]:
    """What opening a plan costs: load the draft and its context, evaluate it once."""
    with read(database, actor) as uow:
        draft = plan_service.load_plan(uow, plan_id)
        context = load_plan_context(uow, draft)
    evaluate(draft, context)
    return draft, context


def edited(draft: PlanDraft) -> PlanDraft:
    """The draft after a typical edit: the first component's volume changed."""
    first = draft.components[0]
    return draft.with_changes(components=(replace(first, volume_ml=first.volume_ml + 0.5), *draft.components[1:]))


def measure_plan(database: Database, clinic: BuiltClinic, repeats: int) -> dict[str, Stat]:
    actor = bench_actor()
    opened = repeat(lambda: open_plan(database, actor, clinic.big_plan_id), repeats)
    draft, context = open_plan(database, actor, clinic.big_plan_id)
    changed = edited(draft)
    recompute = repeat(lambda: evaluate(changed, context), max(repeats, 20))
    return {"plan_open": opened, "plan_recompute": recompute, "plan_sessions": stat([len(draft.sessions)])}


# --- 5. consent + aftercare against a plain ReportLab floor ---------------------------------------------


@dataclass(frozen=True)
class DocumentPair:
    consent: DocumentRequest
    aftercare: DocumentRequest


def big_plan_requests(database: Database, clinic: BuiltClinic) -> DocumentPair:
    """The consent form and the aftercare sheet (for its next planned session) of the 20-session plan."""
    with read(database, bench_actor()) as uow:
        draft = plan_service.load_plan(uow, clinic.big_plan_id)
        session = draft.next_session or draft.sessions[-1]
        consent, _codes = build_request(uow, clinic.big_plan_id, "consent", None, clinic.anchor)
        aftercare, _codes = build_request(uow, clinic.big_plan_id, "aftercare", session.id, clinic.anchor)
    return DocumentPair(consent, aftercare)


_FILLER = ("This paragraph stands in for the wording of a clinical document. It is set in the standard "
           "Helvetica face with the sample style sheet, so that the time it takes shows what ReportLab "
           "itself needs to lay out and write a page of plain text. ")


@cache
def _paragraphs_per_page() -> int:
    """How many filler paragraphs fill one A4 page without spilling onto a second."""
    count = 1
    while _plain_pdf_pages(count + 1) == 1:
        count += 1
    return count


def _plain_story(pages: int, per_page: int):
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph

    body = getSampleStyleSheet()["BodyText"]
    story = []
    for page in range(pages):
        if page:
            story.append(PageBreak())
        story += [Paragraph(_FILLER * 2, body) for _ in range(per_page)]
    return story


def _plain_pdf_pages(per_page: int, pages: int = 1) -> int:
    return plain_pdf(pages, per_page)[1]


def plain_pdf(pages: int, per_page: int | None = None) -> tuple[bytes, int]:
    """The floor: full pages of plain Helvetica paragraphs; returns the PDF and its page count."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, invariant=1)
    doc.build(_plain_story(pages, per_page or _paragraphs_per_page()))
    return buffer.getvalue(), doc.page


def measure_documents(database: Database, clinic: BuiltClinic, repeats: int) -> dict[str, Stat]:
    pair = big_plan_requests(database, clinic)
    first_seconds, first = timed(lambda: render(pair.consent))  # the process's first document: fonts load
    consent_pages = first.page_count
    aftercare_pages = render(pair.aftercare).page_count
    consent = repeat(lambda: render(pair.consent), repeats)
    aftercare = repeat(lambda: render(pair.aftercare), repeats)
    floor_consent = repeat(lambda: plain_pdf(consent_pages), repeats)
    floor_aftercare = repeat(lambda: plain_pdf(aftercare_pages), repeats)
    if plain_pdf(consent_pages)[1] != consent_pages or plain_pdf(aftercare_pages)[1] != aftercare_pages:
        raise AssertionError("the plain ReportLab floor did not come out at the documents' page counts")
    both = stat([c + a for c, a in zip(consent.samples, aftercare.samples)])
    floor = stat([c + a for c, a in zip(floor_consent.samples, floor_aftercare.samples)])
    return {"documents_pair": both, "documents_floor": floor, "consent": consent, "aftercare": aftercare,
            "first_consent": stat([first_seconds]), "consent_pages": stat([consent_pages]),
            "aftercare_pages": stat([aftercare_pages])}


# --- 6. the front desk's day ------------------------------------------------------------------------------


def bench_environment(home: Path) -> dict[str, str]:
    """Environment for MesoPlan subprocesses: offscreen Qt, private data and settings folders."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MESOPLAN_")}
    env.update(QT_QPA_PLATFORM="offscreen", MESOPLAN_DATA_DIR=str(home / "data"),
               XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])))
    return env


def day_command(url: str, day: dt.date, out: Path) -> list[str]:
    return [sys.executable, "-m", "mesoplan", "--database", url, "documents", "--day", day.isoformat(),
            "--out", str(out)]


def run_day_once(clinic: BuiltClinic, workdir: Path) -> tuple[float, int]:
    """One `mesoplan documents --day` on a fresh copy of the clinic; (seconds, PDF files written)."""
    with tempfile.TemporaryDirectory(dir=workdir) as folder:
        home = Path(folder)
        copy = clinic.copy_to(home / "clinic.sqlite3")
        out = home / "out"
        out.mkdir()
        command = day_command(copy.url, clinic.bench_day, out)
        seconds, done = timed(lambda: subprocess.run(command, env=bench_environment(home), capture_output=True,
                                                     text=True, timeout=600))
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
        return seconds, len(list(out.glob("*.pdf")))


def measure_day(clinic: BuiltClinic, repeats: int, workdir: Path) -> dict[str, Stat]:
    runs = [run_day_once(clinic, workdir) for _ in range(repeats)]
    files = {count for _seconds, count in runs}
    if files != {2 * clinic.spec.day_sessions}:
        raise AssertionError(f"expected {2 * clinic.spec.day_sessions} PDF files for the day, got {files}")
    return {"day_documents": stat([seconds for seconds, _count in runs]),
            "day_files": stat([runs[0][1]])}
