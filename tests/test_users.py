"""Sign-in and user accounts: first administrator, Argon2id hashes, failures recorded, roles, settings."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mesoplan import security
from mesoplan.access import Role, nobody
from mesoplan.db.models import AuditEntry, User
from mesoplan.errors import NotFound, PermissionDenied, ValidationError
from mesoplan.services.uow import read, work
from mesoplan.services.users import (
    SignInFailed,
    add_user,
    create_first_administrator,
    get_safety_settings,
    has_users,
    list_users,
    set_active,
    set_password,
    set_roles,
    sign_in,
    update_safety_settings,
)

PASSWORD = "correct horse 1"


def _actions(db) -> list[tuple[str, str, str]]:
    with db.sessions() as session:
        return [(e.actor, e.action, e.summary) for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


@pytest.fixture
def admin(db):
    """The first administrator, signed in."""
    return create_first_administrator(db, "Anna", PASSWORD, display_name="Anna Admin",
                                      roles={Role.PRACTITIONER})


def test_first_start_creates_the_administrator_with_an_argon2id_hash(db):
    with read(db, nobody()) as uow:
        assert has_users(uow) is False
    actor = create_first_administrator(db, "Anna", PASSWORD, display_name="Anna Admin")
    assert actor.roles == {Role.ADMINISTRATOR}
    assert actor.name == "Anna Admin (anna)"
    with db.sessions() as session:
        user = session.scalars(select(User)).one()
    assert user.username == "anna"
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    with read(db, nobody()) as uow:
        assert has_users(uow) is True
    with pytest.raises(ValidationError, match="already has users"):
        create_first_administrator(db, "mallory", PASSWORD)
    assert ("anna", "user.create", "Added user anna") in _actions(db)


def test_sign_in_success_and_failures_are_recorded(db, admin):
    actor = sign_in(db, "ANNA", PASSWORD)  # user names ignore case
    assert actor.user_id == admin.user_id
    assert actor.roles == {Role.ADMINISTRATOR, Role.PRACTITIONER}
    with pytest.raises(SignInFailed, match="Unknown user name or wrong password"):
        sign_in(db, "anna", "wrong password")
    with pytest.raises(SignInFailed, match="Unknown user name or wrong password"):
        sign_in(db, "nobody-here", PASSWORD)
    actions = [(who, action) for who, action, _ in _actions(db)]
    assert actions[-3:] == [("anna", "sign_in"), ("anna", "sign_in.failed"),
                            ("nobody-here", "sign_in.failed")]
    with db.sessions() as session:
        assert session.scalars(select(User)).one().failed_sign_ins == 1
    sign_in(db, "anna", PASSWORD)
    with db.sessions() as session:
        user = session.scalars(select(User)).one()
        assert user.failed_sign_ins == 0 and user.last_sign_in_at is not None


def test_a_stronger_hash_setting_rehashes_at_sign_in(db, admin):
    with db.sessions() as session:
        old_hash = session.scalars(select(User)).one().password_hash
    security.use_hash_cost(time_cost=2, memory_cost_kib=2048)
    try:
        sign_in(db, "anna", PASSWORD)
    finally:
        security.use_hash_cost(time_cost=1, memory_cost_kib=1024)
    with db.sessions() as session:
        new_hash = session.scalars(select(User)).one().password_hash
    assert new_hash != old_hash and "m=2048,t=2" in new_hash
    assert sign_in(db, "anna", PASSWORD).user_id == admin.user_id


def test_users_are_managed_by_administrators_only(db, admin, practitioner_actor):
    with work(db, admin) as uow:
        user = add_user(uow, "desk", "front desk pw", [Role.FRONT_DESK], display_name="Desk")
    assert user.roles == {Role.FRONT_DESK}
    desk = sign_in(db, "desk", "front desk pw")
    for who in (desk, practitioner_actor):
        with pytest.raises(PermissionDenied, match="may not manage users"):
            with work(db, who) as uow:
                add_user(uow, "eve", "some password", [Role.ADMINISTRATOR])
    with read(db, admin) as uow:
        assert [u.username for u in list_users(uow)] == ["anna", "desk"]


def test_role_changes_are_audited_with_before_and_after(db, admin):
    with work(db, admin) as uow:
        add_user(uow, "bob", "bob password", [Role.FRONT_DESK])
    with work(db, admin) as uow:
        record = set_roles(uow, "bob", [Role.PRACTITIONER, Role.FRONT_DESK])
    assert record.roles == {Role.PRACTITIONER, Role.FRONT_DESK}
    with db.sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "user.roles")).one()
    assert entry.before == {"roles": ["front_desk"]}
    assert entry.after == {"roles": ["front_desk", "practitioner"]}
    assert entry.actor == admin.name


def test_the_last_administrator_cannot_be_removed_or_disabled(db, admin):
    with pytest.raises(ValidationError, match="only active administrator"):
        with work(db, admin) as uow:
            set_roles(uow, "anna", [Role.PRACTITIONER])
    with pytest.raises(ValidationError, match="only active administrator"):
        with work(db, admin) as uow:
            set_active(uow, "anna", False)


def test_a_disabled_user_cannot_sign_in(db, admin):
    with work(db, admin) as uow:
        add_user(uow, "carol", "carol password", [Role.PRACTITIONER])
        set_active(uow, "carol", False)
    with pytest.raises(SignInFailed, match="disabled"):
        sign_in(db, "carol", "carol password")
    with work(db, admin) as uow:
        set_active(uow, "carol", True)
    assert sign_in(db, "carol", "carol password").roles == {Role.PRACTITIONER}


def test_passwords_are_changed_by_their_owner_or_an_administrator(db, admin):
    with work(db, admin) as uow:
        add_user(uow, "dave", "dave password", [Role.PRACTITIONER])
    dave = sign_in(db, "dave", "dave password")
    with pytest.raises(ValidationError, match="current password: is not right"):
        with work(db, dave) as uow:
            set_password(uow, "dave", "new dave pw", current_password="guess")
    with work(db, dave) as uow:
        set_password(uow, "dave", "new dave pw", current_password="dave password")
    with pytest.raises(PermissionDenied):
        with work(db, dave) as uow:
            set_password(uow, "anna", "taken over!")
    with work(db, admin) as uow:
        set_password(uow, "dave", "reset by anna")
    assert sign_in(db, "dave", "reset by anna").user_id == dave.user_id
    assert [a for _, a, _ in _actions(db)].count("user.password") == 2


@pytest.mark.parametrize("name, password, message", [
    ("", "long enough pw", "user name: '' is not usable"),
    ("has space", "long enough pw", "is not usable"),
    ("erin", "short", "at least 8 characters"),
    ("erin", "        ", "cannot be only spaces"),
    ("erinerin", "ERINERIN", "same as the user name"),
    ("anna", "long enough pw", "'anna' is already taken"),
])
def test_bad_account_input_is_refused_and_changes_nothing(db, admin, name, password, message):
    before = _actions(db)
    with pytest.raises(ValidationError, match=message):
        with work(db, admin) as uow:
            add_user(uow, name, password, [Role.PRACTITIONER])
    assert _actions(db) == before


def test_the_first_account_must_be_an_administrator(db, actor):
    with pytest.raises(ValidationError, match="first user must be an administrator"):
        with work(db, actor) as uow:
            add_user(uow, "pat", "practitioner pw", [Role.PRACTITIONER])
    with work(db, actor) as uow:
        add_user(uow, "pat", "practitioner pw", [Role.PRACTITIONER, Role.ADMINISTRATOR])


def test_unknown_user_is_not_found_for_an_administrator(db, admin):
    with pytest.raises(NotFound, match="no user 'ghost'"):
        with work(db, admin) as uow:
            set_active(uow, "ghost", False)


def test_idle_lock_and_other_safety_settings_are_stored_and_audited(db, admin, practitioner_actor):
    with read(db, practitioner_actor) as uow:
        assert get_safety_settings(uow).idle_lock_minutes is None
    with work(db, admin) as uow:
        settings = update_safety_settings(uow, idle_lock_minutes=5, backup_keep=30)
    assert (settings.idle_lock_minutes, settings.backup_keep) == (5, 30)
    with read(db, practitioner_actor) as uow:
        assert get_safety_settings(uow).idle_lock_minutes == 5
    with db.sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "settings.update")).one()
    assert entry.before == {"idle_lock_minutes": None, "backup_keep": 14}
    assert entry.after == {"idle_lock_minutes": 5, "backup_keep": 30}
    with pytest.raises(PermissionDenied, match="may not change clinic settings"):
        with work(db, practitioner_actor) as uow:
            update_safety_settings(uow, idle_lock_minutes=1)
    with pytest.raises(ValidationError, match="backup keep: must be a whole number of backups from 1"):
        with work(db, admin) as uow:
            update_safety_settings(uow, backup_keep=0, retention_years=3)
    with read(db, admin) as uow:
        assert get_safety_settings(uow).retention_years == 10


# --- the command line ------------------------------------------------------------------------------


def _run(capsys, *args: str) -> tuple[int, str, str]:
    from mesoplan import cli

    status = cli.main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_commands_act_as_local_administrator_until_accounts_exist(db, capsys, monkeypatch):
    url = ["--database", db.url]
    monkeypatch.setenv("MESOPLAN_NEW_PASSWORD", "first admin pw")
    status, out, err = _run(capsys, *url, "users", "add", "Root", "--role", "administrator",
                            "--role", "practitioner", "--display-name", "Dr Root")
    assert status == 0 and "Added user root (Administrator, Practitioner)" in out
    status, out, err = _run(capsys, *url, "users", "list")
    assert status == 1 and "--user NAME" in err and "MESOPLAN_PASSWORD" in err
    monkeypatch.setenv("MESOPLAN_PASSWORD", "wrong password")
    status, out, err = _run(capsys, *url, "--user", "root", "users", "list")
    assert status == 1 and "Unknown user name or wrong password" in err
    monkeypatch.setenv("MESOPLAN_PASSWORD", "first admin pw")
    status, out, err = _run(capsys, *url, "--user", "root", "users", "list")
    assert status == 0 and "root" in out and "Dr Root" in out
    monkeypatch.setenv("MESOPLAN_NEW_PASSWORD", "desk password")
    assert _run(capsys, *url, "--user", "root", "users", "add", "desk", "--role", "front-desk")[0] == 0
    monkeypatch.setenv("MESOPLAN_PASSWORD", "desk password")
    status, out, err = _run(capsys, *url, "--user", "desk", "users", "disable", "root")
    assert status == 1 and "desk (Front desk) may not manage users" in err
    monkeypatch.setenv("MESOPLAN_NEW_PASSWORD", "changed desk pw")
    assert _run(capsys, *url, "--user", "desk", "users", "passwd", "desk")[0] == 0  # own password
    monkeypatch.setenv("MESOPLAN_PASSWORD", "first admin pw")
    status, out, err = _run(capsys, *url, "--user", "root", "users", "roles", "desk", "--role", "nurse")
    assert status == 1 and "'nurse' is not a role" in err
    assert _run(capsys, *url, "--user", "root", "users", "disable", "desk")[0] == 0
    actions = [action for _, action, _ in _actions(db)]
    assert actions.count("sign_in") >= 4 and "sign_in.failed" in actions and "user.disable" in actions


def test_a_password_is_never_read_from_a_missing_terminal(db, capsys, monkeypatch):
    with work(db, _local()) as uow:
        add_user(uow, "root", "first admin pw", [Role.ADMINISTRATOR])
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    status, out, err = _run(capsys, "--database", db.url, "--user", "root", "users", "list")
    assert status == 1 and "set MESOPLAN_PASSWORD" in err


def _local():
    from mesoplan.access import local_command_actor

    return local_command_actor()
