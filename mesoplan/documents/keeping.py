"""Page-break rules for both documents (ReportLab platypus): what must not be parted by a page break.

A heading, subheading or introductory sentence is *kept with the next* flowable: a measuring marker in
front of it starts a new page unless the heading and the start of what follows fit in the space left.
Tables never leave a single row alone at the foot or the head of a page. Both rules give way at the
top of a page, where nothing would be gained by moving on, so a very long item can never stall layout.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Table

MIN_ROWS = 2  # a table split over two pages keeps at least this many rows on each side
_KEEP_ATTRIBUTE = "_mesoplan_keep_with_next"  # not ReportLab's own keepWithNext, which works differently
_MEASURE_HEIGHT = 1e6


def kept_with_next(flowable: Flowable) -> Flowable:
    """Mark ``flowable`` so that a page break never falls straight after it; returns it."""
    setattr(flowable, _KEEP_ATTRIBUTE, True)
    return flowable


def is_kept_with_next(flowable: Flowable) -> bool:
    return bool(getattr(flowable, _KEEP_ATTRIBUTE, False))


class OrphanFreeTable(Table):
    """A table that, away from the top of a page, splits only with ``MIN_ROWS`` body rows on each side.

    A table with too few body rows to allow that is moved to the next page whole. At the top of a
    page the ordinary split applies, so a table taller than a page still flows on.
    """

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803 (ReportLab's names)
        frame = getattr(self, "_frame", None)
        header = self.repeatRows if isinstance(self.repeatRows, int) else max(self.repeatRows) + 1
        rows = len(self._cellvalues)
        if frame is None or frame._atTop:
            self._rowSplitRange = None
        elif rows - header < 2 * MIN_ROWS:
            return []
        else:
            self._rowSplitRange = (header + MIN_ROWS, rows - MIN_ROWS)
        return super().split(availWidth, availHeight)

    def least_height(self, width: float) -> float:
        """The height of the header and the first rows that must share a page (no full layout)."""
        header = self.repeatRows if isinstance(self.repeatRows, int) else max(self.repeatRows) + 1
        rows = len(self._cellvalues)
        count = rows if rows - header < 2 * MIN_ROWS else header + MIN_ROWS
        return sum(self._row_height(r) for r in range(count))

    def _row_height(self, row: int) -> float:
        fixed = self._argH[row] if row < len(self._argH) else None
        if fixed is not None:
            return fixed
        tallest = 0.0
        for value, style, width in zip(self._cellvalues[row], self._cellStyles[row], self._argW):
            inner = (width or 0) - style.leftPadding - style.rightPadding
            content = value if isinstance(value, (list, tuple)) else [value]
            height = sum(item.wrap(inner, _MEASURE_HEIGHT)[1] for item in content if isinstance(item, Flowable))
            tallest = max(tallest, height + style.topPadding + style.bottomPadding)
        return tallest


def _full_height(flowable: Flowable, width: float) -> float:
    """The flowable's height with its spacing; never lays out a page break as a side effect."""
    if isinstance(flowable, CondPageBreak):
        return 0.0
    if isinstance(flowable, KeepTogether):
        return sum(_full_height(f, width) for f in flowable._content)
    return flowable.getSpaceBefore() + flowable.wrap(width, _MEASURE_HEIGHT)[1] + flowable.getSpaceAfter()


def _least_height(flowable: Flowable, width: float, page_height: float) -> float:
    """How much of ``flowable`` has to fit on a page for the things kept with it not to be left alone."""
    if isinstance(flowable, OrphanFreeTable):
        return flowable.getSpaceBefore() + flowable.least_height(width)
    if isinstance(flowable, KeepTogether):
        total = _full_height(flowable, width)
        if total <= page_height or not flowable._content:
            return total
        return _least_height(flowable._content[0], width, page_height)  # too tall to keep: it flows
    if isinstance(flowable, Paragraph):
        height = _full_height(flowable, width)
        if len(getattr(flowable.blPara, "lines", ())) > 3:  # may split after two lines (no orphans/widows)
            return flowable.getSpaceBefore() + 2 * flowable.style.leading
        return height
    return _full_height(flowable, width)


class KeepRoomFor(CondPageBreak):
    """Starts a new page unless a kept chain (heading, intro, ... and the start of the next item) fits."""

    def __init__(self, chain: Sequence[Flowable]) -> None:
        super().__init__(0)
        self._chain = list(chain)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        frame = getattr(self, "_frame", None)
        if frame is None or frame._atTop:
            return 0, 0
        page_height = frame._y2 - frame._y1
        *kept, last = self._chain
        self.height = sum(_full_height(f, availWidth) for f in kept) + _least_height(last, availWidth, page_height)
        if self.height > page_height:  # it cannot fit on any page: let it flow from here
            return 0, 0
        return super().wrap(availWidth, availHeight)


def keep_with_next(story: Iterable[Flowable]) -> list[Flowable]:
    """The story with a ``KeepRoomFor`` in front of every run of kept flowables and the one after it."""
    items = list(story)
    result: list[Flowable] = []
    index = 0
    while index < len(items):
        if is_kept_with_next(items[index]):
            end = index
            while end < len(items) and is_kept_with_next(items[end]):
                end += 1
            chain = items[index:end + 1]
            result.append(KeepRoomFor(chain))
            result.extend(chain)
            index = end + 1
        else:
            result.append(items[index])
            index += 1
    return result
