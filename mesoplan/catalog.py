"""The ingredient and product catalog as plain values: vocabularies, CSV reading and writing, search.

Pure domain (no Qt, no database). The shipped defaults are resources/catalog/*.csv, which clinics
edit as spreadsheets; resources/catalog/README.md documents every column and tag.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields, replace
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from mesoplan.errors import Problem, ValidationError
from mesoplan.paths import read_resource_text
from mesoplan.spreadsheet import neutralise, restore, safe_strip
from mesoplan.safety.tags import CAUTION_TAGS, VEHICLES
from mesoplan import numbers
from mesoplan.text import multi_line_problem, nfc, one_line_problem, search_key
from mesoplan.units import KNOWN_UNITS, is_known_unit, parse_unit, unknown_unit_message
from mesoplan.vocabulary import REGIONS, indications

__all__ = [
    "CATEGORIES", "CAUTION_TAGS", "CAUTION_TAG_MEANINGS", "VEHICLES", "KNOWN_UNITS", "REGIONS",
    "EVIDENCE_GRADES", "INGREDIENT_COLUMNS", "PRODUCT_COLUMNS", "IngredientEntry", "ProductPart",
    "ProductEntry", "ShippedCatalog", "search_key", "filter_entries", "parse_ingredients_csv",
    "parse_products_csv", "ingredients_to_csv", "products_to_csv", "ingredient_row", "product_row",
    "csv_kind", "catalog_order", "validate_ingredient", "validate_product", "effective_caution_tags",
    "load_shipped_catalog",
]

CATEGORIES: tuple[str, ...] = (
    "vitamin", "mineral", "amino_acid", "enzyme", "hormone", "hair_drug", "peptide_gf",
    "antioxidant_coenzyme", "plant_extract", "hyaluronic_acid", "local_anaesthetic", "lipolytic",
    "depigmenting", "polycomponent_product", "other",
)

CAUTION_TAG_MEANINGS: dict[str, str] = {
    "teratogen": "can harm an unborn child; ruled out in pregnancy and when pregnancy is planned",
    "five_alpha_reductase_inhibitor": "blocks 5-alpha-reductase (finasteride, dutasteride)",
    "dutasteride": "dutasteride itself (blood-donation gap, long half-life, PSA change)",
    "retinoid": "vitamin A or a retinoid",
    "hyaluronidase": "hyaluronidase enzyme (venom-allergy and skin-test questions)",
    "ester_local_anaesthetic": "ester local anaesthetic such as procaine (PABA, paraben cross-reactions)",
    "amide_local_anaesthetic": "amide local anaesthetic such as lidocaine (mg/kg dose ceiling)",
    "adrenaline": "contains adrenaline (higher anaesthetic ceiling, sulfite preservative)",
    "phosphatidylcholine": "phosphatidylcholine (never in one syringe with lidocaine)",
    "deoxycholate": "deoxycholate (destroys tissue it reaches; 4-week minimum interval)",
    "lipolytic": "meant to reduce fat; local anaesthetics in the same mix work against it",
    "growth_factor": "growth factor, signalling peptide or PRP (theoretical tumour-growth concern)",
    "asteraceae": "daisy-family plant (ragweed, mugwort, Compositae allergy)",
    "tranexamic_acid": "tranexamic acid (clotting-risk questions)",
    "minoxidil": "minoxidil (can lower blood pressure once absorbed)",
    "thyroid_hormone": "thyroid hormone (systemic effects, heart disease)",
    "hormone": "any hormone",
    "glutathione": "glutathione (regulators' warnings, G6PD deficiency)",
    "vitamin_c": "vitamin C (G6PD deficiency, kidney stones at high doses)",
    "hyaluronic_acid": "hyaluronic acid (counts as a filler for the England under-18 law)",
    "sulfite": "contains or may contain a sulfite preservative",
    "paraben": "contains or may contain a paraben preservative",
    "ginkgo": "ginkgo (bleeding with anticoagulants or antiplatelets)",
    "dmae": "DMAE (its own list of reasons not to use it)",
    "unverified": "no source was found for its use as an injectable",
    "acidic": "low-pH solution; injections tend to sting",
    "light_sensitive": "breaks down in light; keep protected",
    "refrigerate": "store at 2-8 degrees C",
}

EVIDENCE_GRADES: tuple[str, ...] = ("A", "B", "C")
INGREDIENT_COLUMNS: tuple[str, ...] = (
    "code", "name", "common_name", "category", "strength_value", "strength_unit", "presentation",
    "legal_status", "vehicle", "regions", "conditions", "caution_tags", "min_interval_days",
    "typical_volume", "storage", "off_label", "evidence", "evidence_grade", "sources", "cautions",
    "notes",
)
PRODUCT_COLUMNS: tuple[str, ...] = (
    "code", "name", "maker", "category", "legal_status", "presentation", "regions", "conditions",
    "caution_tags", "off_label", "evidence", "evidence_grade", "sources", "notes", "components",
)
Limits = Mapping[str, int]
"""Longest text per column; the service layer passes the database's (``mesoplan.db.limits``)."""
_CODE = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")
_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_ONE_LINE_COLUMNS = ("code", "name", "common_name", "category", "strength_unit", "presentation",
                     "legal_status", "vehicle", "typical_volume", "storage", "evidence_grade", "maker")
"""Columns stored as one line of text; the others (evidence, sources, cautions, notes) may have
several lines."""


@dataclass(frozen=True)
class IngredientEntry:
    """One catalog ingredient. Equality compares catalog content, not database bookkeeping."""

    code: str
    name: str
    category: str
    common_name: str = ""
    strength_value: float | None = None
    strength_unit: str | None = None
    presentation: str = ""
    legal_status: str = ""
    vehicle: str = "aqueous"
    regions: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    caution_tags: tuple[str, ...] = ()
    min_interval_days: int | None = None
    typical_volume: str = ""
    storage: str = ""
    off_label: bool = False
    evidence: str = ""
    evidence_grade: str = ""
    sources: str = ""
    cautions: str = ""
    notes: str = ""
    id: int | None = field(default=None, compare=False)
    custom: bool = field(default=False, compare=False)
    retired_at: dt.datetime | None = field(default=None, compare=False)
    search_text: str = field(init=False, repr=False, compare=False, default="")

    def __post_init__(self) -> None:
        object.__setattr__(self, "search_text",
                           search_key(f"{self.code} {self.name} {self.common_name}"))

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


@dataclass(frozen=True)
class ProductPart:
    """One ingredient of a ready-made product, at its strength in the product (None = unknown)."""

    ingredient_code: str
    strength_value: float | None = None
    strength_unit: str | None = None
    ingredient_name: str = field(default="", compare=False)


@dataclass(frozen=True)
class ProductEntry:
    """A ready-made (commercial) product made of catalog ingredients."""

    code: str
    name: str
    category: str = "polycomponent_product"
    maker: str = ""
    legal_status: str = ""
    presentation: str = ""
    regions: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    caution_tags: tuple[str, ...] = ()
    off_label: bool = False
    evidence: str = ""
    evidence_grade: str = ""
    sources: str = ""
    notes: str = ""
    components: tuple[ProductPart, ...] = ()
    id: int | None = field(default=None, compare=False)
    custom: bool = field(default=False, compare=False)
    retired_at: dt.datetime | None = field(default=None, compare=False)
    search_text: str = field(init=False, repr=False, compare=False, default="")

    def __post_init__(self) -> None:
        parts = " ".join(p.ingredient_code for p in self.components)
        object.__setattr__(self, "search_text",
                           search_key(f"{self.code} {self.name} {self.maker} {parts}"))

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


@dataclass(frozen=True)
class ShippedCatalog:
    ingredients: tuple[IngredientEntry, ...]
    products: tuple[ProductEntry, ...]


Entry = TypeVar("Entry", IngredientEntry, ProductEntry)


# --- search -------------------------------------------------------------------------------------


def entry_filter(text: str = "", category: str | None = None, indication: str | None = None,
                 region: str | None = None) -> Callable[[Entry], bool]:
    """A test for one entry: its code, name, common name (or maker and components) contain every
    word of ``text``, ignoring case and accents, and it matches the category, indication and region
    given. Built once per search so that testing 10,000 entries costs only the comparisons."""
    words = search_key(text).split()

    def matches(entry: Entry) -> bool:
        if category is not None and entry.category != category:
            return False
        if indication is not None and indication not in entry.conditions:
            return False
        if region is not None and region not in entry.regions:
            return False
        return all(map(entry.search_text.__contains__, words))

    return matches


def filter_entries(entries: Iterable[Entry], text: str = "", category: str | None = None,
                   indication: str | None = None, region: str | None = None) -> list[Entry]:
    """The entries that pass ``entry_filter`` with the same arguments."""
    return list(filter(entry_filter(text, category, indication, region), entries))


def catalog_order(entry: IngredientEntry | ProductEntry) -> tuple[int, str]:
    """Sort key for files: by category in CATEGORIES order, then by code."""
    rank = CATEGORIES.index(entry.category) if entry.category in CATEGORIES else len(CATEGORIES)
    return rank, entry.code


def effective_caution_tags(product: ProductEntry,
                           ingredients: dict[str, IngredientEntry]) -> frozenset[str]:
    """The product's own tags together with those of its components."""
    tags = set(product.caution_tags)
    for part in product.components:
        found = ingredients.get(part.ingredient_code)
        if found is not None:
            tags.update(found.caution_tags)
    return frozenset(tags)


# --- validation of typed entries ----------------------------------------------------------------


def _list_problems(values: Sequence[str], allowed: Collection[str], what: str) -> str | None:
    wrong = [v for v in values if v not in allowed]
    if not wrong:
        return None
    quoted = ", ".join(f"'{v}'" for v in wrong)
    verb = "is not" if len(wrong) == 1 else "are not"
    return f"{quoted} {verb} {what}; use one or more of: {', '.join(allowed)}"


def _given(value: str, what: str) -> str:
    return f"'{value}' is not {what}" if value else f"{what} is required".capitalize()


def _length_problems(entry: IngredientEntry | ProductEntry, limits: Limits | None,
                     problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Text longer than ``limits`` allows, in columns without another problem already."""
    flagged = {column for column, _ in problems}
    found = []
    for column, limit in (limits or {}).items():
        value = getattr(entry, column, None)
        if column not in flagged and isinstance(value, str) and len(value) > limit:
            found.append((column, f"is {len(value)} characters long; at most {limit} fit"))
    return found


def _common_problems(entry: IngredientEntry | ProductEntry) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if not entry.code:
        problems.append(("code", "a code is required (lower-case letters, digits and _)"))
    elif not _CODE.fullmatch(entry.code):
        problems.append(("code", f"'{entry.code}' is not a valid code; use lower-case letters, "
                                 "digits and single underscores, e.g. vitamin_c"))
    if not entry.name:
        problems.append(("name", "a name is required"))
    for column in _ONE_LINE_COLUMNS:
        value = getattr(entry, column, "")
        message = one_line_problem(value) if isinstance(value, str) else ""
        if message:
            problems.append((column, message))
    for column in ("evidence", "sources", "cautions", "notes"):
        message = multi_line_problem(getattr(entry, column, "") or "")
        if message:
            problems.append((column, message))
    if entry.category not in CATEGORIES:
        problems.append(("category", f"{_given(entry.category, 'a category')}; use one of: "
                                     f"{', '.join(CATEGORIES)}"))
    checks = (("regions", REGIONS, "a region"),
              ("conditions", tuple(indications()), "an indication code (resources/indications.json)"),
              ("caution_tags", CAUTION_TAGS, "a caution tag"))
    for column, allowed, what in checks:
        message = _list_problems(getattr(entry, column), allowed, what)
        if message:
            problems.append((column, message))
    if entry.evidence_grade and entry.evidence_grade not in EVIDENCE_GRADES:
        problems.append(("evidence_grade", f"'{entry.evidence_grade}' is not a grade; use A, B, C "
                                           "or leave it empty"))
    return problems


def _strength_problems(value: float | None, unit: str | None) -> list[tuple[str, str]]:
    if value is None and not unit:
        return []
    if value is None:
        return [("strength_value", f"a unit ({unit}) is given without a strength value")]
    if not math.isfinite(value) or value <= 0:
        return [("strength_value", f"{value} is not a strength; give a number above zero")]
    if not unit:
        return [("strength_unit", f"a strength of {_format_number(value)} needs a unit; use one of "
                                  f"{', '.join(KNOWN_UNITS)}")]
    if unit not in KNOWN_UNITS:
        return [("strength_unit", unknown_unit_message(unit))]
    return [(p.where, p.message) for p in numbers.problems(value, "strength", "strength_value",
                                                          unit=unit)]


def _canonical_unit(unit: str | None) -> str | None:
    if unit is None or not unit.strip():
        return None
    return parse_unit(unit).symbol if is_known_unit(unit) else unit.strip()


def _tidy_list(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(safe_strip(v) for v in values if v and v.strip()))


def _tidy(entry: Entry) -> Entry:
    changes: dict[str, Any] = {}
    for f in fields(entry):
        if not f.init:
            continue
        value = getattr(entry, f.name)
        if isinstance(value, str):
            changes[f.name] = nfc(safe_strip(value))
        elif f.name in ("regions", "conditions", "caution_tags"):
            changes[f.name] = _tidy_list(value)
    changes["evidence_grade"] = changes["evidence_grade"].upper()
    if isinstance(entry, IngredientEntry):
        changes["strength_unit"] = _canonical_unit(entry.strength_unit)
    return replace(entry, **changes)


def _ingredient_problems(entry: IngredientEntry, limits: Limits | None = None) -> list[tuple[str, str]]:
    problems = _common_problems(entry)
    problems += _strength_problems(entry.strength_value, entry.strength_unit)
    if entry.vehicle not in VEHICLES:
        problems.append(("vehicle", f"{_given(entry.vehicle, 'a vehicle')}; use one of: "
                                    f"{', '.join(VEHICLES)}"))
    if entry.min_interval_days is not None and entry.min_interval_days < 0:
        problems.append(("min_interval_days", "must be zero or more days"))
    else:
        problems += [(p.where, p.message) for p in numbers.problems(
            entry.min_interval_days, "min_interval_days", "min_interval_days")]
    return problems + _length_problems(entry, limits, problems)


def _components_problems(parts: Sequence[ProductPart],
                         known_codes: Collection[str]) -> list[str]:
    messages: list[str] = []
    seen: set[str] = set()
    for part in parts:
        code = part.ingredient_code
        if code not in known_codes:
            messages.append(f"'{code}' is not an ingredient code in the catalog")
        if code in seen:
            messages.append(f"'{code}' is listed twice")
        seen.add(code)
        for _column, message in _strength_problems(part.strength_value, part.strength_unit):
            messages.append(f"{code}: {message}")
    return messages


def _product_problems(entry: ProductEntry, known_codes: Collection[str],
                     limits: Limits | None = None) -> list[tuple[str, str]]:
    problems = _common_problems(entry)
    problems += [("components", m) for m in _components_problems(entry.components, known_codes)]
    return problems + _length_problems(entry, limits, problems)


def _tidy_product(entry: ProductEntry) -> ProductEntry:
    parts = tuple(replace(p, ingredient_code=p.ingredient_code.strip(),
                          strength_unit=_canonical_unit(p.strength_unit)) for p in entry.components)
    return replace(_tidy(entry), components=parts)


def validate_ingredient(entry: IngredientEntry, limits: Limits | None = None) -> IngredientEntry:
    """The entry tidied (trimmed text, canonical unit); raises ValidationError naming each column."""
    tidy = _tidy(entry)
    problems = _ingredient_problems(tidy, limits)
    if problems:
        raise ValidationError([Problem(column, message) for column, message in problems])
    return tidy


def validate_product(entry: ProductEntry, known_ingredient_codes: Collection[str],
                     limits: Limits | None = None) -> ProductEntry:
    tidy = _tidy_product(entry)
    problems = _product_problems(tidy, known_ingredient_codes, limits)
    if problems:
        raise ValidationError([Problem(column, message) for column, message in problems])
    return tidy


# --- reading CSV text ---------------------------------------------------------------------------


class _CellError(ValueError):
    """A cell whose text cannot be read as its column's type."""


def _number(cell: str) -> float | None:
    """A number cell: the one number reader, with a decimal point (files do not follow the
    clinic's locale, so a file reads the same everywhere)."""
    if not cell:
        return None
    try:
        return numbers.parse_number(cell, "", ".")
    except numbers.NumberError as exc:
        raise _CellError(exc.message) from None


def _whole_number(cell: str) -> int | None:
    if not cell:
        return None
    if not re.fullmatch(r"[0-9]+", cell):
        raise _CellError(f"'{cell}' is not a whole number of days; write digits only (0-9)")
    return int(cell)


def _yes_no(cell: str) -> bool:
    lowered = cell.casefold()
    if lowered in ("", "no", "n", "false", "0"):
        return False
    if lowered in ("yes", "y", "true", "1"):
        return True
    raise _CellError(f"'{cell}' is not yes or no")


def _items(cell: str) -> tuple[str, ...]:
    return _tidy_list(cell.split(";"))


def _parts(cell: str) -> tuple[ProductPart, ...]:
    parts: list[ProductPart] = []
    for item in _items(cell):
        code, has_equals, strength = item.partition("=")
        strength = strength.strip()
        if not has_equals or not strength:
            parts.append(ProductPart(code.strip()))
            continue
        number = _NUMBER.match(strength)
        if number is None:
            raise _CellError(f"'{item}': the strength must start with a number, e.g. "
                             f"{code.strip()}=5 % or {code.strip()}= when unknown")
        rest = strength[number.end():]
        if rest[:1] in (",", ".", "_", "e", "E") or rest[:1].isdigit():
            raise _CellError(f"'{item}': write the strength with digits and at most one decimal "
                             "point (2.5), without thousands separators, underscores or exponents")
        parts.append(ProductPart(code.strip(), _number(number.group()), rest.strip() or None))
    return tuple(parts)


_DEFAULTS: dict[str, Any] = {f.name: f.default for cls in (IngredientEntry, ProductEntry)
                             for f in fields(cls) if f.default is not MISSING}
_READERS: dict[str, Callable[[str], Any]] = {
    "strength_value": _number, "min_interval_days": _whole_number, "off_label": _yes_no,
    "regions": _items, "conditions": _items, "caution_tags": _items, "components": _parts,
    "strength_unit": lambda cell: cell or None,
}


_DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {";": "semicolons", "\t": "tabs"}


def _known_columns(line: str, delimiter: str, columns: Collection[str]) -> int:
    try:
        cells = next(csv.reader([line.rstrip("\r")], delimiter=delimiter), [])
    except csv.Error:
        return 0
    return sum(1 for cell in cells if cell.strip().casefold() in columns)


def detect_delimiter(text: str, columns: Collection[str] = (*INGREDIENT_COLUMNS,
                                                              *PRODUCT_COLUMNS)) -> str:
    """The separator whose split of the header row names the most catalog columns (',' on a tie):
    spreadsheets set to a decimal comma save 'CSV' with semicolons."""
    first = text.removeprefix("\ufeff").split("\n", 1)[0]
    counts = {d: _known_columns(first, d, columns) for d in _DELIMITERS}
    return max(_DELIMITERS, key=lambda d: (counts[d], d == ","))


def _records(text: str, problems: list[Problem], delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=delimiter)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
    except csv.Error as exc:
        problems.append(Problem(f"row {reader.line_num}", f"cannot be read as CSV ({exc})"))
        return []
    return records


def _rows(text: str, columns: Sequence[str], problems: list[Problem]) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, {column: cell}) for every non-blank row; header problems noted.

    Cells are read back exactly as ``neutralise`` wrote them and trimmed with ``safe_strip``.
    """
    delimiter = detect_delimiter(text, columns)
    records = _records(text, problems, delimiter)
    if problems:
        return []
    if not records:
        problems.append(Problem("row 1", "the file is empty; the first row must name the columns"))
        return []
    header = [h.strip().casefold() for h in records[0]]
    if not any(name in columns for name in header):
        other = next((d for d in _DELIMITERS[1:] if d in records[0][0]), None) if records[0] else None
        separated = f" the columns seem to be separated by {_DELIMITER_NAMES[other]};" if other else ""
        problems.append(Problem("row 1", f"no catalog column was found in the header;{separated} "
                                f"use commas between the columns, with the columns: "
                                f"{', '.join(columns)}"))
        return []
    missing = [name for name in columns if name not in header]
    if missing:
        problems.append(Problem("row 1", f"the header lacks the column(s) {', '.join(missing)}; "
                                f"a catalog file has the columns: {', '.join(columns)}"))
    for index, name in enumerate(header):
        if name and name not in columns:
            problems.append(Problem(f"row 1, column {index + 1}", f"'{records[0][index].strip()}' "
                                    f"is not a catalog column; the columns are: {', '.join(columns)}"))
        elif name and header.index(name) != index:
            problems.append(Problem(f"row 1, column {index + 1}", f"column '{name}' appears twice"))
    if problems:
        return []  # with the columns wrong, every row would repeat the same complaint
    rows: list[tuple[int, dict[str, str]]] = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header) and any(c.strip() for c in record[len(header):]):
            problems.append(Problem(f"row {number}", "has more cells than the header has columns"))
        cells = {name: (safe_strip(restore(record[i])) if i < len(record) else "")
                 for i, name in enumerate(header) if name in columns}
        rows.append((number, cells))
    if not rows:
        problems.append(Problem("", "the file has no entries below the header row"))
    return rows


def _read_row(number: int, cells: dict[str, str], columns: Sequence[str],
              problems: list[Problem]) -> tuple[dict[str, Any], set[str]]:
    values: dict[str, Any] = {}
    bad: set[str] = set()
    for column in columns:
        cell = cells.get(column, "")
        try:
            values[column] = _READERS.get(column, str)(cell)
        except _CellError as exc:
            problems.append(Problem(f"row {number}, column {column}", str(exc)))
            bad.add(column)
    return values, bad


def _parse(text: str, columns: Sequence[str], build: Callable[[dict[str, Any]], Entry],
           check: Callable[[Entry], list[tuple[str, str]]]) -> list[Entry]:
    problems: list[Problem] = []
    entries: list[Entry] = []
    first_row: dict[str, int] = {}
    for number, cells in _rows(text, columns, problems):
        values, bad = _read_row(number, cells, columns, problems)
        entry = build({c: (_DEFAULTS.get(c) if c in bad else v) for c, v in values.items()})
        for column, message in check(entry):
            if column not in bad:
                problems.append(Problem(f"row {number}, column {column}", message))
        if entry.code in first_row:
            problems.append(Problem(f"row {number}, column code", f"'{entry.code}' is already used "
                                    f"in row {first_row[entry.code]}; codes must be unique"))
        elif entry.code:
            first_row[entry.code] = number
        entries.append(entry)
    if problems:
        raise ValidationError(problems)
    return entries


def parse_ingredients_csv(text: str, limits: Limits | None = None) -> list[IngredientEntry]:
    """Ingredients from CSV text; raises ValidationError listing every problem by row and column.

    Rows are numbered as a spreadsheet shows them (the header is row 1); blank rows are skipped.
    """
    return _parse(text, INGREDIENT_COLUMNS, lambda values: _tidy(IngredientEntry(**values)),
                  lambda entry: _ingredient_problems(entry, limits))


def parse_products_csv(text: str, known_ingredient_codes: Collection[str],
                       limits: Limits | None = None) -> list[ProductEntry]:
    """Products from CSV text; components must name codes in ``known_ingredient_codes``."""
    known = frozenset(known_ingredient_codes)
    return _parse(text, PRODUCT_COLUMNS, lambda values: _tidy_product(ProductEntry(**values)),
                  lambda entry: _product_problems(entry, known, limits))


def csv_kind(text: str) -> str | None:
    """'ingredients' or 'products' judging by the header row, or None when it is neither."""
    try:
        first = next(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""),
                                delimiter=detect_delimiter(text)), [])
    except csv.Error:
        return None
    header = {h.strip().casefold() for h in first}
    if "components" in header or "maker" in header:
        return "products"
    if "strength_value" in header or "vehicle" in header:
        return "ingredients"
    return None


# --- writing CSV text ---------------------------------------------------------------------------


def _format_number(value: float | None) -> str:
    if value is None:
        return ""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    # The shortest exact digits, written out without an exponent (the reader refuses exponents).
    return format(Decimal(repr(value)), "f")


def _format_part(part: ProductPart) -> str:
    if part.strength_value is None:
        return f"{part.ingredient_code}="
    return f"{part.ingredient_code}={_format_number(part.strength_value)} {part.strength_unit or ''}".rstrip()


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return _format_number(value)
    if isinstance(value, tuple):
        return ";".join(_format_part(v) if isinstance(v, ProductPart) else v for v in value)
    return "" if value is None else str(value)


def ingredient_row(entry: IngredientEntry) -> dict[str, str]:
    """The entry as its CSV cells (also what the audit trail records)."""
    return {column: _cell(getattr(entry, column)) for column in INGREDIENT_COLUMNS}


def product_row(entry: ProductEntry) -> dict[str, str]:
    return {column: _cell(getattr(entry, column)) for column in PRODUCT_COLUMNS}


def _to_csv(rows: Iterable[dict[str, str]], columns: Sequence[str]) -> str:
    """CSV text whose cells a spreadsheet never runs as formulas (see ``mesoplan.spreadsheet``)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    # csv quotes a cell holding "\n" but not one holding a lone "\r", which readers take for a
    # line end: rows with one are written with every cell quoted.
    quoting = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n",
                             quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for row in rows:
        cells = {k: neutralise(v) for k, v in row.items()}
        (quoting if any("\r" in v for v in cells.values()) else writer).writerow(cells)
    return out.getvalue()


def ingredients_to_csv(entries: Iterable[IngredientEntry]) -> str:
    """CSV text for the entries, in the order given (UTF-8 when saved; '\\n' line ends)."""
    return _to_csv((ingredient_row(e) for e in entries), INGREDIENT_COLUMNS)


def products_to_csv(entries: Iterable[ProductEntry]) -> str:
    return _to_csv((product_row(e) for e in entries), PRODUCT_COLUMNS)


@cache
def load_shipped_catalog() -> ShippedCatalog:
    """The catalog shipped in resources/catalog (read once; raises ValidationError if broken)."""
    ingredients = parse_ingredients_csv(read_resource_text("catalog", "ingredients.csv"))
    products = parse_products_csv(read_resource_text("catalog", "products.csv"),
                                  {i.code for i in ingredients})
    return ShippedCatalog(tuple(ingredients), tuple(products))
