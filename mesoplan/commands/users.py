"""``mesoplan users add|list|passwd|roles|disable|enable``: user accounts from the command line.

New passwords are typed twice at the terminal, or read from ``MESOPLAN_NEW_PASSWORD``.
"""

from __future__ import annotations

from mesoplan.access import Role, parse_roles
from mesoplan.commands.context import ask_new_password
from mesoplan.services.uow import read, work
from mesoplan.services.users import add_user, list_users, set_active, set_password, set_roles

_ROLE_NAMES = ", ".join(role.value for role in Role)


def register(subparsers) -> None:
    users = subparsers.add_parser("users", help="add, list and change user accounts",
                                  description="User accounts and their roles. The first account "
                                  "must be an administrator; from then on every command needs "
                                  "--user NAME.")
    commands = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    add = commands.add_parser("add", help="add a user account")
    add.add_argument("name", help="the user name (letters, digits, . - _ @)")
    add.add_argument("--role", action="append", required=True, metavar="ROLE",
                     help=f"a role ({_ROLE_NAMES}); repeat for several")
    add.add_argument("--display-name", default="", help="the name shown in records, e.g. 'Dr A. Smith'")
    add.set_defaults(handler=run_add)

    listing = commands.add_parser("list", help="list user accounts")
    listing.set_defaults(handler=run_list)

    passwd = commands.add_parser("passwd", help="set a user's password")
    passwd.add_argument("name")
    passwd.set_defaults(handler=run_passwd)

    roles = commands.add_parser("roles", help="replace a user's roles")
    roles.add_argument("name")
    roles.add_argument("--role", action="append", required=True, metavar="ROLE",
                       help=f"a role ({_ROLE_NAMES}); repeat for several")
    roles.set_defaults(handler=run_roles)

    for action, text in (("disable", "stop a user from signing in"), ("enable", "let a user sign in again")):
        command = commands.add_parser(action, help=text)
        command.add_argument("name")
        command.set_defaults(handler=run_set_active, active=action == "enable")


def run_add(args, context) -> int:
    roles = parse_roles(args.role)
    actor = context.actor
    password = ask_new_password(args.name)
    with work(context.database, actor) as uow:
        user = add_user(uow, args.name, password, roles, display_name=args.display_name)
    print(f"Added user {user.username} ({', '.join(sorted(r.label for r in user.roles))})")
    return 0


def run_list(args, context) -> int:
    with read(context.database, context.actor) as uow:
        users = list_users(uow)
    if not users:
        print("No user accounts yet: commands act as the local administrator.")
    for user in users:
        roles = ", ".join(sorted(r.label for r in user.roles))
        last = user.last_sign_in_at.strftime("%Y-%m-%d %H:%M") if user.last_sign_in_at else "never"
        state = "" if user.active else "  [disabled]"
        print(f"{user.username:<20} {user.display_name:<28} {roles:<40} last sign-in {last}{state}")
    return 0


def run_passwd(args, context) -> int:
    actor = context.actor
    password = ask_new_password(args.name)
    with work(context.database, actor) as uow:
        set_password(uow, args.name, password, current_password=context.sign_in_password)
    print(f"Password of {args.name} changed")
    return 0


def run_roles(args, context) -> int:
    roles = parse_roles(args.role)
    with work(context.database, context.actor) as uow:
        user = set_roles(uow, args.name, roles)
    print(f"{user.username} now has: {', '.join(sorted(r.label for r in user.roles))}")
    return 0


def run_set_active(args, context) -> int:
    with work(context.database, context.actor) as uow:
        user = set_active(uow, args.name, args.active)
    print(f"{user.username} is {'enabled' if user.active else 'disabled'}")
    return 0
