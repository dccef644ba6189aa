"""What every sub-command shares: the database it works on and who it acts as.

While a database has no user accounts, commands act as the local administrator (whoever can open
the file or reach the server). Once it has accounts, a command must name its user with the global
``--user NAME`` option; the password is read from ``MESOPLAN_PASSWORD`` or asked for. The sign-in
is checked and recorded like one in the window.
"""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass, field

from mesoplan.access import Actor, local_command_actor, nobody
from mesoplan.db.engine import Database, open_database
from mesoplan.errors import MesoPlanError
from mesoplan.paths import database_url

PASSWORD_ENV = "MESOPLAN_PASSWORD"
NEW_PASSWORD_ENV = "MESOPLAN_NEW_PASSWORD"


def ask_password(prompt: str, environment_variable: str) -> str:
    """A password from the environment, else typed at the terminal (not echoed)."""
    value = os.environ.get(environment_variable)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise MesoPlanError(f"No terminal to ask for the password: set {environment_variable}.")
    return getpass.getpass(prompt)


def ask_new_password(username: str) -> str:
    """A new password from ``MESOPLAN_NEW_PASSWORD``, else typed twice at the terminal."""
    if os.environ.get(NEW_PASSWORD_ENV) is not None:
        return os.environ[NEW_PASSWORD_ENV]
    first = ask_password(f"New password for {username}: ", NEW_PASSWORD_ENV)
    if getpass.getpass("Type it again: ") != first:
        raise MesoPlanError("The two passwords differ; nothing was changed.")
    return first


@dataclass
class CommandContext:
    database_url: str | None = None
    user: str | None = None
    """The ``--user`` option: who runs the command once the database has accounts."""
    _database: Database | None = field(default=None, repr=False)
    _actor: Actor | None = field(default=None, repr=False)
    sign_in_password: str | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return database_url(self.database_url)

    @property
    def database(self) -> Database:
        """The database, opened (and migrated) on first use."""
        if self._database is None:
            self._database = open_database(self.url)
        return self._database

    @property
    def actor(self) -> Actor:
        if self._actor is None:
            self._actor = self._sign_in()
        return self._actor

    def _sign_in(self) -> Actor:
        from mesoplan.services.uow import read
        from mesoplan.services.users import has_users, sign_in

        if self.user:
            self.sign_in_password = ask_password(f"Password for {self.user}: ", PASSWORD_ENV)
            return sign_in(self.database, self.user, self.sign_in_password)
        with read(self.database, nobody()) as uow:
            accounts = has_users(uow)
        if accounts:
            raise MesoPlanError(
                "This database has user accounts, so say who runs the command: put "
                "--user NAME before the command (the password is asked for, or read from "
                f"{PASSWORD_ENV}).")
        return local_command_actor()

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()
            self._database = None
