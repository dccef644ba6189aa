"""``mesoplan documents``: a plan's forms to files, a whole day's set to a folder, and clear refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from test_documents_service import DAY, HOSTILE_FULL, make_patient, make_plan, pdf_text, set_up_clinic

from mesoplan.cli import main
from mesoplan.db.models import AuditEntry, IssuedDocument
from mesoplan.services.uow import read


@pytest.fixture
def clinic(sqlite_db, database_file, actor):
    """(database URL, database, plan id of Zoë at 10:30 on DAY, plan id of Ben at 08:45 on DAY)."""
    practitioner = set_up_clinic(sqlite_db, actor)
    zoe = make_plan(sqlite_db, actor, make_patient(sqlite_db, actor), practitioner)
    ben = make_plan(sqlite_db, actor, make_patient(sqlite_db, actor, family="Okafor", given="Ben"), practitioner,
                    days=(DAY,), times=(dt.time(8, 45),))
    return f"sqlite:///{database_file}", sqlite_db, zoe, ben


def issued_count(database, actor) -> int:
    with read(database, actor) as uow:
        return uow.session.scalar(select(func.count(IssuedDocument.id)))


def test_plan_consent_and_aftercare_to_files(clinic, actor, tmp_path, capsys):
    url, database, zoe, _ben = clinic
    consent, aftercare = tmp_path / "c.pdf", tmp_path / "a.pdf"
    assert main(["--database", url, "documents", "--plan", str(zoe), "--consent", str(consent),
                 "--aftercare", str(aftercare)]) == 0
    out = capsys.readouterr().out
    assert "Consent form for" in out and "Aftercare sheet for" in out and str(consent) in out
    assert HOSTILE_FULL in pdf_text(consent.read_bytes()) and HOSTILE_FULL in pdf_text(aftercare.read_bytes())
    assert consent.stat().st_mode & 0o777 == 0o600
    assert issued_count(database, actor) == 2
    with read(database, actor) as uow:
        actions = list(uow.session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "document")))
    assert actions == ["document.issue", "document.issue"]


def test_only_the_aftercare_when_only_it_is_asked_for(clinic, actor, tmp_path):
    url, database, zoe, _ben = clinic
    folder = tmp_path / "out"
    folder.mkdir()
    assert main(["--database", url, "documents", "--plan", str(zoe), "--aftercare", str(folder / "a.pdf")]) == 0
    assert [p.name for p in folder.iterdir()] == ["a.pdf"]
    with read(database, actor) as uow:
        assert list(uow.session.scalars(select(IssuedDocument.kind))) == ["aftercare"]


def test_the_whole_day_writes_two_files_per_session(clinic, actor, tmp_path, capsys):
    url, database, _zoe, _ben = clinic
    out_dir = tmp_path / "day"
    out_dir.mkdir()
    assert main(["--database", url, "documents", "--day", DAY.isoformat(), "--out", str(out_dir)]) == 0
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == sorted([
        "2026-11-25_0845_Okafor_Ben_consent.pdf", "2026-11-25_0845_Okafor_Ben_aftercare.pdf",
        "2026-11-25_1030_Lukasiewicz-Agaoglu-Q_b-Zoe-b-amp_consent.pdf",
        "2026-11-25_1030_Lukasiewicz-Agaoglu-Q_b-Zoe-b-amp_aftercare.pdf"])
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in out_dir.iterdir())
    summary = capsys.readouterr().out
    assert "2 session(s), 4 document(s)" in summary and "08:45" in summary and HOSTILE_FULL in summary
    assert issued_count(database, actor) == 4


def test_a_day_without_sessions_writes_nothing(clinic, actor, tmp_path, capsys):
    url, database, _zoe, _ben = clinic
    assert main(["--database", url, "documents", "--day", "2026-11-26", "--out", str(tmp_path)]) == 0
    assert "No sessions to print on 2026-11-26" in capsys.readouterr().out
    assert issued_count(database, actor) == 0


@pytest.mark.parametrize("argv, message", [
    (["--day", "25.11.2026", "--out", "{tmp}"], "'25.11.2026' is not a date; write it as YYYY-MM-DD"),
    (["--day", "2026-02-30", "--out", "{tmp}"], "'2026-02-30' is not a date"),
    (["--day", "2026-11-25", "--out", "{tmp}/missing"], "does not exist"),
    (["--day", "2026-11-25"], "Name the folder for the day's files with --out"),
    (["--day", "2026-11-25", "--out", "{tmp}", "--consent", "{tmp}/c.pdf"], "--consent and --aftercare go with --plan"),
    (["--plan", "{plan}"], "Say which document to write"),
    (["--plan", "{plan}", "--consent", "{tmp}"], "is a folder"),
    (["--plan", "{plan}", "--consent", "{tmp}/no/c.pdf"], "does not exist"),
    (["--plan", "{plan}", "--consent", "{tmp}/x.pdf", "--aftercare", "{tmp}/x.pdf"], "the same file"),
    (["--plan", "999", "--consent", "{tmp}/c.pdf"], "There is no plan number 999"),
])
def test_bad_input_exits_1_with_a_clear_message_and_writes_nothing(clinic, actor, tmp_path, capsys, argv, message):
    url, database, zoe, _ben = clinic
    folder = tmp_path / "target"
    folder.mkdir()
    argv = [a.format(tmp=folder, plan=zoe) for a in argv]
    assert main(["--database", url, "documents", *argv]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mesoplan: ") and message in err
    assert list(folder.iterdir()) == []
    assert issued_count(database, actor) == 0


def test_neither_plan_nor_day_is_a_usage_error(clinic, capsys):
    url, *_ = clinic
    with pytest.raises(SystemExit) as stopped:
        main(["--database", url, "documents"])
    assert stopped.value.code == 2
    assert "one of the arguments --plan --day is required" in capsys.readouterr().err
