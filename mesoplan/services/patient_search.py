"""Patient search-as-you-type on indexed keys: any name word (prefix), a birth date, phone digits.

Name searches are driven from the ``patient_name_token`` index, which repeats each patient's sort
keys: the rarest typed word is scanned in list order and the other words are checked by primary
key, so a page of 200 names costs about the same with a hundred or a hundred thousand patients.
Everything is compared byte by byte on prefix ranges, so SQLite and PostgreSQL behave alike.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, func, literal, or_, select, tuple_
from sqlalchemy.orm import aliased

from mesoplan.db.limits import text_limits
from mesoplan.db.models import Patient, PatientNameToken
from mesoplan.text import APOSTROPHES, digits_only, name_tokens, search_key, search_tokens

_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y")
_PHONE_LIKE = re.compile(r"[\d\s+()./-]+")
_RARITY_PROBE = 2000
"""A word matching more rows than this is "common"; probing stops counting there."""
_FEW_WORDS = 24
"""Up to this many different name words starting with the typed prefix, each is read in order."""

SortKey = tuple[str, str, int]


def parse_date(text: str) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


@dataclass
class SearchTerms:
    """A search text split into what each part can match."""

    words: list[str] = field(default_factory=list)
    dates: list[dt.date] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    """Four digits that may be a birth year or the start of a phone number."""


def parse_search(text: str) -> SearchTerms:
    terms = SearchTerms()
    text = (text or "").strip()
    if _PHONE_LIKE.fullmatch(text) and " " in text and parse_date(text) is None:
        digits = digits_only(text)
        if len(digits) >= 3:  # "+44 7700 9": one phone number typed with spaces
            terms.phones.append(digits)
            return terms
    for raw in text.split():
        day = parse_date(raw)
        if day is not None:
            terms.dates.append(day)
            continue
        digits = digits_only(raw)
        if digits and _PHONE_LIKE.fullmatch(raw) and len(digits) >= 3:
            if len(digits) == 4 and 1880 <= int(digits) <= 2200:
                terms.years.append(int(digits))
            else:
                terms.phones.append(digits)
            continue
        if any(mark in raw for mark in APOSTROPHES):  # "o'brien" means O'Brien, not Olga Brien
            raw = "".join(ch for ch in raw if ch not in APOSTROPHES)
        terms.words.extend(search_tokens(raw))
    return terms


def search_keys(family_name: str, given_names: str, phone: str) -> tuple[str, str, str, set[str]]:
    """(family_key, given_key, phone_digits, name tokens) as stored for a patient.

    Keys are cut to their columns' lengths: folding can lengthen a name ('ß' gives 'ss').
    """
    limits = text_limits(Patient)
    token_limit = text_limits(PatientNameToken)["token"]
    return (search_key(family_name)[:limits["family_key"]],
            search_key(given_names)[:limits["given_key"]],
            digits_only(phone)[:limits["phone_digits"]],
            {token[:token_limit] for token in name_tokens(family_name, given_names)})


def _prefix(column, prefix: str):
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(column >= prefix, column < upper)


def _patient_conditions(terms: SearchTerms) -> list:
    conditions = [Patient.anonymised_at.is_(None)]
    conditions += [Patient.date_of_birth == day for day in terms.dates]
    conditions += [_prefix(Patient.phone_digits, digits) for digits in terms.phones]
    for year in terms.years:
        conditions.append(or_(Patient.date_of_birth.between(dt.date(year, 1, 1), dt.date(year, 12, 31)),
                              _prefix(Patient.phone_digits, str(year))))
    return conditions


def _rarest(session, words: list[str]) -> str:
    if len(words) == 1:
        return words[0]

    def matches(word: str) -> int:
        probe = select(literal(1)).where(_prefix(PatientNameToken.token, word)).limit(_RARITY_PROBE)
        return session.scalar(select(func.count()).select_from(probe.subquery()))

    return min(words, key=lambda w: (matches(w), -len(w)))


def matching_ids(session, text: str, limit: int, after: SortKey | None) -> list[int]:
    """Ids of the patients matching ``text``, in list order, the page after ``after``."""
    terms = parse_search(text)
    words = list(dict.fromkeys(terms.words))
    if not words:
        query = select(Patient.id).where(*_patient_conditions(terms))
        if after is not None:
            query = query.where(tuple_(Patient.family_key, Patient.given_key, Patient.id) > tuple_(*after))
        query = query.order_by(Patient.family_key, Patient.given_key, Patient.id).limit(limit)
        return list(session.scalars(query))
    driver = _rarest(session, words)
    token = PatientNameToken
    conditions = []
    for word in words:
        if word == driver:
            continue
        other = aliased(PatientNameToken)
        conditions.append(exists().where(other.patient_id == token.patient_id,
                                         _prefix(other.token, word)))
    if terms.dates or terms.phones or terms.years:
        conditions.append(exists().where(Patient.id == token.patient_id,
                                         *_patient_conditions(terms)))
    if after is not None:
        conditions.append(tuple_(token.family_key, token.given_key, token.patient_id) > tuple_(*after))
    keys = (token.family_key, token.given_key, token.patient_id)
    words_found = list(session.scalars(select(token.token).where(_prefix(token.token, driver))
                                       .distinct().limit(_FEW_WORDS + 1)))
    if len(words_found) <= _FEW_WORDS:
        # A few different words start so (smith, smithers, smithson): each is read from the index
        # already in list order, so no sorting of thousands of rows; the lists are then merged.
        streams = [session.execute(select(*keys).where(token.token == word, *conditions)
                                   .order_by(*keys).limit(limit)).all()
                   for word in words_found]
        return _unique_ids(heapq.merge(*streams), limit)
    query = select(*keys).where(_prefix(token.token, driver), *conditions).order_by(*keys)
    found: list[int] = []
    position = None
    while True:  # pages of the prefix range, in list order, until a page of patients is full
        page = query if position is None else query.where(tuple_(*keys) > tuple_(*position))
        rows = session.execute(page.limit(2 * limit)).all()
        found = _unique_ids(rows, limit, found)
        if len(found) == limit or len(rows) < 2 * limit:
            return found
        position = rows[-1]


def _unique_ids(rows, limit: int, found: list[int] | None = None) -> list[int]:
    """Patient ids from rows in list order; a patient with two words matching the prefix comes
    twice, next to each other, and is listed once."""
    found = found if found is not None else []
    for _family, _given, patient_id in rows:
        if not found or found[-1] != patient_id:
            found.append(patient_id)
            if len(found) == limit:
                break
    return found
