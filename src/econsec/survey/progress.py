"""Where a campaign stands: suppliers by status, response rate per tier."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from econsec.survey.models import Campaign, Request

ANSWERED = {Request.Status.RETURNED, Request.Status.ERRORS, Request.Status.ACCEPTED,
            Request.Status.MERGED}  # fmt: skip


@dataclass
class Progress:
    statuses: tuple[str, ...] = tuple(s.value for s in Request.Status)
    by_tier: dict[int, dict[str, int]] = field(default_factory=dict)

    def response_rate(self, tier: int | None = None) -> float:
        """Share of suppliers (of ``tier``, or all) who returned a workbook, valid or not."""
        tiers = [tier] if tier is not None else list(self.by_tier)
        asked = sum(sum(self.by_tier[k].values()) for k in tiers)
        answered = sum(self.by_tier[k].get(s, 0) for k in tiers for s in ANSWERED)
        return answered / asked if asked else 0.0

    @property
    def total(self) -> int:
        return sum(sum(c.values()) for c in self.by_tier.values())


def progress(campaign: Campaign) -> Progress:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for tier, status in campaign.requests.values_list("tier", "status"):
        counts[tier][status] += 1
    return Progress(by_tier={k: dict(v) for k, v in sorted(counts.items())})
