"""Test helper: a screening in which every safety question that applies is answered.

Plans can only be marked ready once the latest screening answers every applicable safety question,
so tests that are about something else start from ``complete(answers, sex)``: the answers given,
plus an explicit "no" (what "None of these" records) to every other question, and a weight.
"""

from __future__ import annotations

from typing import Any

from mesoplan.screening import answered_no, default_questionnaire


def complete(answers: dict[str, Any] | None = None, sex: str = "female", weight_kg: float = 70) -> dict[str, Any]:
    given = {"weight_kg": weight_kg, **(answers or {})}
    return {**answered_no(default_questionnaire().questions(), sex, given), **given}
