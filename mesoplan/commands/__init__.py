"""Sub-commands of ``mesoplan``; each module has ``register(subparsers)``.

The modules are imported only when the command line needs them (see ``command_modules``), so
opening the window does not import every service they use.
"""

from importlib import import_module

COMMAND_NAMES = ("catalog", "plan", "demo", "exchange", "documents", "users", "audit", "backup",
                 "privacy")


def command_modules():
    return tuple(import_module(f"mesoplan.commands.{name}") for name in COMMAND_NAMES)
