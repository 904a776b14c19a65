"""The demo company's risk register: one risk for each example stress scenario."""

from __future__ import annotations

from pathlib import Path

from econsec.i18n import t

# (code, scenario file, message id of the title, owner, guideline area, likelihood)
_DEMO = (
    ("R-001", "taiwan-strait-closed-8w.yaml", "governance.demo.risk1.title", "調達本部長", "1-2", 2),
    ("R-002", "cn-rare-earth-export-restriction-26w.yaml", "governance.demo.risk2.title",
     "資材部長", "1-2", 3),
)  # fmt: skip


def create_demo_risks(scenarios: Path) -> list[str]:
    """Add the demo risks that are not in the register yet; returns the codes added."""
    from econsec.governance.models import Risk
    from econsec.governance.risks import create
    from econsec.stress.api import load_scenario

    added = []
    for code, file, title, owner, area, likelihood in _DEMO:
        path = scenarios / file
        if Risk.objects.filter(code=code).exists() or not path.exists():
            continue
        create(
            code,
            actor="demo",
            link_scenario=load_scenario(str(path)),
            title_ja=t(title, "ja"),
            title_en=t(title, "en"),
            owner=owner,
            area=area,
            likelihood=likelihood,
        )
        added.append(code)
    return added


# (area, party, RACI letter): the demo company's economic-security organisation.
_RACI = (
    ("1", "経済安全保障委員会", "A"), ("1", "経済安全保障推進室", "R"), ("1", "取締役会", "I"),
    ("1-2", "調達本部長", "A"), ("1-2", "資材部", "R"), ("1-2", "経済安全保障推進室", "C"),
    ("2", "法務部長", "A"), ("2", "輸出管理室", "R"),
)  # fmt: skip


def demo_step(lang: str) -> None:
    """Organisation, one measure per demo risk, and a first computation of the indicators."""
    import datetime as dt

    from django.utils import timezone

    from econsec.governance import actions, kri, structure
    from econsec.governance.models import Action, Responsibility, Risk

    if not Responsibility.objects.exists():
        for area, party, letter in _RACI:
            structure.set_responsibility(area, party, letter, actor="demo")
    today = timezone.localdate()
    for code, key, days in (("R-001", "governance.demo.action1", 60),
                            ("R-002", "governance.demo.action2", -7)):  # fmt: skip
        risk = Risk.objects.filter(code=code).first()
        if risk is None or Action.objects.filter(risk=risk).exists():
            continue
        actions.create(actor="demo", risk=risk, title_ja=t(key, "ja"), title_en=t(key, "en"),
                       owner=risk.owner or "demo", due=today + dt.timedelta(days=days),
                       target_likelihood=max(1, risk.likelihood - 1))  # fmt: skip
    readings = kri.compute_all()
    red = sum(1 for r in readings if r.status == "red")
    print(t("governance.demo.done", lang, indicators=len(readings), red=red))
