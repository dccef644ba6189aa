"""Window state and personal preferences, each QSettings key declared once with its type and default.

Only how the window looks lives here (sizes, splitters, docks, last search); clinical data never
does. Tests point QSettings at a temporary folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")


@dataclass(frozen=True)
class Key(Generic[T]):
    name: str
    type: type
    default: Any

    def get(self) -> T:
        value = QSettings().value(self.name, self.default)
        if value is None:
            return self.default
        if self.type is bool and isinstance(value, str):
            return value.lower() == "true"  # type: ignore[return-value]
        try:
            return self.type(value)
        except (TypeError, ValueError):
            return self.default

    def set(self, value: T) -> None:
        QSettings().setValue(self.name, value)


MAIN_WINDOW_GEOMETRY = Key[QByteArray]("main_window/geometry", QByteArray, QByteArray())
MAIN_WINDOW_STATE = Key[QByteArray]("main_window/state", QByteArray, QByteArray())
PLAN_EDITOR_SPLITTER = Key[QByteArray]("plan_editor/splitter", QByteArray, QByteArray())
PLAN_EDITOR_LEFT_SPLITTER = Key[QByteArray]("plan_editor/left_splitter", QByteArray, QByteArray())
PATIENT_PAGE_SPLITTER = Key[QByteArray]("patient_page/splitter", QByteArray, QByteArray())
FRONT_DESK_SPLITTER = Key[QByteArray]("front_desk/splitter", QByteArray, QByteArray())
LAST_EXPORT_FOLDER = Key[str]("files/last_export_folder", str, "")
LAST_USERNAME = Key[str]("sign_in/last_username", str, "")
PLAN_EDITOR_TOTALS_SPLITTER = Key[QByteArray]("plan_editor/totals_splitter", QByteArray, QByteArray())
PLAN_EDITOR_SESSIONS_SPLITTER = Key[QByteArray]("plan_editor/sessions_splitter_v", QByteArray, QByteArray())
PLAN_EDITOR_TAB = Key[int]("plan_editor/current_tab", int, 0)
SCREENING_DIALOG_GEOMETRY = Key[QByteArray]("screening/dialog_geometry", QByteArray, QByteArray())
SCREENING_VIEW_GEOMETRY = Key[QByteArray]("screening/view_geometry", QByteArray, QByteArray())
PATIENT_PAGE_RIGHT_SPLITTER = Key[QByteArray]("patient_page/right_splitter", QByteArray, QByteArray())
CATALOG_PAGE_SPLITTER = Key[QByteArray]("catalog_page/splitter", QByteArray, QByteArray())
CATALOG_BROWSER_HEADER = Key[QByteArray]("catalog_browser/header", QByteArray, QByteArray())
