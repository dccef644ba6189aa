"""A DocumentRequest as JSON and back, so an issued document can be stored and reprinted identically.

Dates are ISO strings, the logo is base64, sets are sorted lists; keys are sorted so equal requests
give equal text. Reading reports every bad field with its path instead of stopping at the first.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import json
import types
import typing
from functools import cache
from typing import Any

from mesoplan.documents.content import DocumentRequest
from mesoplan.errors import Problem, ValidationError

FORMAT_VERSION = 1


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, (dt.date, dt.time)):  # datetime is never used in a request
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(_encode(v) for v in value)
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    return value


def request_to_dict(request: DocumentRequest) -> dict[str, Any]:
    """The request as plain JSON-ready data, with a format number for future readers."""
    return {"format": FORMAT_VERSION, "request": _encode(request)}


def request_to_json(request: DocumentRequest) -> str:
    """Canonical JSON text: sorted keys, no spaces, non-ASCII kept as is."""
    return json.dumps(request_to_dict(request), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


class _Decoder:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def value(self, hint: Any, raw: Any, where: str) -> Any:
        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        if origin in (typing.Union, types.UnionType):
            if raw is None and type(None) in args:
                return None
            return self.value(next(a for a in args if a is not type(None)), raw, where)
        if origin is typing.Literal:
            if raw not in args:
                self.fail(where, f"{raw!r} is not one of {', '.join(map(repr, args))}")
            return raw
        if origin in (tuple, frozenset):
            if not isinstance(raw, list):
                self.fail(where, "expected a list")
                return origin()
            items = [self.value(args[0], item, f"{where}[{i}]") for i, item in enumerate(raw)]
            return origin(items)
        if dataclasses.is_dataclass(hint):
            return self.record(hint, raw, where)
        return self.scalar(hint, raw, where)

    def scalar(self, hint: Any, raw: Any, where: str) -> Any:
        try:
            if hint is dt.date:
                return dt.date.fromisoformat(raw)
            if hint is dt.time:
                return dt.time.fromisoformat(raw)
            if hint is bytes:
                return base64.b64decode(raw, validate=True)
        except (TypeError, ValueError, binascii.Error):
            expected = {dt.date: "a date (YYYY-MM-DD)", dt.time: "a time (HH:MM)", bytes: "base64 data"}
            self.fail(where, f"{raw!r} is not {expected[hint]}")
            return None
        if hint is float and isinstance(raw, int) and not isinstance(raw, bool):
            return float(raw)
        if not isinstance(raw, hint) or (hint is int and isinstance(raw, bool)):
            self.fail(where, f"{raw!r} is not a {hint.__name__}")
            return hint()
        return raw

    def record(self, cls: type, raw: Any, where: str) -> Any:
        if not isinstance(raw, dict):
            self.fail(where, "expected an object")
            return None
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            path = f"{where}.{f.name}" if where else f.name
            if f.name in raw:
                values[f.name] = self.value(_hints(cls)[f.name], raw[f.name], path)
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                self.fail(path, "is missing")
        for extra in sorted(set(raw) - {f.name for f in dataclasses.fields(cls)}):
            self.fail(f"{where}.{extra}" if where else extra, "is not a known field")
        if self.problems:
            return None
        try:
            return cls(**values)
        except ValidationError as error:
            self.problems.extend(Problem(f"{where}: {p.where}" if where else p.where, p.message)
                                 for p in error.problems)
            return None


def request_from_json(data: str | bytes | dict[str, Any]) -> DocumentRequest:
    """Read what ``request_to_json`` (or ``request_to_dict``) wrote; raises ValidationError if bad."""
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as error:
            raise ValidationError(f"not valid JSON ({error})", where="stored document request") from None
    if not isinstance(data, dict) or "request" not in data:
        raise ValidationError("expected an object with 'format' and 'request'", where="stored document request")
    if data.get("format") != FORMAT_VERSION:
        raise ValidationError(
            f"format {data.get('format')!r} is not supported; this version reads format {FORMAT_VERSION}",
            where="stored document request",
        )
    decoder = _Decoder()
    request = decoder.record(DocumentRequest, data["request"], "")
    if decoder.problems:
        raise ValidationError(decoder.problems)
    return request
