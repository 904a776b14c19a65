"""Concentration measures over grouped weights: HHI, top share, group share.

HHI = Σ sᵢ² over the shares sᵢ (fractions 0–1) of each key (country, supplier) within a group
(a slot, an item, a product). Everything is vectorised over all groups at once.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def hhi(shares: FloatArray) -> float:
    """Herfindahl–Hirschman index of one set of shares (normalised to sum to 1)."""
    total = float(np.sum(shares))
    if total <= 0:
        return float("nan")
    s = np.asarray(shares, dtype=np.float64) / total
    return float(np.sum(s * s))


@dataclass(eq=False)
class Concentration:
    """Per group: HHI, the largest key's share and which key it is (-1 when undefined)."""

    hhi: FloatArray
    top_share: FloatArray
    top_key: IntArray


def grouped(
    group: IntArray, key: IntArray, weight: FloatArray, n_groups: int, n_keys: int
) -> Concentration:
    """Concentration of ``weight`` over ``key`` within each ``group``.

    A group whose weights include a NaN, or that sum to zero, gets NaN (unknown, not zero).
    """
    weight = np.asarray(weight, dtype=np.float64)
    unknown = np.zeros(n_groups, dtype=bool)
    unknown[group[~np.isfinite(weight)]] = True
    w = np.where(np.isfinite(weight), weight, 0.0)
    combo = group * np.int64(n_keys) + key
    uniq, inverse = np.unique(combo, return_inverse=True)
    sums = np.bincount(inverse, weights=w, minlength=uniq.shape[0])
    ugroup, ukey = uniq // n_keys, uniq % n_keys
    total = np.bincount(ugroup, weights=sums, minlength=n_groups)
    unknown |= total <= 0
    with np.errstate(invalid="ignore", divide="ignore"):
        share = sums / total[ugroup]
    h = np.bincount(ugroup, weights=np.nan_to_num(share) ** 2, minlength=n_groups)
    order = np.lexsort((-np.nan_to_num(share), ugroup))
    first = np.ones(order.shape[0], dtype=bool)
    first[1:] = ugroup[order][1:] != ugroup[order][:-1]
    top_share = np.full(n_groups, np.nan)
    top_key = np.full(n_groups, -1, dtype=np.int64)
    top_share[ugroup[order][first]] = share[order][first]
    top_key[ugroup[order][first]] = ukey[order][first]
    h[unknown] = np.nan
    top_share[unknown] = np.nan
    top_key[unknown] = -1
    return Concentration(h.astype(np.float64), top_share, top_key)


def group_share(
    group: IntArray,
    key_country: IntArray,
    weight: FloatArray,
    n_groups: int,
    countries: list[str],
    members: Collection[str],
) -> FloatArray:
    """Per group: the share of ``weight`` whose country is in ``members`` (NaN when unknown)."""
    member = np.array([c in members for c in countries], dtype=bool)
    weight = np.asarray(weight, dtype=np.float64)
    unknown = np.zeros(n_groups, dtype=bool)
    unknown[group[~np.isfinite(weight)]] = True
    w = np.where(np.isfinite(weight), weight, 0.0)
    total = np.bincount(group, weights=w, minlength=n_groups)
    inside = np.bincount(group, weights=w * member[key_country], minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(total > 0, inside / np.where(total > 0, total, 1.0), np.nan)
    out[unknown] = np.nan
    return out.astype(np.float64)
