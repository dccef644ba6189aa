"""Sub-commands of ``mesoplan``; each module has ``register(subparsers)``."""

from mesoplan.commands import audit, backup, catalog, demo, documents, exchange, plan, privacy, users

COMMAND_MODULES = (catalog, plan, demo, exchange, privacy, users, audit, backup, documents)
