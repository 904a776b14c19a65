"""The figures of what a risk rests on, read from the stored analyses when asked for.

Every link kind has a money figure in one unit — the margin lost, from the stress test's
time-to-recover programme — so a risk's impact is comparable whatever it links to:

- ``scenario`` (a scenario's content hash): that scenario's latest stored result;
- ``element`` (``site:X``, ``org:X``, ``country:X``): that element's row in the latest stored
  sweep by its kind;
- ``spof``: ``SITE/ITEM`` names a product — the worst single point of failure of it in the
  stored exposure analysis (the sweep's figure for that site); a plain ``SITE`` names the point
  of failure itself;
- ``hit`` (a screening hit id): an open or confirmed hit on an organisation — losing that
  counterparty (the sweep by organisation, or else the worst of its sites); a dismissed or
  withdrawn hit counts 0;
- ``item`` (an item id): the worst outage among the item's qualified source sites.

Nothing is copied into the register: each figure is read for the current data version, so it
follows every re-import, re-run and screening decision. A figure taken from an older data
version (none for the current one) is marked stale.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from econsec.governance.models import Risk

CLOSED_HITS = ("dismissed", "withdrawn")
Make = Callable[..., "Figure"]


@dataclass(frozen=True)
class Figure:
    kind: str
    ref: str
    label: str
    money: float | None  # margin lost; None when nothing stored applies
    source: str  # e.g. "stress:12#site:P1", "stress:3", "screening.hit:4"
    data_version: str
    stale: bool
    note: str  # message id saying what the figure is
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Row:
    money: float
    source: str
    version: str
    stale: bool


class Stored:
    """The stored analyses, read once for any number of risks."""

    @cached_property
    def version(self) -> str:
        from econsec.valuechain.store_io import current_version

        return current_version()

    def scenario(self, scenario_hash: str) -> _Row | None:
        from econsec.stress.models import Result

        results = Result.objects.filter(kind="scenario", scenario_hash=scenario_hash)
        latest = results.order_by("-created_at", "-id")
        current = latest.filter(data_version=self.version).first()
        result = current or latest.first()
        if result is None:
            return None
        money = float(result.payload.get("lost_margin", 0.0))
        return _Row(money, f"stress:{result.pk}", result.data_version, current is None)

    def _sweep(self, by: str) -> tuple[Any, dict[str, float]] | None:
        from econsec.stress.models import Result

        key = f"sweep:{by}"
        if key not in self.__dict__:
            latest = Result.objects.filter(kind="sweep", sweep_by=by).order_by("-created_at", "-id")
            result = latest.filter(data_version=self.version).first() or latest.first()
            rows = {}
            if result is not None:
                rows = {
                    str(r["id"]): float(r.get("lost_margin", 0.0))
                    for r in result.payload.get("rows", [])
                    if r.get("status") == "ok"
                }
            self.__dict__[key] = (result, rows) if result is not None else None
        found: tuple[Any, dict[str, float]] | None = self.__dict__[key]
        return found

    def element(self, kind: str, element_id: str) -> _Row | None:
        sweep = self._sweep(kind)
        if sweep is None or element_id not in sweep[1]:
            return None
        result, rows = sweep
        stale = result.data_version != self.version
        return _Row(rows[element_id], f"stress:{result.pk}#{kind}:{element_id}",
                    result.data_version, stale)  # fmt: skip

    def worst(self, kind: str, ids: list[str]) -> tuple[str, _Row] | None:
        rows = [(i, row) for i in ids if (row := self.element(kind, i)) is not None]
        return max(rows, key=lambda pair: (pair[1].money, pair[0]), default=None)

    @cached_property
    def spofs(self) -> dict[str, list[str]] | None:
        """``site/item`` of each product → its single points of failure (current version)."""
        from econsec.exposure.models import ExposureResult
        from econsec.exposure.store import KIND_REPORT

        row = (
            ExposureResult.objects.filter(data_version=self.version, kind=KIND_REPORT)
            .order_by("-created_at", "-id")
            .values_list("result", flat=True)
            .first()
        )
        if row is None:
            return None
        data = json.loads(row) if isinstance(row, str) else row
        return {
            f"{p['site_id']}/{p['item_id']}": list(p.get("single_points_of_failure") or [])
            for p in data.get("products", [])
        }


def _figure(kind: str, ref: str, label: str, stored: Stored) -> Figure:
    def made(row: _Row | None, note: str, **params: Any) -> Figure:
        if row is None:
            return Figure(kind, ref, label, None, "", "", False, note, params)
        return Figure(kind, ref, label, row.money, row.source, row.version, row.stale, note,
                      params)  # fmt: skip

    if kind == "scenario":
        return made(stored.scenario(ref), "governance.linked.scenario")
    if kind == "element":
        element_kind, _, element_id = ref.partition(":")
        return made(stored.element(element_kind, element_id), "governance.linked.element")
    if kind == "spof":
        return _spof(ref, stored, made)
    if kind == "hit":
        return _hit(ref, stored, made)
    if kind == "item":
        return _item(ref, stored, made)
    return made(None, "governance.linked.none")


def _spof(ref: str, stored: Stored, made: Make) -> Figure:
    if "/" not in ref:
        products = sorted(p for p, sites in (stored.spofs or {}).items() if ref in sites)
        return made(stored.element("site", ref), "governance.linked.spof_site",
                    products=len(products))  # fmt: skip
    if stored.spofs is None or ref not in stored.spofs:
        return made(None, "governance.linked.no_exposure")
    sites = stored.spofs[ref]
    if not sites:
        return made(_Row(0.0, "exposure", stored.version, False), "governance.linked.spof_none")
    worst = stored.worst("site", sites)
    if worst is None:
        return made(None, "governance.linked.spof_product", count=len(sites), site="-")
    return made(worst[1], "governance.linked.spof_product", count=len(sites), site=worst[0])


def _hit(ref: str, stored: Stored, made: Make) -> Figure:
    from econsec.screening.models import Hit

    hit = Hit.objects.filter(pk=int(ref)).first() if ref.isdigit() else None
    if hit is None:
        return made(None, "governance.linked.hit_gone")
    if hit.status in CLOSED_HITS:
        closed = _Row(0.0, f"screening.hit:{hit.pk}", stored.version, False)
        return made(closed, "governance.linked.hit_closed", status=hit.status)
    kind, _, org = hit.subject_ref.partition(":")
    if kind != "org":
        return made(None, "governance.linked.hit_name", status=hit.status)
    row: _Row | None = stored.element("org", org)
    if row is None:
        from econsec.valuechain.models import Site

        sites = list(
            Site.objects.filter(organisation__org_id=org).values_list("site_id", flat=True)
        )
        worst = stored.worst("site", sites)
        row = worst[1] if worst is not None else None
    return made(row, "governance.linked.hit_open", status=hit.status, org=org)


def _item(ref: str, stored: Stored, made: Make) -> Figure:
    from econsec.valuechain.models import SupplyLink

    sources = sorted(set(
        SupplyLink.objects.filter(item__item_id=ref, qualified=True)
        .values_list("supplier_site__site_id", flat=True)
    ))  # fmt: skip
    worst = stored.worst("site", sources)
    return made(worst[1] if worst else None, "governance.linked.item", count=len(sources),
                site=worst[0] if worst else "-")  # fmt: skip


def figures(risk: Risk, stored: Stored | None = None) -> list[Figure]:
    """One figure for the risk's own scenario link and one for each of its links."""
    stored = stored or Stored()
    out = []
    if risk.link_kind == "scenario" and risk.link_ref:
        out.append(_figure("scenario", risk.link_ref, risk.link_label, stored))
    for link in risk.links.all():
        if link.kind == "scenario" and link.ref == risk.link_ref:
            continue
        out.append(_figure(link.kind, link.ref, link.label, stored))
    return out


def note(figure: Figure, lang: str) -> str:
    """What the figure is, in ``lang`` (a hit's status in the screening's own words)."""
    from econsec.i18n import t

    params = dict(figure.params)
    if "status" in params:
        params["status"] = t(f"screening.status.{params['status']}", lang)
    return t(figure.note, lang, **params)
