"""Window-level commands that open dialogs rather than pages (administration, import/export, lock).

Kept apart from the main window so that it stays a thin composer.
"""

from __future__ import annotations


def connect(window) -> None:
    """Connect the administration and file actions of ``window`` to their dialogs."""
