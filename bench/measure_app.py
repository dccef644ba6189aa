"""Start-up time and peak memory of the real app, measured from outside in a subprocess.

The clock starts just before the child process is launched and stops when it prints ``READY``
(window shown, patient list filled; see ``app_probe.py``), so interpreter start, imports, opening
and checking the database and building the window all count. The floor is a bare PySide6 window
with one label (``bare_window.py``), launched and timed the same way in the same run; a second
reference (``stack_floor.py``) adds SQLAlchemy and one patient query, to show the stack's share. Peak memory
is the child's own peak resident memory (``peak_memory.py``) after start-up and one patient search.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.measure_core import bench_environment
from bench.synthetic import BuiltClinic
from bench.timing import Stat, stat

HERE = Path(__file__).resolve().parent
SEARCH_TEXT = "garcía"
TIMEOUT_S = 120


def launch(command: list[str], home: Path) -> tuple[float, int]:
    """(seconds until READY, ru_maxrss in kB reported by the child) for one launch."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=bench_environment(home))
    ready_at, rss = None, None
    try:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("READY") and ready_at is None:
                ready_at = time.perf_counter()
            elif line.startswith("RSS "):
                rss = int(line.split()[1])
        child.wait(timeout=TIMEOUT_S)
    finally:
        if child.poll() is None:
            child.kill()
    errors = child.stderr.read() if child.stderr else ""
    if ready_at is None or rss is None or child.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} did not report READY and RSS (exit {child.returncode}):\n"
                           f"{errors[-3000:]}")
    return ready_at - started, rss


def measure_startup(clinic: BuiltClinic, repeats: int, workdir: Path, *, warmup: bool = True) -> dict[str, Stat]:
    """App and bare-window start-up, interleaved so both see the same machine state.

    ``warmup`` first launches each once, uncounted (page cache, Qt's font cache).
    """
    app_times, app_rss, bare_times, bare_rss, stack_times = [], [], [], [], []
    with tempfile.TemporaryDirectory(dir=workdir) as folder:
        home = Path(folder)
        copy = clinic.copy_to(home / "clinic.sqlite3")
        app_command = [sys.executable, str(HERE / "app_probe.py"), copy.url, SEARCH_TEXT]
        bare_command = [sys.executable, str(HERE / "bare_window.py")]
        stack_command = [sys.executable, str(HERE / "stack_floor.py"), copy.url]
        if warmup:
            launch(app_command, home)
            launch(bare_command, home)
        for _ in range(repeats):
            seconds, rss = launch(app_command, home)
            app_times.append(seconds)
            app_rss.append(rss)
            seconds, rss = launch(bare_command, home)
            bare_times.append(seconds)
            bare_rss.append(rss)
            stack_times.append(launch(stack_command, home)[0])
    return {"startup": stat(app_times), "startup_floor": stat(bare_times), "startup_stack": stat(stack_times),
            "memory": stat([kb / 1024 for kb in app_rss]), "memory_floor": stat([kb / 1024 for kb in bare_rss])}
