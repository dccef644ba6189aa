"""Column widths worked out once from sample text, for tables whose rows change as people type.

Qt's "resize to contents" measures every cell again after each change; with hundreds of rows
that is most of the time a keystroke takes (bench/README.md). A sample of the widest expected
text gives the same look for the price of one measurement.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QAbstractItemView, QHeaderView


def size_columns(view: QAbstractItemView, samples: Mapping[int, str], *,
                 stretch: int | None = None) -> None:
    """Give each column in ``samples`` the width of its sample (and of its heading); the
    ``stretch`` column takes the room left. Columns stay resizable by hand."""
    header: QHeaderView = view.horizontalHeader()
    metrics = view.fontMetrics()
    heading = header.fontMetrics()
    padding = metrics.averageCharWidth() * 2 + 8
    for column, sample in samples.items():
        title = str(view.model().headerData(column, header.orientation()) or "")
        width = max(metrics.horizontalAdvance(sample), heading.horizontalAdvance(title) + 12)
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, width + padding)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
