"""Password hashing for sign-in (pure): Argon2id hashes, checks and the password rules.

Only hashes are stored. A hash records its own cost parameters, so raising the cost later still
verifies old hashes, and ``needs_rehash`` says when a stored hash should be replaced at sign-in.
"""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from mesoplan.errors import Problem, ValidationError

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024

# argon2-cffi's defaults are the RFC 9106 "low memory" profile: 3 passes over 64 MiB, 4 lanes
# (about 0.15 s on a desktop). Tests lower the cost with ``use_hash_cost``.
_hasher = PasswordHasher(type=Type.ID)
_dummy_hash: str | None = None


def use_hash_cost(*, time_cost: int, memory_cost_kib: int, parallelism: int = 1) -> None:
    """Change the cost of new hashes (tests use a cheap setting; existing hashes keep working)."""
    global _hasher, _dummy_hash
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost_kib,
                             parallelism=parallelism, type=Type.ID)
    _dummy_hash = None


def password_problems(password: str, username: str = "") -> list[Problem]:
    """What is wrong with a new password (empty list: acceptable)."""
    problems: list[Problem] = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(Problem("password", f"must have at least {MIN_PASSWORD_LENGTH} characters"))
    elif len(password) > MAX_PASSWORD_LENGTH:
        problems.append(Problem("password", f"must have at most {MAX_PASSWORD_LENGTH} characters"))
    elif not password.strip():
        problems.append(Problem("password", "cannot be only spaces"))
    elif username and password.strip().casefold() == username.strip().casefold():
        problems.append(Problem("password", "must not be the same as the user name"))
    return problems


def check_new_password(password: str, username: str = "") -> None:
    problems = password_problems(password, username)
    if problems:
        raise ValidationError(problems)


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password`` with a fresh random salt."""
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """True when ``password`` matches; False for a wrong password or an unreadable hash."""
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with other parameters than new hashes get."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except (InvalidHashError, ValueError):
        return True


def dummy_verify(password: str) -> None:
    """Spend the time of one verification, so an unknown user name answers as slowly as a known one."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("not anyone's password")
    verify_password(_dummy_hash, password)
