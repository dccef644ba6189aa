"""The catalog table model: ingredients and products with their display text worked out once, so
filtering thousands of entries per keystroke is a list comprehension and one model reset.

Readable words for categories and caution tags live here too (the tags' meanings come from
``mesoplan.catalog.CAUTION_TAG_MEANINGS``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from mesoplan.catalog import (
    CAUTION_TAG_MEANINGS,
    IngredientEntry,
    ProductEntry,
    effective_caution_tags,
    entry_filter,
)
from mesoplan.text import search_key

KIND_ROLE = Qt.ItemDataRole.UserRole + 1
CODE_ROLE = Qt.ItemDataRole.UserRole + 2
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex
Entry = IngredientEntry | ProductEntry

CATEGORY_LABELS = {
    "amino_acid": "Amino acid", "hair_drug": "Hair-loss drug", "peptide_gf": "Peptide or growth factor",
    "antioxidant_coenzyme": "Antioxidant or coenzyme", "plant_extract": "Plant extract",
    "hyaluronic_acid": "Hyaluronic acid", "local_anaesthetic": "Local anaesthetic",
    "polycomponent_product": "Ready-made product",
}
TAG_WORDS = {
    "five_alpha_reductase_inhibitor": "5-alpha-reductase inhibitor", "dmae": "DMAE",
    "vitamin_c": "vitamin C", "light_sensitive": "light-sensitive", "refrigerate": "keep cold",
    "asteraceae": "daisy family", "ester_local_anaesthetic": "ester anaesthetic",
    "amide_local_anaesthetic": "amide anaesthetic", "growth_factor": "growth factor",
}


def category_label(code: str) -> str:
    return CATEGORY_LABELS.get(code, code.replace("_", " ").capitalize())


def tag_word(tag: str) -> str:
    """A caution tag as a short readable word: 'five_alpha_reductase_inhibitor' -> '5-alpha-…'."""
    return TAG_WORDS.get(tag, tag.replace("_", " "))


def tag_meaning(tag: str) -> str:
    return CAUTION_TAG_MEANINGS.get(tag, "")


def strength_text(entry: Entry) -> str:
    """The stated strength ('—' when the sources give none; never a guess)."""
    if isinstance(entry, ProductEntry):
        count = len(entry.components)
        return f"{count} component{'s' if count != 1 else ''}" if count else "—"
    if entry.strength_value is None:
        return "—"
    return f"{entry.strength_value:g} {entry.strength_unit or ''}".strip()


class CatalogColumn(IntEnum):
    NAME = 0
    CATEGORY = 1
    STRENGTH = 2
    CAUTIONS = 3
    EVIDENCE = 4
    STATUS = 5


HEADERS = ("Name", "Category", "Strength", "Cautions", "Grade", "Status")


@dataclass(frozen=True)
class CatalogRow:
    kind: str  # ingredient | product
    entry: Entry
    tags: tuple[str, ...]
    cells: tuple[str, ...]
    tag_tip: str
    sort_key: str

    @property
    def code(self) -> str:
        return self.entry.code


def make_row(kind: str, entry: Entry, tags: Sequence[str]) -> CatalogRow:
    flags = [word for word, on in (("off-label", entry.off_label), ("custom", entry.custom),
                                   ("retired", entry.retired)) if on]
    cells = (entry.name, category_label(entry.category), strength_text(entry),
             ", ".join(tag_word(t) for t in tags), entry.evidence_grade or "—", ", ".join(flags))
    tip = "\n".join(f"{tag_word(t)}: {tag_meaning(t)}" for t in tags)
    return CatalogRow(kind, entry, tuple(tags), cells, tip, search_key(entry.name))


def build_rows(ingredients: Sequence[IngredientEntry], products: Sequence[ProductEntry],
               product_tags: dict[str, frozenset[str]] | None = None) -> list[CatalogRow]:
    """Every entry as a display row, sorted by name (``product_tags`` default to the product's own)."""
    if product_tags is None:
        by_code = {i.code: i for i in ingredients}
        product_tags = {p.code: effective_caution_tags(p, by_code) for p in products}
    rows = [make_row("ingredient", e, e.caution_tags) for e in ingredients]
    rows += [make_row("product", p, sorted(product_tags.get(p.code, p.caution_tags))) for p in products]
    return sorted(rows, key=lambda r: (r.sort_key, r.kind, r.code))


class CatalogModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[CatalogRow] = []
        self._rows: list[CatalogRow] = []

    def set_entries(self, ingredients: Sequence[IngredientEntry], products: Sequence[ProductEntry],
                    product_tags: dict[str, frozenset[str]] | None = None) -> None:
        """Replace the entries (``product_tags``: a product's tags including its components')."""
        self.set_rows(build_rows(ingredients, products, product_tags))

    def set_rows(self, rows: list[CatalogRow]) -> None:
        """Show rows made by ``build_rows`` (shared between screens; never changed in place)."""
        self._all = rows
        self.apply_filter()

    def apply_filter(self, text: str = "", category: str | None = None, indication: str | None = None,
                     region: str | None = None, kind: str | None = None,
                     show_retired: bool = False) -> None:
        """Show the entries matching every filter given (``entry_filter`` does the matching)."""
        matches = entry_filter(text, category, indication, region)
        self.beginResetModel()
        self._rows = [r for r in self._all
                      if (kind is None or r.kind == kind)
                      and (show_retired or not r.entry.retired) and matches(r.entry)]
        self.endResetModel()

    def total(self) -> int:
        return len(self._all)

    def row_at(self, row: int) -> CatalogRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, kind: str, code: str) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.kind == kind and r.code == code), None)

    def find(self, kind: str, code: str) -> CatalogRow | None:
        return next((r for r in self._all if r.kind == kind and r.code == code), None)

    # --- the table ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt naming
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == CatalogColumn.CAUTIONS:
                return row.tag_tip or None
            if column == CatalogColumn.EVIDENCE:
                return "Evidence grade of the sources (A peer-reviewed or regulatory, B society or " \
                       "textbook, C clinic, vendor or blog); it grades sources, not the treatment."
            if column == CatalogColumn.NAME:
                return f"{row.entry.name} ({row.entry.common_name})" if getattr(
                    row.entry, "common_name", "") else row.entry.name
            return None
        if role == Qt.ItemDataRole.ForegroundRole and row.entry.retired:
            return QColor("#7a8790")
        if role == Qt.ItemDataRole.FontRole and row.entry.retired:
            font = QFont()
            font.setItalic(True)
            return font
        if role == KIND_ROLE:
            return row.kind
        if role == CODE_ROLE:
            return row.code
        if role == ENTRY_ROLE:
            return row.entry
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(HEADERS)):
            return HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)
