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
