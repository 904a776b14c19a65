"""Compiled loops for the passes whose work is one small step per node, slot or element.

numba compiles these on first use and caches the machine code beside the module (or in the
user's cache directory when that is read-only), so only the first run on a machine pays for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba

F = TypeVar("F", bound=Callable[..., Any])


def jit(fn: F) -> F:
    """``numba.njit`` with an on-disk cache, typed for mypy (numba ships no type hints)."""
    return cast(F, numba.njit(cache=True, nogil=True)(fn))
