"""The demo company's core technologies (fictional, on the demo value chain).

The magnet grain-boundary-diffusion process is licensed to the Ningbo magnet JV of a supplier
whose 49% partner is a Chinese alloy maker: no exit clause, held at the Beilun plant — the
withdrawal route rates high. The inverter control software is developed with a contract
developer in Hamburg and held in systems. The demo company treats CN as a country of concern
(its own choice, recorded with its reason: econsec ships no such list).
"""

from __future__ import annotations

from typing import Any

from econsec.i18n import t

DEMO_ACTOR = "econsec-demo"

TECHS: tuple[dict[str, Any], ...] = (
    {"tech_id": "T-MAG-GBD", "name_ja": "ネオジム磁石の粒界拡散(Dy/Tb)プロセス",
     "name_en": "NdFeB magnet grain-boundary diffusion (Dy/Tb) process", "kind": "process",
     "items": ["P-EAX150"], "market": 4, "strategic": 4, "catch_up_years": 6, "damage": 5,
     "owner": "技術研究所長"},
    {"tech_id": "T-INV-CTL", "name_ja": "SiCインバータ制御ソフトウェア",
     "name_en": "SiC inverter control software", "kind": "trade_secret",
     "items": ["P-INV800"], "market": 4, "strategic": 3, "catch_up_years": 3, "damage": 4,
     "owner": "パワーエレクトロニクス開発部長"},
    {"tech_id": "T-SERVO-ENC", "name_ja": "サーボ用高分解能エンコーダ補正",
     "name_en": "High-resolution servo encoder correction", "kind": "know_how",
     "items": [], "market": 3, "strategic": 2, "catch_up_years": 2, "damage": 3,
     "exhibited": True, "owner": "サーボ事業部長"},
)  # fmt: skip


def create_demo_register() -> int:
    """Add the demo register unless it is there; returns the technologies added."""
    from django.db import transaction

    from econsec.technology import models as m
    from econsec.valuechain.models import Item

    if m.Technology.objects.filter(tech_id="T-MAG-GBD").exists():
        return 0
    items = set(Item.objects.values_list("item_id", flat=True))
    with transaction.atomic():
        m.ConcernCountry.objects.get_or_create(
            country="CN",
            defaults={"reason_ja": "デモ会社の判断", "reason_en": "The demo company's own choice",
                      "source": "デモ / demo", "added_by": DEMO_ACTOR},
        )  # fmt: skip
        techs = {}
        for spec in TECHS:
            fields = {**spec, "items": [i for i in spec["items"] if i in items]}
            techs[spec["tech_id"]] = m.Technology.objects.create(**fields)
        mag, inv, enc = techs["T-MAG-GBD"], techs["T-INV-CTL"], techs["T-SERVO-ENC"]
        m.Holding.objects.create(technology=mag, kind="site", site_id="TOHO-RD", label="技術研究所",
                                 country="JP")  # fmt: skip
        m.Holding.objects.create(technology=mag, kind="site", site_id="HOKUNB-PLT",
                                 label="Beilun Plant (Ningbo)", country="CN")  # fmt: skip
        m.Holding.objects.create(technology=inv, kind="system", label="制御ソフト Git リポジトリ",
                                 country="JP")  # fmt: skip
        m.Holding.objects.create(technology=enc, kind="site", site_id="TOHO-AZM", label="安曇野工場",
                                 country="JP")  # fmt: skip
        m.AccessGroup.objects.create(technology=mag, name="磁石プロセス開発チーム", headcount=12,
                                     key_people=True, need_to_know="プロセス開発")  # fmt: skip
        m.AccessGroup.objects.create(technology=mag, name="寧波合弁 製造技術者", headcount=30)
        m.AccessGroup.objects.create(technology=inv, name="制御ソフト開発部", headcount=42,
                                     key_people=True, need_to_know="製品開発")  # fmt: skip
        m.AccessGroup.objects.create(technology=enc, name="サーボ設計課", headcount=8,
                                     need_to_know="設計")  # fmt: skip
        m.PartnerAccess.objects.create(technology=mag, org_id="HOKUSHIN-NB", role="licensee",
                                       nda=True, exit_clause=False,
                                       notes="粒界拡散のライセンス供与(返還条項なし)")  # fmt: skip
        m.PartnerAccess.objects.create(technology=mag, org_id="XICI", role="jv_partner", nda=False,
                                       exit_clause=False, notes="寧波合弁の49%出資者")  # fmt: skip
        m.PartnerAccess.objects.create(technology=inv, org_id="NORDLICHT",
                                       role="contract_manufacturer", nda=True, exit_clause=True,
                                       notes="制御ソフトの受託開発")  # fmt: skip
        m.Control.objects.create(route_id="psia.cyber", status="partial",
                                 description="EDR・多要素認証(全社)")  # fmt: skip
        m.Control.objects.create(route_id="people.job_change", technology=inv, status="in_place",
                                 description="退職時の誓約書と持出しログ確認")  # fmt: skip
        m.MarketShare.objects.create(item_id="P-EAX150", year=2024, share=0.18,
                                     source="デモ推計 / demo estimate")  # fmt: skip
        m.MarketShare.objects.create(item_id="P-EAX150", year=2025, share=0.15,
                                     source="デモ推計 / demo estimate")  # fmt: skip
        m.CustomerTie.objects.create(item_id="P-EAX150", customer="YAMATO", country="JP",
                                     switch_months=30, share_of_supply=0.7)  # fmt: skip
        m.CustomerTie.objects.create(item_id="P-EAX150", customer="HUAAN", country="CN",
                                     switch_months=12, share_of_supply=0.4, second_source=True)  # fmt: skip
    return len(techs)


def demo_step(lang: str) -> None:
    """``econsec demo``: the register, and the exposure matrix stored once."""
    from rich.console import Console

    from econsec.technology.models import Technology
    from econsec.technology.service import compute, store_run

    create_demo_register()
    run = store_run(compute())
    Console().print(t("technology.demo.done", lang, technologies=Technology.objects.count(),
                      high=run.summary["levels"]["high"]))  # fmt: skip
