"""Choosing treatment areas: the zones of resources/zones.json as a tree grouped by region
(scalp, face, body), each zone a check box. Used by the plan form and the new-plan dialog.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from mesoplan.vocabulary import REGIONS, zones

REGION_LABELS = {"scalp": "Scalp", "face": "Face and neck", "body": "Body"}
_CODE_ROLE = Qt.ItemDataRole.UserRole + 1


def zones_by_region() -> list[tuple[str, list]]:
    """[(region, [Zone, ...]), ...] in the order of ``vocabulary.REGIONS`` then the file."""
    table = zones()
    order = list(REGIONS) + sorted({z.region for z in table.values()} - set(REGIONS))
    return [(region, [z for z in table.values() if z.region == region]) for region in order
            if any(z.region == region for z in table.values())]


class ZonePicker(QTreeWidget):
    areas_changed = Signal(tuple)
    """The checked zone codes, in the order of the zones file; once per click, even when a
    region's box checks all its zones."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("zonePicker")
        self.setHeaderHidden(True)
        self.setAccessibleName("Treatment areas")
        self.setUniformRowHeights(True)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._updating = False
        self._pending = False
        for region, region_zones in zones_by_region():
            parent_item = QTreeWidgetItem(self, [REGION_LABELS.get(region, region.title())])
            parent_item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                                 | Qt.ItemFlag.ItemIsAutoTristate)
            parent_item.setData(0, _CODE_ROLE, "")
            for zone in region_zones:
                item = QTreeWidgetItem(parent_item, [zone.label])
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                              | Qt.ItemFlag.ItemIsSelectable)
                item.setCheckState(0, Qt.CheckState.Unchecked)
                item.setData(0, _CODE_ROLE, zone.code)
                self._items[zone.code] = item
        self.expandAll()
        self.itemChanged.connect(self._item_changed)

    def areas(self) -> tuple[str, ...]:
        return tuple(code for code, item in self._items.items()
                     if item.checkState(0) == Qt.CheckState.Checked)

    def set_areas(self, codes) -> None:
        """Check exactly ``codes`` without announcing it."""
        wanted = set(codes)
        if set(self.areas()) == wanted:
            return
        self._updating = True
        self.blockSignals(True)
        try:
            for code, item in self._items.items():
                item.setCheckState(0, Qt.CheckState.Checked if code in wanted
                                   else Qt.CheckState.Unchecked)
        finally:
            self.blockSignals(False)
            self._updating = False
        self.viewport().update()

    def set_zone_checked(self, code: str, checked: bool) -> None:
        """Check or uncheck one zone as a person would (announces the change)."""
        self._items[code].setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._updating or column != 0 or self._pending:
            return
        self._pending = True
        QTimer.singleShot(0, self._announce)

    def _announce(self) -> None:
        if self._pending:
            self._pending = False
            self.areas_changed.emit(self.areas())
