"""Killing the app in the middle of saving never loses a committed save or damages the database.

A forked child saves patients in a loop and reports each committed save through a pipe; the
test kills it with SIGKILL at a random moment, twenty times, and after every kill opens the
database the way the app does and checks it: integrity_check ok, audit chain intact, every
reported save present. The same is done to a child making backups: a killed backup never leaves
a file under a backup's name that is not a whole, sound copy.
"""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import time
from pathlib import Path

from sqlalchemy import select as sql_select

from mesoplan.access import Actor, Role
from mesoplan.backup import file_integrity_problems
from mesoplan.db.engine import open_database
from mesoplan.db.models import Patient
from mesoplan.services.audit import chain_report
from mesoplan.services.backups import list_rolling_backups, make_rolling_backup
from mesoplan.services.patients import PatientInput, create_patient, update_patient
from mesoplan.services.uow import work

KILLS = 20
ACTOR = Actor(name="Crash Tester", roles=frozenset(Role))


def _saving_child(url: str, round_number: int, pipe: int) -> None:
    """Save patients (each followed by an edit) forever, reporting each commit as a line."""
    database = open_database(url, seed=False)
    number = 0
    while True:
        number += 1
        with work(database, ACTOR) as uow:
            record = create_patient(uow, PatientInput(
                f"Round{round_number}-{number}", "Zoë Łucja", notes="ünïcode <&> " * 20,
                phone=f"0{number:09d}"))
        os.write(pipe, f"created {record.id}\n".encode())
        with work(database, ACTOR) as uow:
            update_patient(uow, record.id, PatientInput(record.family_name, "Edited"), record.version)
        os.write(pipe, f"edited {record.id}\n".encode())


def _run_and_kill(target, rng: random.Random) -> list[str]:
    """Fork a child running ``target(pipe)``, kill it at a random moment; return its report lines."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 0
        try:
            os.close(read_end)
            target(write_end)
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            os.write(write_end, f"error {type(exc).__name__}: {exc}\n".encode())
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    lines: list[str] = []
    buffer = b""
    wanted = rng.randint(1, 12)
    deadline = time.monotonic() + 10
    try:
        while len(lines) < wanted and time.monotonic() < deadline:
            ready, _, _ = select.select([read_end], [], [], 0.5)
            if ready:
                chunk = os.read(read_end, 65536)
                if not chunk:
                    break
                buffer += chunk
                *complete, buffer = buffer.split(b"\n")
                lines += [line.decode() for line in complete]
        time.sleep(rng.uniform(0, 0.008))  # somewhere inside the next save or two
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    while chunk := os.read(read_end, 65536):  # what it reported before dying counts too
        buffer += chunk
    os.close(read_end)
    *complete, _unfinished_line = buffer.split(b"\n")
    lines += [line.decode() for line in complete]
    assert not [line for line in lines if line.startswith("error")], lines
    return lines


def test_killing_the_app_during_saves_never_loses_a_commit(database_file):
    url = f"sqlite:///{database_file}"
    rng = random.Random(20250301)
    created: set[int] = set()
    edited: set[int] = set()
    for round_number in range(KILLS):
        lines = _run_and_kill(lambda pipe: _saving_child(url, round_number, pipe), rng)
        for line in lines:
            kind, _, number = line.partition(" ")
            (created if kind == "created" else edited).add(int(number))
        assert file_integrity_problems(database_file) == []
        database = open_database(url, seed=False)  # as the app starts: quick check, lock probe
        try:
            assert database.startup_check.problems == ()
            with database.sessions() as session:
                rows = {p.id: p.given_names for p in session.scalars(sql_select(Patient))}
                report = chain_report(session)
        finally:
            database.dispose()
        assert report.ok, report.describe()
        assert created <= set(rows), f"round {round_number}: committed saves are missing"
        assert all(rows[i] == "Edited" for i in edited)
    assert len(created) >= KILLS  # every round got at least one save through


def _backing_up_child(url: str, pipe: int) -> None:
    database = open_database(url, seed=False)
    number = 0
    while True:
        number += 1
        with work(database, ACTOR) as uow:
            create_patient(uow, PatientInput(f"Backup{number}"))
        result = make_rolling_backup(database, keep=3)
        os.write(pipe, f"backup {result.path.name}\n".encode())


def test_killing_a_backup_never_leaves_a_broken_backup(database_file):
    url = f"sqlite:///{database_file}"
    rng = random.Random(7)
    for _ in range(8):
        _run_and_kill(lambda pipe: _backing_up_child(url, pipe), rng)
    database = open_database(url, seed=False)
    try:
        backups = list_rolling_backups(database)
    finally:
        database.dispose()
    assert backups
    for backup in backups:
        assert file_integrity_problems(backup.path) == []
        with sqlite3.connect(backup.path) as connection:
            assert connection.execute("SELECT count(*) FROM patient").fetchone()[0] >= 1
    leftovers = [p.name for p in Path(backups[0].path.parent).iterdir()
                 if p.name.endswith(".sqlite3") and p not in {b.path for b in backups}]
    assert leftovers == []
