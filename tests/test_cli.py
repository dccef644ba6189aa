"""The headless commands: demo, plan list/show, export/import, and how errors are reported."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from mesoplan.cli import main


@pytest.fixture
def url(database_file):
    return f"sqlite:///{database_file}"


@pytest.fixture
def demo_url(url, capsys):
    assert main(["--database", url, "demo"]) == 0
    capsys.readouterr()
    return url


def test_demo_fills_a_clinic_across_hair_and_face_with_findings(url, capsys):
    assert main(["--database", url, "demo"]) == 0
    assert "16 patients" in capsys.readouterr().out
    assert main(["--database", url, "plan", "list"]) == 0
    listing = capsys.readouterr().out
    for indication in ("Androgenetic alopecia", "Telogen effluvium", "Alopecia areata",
                       "Seborrhoeic dermatitis", "Wrinkles", "Melasma", "Scars", "Sagging"):
        assert indication in listing
    statuses = {"draft", "active", "completed", "ready"}
    assert all(status in listing for status in statuses)
    # a second run refuses to mix the demo into existing records
    assert main(["--database", url, "demo"]) == 1
    assert "already has patients" in capsys.readouterr().err


def test_plan_show_json_has_totals_schedule_and_findings(demo_url, capsys):
    assert main(["--database", demo_url, "plan", "show", "11", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["patient"] == "Ana Kovačević"
    assert report["totals"]["total_volume_ml"] == 1.0
    assert report["totals"]["actives"][0]["concentration"] == "0.1 mg/mL (0.01 %)"
    assert len(report["sessions"]) == 4
    rules = {f["rule"] for f in report["findings"]}
    assert "R02" in rules  # dutasteride for someone who could become pregnant
    assert report["can_be_ready"] is False


def test_plan_show_text_and_a_missing_plan(demo_url, capsys):
    assert main(["--database", demo_url, "plan", "show", "3"]) == 0
    text = capsys.readouterr().out
    assert "Tranexamic acid" in text and "Total volume: 2 mL" in text
    assert "Safety findings" in text and "Schedule" in text
    assert main(["--database", demo_url, "plan", "show", "999"]) == 1
    assert "no plan number 999" in capsys.readouterr().err


def test_export_writes_an_owner_only_file_and_import_refuses_a_broken_one(demo_url, tmp_path, capsys):
    out = tmp_path / "clinic.json"
    assert main(["--database", demo_url, "export", str(out)]) == 0
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    document = json.loads(out.read_text(encoding="utf-8"))
    assert len(document["patients"]) == 16
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "mesoplan.exchange", "format_version": 1, "patients": [{}]',
                      encoding="utf-8")
    assert main(["--database", demo_url, "import", str(broken)]) == 1
    assert "not valid JSON" in capsys.readouterr().err
    missing = tmp_path / "nope.json"
    assert main(["--database", demo_url, "import", str(missing)]) == 1
    assert "no such file" in capsys.readouterr().err


def test_python_dash_m_and_version_work_from_any_folder(tmp_path):
    result = subprocess.run([sys.executable, "-m", "mesoplan", "--version"], cwd=tmp_path,
                            capture_output=True, text=True, check=True)
    assert result.stdout.startswith("MesoPlan ")
    usage = subprocess.run([sys.executable, "-m", "mesoplan", "plan", "show", "not-a-number"],
                           cwd=tmp_path, capture_output=True, text=True)
    assert usage.returncode == 2 and "plan number: 'not-a-number' is not a whole number" in usage.stderr
