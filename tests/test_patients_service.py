"""Patients: validation, search by any name word / birth date / phone, paging, edits and conflicts."""

from __future__ import annotations

import datetime as dt

import pytest

from mesoplan.errors import ConflictError, PermissionDenied, ValidationError
from mesoplan.services.patients import (
    PatientInput,
    count_patients,
    create_patient,
    get_patient,
    search_patients,
    update_patient,
)
from mesoplan.services.uow import read, work


def add(db, actor, family, given="", born=None, phone="", **extra):
    with work(db, actor) as uow:
        return create_patient(uow, PatientInput(family, given, born, phone=phone, **extra))


def names(db, actor, text, **kwargs):
    with read(db, actor) as uow:
        return [p.display_name for p in search_patients(uow, text, **kwargs)]


@pytest.fixture
def clinic(db, actor):
    add(db, actor, "Łukasiewicz-Ağaoğlu", "Zoë", dt.date(1988, 6, 14), "+44 7700 900123")
    add(db, actor, "Lukas", "Anna", dt.date(1990, 1, 2), "020 7946 0001")
    add(db, actor, "O'Connor", "Daniel", dt.date(1979, 2, 3), "+353 85 555 0101")
    add(db, actor, "Müller", "Jürgen", dt.date(1988, 12, 31), "0151 2345678")
    return db


def test_search_matches_any_name_word_without_accents_or_case(clinic, actor):
    assert names(clinic, actor, "zoe") == ["Łukasiewicz-Ağaoğlu, Zoë"]
    assert names(clinic, actor, "agaoglu") == ["Łukasiewicz-Ağaoğlu, Zoë"]
    assert names(clinic, actor, "LUKAS") == ["Lukas, Anna", "Łukasiewicz-Ağaoğlu, Zoë"]
    assert names(clinic, actor, "muller jurg") == ["Müller, Jürgen"]
    assert names(clinic, actor, "o'connor") == ["O'Connor, Daniel"]
    assert names(clinic, actor, "zoe anna") == []


def test_search_by_birth_date_in_several_spellings_and_by_year(clinic, actor):
    for text in ("1988-06-14", "14.06.1988", "14/06/1988"):
        assert names(clinic, actor, text) == ["Łukasiewicz-Ağaoğlu, Zoë"]
    assert names(clinic, actor, "1988") == ["Łukasiewicz-Ağaoğlu, Zoë", "Müller, Jürgen"]


def test_search_by_phone_digits_ignores_spaces_and_plus(clinic, actor):
    assert names(clinic, actor, "+4477009") == ["Łukasiewicz-Ağaoğlu, Zoë"]
    assert names(clinic, actor, "0151") == ["Müller, Jürgen"]


def test_paging_continues_after_the_last_row_in_name_order(db, actor):
    for i in range(7):
        add(db, actor, f"Family{i:02d}", "Pat")
    with read(db, actor) as uow:
        first = search_patients(uow, "", limit=3)
        second = search_patients(uow, "", limit=3, after=first[-1].sort_key)
        rest = search_patients(uow, "", limit=10, after=second[-1].sort_key)
        total = count_patients(uow)
    shown = [p.family_name for p in first + second + rest]
    assert shown == [f"Family{i:02d}" for i in range(7)]
    assert total == 7


def test_invalid_patient_is_refused_with_every_problem_and_nothing_saved(db, actor):
    future = dt.date.today() + dt.timedelta(days=3)
    with pytest.raises(ValidationError) as caught:
        add(db, actor, "  ", born=future, email="not-an-address", sex="female")
    text = str(caught.value)
    assert "family name: is required" in text
    assert "date of birth: is in the future" in text
    assert "email: this address does not look like an e-mail" in text  # not repeated: a name?
    with read(db, actor) as uow:
        assert count_patients(uow) == 0


def test_unicode_and_markup_in_names_are_stored_exactly(db, actor):
    record = add(db, actor, '<b>Bob</b> & "Q"', "Zoë &amp; &copy;")
    with read(db, actor) as uow:
        again = get_patient(uow, record.id)
    assert again.family_name == '<b>Bob</b> & "Q"'
    assert again.given_names == "Zoë &amp; &copy;"
    assert names(db, actor, "bob") == ['<b>Bob</b> & "Q", Zoë &amp; &copy;']


def test_update_renames_search_keys_and_audits(db, actor):
    record = add(db, actor, "Smith", "Jo", phone="0111")
    with work(db, actor) as uow:
        update_patient(uow, record.id, PatientInput("Smyth", "Jo", phone="0222"), record.version)
    assert names(db, actor, "smith") == []
    assert names(db, actor, "smyth") == ["Smyth, Jo"]
    assert names(db, actor, "0222") == ["Smyth, Jo"]
    from sqlalchemy import select

    from mesoplan.db.models import AuditEntry

    with read(db, actor) as uow:
        actions = uow.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["patient.create", "patient.update"]


def test_second_save_of_the_same_version_is_refused_with_who_and_when(db, actor):
    from mesoplan.access import Actor, Role

    record = add(db, actor, "Smith", "Jo")
    other = Actor("Reception Two", frozenset({Role.FRONT_DESK}))
    with work(db, other) as uow:
        update_patient(uow, record.id, PatientInput("Smith", "Jo", phone="0999"), record.version)
    with pytest.raises(ConflictError) as caught:
        with work(db, actor) as uow:
            update_patient(uow, record.id, PatientInput("Smith", "Joanna"), record.version)
    assert "Reception Two" in str(caught.value)
    with read(db, actor) as uow:
        assert get_patient(uow, record.id).given_names == "Jo"


def test_front_desk_sees_contact_details_but_not_medical_notes(db, actor, front_desk_actor):
    record = add(db, actor, "Smith", "Jo", notes="Takes warfarin")
    with read(db, front_desk_actor) as uow:
        seen = get_patient(uow, record.id)
    assert seen.notes is None and seen.family_name == "Smith"
    with work(db, front_desk_actor) as uow:
        update_patient(uow, record.id, PatientInput("Smith", "Jo", phone="0123"), seen.version)
    with read(db, actor) as uow:
        kept = get_patient(uow, record.id)
    assert kept.notes == "Takes warfarin" and kept.phone == "0123"
    with pytest.raises(PermissionDenied):
        with work(db, front_desk_actor) as uow:
            create_patient(uow, PatientInput("New", notes="medical text"))


def test_apostrophes_and_spaced_phone_numbers(db, actor):
    add(db, actor, "O'Brien", "Seán", phone="+44 7700 900555")
    add(db, actor, "Brien", "Olga", phone="+1 555 0100")
    assert names(db, actor, "obrien") == ["O'Brien, Seán"]
    assert names(db, actor, "o'brien") == ["O'Brien, Seán"]
    assert names(db, actor, "brien") == ["Brien, Olga", "O'Brien, Seán"]
    assert names(db, actor, "+44 7700 9") == ["O'Brien, Seán"]
    assert names(db, actor, "+1 555") == ["Brien, Olga"]


def test_a_patient_matching_twice_is_listed_once_across_pages(db, actor):
    for i in range(5):
        add(db, actor, f"Annan{i}", "Anna Annabel")
    with read(db, actor) as uow:
        first = search_patients(uow, "ann", limit=2)
        second = search_patients(uow, "ann", limit=2, after=first[-1].sort_key)
        third = search_patients(uow, "ann", limit=2, after=second[-1].sort_key)
    assert [p.family_name for p in first + second + third] == [f"Annan{i}" for i in range(5)]


def test_the_rarest_word_drives_a_two_word_search(db, actor):
    for i in range(30):
        add(db, actor, "Smith", f"Pat{i:02d}")
    add(db, actor, "Smith", "Zebedee")
    assert names(db, actor, "smith zeb") == ["Smith, Zebedee"]
    assert names(db, actor, "zeb smi") == ["Smith, Zebedee"]
    assert len(names(db, actor, "smith pat")) == 30
