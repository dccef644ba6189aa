"""Argument types for the commands: record numbers read by the one number reader, so '1_5' or
'+3' is refused with a plain message instead of being read as 15 or 3."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from mesoplan.numbers import NumberError, parse_whole


def record_number(what: str) -> Callable[[str], int]:
    """An argparse type for the number of a ``what`` (plan, patient): digits only, from 1."""

    def read(text: str) -> int:
        try:
            return parse_whole(text, what, low=1)
        except NumberError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    read.__name__ = f"{what.replace(' ', '_')}_number"
    return read
