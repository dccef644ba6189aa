"""Synthetic patients, their name-search tokens and screenings, as rows for bulk inserts (benchmark only).

Search keys are made exactly as ``mesoplan.services.patients`` makes them (``patient_search_rows``
uses the service's own ``search_keys``; the smoke test checks the two agree), so the patient search runs on
the same indexed columns and ``patient_name_token`` rows as in a real clinic.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from bench.names import COUNTRIES, Country, phone_number
from mesoplan.screening import load_questionnaire, validate_answers
from mesoplan.services.demo import NORMAL
from mesoplan.services.patient_search import search_keys
from mesoplan.text import search_key

FIRST_PATIENT = ("Łukasiewicz-Ağaoğlu", "Zoë", dt.date(1988, 6, 14), "female", "+44 7700 900123")
"""Patient 1, who owns the 20-session plan the benchmark opens and prints."""


def patient_search_rows(patient_id: int, family: str, given: str, phone: str
                        ) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """The patient's search-key columns and its token rows, made by the service's own function."""
    family_key, given_key, phone_digits, tokens = search_keys(family, given, phone)
    keys = {"family_key": family_key, "given_key": given_key, "phone_digits": phone_digits}
    return keys, [{"patient_id": patient_id, "token": t, "family_key": family_key,
                   "given_key": given_key} for t in sorted(tokens)]


def _skewed(rng: random.Random, names: tuple[str, ...]) -> str:
    """Earlier names are commoner (roughly a power law)."""
    return names[int(len(names) * rng.random() ** 2.2)]


def _family(rng: random.Random, country: Country) -> str:
    family = _skewed(rng, country.family)
    if rng.random() < country.compound_family:
        second = _skewed(rng, country.family)
        if second != family:
            family = f"{family}{country.hyphen}{second}"
    return family


def _email(given: str, family: str, number: int) -> str:
    local = ".".join(search_key(f"{given.split()[0]} {family}").split()[:2])
    return f"{local}{number % 100}@example.org"


def make_patients(count: int, anchor: dt.date, rng: random.Random
                  ) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """(patient row, token rows) for patients 1..count; patient 1 is ``FIRST_PATIENT``."""
    weights = [c.weight for c in COUNTRIES]
    for patient_id in range(1, count + 1):
        if patient_id == 1:
            family, given, born, sex, phone = FIRST_PATIENT
            email = "zoe.la@example.org"
        else:
            country = rng.choices(COUNTRIES, weights)[0]
            roll = rng.random()
            sex = "female" if roll < 0.7 else "male" if roll < 0.98 else "unknown"
            given = _skewed(rng, country.male if sex == "male" else country.female)
            family = _family(rng, country)
            age_days = int(rng.triangular(17 * 365.25, 82 * 365.25, 38 * 365.25))
            born = anchor - dt.timedelta(days=age_days)
            phone = phone_number(country, "".join(rng.choice("0123456789") for _ in range(12)))
            email = _email(given, family, patient_id) if rng.random() < 0.6 else ""
        keys, tokens = patient_search_rows(patient_id, family, given, phone)
        created = dt.datetime.combine(anchor - dt.timedelta(days=rng.randint(0, 1500)), dt.time(9, 0))
        yield {
            "id": patient_id, "family_name": family, "given_names": given, "date_of_birth": born,
            "sex": sex, "phone": phone, "email": email, "address": "", "gp_details": "",
            "notes": "Prefers morning appointments." if rng.random() < 0.05 else "",
            **keys, "created_at": created, "updated_at": created, "updated_by": "bench",
            "anonymised_at": None, "version": 1,
        }, tokens


def _answers(rng: random.Random, sex: str) -> dict[str, Any]:
    answers: dict[str, Any] = {k: v for k, v in NORMAL.items()
                               if sex != "male" or k not in ("pregnant", "breastfeeding", "planning_pregnancy")}
    answers["weight_kg"] = rng.randint(48, 105)
    if sex != "male":
        answers["child_bearing_potential"] = rng.choice(("yes", "yes", "no"))
        if answers["child_bearing_potential"] == "yes":
            answers["contraception"] = rng.choice(("hormonal", "barrier", "copper_coil", "none"))
        answers["hormonal_contraception_hrt"] = answers.get("contraception") == "hormonal"
        answers["breastfeeding"] = rng.random() < 0.03
    for key, chance in (("anticoagulant", 0.03), ("antiplatelet", 0.04), ("nsaid", 0.1),
                        ("acne_rosacea", 0.1), ("eczema_psoriasis", 0.08), ("cold_sore_history", 0.15),
                        ("allergy_latex", 0.02), ("allergy_paraben", 0.01), ("keloid_scarring", 0.02),
                        ("autoimmune_disease", 0.03), ("previous_mesotherapy", 0.3)):
        answers[key] = rng.random() < chance
    answers["high_blood_pressure"] = rng.choice(("no",) * 8 + ("controlled",))
    answers["smoker"] = rng.choice(("never", "never", "former", "current"))
    answers["alcohol"] = rng.choice(("none", "light", "light", "heavy"))
    if rng.random() < 0.55:
        answers["hair_concern"] = True
        answers["hair_pattern"] = rng.choice(("receding_hairline", "crown", "diffuse", "widening_parting"))
        answers["hair_loss_duration_months"] = rng.randint(3, 120)
    answers["goals"] = rng.choice(("Less shedding.", "Brighter skin before a wedding.",
                                   "Even out the patches on both cheeks.", "Smoother skin on the thighs.",
                                   "Keep the current density at the crown."))
    return answers


def answer_pool(rng: random.Random, size: int, today: dt.date) -> dict[str, list[dict[str, Any]]]:
    """Realistic screening answers by sex, each cleaned by the real questionnaire check."""
    questionnaire = load_questionnaire()
    return {sex: [validate_answers(questionnaire, _answers(rng, sex), today) for _ in range(size)]
            for sex in ("female", "male", "unknown")}


def screening_row(screening_id: int, patient_id: int, sex: str, taken_on: dt.date,
                  pool: dict[str, list[dict[str, Any]]], version: str, rng: random.Random) -> dict[str, Any]:
    return {
        "id": screening_id, "patient_id": patient_id, "taken_on": taken_on,
        "recorded_at": dt.datetime.combine(taken_on, dt.time(9, 30)), "recorded_by": "bench",
        "questionnaire_version": version, "answers": rng.choice(pool[sex]), "notes": "",
    }
