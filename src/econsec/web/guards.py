"""What every request passes first: the body-size limit, the busy-database answer, the CSP.

- **Body size.** A request whose ``Content-Length`` exceeds the limit is refused (413) before
  anything reads its body: the global ``ECONSEC_MAX_REQUEST_BYTES``, or the smaller limit a
  capability registered for the view (``econsec.registry.register_body_limit``). Django reads
  no body without a ``Content-Length``, so the header is the whole story here; the embedded
  servers enforce the same global limit themselves (econsec.web.serve).
- **Busy database.** SQLite allows one writer at a time; a write that waited the whole busy
  timeout fails with "database is locked", and PostgreSQL reports lock timeouts, deadlocks and
  serialisation failures. None is the request's fault and all pass: the answer is 503 with
  ``Retry-After`` and a message in the user's language, never a 500.
- **NUL characters** in text (path, query, form fields, JSON) are refused (400): PostgreSQL
  cannot store them, and no text in econsec has them.
- **Content-Security-Policy** on every response (``ECONSEC_CSP``): scripts and styles only from
  this site's static files. A part of a page that needs more (a panel drawing map tiles from
  the configured tile server) puts the page's policy on the request as ``CSP_ATTR``; a policy
  the view set on the response itself wins.

See docs/decisions/0092-hardening-the-server.md.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import DatabaseError, DataError
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.html import escape

from econsec.i18n import t
from econsec.registry import registry
from econsec.registry import resolve as resolve_ref

from .language import browser_language

_BUSY_ATTR = "_econsec_database_busy"
# Room for a form's other fields and the multipart framing around an uploaded file.
FORM_ALLOWANCE = 1024 * 1024
# PostgreSQL: lock_not_available, deadlock_detected, serialization_failure.
_RETRYABLE_SQLSTATES = frozenset({"55P03", "40P01", "40001"})

CSP_ATTR = "econsec_csp"
"""Request attribute holding a page's own Content-Security-Policy (set by server code only)."""


def database_busy(exc: BaseException | None) -> bool:
    """Whether ``exc`` says the database is busy with other work (worth retrying)."""
    while exc is not None:
        if getattr(exc, "sqlstate", None) in _RETRYABLE_SQLSTATES:  # psycopg's errors
            return True
        if isinstance(exc, DatabaseError) or type(exc).__module__ == "sqlite3":
            text = str(exc).lower()
            if "database is locked" in text or "database table is locked" in text:
                return True
        exc = exc.__cause__ or exc.__context__
    return False


def _language(request: HttpRequest) -> str:
    # Set by the language middleware when the request got that far; else the browser's.
    found = getattr(request, "_econsec_language", None)
    return str(found) if found else browser_language(request)


def _wants_json(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if _wants_json(request):
        return HttpResponse(
            json.dumps({"detail": message}, ensure_ascii=False),
            status=status,
            content_type="application/json",
        )
    lang = _language(request)
    page = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{escape(title)} · econsec</title></head>"
        f"<body><h1>{escape(title)}</h1><p>{escape(message)}</p></body></html>"
    )
    return HttpResponse(page, status=status, content_type="text/html; charset=utf-8")


def busy_response(request: HttpRequest) -> HttpResponse:
    lang = _language(request)
    seconds = int(settings.ECONSEC_RETRY_AFTER_SECONDS)
    response = _error(
        request,
        503,
        t("web.busy.title", lang),
        t("web.busy.message", lang, seconds=seconds),
    )
    response["Retry-After"] = str(seconds)
    return response


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"


def too_large_response(request: HttpRequest, size: int, limit: int) -> HttpResponse:
    lang = _language(request)
    response = _error(
        request,
        413,
        t("web.too_large.title", lang),
        t("web.too_large.message", lang, size=_megabytes(size), limit=_megabytes(limit)),
    )
    # The unread body is still on the connection: do not reuse it for another request.
    response["Connection"] = "close"
    return response


def form_limit(file_bytes: int) -> int:
    """The body limit for a form that uploads one file of at most ``file_bytes``."""
    return file_bytes + FORM_ALLOWANCE


def body_limit(request: HttpRequest) -> int:
    """The largest body this request's view accepts."""
    limit = int(settings.ECONSEC_MAX_REQUEST_BYTES)
    if not registry.body_limits:
        return limit
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return limit
    own = registry.body_limits.get(match.view_name)
    if own is None:
        return limit
    value = own if isinstance(own, int) else int(resolve_ref(own)())
    return min(limit, value)


def _content_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0  # Django reads no body it cannot size


# A NUL character in JSON text: the escape "\u0000", read from the start as JSON reads escapes
# (a backslash takes the character after it), so "\\u0000" is a backslash and "u0000". Possessive
# repeats: one pass over the body, no backtracking, whatever its backslashes.
_JSON_NUL = re.compile(rb"(?:[^\\]++|\\(?!u0000)[\s\S])*+\\u0000")


def json_carries_nul(body: bytes) -> bool:
    """Whether the JSON text ``body`` holds a NUL, raw or escaped (linear time)."""
    if b"\x00" in body:
        return True
    # The common case is decided by one substring search; the pattern runs only when an
    # escape that may be a NUL is there at all.
    return b"\\u0000" in body and _JSON_NUL.match(body) is not None


def carries_nul(request: HttpRequest) -> bool:
    """Whether the request's path, query, urlencoded form or JSON body holds a NUL character.

    No field of econsec can hold one and PostgreSQL refuses to store it, so it is refused
    here, the same way on every database. A multipart body is not read here (parsing it would
    consume the stream a view may want raw); a NUL from one of its text fields is caught
    when the database refuses it (:func:`nul_refused`). Uploaded files may hold anything.
    """
    if "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    if request.content_type == "application/json":
        return json_carries_nul(request.body)
    if request.content_type == "application/x-www-form-urlencoded":
        body = request.body  # kept: the form is parsed from it later
        return b"\x00" in body or b"%00" in body
    return False


def nul_refused(exc: BaseException | None) -> bool:
    """Whether ``exc`` is PostgreSQL refusing a NUL character in text."""
    while exc is not None:
        if isinstance(exc, DataError) and "0x00" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def nul_response(request: HttpRequest) -> HttpResponse:
    lang = _language(request)
    return _error(request, 400, t("web.nul.title", lang), t("web.nul.message", lang))


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        size = _content_length(request)
        response: HttpResponse | None = None
        if size:
            limit = body_limit(request)
            if size > limit:
                response = too_large_response(request, size, limit)
        if response is None and carries_nul(request):
            response = nul_response(request)
        if response is None:
            response = self.get_response(request)
            if response.status_code == 500 and getattr(request, _BUSY_ATTR, False):
                # Raised below a middleware's own exception guard (e.g. saving the session).
                response = busy_response(request)
        response.headers.setdefault(
            "Content-Security-Policy", getattr(request, CSP_ATTR, settings.ECONSEC_CSP)
        )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        if database_busy(exception):
            return busy_response(request)
        if nul_refused(exception):
            return nul_response(request)
        return None


def _note_busy(sender: Any, request: HttpRequest | None = None, **_: Any) -> None:
    # Sent while Django turns an exception into a 500; the exception is the one being handled.
    if request is not None and database_busy(sys.exc_info()[1]):
        setattr(request, _BUSY_ATTR, True)


got_request_exception.connect(_note_busy, dispatch_uid="econsec.web.guards.busy")
