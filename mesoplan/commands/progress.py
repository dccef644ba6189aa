"""Progress of long commands on standard error: a line that rewrites itself on a terminal, and a
line per tenth of the work otherwise (logs, pipes). Small jobs print nothing."""

from __future__ import annotations

import sys
from typing import TextIO

SHOW_FROM = 100
"""Jobs with fewer items than this finish too quickly to need a progress line."""


class CommandProgress:
    """A ``progress(done, total, text)`` callback for the services."""

    def __init__(self, what: str, stream: TextIO | None = None, show_from: int = SHOW_FROM) -> None:
        self.what = what
        self.stream = stream or sys.stderr
        self.show_from = show_from
        self.shown_tenth = -1
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, done: int, total: int, _text: str = "") -> None:
        if total < self.show_from:
            return
        tenth = done * 10 // total
        if self.live:
            end = "\n" if done >= total else ""
            if done % max(1, total // 200) == 0 or done >= total:
                self.stream.write(f"\r{self.what}: {done} of {total} ({done * 100 // total} %){end}")
                self.stream.flush()
        elif tenth > self.shown_tenth:
            self.shown_tenth = tenth
            self.stream.write(f"{self.what}: {done} of {total} ({tenth * 10} %)\n")
            self.stream.flush()
