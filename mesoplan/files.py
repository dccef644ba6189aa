"""Files holding medical data: written whole or not at all, readable by their owner only, and
exchange files read back with a clear message when they are not valid JSON (no Qt, no database)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from mesoplan.errors import MesoPlanError, ValidationError
from mesoplan.safe_json import parse_json, size_problem


def write_private_file(path: Path, data: bytes) -> None:
    """Write ``data`` readable by the owner only (0600), under a temporary name renamed when complete."""
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)  # an older partial file may have had other permissions
    fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)


def json_bytes(document: Any) -> bytes:
    """A JSON document as MesoPlan writes it: UTF-8, readable, one trailing newline."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def read_json_file(path: Path) -> Any:
    """The parsed document; a missing, unreadable, too big, too deep or malformed file is a clear error."""
    try:
        too_big = size_problem(path.stat().st_size, str(path))
        if too_big is not None:
            raise ValidationError([too_big])
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MesoPlanError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise MesoPlanError(f"{path}: cannot be read (it is not UTF-8 text)") from None
    except OSError as exc:
        raise MesoPlanError(f"{path}: cannot be read ({exc.strerror or type(exc).__name__})") from None
    return parse_json(text, str(path))
