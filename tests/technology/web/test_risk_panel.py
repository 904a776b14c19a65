"""A governance risk's page shows the technologies linked to it through a registry panel —
only to readers with need-to-know; nobody else learns that a link exists."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from econsec.technology import models as m
from econsec.technology.demo import create_demo_register
from econsec.technology.service import grant
from econsec.technology.ties import link_risk
from tests.technology.chain import demo_chain_rows

SECRETS = ["T-MAG-GBD", "ネオジム磁石", "NdFeB", 'data-testid="risk-technologies"']


@pytest.fixture
def risk(db: Any, users: Any) -> str:
    from econsec.governance import risks

    demo_chain_rows()
    create_demo_register()
    risks.create("R-9", actor="a", title_ja="技術流出", title_en="Leak", entered_impact=1e8)
    link_risk("T-MAG-GBD", "R-9")
    return reverse("web:governance_risk", args=["R-9"])


@pytest.mark.parametrize("who", ["viewer", "auditor", "analyst", "administrator"])
def test_without_need_to_know_the_risk_page_names_no_technology(risk: str, who: str,
                                                                client_for: Any) -> None:  # fmt: skip
    page = client_for(who).get(risk)
    assert page.status_code == 200 and "R-9" in page.content.decode()
    assert not [s for s in SECRETS if s in page.content.decode()]


def test_with_need_to_know_the_linked_technologies_show_and_can_be_changed(
    risk: str, client_for: Any
) -> None:
    grant("analyst", allow=True)
    client = client_for("analyst")
    text = client.get(risk).content.decode()
    assert 'data-testid="risk-technologies"' in text and "T-MAG-GBD" in text
    assert "ネオジム磁石" in text or "NdFeB" in text
    link = reverse("web:technology_risk_link", args=["R-9"])
    assert client.post(link, {"tech": "T-INV-CTL"}).status_code == 303
    assert client.post(link, {"tech": "T-MAG-GBD", "remove": "1"}).status_code == 303
    assert list(m.RiskLink.objects.values_list("technology__tech_id", flat=True)) == ["T-INV-CTL"]
    unknown = client.post(
        reverse("web:technology_risk_link", args=["R-404"]), {"tech": "T-INV-CTL"}
    )
    assert unknown.status_code == 400 and "R-404" in unknown.content.decode()
    # A viewer with need-to-know reads the list but gets no forms, and cannot post.
    grant("viewer", allow=True)
    viewer = client_for("viewer")
    text = viewer.get(risk).content.decode()
    assert "T-INV-CTL" in text and reverse("web:technology_risk_link", args=["R-9"]) not in text
    assert viewer.post(link, {"tech": "T-MAG-GBD"}).status_code == 403


def test_the_panel_is_registered_not_imported() -> None:
    from pathlib import Path

    from econsec import registry

    assert [p.slot for p in registry.panels("governance.risk")] == ["governance.risk"]
    governance = Path(registry.__file__).parent / "governance"
    for path in governance.rglob("*.py"):
        assert "econsec.technology" not in path.read_text(encoding="utf-8"), path
