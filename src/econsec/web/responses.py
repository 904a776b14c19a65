"""Responses every capability's pages use."""

from __future__ import annotations

from django.http import HttpResponse


def see_other(url: str) -> HttpResponse:
    """303 after a POST: the browser follows with a GET (and it is told apart from the 302 the
    role guard sends to the sign-in page)."""
    response = HttpResponse(status=303)
    response["Location"] = url
    return response
