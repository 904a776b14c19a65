"""Row gathers on compressed sparse arrays without building scipy matrices.

Slicing a scipy matrix by a list of rows validates indices, picks index dtypes and builds a new
matrix object: about 0.1 ms each time, several times per scenario. A sweep only needs the
positions of the rows' entries in ``indices``/``data``, which two numpy calls give.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


def _positions(indptr: IntArray, rows: IntArray) -> tuple[IntArray, IntArray]:
    """Positions of the entries of ``rows`` (in order), and how many entries each row has."""
    starts = indptr[rows]
    counts = indptr[rows + 1] - starts
    first = counts.cumsum() - counts  # where each row's run starts in the output
    total = int(first[-1] + counts[-1]) if rows.size else 0
    position = np.arange(total, dtype=np.int64) + (starts - first).repeat(counts)
    return position, counts


def entries(indptr: IntArray, rows: IntArray) -> tuple[IntArray, IntArray]:
    """Positions of the entries of ``rows`` (in order) and, per entry, its row's place in ``rows``.

    ``indptr`` is a CSR row pointer (or a CSC column pointer, for columns).
    """
    position, counts = _positions(indptr, rows)
    owner = np.arange(rows.size, dtype=np.int64).repeat(counts)
    return position, owner


def neighbours(indptr: IntArray, indices: IntArray, rows: IntArray) -> IntArray:
    """Column indices of every entry of ``rows`` (with repeats), like ``m[rows].indices``."""
    result: IntArray = indices[_positions(indptr, rows)[0]]
    return result
