"""A PostgreSQL server for the test session: the one CI names, or a throwaway cluster started here.

``MESOPLAN_TEST_POSTGRES_URL`` (set by ``.ci/run``) names a server to use. Without it, when the
server binaries are installed (``/usr/lib/postgresql/*/bin``), a private cluster is started in a
temporary folder on a free port (as the ``postgres`` user when the tests run as root, because
``initdb`` refuses root) and removed at the end. Each test gets its own database, cloned in a
few milliseconds from a template database that was migrated and seeded once.
"""

from __future__ import annotations

import atexit
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

URL_ENV = "MESOPLAN_TEST_POSTGRES_URL"
REQUIRE_ENV = "MESOPLAN_REQUIRE_POSTGRES"
BINARIES_ENV = "MESOPLAN_TEST_POSTGRES_BINARIES"


class PostgresUnavailable(Exception):
    """No PostgreSQL server could be found or started; the message says why."""


def postgres_required() -> bool:
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")


def _server_binaries() -> Path | None:
    """The newest /usr/lib/postgresql/*/bin (``MESOPLAN_TEST_POSTGRES_BINARIES`` overrides the
    folder searched, e.g. to check what happens on a machine without PostgreSQL)."""
    root = Path(os.environ.get(BINARIES_ENV, "/usr/lib/postgresql"))
    candidates = sorted(root.glob("*/bin/initdb"),
                        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    return candidates[-1].parent if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cluster_folder() -> Path:
    """A new folder for the cluster: in memory (/dev/shm) where there is one, so cloning the
    template database per test costs about 10 ms rather than a few hundred on a busy disk."""
    shm = Path("/dev/shm")
    roomy = shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 512 * 2**20
    parent = str(shm) if roomy else None  # containers often give /dev/shm only 64 MB
    return Path(tempfile.mkdtemp(prefix="mesoplan-test-pg-", dir=parent))


@dataclass
class ThrowawayCluster:
    """A PostgreSQL cluster in a temporary folder, owned by a non-root user, trust auth on localhost."""

    bin_dir: Path
    folder: Path = field(default_factory=_cluster_folder)
    port: int = 0
    run_as: str | None = None

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        command = list(args)
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=60)

    def start(self) -> str:
        if os.geteuid() == 0:
            self.run_as = _unprivileged_user()
            os.chown(self.folder, pwd.getpwnam(self.run_as).pw_uid, -1)
        data = self.folder / "data"
        done = self._run(str(self.bin_dir / "initdb"), "-D", str(data), "-U", "mesoplan",
                         "--auth=trust", "-E", "UTF8", "--no-sync")
        if done.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")
        for _attempt in range(3):
            self.port = _free_port()
            options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off")
            done = self._run(str(self.bin_dir / "pg_ctl"), "-D", str(data), "-l",
                             str(self.folder / "log"), "-w", "-o", options, "start")
            if done.returncode == 0:
                atexit.register(self.stop)
                return f"postgresql+psycopg://mesoplan@127.0.0.1:{self.port}/postgres"
        log = (self.folder / "log").read_text(errors="replace")[-2000:] if (self.folder / "log").exists() else ""
        raise PostgresUnavailable(f"pg_ctl could not start the server: {done.stderr.strip()} {log}")

    def stop(self) -> None:
        if self.folder.exists():
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.folder / "data"), "-m",
                      "immediate", "stop")
            shutil.rmtree(self.folder, ignore_errors=True)


def _unprivileged_user() -> str:
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise PostgresUnavailable("running as root and there is no 'postgres' or 'nobody' user for initdb")


class PostgresServer:
    """The session's server: a template database migrated once, and one clone per test."""

    def __init__(self, admin_url: str, cluster: ThrowawayCluster | None = None) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.admin_url = make_url(admin_url)
        self.cluster = cluster
        self.engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        self.prefix = f"mesoplan_t{os.getpid()}"
        self.template = f"{self.prefix}_template"
        self._numbers = itertools.count(1)
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        from sqlalchemy import text
        from sqlalchemy.exc import OperationalError

        deadline = time.monotonic() + 15
        while True:
            try:
                with self.engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
                return
            except OperationalError as exc:
                if time.monotonic() > deadline:
                    raise PostgresUnavailable(f"cannot connect to {self.describe()}: {exc.orig}") from exc
                time.sleep(0.2)

    def describe(self) -> str:
        return self.admin_url.render_as_string(hide_password=True)

    def url_for(self, name: str) -> str:
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def _execute(self, statement: str) -> None:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            conn.execute(text(statement))

    def build_template(self) -> None:
        """Create, migrate and seed the template database (once per session)."""
        from mesoplan.db.engine import open_database

        self._execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self._execute(f'CREATE DATABASE "{self.template}"')
        database = open_database(self.url_for(self.template))
        database.dispose()

    def new_database(self, *, from_template: bool = True) -> str:
        """A fresh database (a clone of the template, or empty) for one test; returns its URL."""
        name = f"{self.prefix}_{next(self._numbers)}"
        source = f' TEMPLATE "{self.template}" STRATEGY FILE_COPY' if from_template else ""
        self._execute(f'CREATE DATABASE "{name}"{source}')
        return self.url_for(name)

    def drop_database(self, url: str) -> None:
        from sqlalchemy.engine import make_url

        self._execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')

    def close(self) -> None:
        try:
            self._execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        finally:
            self.engine.dispose()
            if self.cluster is not None:
                self.cluster.stop()


def start_postgres_server() -> PostgresServer:
    """The server named by the environment, else a throwaway cluster; raises PostgresUnavailable."""
    url = os.environ.get(URL_ENV)
    if url:
        return PostgresServer(url)
    bin_dir = _server_binaries()
    if bin_dir is None:
        raise PostgresUnavailable(
            f"{URL_ENV} is not set and no PostgreSQL server binaries were found in "
            "/usr/lib/postgresql/*/bin (install the 'postgresql' package or set the variable)")
    cluster = ThrowawayCluster(bin_dir)
    try:
        return PostgresServer(cluster.start(), cluster)
    except Exception:
        cluster.stop()
        raise
