"""The Qt binding itself: PySide6 6.12.0 drops a reference to None on every call of a void method,
so on Python 3.11 a long session ends in "Fatal Python error: none_dealloc". pyproject.toml keeps
that release out; this test fails if a binding with the same fault is installed."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_calls_and_painting_keep_references_to_none(qtbot):
    label = QLabel("x")
    label.setProperty("role", "hint")  # painted through MesoPlan's own style
    qtbot.addWidget(label)
    label.show()
    before = sys.getrefcount(None)
    for _ in range(200):
        label.setText("y")
        label.repaint()
    # Other code may create or drop a few references meanwhile; a fault loses one per call.
    assert sys.getrefcount(None) - before > -50
