"""``econsec demo``'s survey step: a campaign to tier-1 and tier-2 suppliers, one answer returned.

One tier-2 supplier "answers" with a source of one of its inputs that the demo company did not
know — a tier-3 site — through the same validation as a returned workbook. It is left pending
(the campaign page shows the diff): merging makes a new data version, and the demo's analyses
were computed for this one. ``econsec survey merge`` then shows the site in ``econsec info``
with its provenance. Idempotent: a second run finds the campaign.
"""

from __future__ import annotations

from typing import Any

from econsec.i18n import t

CAMPAIGN = "デモ調査 2026 / Demo supplier mapping 2026"
SOURCE = {"source_company": "Kyushu Fine Minerals Co., Ltd.", "source_company_country": "JP",
          "source_site": "Oita Refinery", "source_site_country": "JP", "source_region": "大分県",
          "share": 1.0, "sourcing": "single", "lead_time_days": 20}  # fmt: skip


def _cells(brief: Any, row: dict[str, Any]) -> dict[str, list[list[Any]]]:
    from econsec.survey import layout as lay

    about = [
        [k, v] for k, v in zip(lay.ABOUT_KEYS, (brief.campaign_id, brief.org_id), strict=False)
    ]
    sheets: dict[str, list[list[Any]]] = {lay.ABOUT: about}
    for sheet, rows in ((lay.SOURCES, [row]), (lay.CONTINUITY, []), (lay.CONTACTS, [])):
        keys = lay.keys(sheet)
        sheets[sheet] = [keys, keys, *([r.get(k) for k in keys] for r in rows)]
    return sheets


def step(lang: str) -> None:
    from econsec.survey.answers import check_cells
    from econsec.survey.campaigns import Selection, brief, create, expectation, load_chain
    from econsec.survey.merge import preview
    from econsec.survey.models import Campaign
    from econsec.survey.returns import record

    if Campaign.objects.filter(name=CAMPAIGN).exists():
        return
    campaign = create(CAMPAIGN, 2026, Selection(tiers=(1, 2)), created_by="econsec-demo")
    chain = load_chain()
    for request in campaign.requests.filter(tier=2).order_by("org_id"):
        made = brief(request, chain)
        open_rows = [r for r in made.sources if not r.get("source_company")]
        if not open_rows:
            continue
        row = {**open_rows[0], **SOURCE}
        reading = check_cells(_cells(made, row), expectation(request, chain))
        if not reading.ok:
            continue
        record(request, reading, name=made.file_name(), sha256="", via="demo")
        changes = len(preview(campaign).changes)
        print(t("survey.demo.line", lang, id=campaign.pk, count=campaign.requests.count(),
                org=request.org_id, changes=changes))  # fmt: skip
        return
    print(t("survey.demo.line", lang, id=campaign.pk, count=campaign.requests.count(), org="-",
            changes=0))  # fmt: skip
