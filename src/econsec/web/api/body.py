"""The one reader of JSON request bodies for every capability's API.

A body is read after the role check (a body declared in an operation's signature would be
parsed, and refused, before it, so a caller without the role would not always get 403), and
refused with a located message in the caller's language when it is:

- larger than the operation's limit (4 MiB unless the operation allows more): 413;
- not UTF-8 (the byte offset of the first bad byte), or not JSON (line, column, byte offset);
- nested deeper than 32 arrays and objects;
- carrying NaN or Infinity, a number that overflows a float, or an integer beyond 64 bits
  (no store column holds one, and PostgreSQL and SQLite would disagree on it);
- an object with the same key twice (JSON leaves the meaning open; Python keeps the last);
- not an object at the top level;
- not what the operation's schema describes (each field named with its value).

The JSON-level checks (:func:`read_json`) are plain Python, testable without Django.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, TypeVar

from django.http import HttpRequest
from ninja import Schema
from ninja.errors import HttpError
from pydantic import ValidationError

from econsec.i18n import t

from ..language import request_language

MiB = 1024 * 1024
DEFAULT_LIMIT = 4 * MiB
MAX_DEPTH = 32
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
_VALUE_CHARS = 60
_MAX_FIELD_ERRORS = 10
_LONG_INTEGER = re.compile(r"-?\d{1000,}")
# Strings (skipped whole, escapes included) and the brackets outside them.
_TOKENS = re.compile(r'"(?:[^"\\]++|\\.)*+"|[\[\]{}]', re.S)

S = TypeVar("S", bound=Schema)


class BodyRefused(Exception):
    """A body refused before its schema sees it: the message key, its parameters, the status."""

    def __init__(self, message_key: str, status: int = 400, **params: Any) -> None:
        super().__init__(message_key)
        self.key = message_key
        self.status = status
        self.params = params

    def message(self, lang: str) -> str:
        params = dict(self.params)
        if isinstance(params.get("where"), tuple):
            params["where"] = _where(params["where"], lang)
        return t(self.key, lang, **params)


class _Duplicate(dict[str, Any]):
    """An object that had a key twice (found while parsing, refused with its place after)."""

    key: str = ""


class _Constant:
    """NaN, Infinity or -Infinity where a number stood (refused with its place after)."""

    def __init__(self, text: str) -> None:
        self.text = text


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) == len(pairs):
        return found
    seen: set[str] = set()
    marked = _Duplicate(found)
    for key, _ in pairs:
        if key in seen:
            marked.key = key
            break
        seen.add(key)
    return marked


def _megabytes(size: int) -> str:
    return f"{size / MiB:,.1f} MB"


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _VALUE_CHARS else text[:_VALUE_CHARS] + "…"


def _where(chain: tuple[Any, ...], lang: str) -> str:
    """``events[3].title`` from the chain ((((), "events"), 3), "title")."""
    keys: list[Any] = []
    while chain:
        chain, key = chain
        keys.append(key)
    text = ""
    for key in reversed(keys):
        if isinstance(key, int):
            text += f"[{key}]"
        else:
            name = _shown(str(key))
            text += f".{name}" if text else name
    return text or t("web.api.body.top", lang)


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return "number"


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _deep_offset(text: str) -> int:
    """The byte offset of the bracket that opens level ``MAX_DEPTH + 1`` (0 if none)."""
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _byte_offset(text, match.start())
        elif token in "]}":
            depth -= 1
    return 0


def _check(node: Any, depth: int, chain: tuple[Any, ...]) -> None:
    """Refuse the first bad value under ``node`` (at ``depth``), naming its place."""
    if depth > MAX_DEPTH:
        raise BodyRefused("web.api.body.too_deep", where=chain, limit=MAX_DEPTH)
    if type(node) is _Duplicate:
        raise BodyRefused("web.api.body.duplicate_key", where=chain, key=_shown(node.key))
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in items:
        kind = type(value)
        if kind is dict or kind is list or kind is _Duplicate:
            _check(value, depth + 1, (chain, key))
        elif kind is int:
            if not INT_MIN <= value <= INT_MAX:
                raise BodyRefused(
                    "web.api.body.integer_range", where=(chain, key), value=_shown(value)
                )
        elif kind is float:
            if math.isinf(value):
                raise BodyRefused("web.api.body.float_range", where=(chain, key))
        elif kind is _Constant:
            raise BodyRefused("web.api.body.constant", where=(chain, key), value=value.text)


def read_json(raw: bytes, *, limit: int = DEFAULT_LIMIT, empty: Any = None) -> dict[str, Any]:
    """The JSON object in ``raw``, or :class:`BodyRefused` saying where and why it is not one.

    A blank body reads as ``empty`` when the operation has a meaning for it (else refused).
    """
    if len(raw) > limit:
        raise BodyRefused(
            "web.api.body.too_large", 413, size=_megabytes(len(raw)), limit=_megabytes(limit)
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BodyRefused("web.api.body.not_utf8", offset=exc.start) from None
    if not text.strip():
        if empty is not None:
            return dict(empty)
        raise BodyRefused("web.api.body.empty")
    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_constant=_Constant)
    except json.JSONDecodeError as exc:
        raise BodyRefused(
            "web.api.body.syntax",
            line=exc.lineno,
            column=exc.colno,
            offset=_byte_offset(text, exc.pos),
            detail=exc.msg,
        ) from None
    except RecursionError:
        raise BodyRefused(
            "web.api.body.too_deep_at", offset=_deep_offset(text), limit=MAX_DEPTH
        ) from None
    except ValueError:  # an integer of thousands of digits (Python's conversion limit)
        found = _LONG_INTEGER.search(text)
        offset = _byte_offset(text, found.start()) if found else 0
        raise BodyRefused("web.api.body.integer_at", offset=offset) from None
    if type(data) is not dict and type(data) is not _Duplicate:
        raise BodyRefused("web.api.body.not_object", kind=_kind(data))
    _check(data, 1, ())
    return data


# Pydantic's error types given in both languages (the rest keep pydantic's English words).
_PROBLEMS = frozenset(
    [
        "missing",
        "extra_forbidden",
        "string_type",
        "string_too_long",
        "string_too_short",
        "int_type",
        "int_parsing",
        "int_from_float",
        "float_type",
        "float_parsing",
        "bool_type",
        "bool_parsing",
        "greater_than_equal",
        "less_than_equal",
        "greater_than",
        "less_than",
        "literal_error",
        "enum",
        "date_type",
        "date_parsing",
        "date_from_datetime_parsing",
        "list_type",
        "dict_type",
        "model_type",
        "model_attributes_type",
        "too_long",
        "too_short",
        "finite_number",
    ]
)


def _problem(error: Any, lang: str) -> str:
    kind = error.get("type", "")
    detail = str(error.get("msg", ""))
    if kind in _PROBLEMS:
        try:
            return t(
                f"web.api.body.problem.{kind}", lang, detail=detail, **(error.get("ctx") or {})
            )
        except (KeyError, IndexError):
            pass
    return t("web.api.body.problem.other", lang, detail=detail)


def _field_message(exc: ValidationError, lang: str) -> str:
    parts = []
    errors = exc.errors()
    for error in errors[:_MAX_FIELD_ERRORS]:
        chain: tuple[Any, ...] = ()
        for key in error.get("loc", ()):
            chain = (chain, key)
        value = error.get("input")
        params = {"field": _where(chain, lang), "problem": _problem(error, lang)}
        if error.get("type") == "missing" or isinstance(value, dict):
            parts.append(t("web.api.body.field", lang, **params))
        else:
            parts.append(t("web.api.body.field_value", lang, value=_shown(value), **params))
    if len(errors) > _MAX_FIELD_ERRORS:
        parts.append(t("web.api.body.more", lang, count=len(errors) - _MAX_FIELD_ERRORS))
    return "; ".join(parts)


def json_body(
    request: HttpRequest, schema: type[S], *, limit: int = DEFAULT_LIMIT, empty: Any = None
) -> S:
    """The request's JSON body as ``schema``; else HttpError 400 (413 when too large) with a
    located message in the caller's language. Call it after the operation's role check."""
    lang = request_language(request)
    try:
        announced = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        announced = 0
    try:
        if announced > limit:  # refused before the body is read
            raise BodyRefused(
                "web.api.body.too_large", 413, size=_megabytes(announced), limit=_megabytes(limit)
            )
        data = read_json(request.body, limit=limit, empty=empty)
    except BodyRefused as exc:
        raise HttpError(exc.status, exc.message(lang)) from None
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise HttpError(400, _field_message(exc, lang)) from None
