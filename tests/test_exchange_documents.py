"""The exchange format carries issued documents, consent signatures and batch corrections: export →
import into an empty database → export is identical, and an imported plan keeps its consent status."""

from __future__ import annotations

import copy
import datetime as dt
import json
from dataclasses import replace

import pytest

from mesoplan.db.engine import open_database
from mesoplan.errors import ValidationError
from mesoplan.evaluation import evaluate, plan_consent_status
from mesoplan.plan import BatchUse, SessionDraft
from mesoplan.services import catalog, documents
from mesoplan.services.exchange import export_document, import_document
from mesoplan.services.evaluation import load_plan_context
from mesoplan.services.plans import list_plans, load_plan, save_plan, set_status
from mesoplan.services.uow import read, work

from test_consent_signing import TODAY, change, clinic, issue


@pytest.fixture
def empty_db(database_url, request, tmp_path):
    """A second fresh database on the same backend as ``db``."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        database = open_database(url)
        yield database
        database.dispose()
        return
    server = request.getfixturevalue("postgres_server")
    url = server.new_database()
    database = open_database(url)
    yield database
    database.dispose()
    server.drop_database(url)


def ready_plan_with_documents(db, actor) -> int:
    """A ready plan: consent issued, signed after issue, an aftercare sheet and a corrected expired batch."""
    plan, _doctor = clinic(db, actor)
    issue(db, actor, plan, TODAY - dt.timedelta(days=20))
    change(db, actor, plan, consent_signed_on=TODAY - dt.timedelta(days=19))
    with work(db, actor) as uow:
        set_status(uow, plan, "ready", load_plan(uow, plan).version)
        old = catalog.add_batch(uow, "ingredient", "dexpanthenol", "DXP-OLD", TODAY - dt.timedelta(days=30))
        draft = load_plan(uow, plan)
        first = draft.sessions[0]
        done = replace(first, planned_date=TODAY - dt.timedelta(days=10), status="done",
                       batches=(BatchUse(old.id, old.lot_number, old.expiry_date, old.item_name, 1.0,
                                         "Lot read from the empty vial after the session"),))
        later = SessionDraft(2, TODAY + dt.timedelta(days=14), technique="papule", zones=first.zones)
        saved = save_plan(uow, draft.with_changes(sessions=(done, later)))
        documents.issue_document(uow, plan, "aftercare", saved.sessions[0].id, today=TODAY - dt.timedelta(days=10))
    return plan


def test_round_trip_keeps_documents_signatures_and_the_plans_consent_status(db, empty_db, actor):
    plan = ready_plan_with_documents(db, actor)
    with work(db, actor) as uow:
        exported = export_document(uow)
    [patient] = exported["patients"]
    [exported_plan] = patient["plans"]
    assert exported["format_version"] == 2
    assert exported_plan["consent_signed_on"] == (TODAY - dt.timedelta(days=19)).isoformat()
    kinds = [d["kind"] for d in exported_plan["documents"]]
    assert kinds == ["consent", "aftercare"]
    consent, aftercare = exported_plan["documents"]
    assert consent["covered_codes"] == ["dexpanthenol"] and consent["covered_zones"] == ["scalp_vertex"]
    assert consent["practitioner"] == exported_plan["practitioner"] and consent["session"] is None
    assert aftercare["session"] == 1
    assert exported_plan["sessions"][0]["batches"][0]["correction"] == "Lot read from the empty vial after the session"

    text = json.dumps(exported, ensure_ascii=False)
    with work(empty_db, actor) as uow:
        summary = import_document(uow, json.loads(text))
    assert (summary.plans, summary.documents) == (1, 2)
    with work(empty_db, actor) as uow:
        assert export_document(uow) == exported

    with read(empty_db, actor) as uow:
        [imported] = list_plans(uow)
        draft = load_plan(uow, imported.id)
        context = load_plan_context(uow, draft)
        evaluation = evaluate(draft, context)
        issued = documents.list_issued(uow, imported.id)
    assert draft.status == "ready"
    assert plan_consent_status(draft, context).valid
    assert not {"R33", "R70", "R71"} & {f.rule_id for f in evaluation.findings}
    assert "R72" in {f.rule_id for f in evaluation.findings}
    assert [d.kind for d in issued] == ["aftercare", "consent"]  # newest first, as issued
    with work(empty_db, actor) as uow:  # what was printed is stored as it was: it reprints identically
        assert documents.reprint(uow, next(d.id for d in issued if d.kind == "consent")).startswith(b"%PDF")


def test_a_version_1_file_still_imports(db, empty_db, actor):
    ready_plan_with_documents(db, actor)
    with work(db, actor) as uow:
        exported = export_document(uow)
    old = copy.deepcopy(exported)
    old["format_version"] = 1
    for patient in old["patients"]:
        for plan in patient["plans"]:
            del plan["documents"]
            for session in plan["sessions"]:
                for used in session["batches"]:
                    del used["correction"]
                session["batches"] = []  # version 1 had no corrections: an expired lot could not be in it
    with work(empty_db, actor) as uow:
        summary = import_document(uow, old)
    assert (summary.patients, summary.plans, summary.documents) == (1, 1, 0)


def test_a_broken_document_is_reported_with_its_path_and_nothing_is_imported(db, empty_db, actor):
    ready_plan_with_documents(db, actor)
    with work(db, actor) as uow:
        exported = export_document(uow)
    broken = copy.deepcopy(exported)
    plan = broken["patients"][0]["plans"][0]
    plan["documents"][0]["fingerprint"] = "not hex"
    plan["documents"][1]["session"] = 9
    plan["documents"][1]["request"] = "a string"
    with work(empty_db, actor) as uow, pytest.raises(ValidationError) as refused:
        import_document(uow, broken)
    text = str(refused.value)
    assert "$.patients[0].plans[0].documents[0].fingerprint" in text
    assert "$.patients[0].plans[0].documents[1].session: 9 is not the number of a session" in text
    assert "$.patients[0].plans[0].documents[1].request" in text
    with read(empty_db, actor) as uow:
        assert list_plans(uow) == []
