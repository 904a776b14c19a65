"""Concentration measures over grouped weights: HHI, top share, group share.

HHI = Σ sᵢ² over the shares sᵢ (fractions 0–1) of each key (country, supplier) within a group
(a slot, an item, a product). Everything is vectorised over all groups at once: one sort per
(group, key) pairing, then segment sums.
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


class Pairs:
    """The distinct (group, key) pairs of a set of rows, found with one sort."""

    def __init__(self, group: IntArray, key: IntArray, n_groups: int, n_keys: int) -> None:
        self.n_groups = n_groups
        self.group_of_row = group
        combo = group * np.int64(max(n_keys, 1)) + key
        self.order = np.argsort(combo, kind="stable")
        sorted_combo = combo[self.order]
        first = np.ones(sorted_combo.shape[0], dtype=bool)
        first[1:] = sorted_combo[1:] != sorted_combo[:-1]
        self.starts = np.flatnonzero(first)
        uniq = sorted_combo[self.starts]
        self.group = (uniq // max(n_keys, 1)).astype(np.int64)
        self.key = (uniq % max(n_keys, 1)).astype(np.int64)

    def per_group_count(self, pair_mask: BoolArray | None = None) -> IntArray:
        """Distinct keys per group (only pairs in ``pair_mask`` when given)."""
        g = self.group if pair_mask is None else self.group[pair_mask]
        return np.bincount(g, minlength=self.n_groups).astype(np.int64)

    def pair_sum(self, values: npt.NDArray[np.float64] | BoolArray) -> FloatArray:
        """Sum of a per-row value over each pair."""
        if self.starts.shape[0] == 0:
            return np.zeros(0)
        return np.add.reduceat(np.asarray(values, dtype=np.float64)[self.order], self.starts)


def grouped(pairs: Pairs, weight: FloatArray) -> Concentration:
    """Concentration of ``weight`` (one value per row of ``pairs``) within each group.

    A group whose weights include a NaN, or that sum to zero, gets NaN (unknown, not zero).
    """
    n_groups = pairs.n_groups
    weight = np.asarray(weight, dtype=np.float64)
    unknown = np.zeros(n_groups, dtype=bool)
    unknown[pairs.group_of_row[~np.isfinite(weight)]] = True
    sums = pairs.pair_sum(np.where(np.isfinite(weight), weight, 0.0))
    total = np.bincount(pairs.group, weights=sums, minlength=n_groups)
    unknown |= total <= 0
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.nan_to_num(sums / total[pairs.group])
    # bincount of nothing is an int array even with weights: no links at all must still work.
    h = np.bincount(pairs.group, weights=share**2, minlength=n_groups).astype(np.float64)
    top_share = np.full(n_groups, -1.0)
    top_key = np.full(n_groups, -1, dtype=np.int64)
    if share.size:
        # Pairs are sorted by group: each group's maximum is a segment reduction.
        gstart = np.flatnonzero(np.r_[True, pairs.group[1:] != pairs.group[:-1]])
        seg_max = np.maximum.reduceat(share, gstart)
        groups_present = pairs.group[gstart]
        top_share[groups_present] = seg_max
        hit = share >= top_share[pairs.group]
        idx = np.flatnonzero(hit)
        first = np.r_[True, pairs.group[idx][1:] != pairs.group[idx][:-1]]
        top_key[pairs.group[idx][first]] = pairs.key[idx][first]
    top_share[top_share < 0] = np.nan
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
