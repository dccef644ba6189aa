"""Document texts as data (loading, fallback, validation) and the stored-request JSON round trip."""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys
from dataclasses import replace

import pytest

from mesoplan.documents import (
    PlannedSession,
    content_fingerprint,
    load_texts,
    render,
    request_from_json,
    request_to_json,
)
from mesoplan.documents.content import PlanInfo
from mesoplan.documents.samples import sample_request
from mesoplan.documents.texts import validate_texts
from mesoplan.errors import ValidationError
from mesoplan.paths import read_resource_text


def english() -> dict:
    return json.loads(read_resource_text("documents", "en.json"))


def test_english_texts_load_and_have_versions():
    texts = load_texts("en")
    assert texts.language == "en"
    assert texts.template_version("consent").startswith("consent-")
    assert texts.template_version("aftercare").startswith("aftercare-")
    assert set(texts.digests) == {"consent", "aftercare"}


def test_a_language_without_a_file_falls_back_to_english():
    assert load_texts("xx").language == "en"
    assert load_texts("xx").consent["title"] == load_texts("en").consent["title"]


def test_a_bad_language_code_is_refused():
    with pytest.raises(ValidationError, match="language"):
        load_texts("../secrets")


def test_loaded_texts_cannot_be_changed_by_a_caller():
    texts = load_texts("en")
    with pytest.raises(TypeError):
        texts.consent["title"] = "changed"  # type: ignore[index]


def test_a_translation_missing_keys_is_reported_with_every_path():
    data = english()
    del data["consent"]["headings"]["risks"]
    del data["aftercare"]["avoid"]["scalp"]
    data["aftercare"]["normal"]["general"][0] = {"text": "Redness"}
    with pytest.raises(ValidationError) as raised:
        validate_texts(data, "documents/de.json")
    message = str(raised.value)
    assert "documents/de.json: consent.headings.risks: is missing" in message
    assert "aftercare.avoid.scalp: is missing" in message
    assert "aftercare.normal.general[0].window: is missing" in message


def test_unknown_placeholders_and_stray_braces_are_refused():
    data = english()
    data["consent"]["aims"][0] = "Aim for {patient_shoe_size}."
    data["aftercare"]["intro"] = "Broken { brace"
    with pytest.raises(ValidationError) as raised:
        validate_texts(data)
    assert "{patient_shoe_size}" in str(raised.value)
    assert "aftercare.intro" in str(raised.value)


def test_english_file_passes_its_own_validation_and_every_window_is_a_separate_field():
    data = english()
    validate_texts(data)
    for region, items in data["aftercare"]["avoid"].items():
        assert items, region
        assert all(set(item) == {"text", "window"} and item["window"].strip() for item in items)


def test_texts_make_no_promises():
    wording = json.dumps(english()).lower()
    for promise in ("guaranteed results", "will improve", "will stimulate", "effective treatment", "proven to"):
        assert promise not in wording
    assert "not guaranteed" in wording or "no result is guaranteed" in wording


# --- stored requests --------------------------------------------------------------------------------


def test_request_json_round_trip_reprints_identical_bytes():
    request = replace(sample_request(), clinic=replace(sample_request().clinic, logo_png=b"\x89PNG-ish bytes"))
    stored = request_to_json(request)
    assert request_from_json(stored) == request
    assert request_from_json(json.loads(stored)) == request
    original = sample_request()
    assert render(request_from_json(request_to_json(original))).pdf == render(original).pdf


def test_request_json_is_canonical_whatever_the_set_order():
    plan = sample_request().plan
    first = replace(sample_request(), plan=replace(plan, regions=frozenset({"scalp", "face", "body"})))
    second = replace(sample_request(), plan=replace(plan, regions=frozenset({"body", "scalp", "face"})))
    assert request_to_json(first) == request_to_json(second)
    assert content_fingerprint(first) == content_fingerprint(second)


def test_bad_stored_request_reports_each_problem_with_its_path():
    data = json.loads(request_to_json(sample_request()))
    data["request"]["plan"]["sessions"][1]["date"] = "2026-13-40"
    data["request"]["page_size"] = "A3"
    del data["request"]["patient"]["full_name"]
    data["request"]["colour"] = "blue"
    with pytest.raises(ValidationError) as raised:
        request_from_json(data)
    message = str(raised.value)
    assert "plan.sessions[1].date: '2026-13-40' is not a date (YYYY-MM-DD)" in message
    assert "page_size: 'A3' is not one of 'A4', 'Letter'" in message
    assert "patient.full_name: is missing" in message
    assert "colour: is not a known field" in message


def test_unsupported_format_and_invalid_json_are_refused():
    data = json.loads(request_to_json(sample_request()))
    data["format"] = 99
    with pytest.raises(ValidationError, match="format 99"):
        request_from_json(data)
    with pytest.raises(ValidationError, match="not valid JSON"):
        request_from_json("{not json")


def test_requests_validate_their_own_fields():
    with pytest.raises(ValidationError, match="kind"):
        replace(sample_request(), kind="invoice")
    with pytest.raises(ValidationError, match="region"):
        PlanInfo(plan_id="1", indication="x", regions=frozenset({"elbow"}))
    plan = PlanInfo(plan_id=7, indication="x", areas=["a"], sessions=[PlannedSession(dt.date(2026, 1, 1))])
    assert plan.plan_id == "7" and plan.areas == ("a",) and isinstance(plan.sessions, tuple)


def test_other_processes_print_the_same_bytes_without_qt_or_sqlalchemy():
    script = (
        "import sys, hashlib\n"
        "from mesoplan.documents import render\n"
        "from mesoplan.documents.samples import sample_request\n"
        "pdf = render(sample_request()).pdf\n"
        "assert 'PySide6' not in sys.modules and 'sqlalchemy' not in sys.modules, 'layering broken'\n"
        "print(hashlib.sha256(pdf).hexdigest())\n"
    )
    import hashlib

    expected = hashlib.sha256(render(sample_request()).pdf).hexdigest()
    for seed in ("1", "2"):
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                                env={**__import__("os").environ, "PYTHONHASHSEED": seed}, check=True)
        assert result.stdout.strip() == expected


def test_validate_texts_does_not_change_its_input():
    data = english()
    before = copy.deepcopy(data)
    validate_texts(data)
    assert data == before


def test_every_catalog_caution_tag_has_patient_wording_or_is_marked_silent():
    from mesoplan.safety.tags import CAUTION_TAGS

    written = english()["consent"]["caution_tags"]
    assert sorted(set(CAUTION_TAGS) - set(written)) == []
    assert sorted(set(written) - set(CAUTION_TAGS)) == []
