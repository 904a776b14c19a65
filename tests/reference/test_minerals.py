"""Mineral production shares, HHI and the USGS build step."""

from __future__ import annotations

import csv
import os
from collections import defaultdict
from pathlib import Path

import pytest

from econsec.reference import build_minerals
from econsec.reference.minerals import (
    OTHER,
    WORLD,
    hhi,
    mineral_supply,
    mineral_years,
    normalise_mineral_tag,
    production_rows,
)

FIXTURES = Path(__file__).parent / "fixtures" / "usgs_mcs"
SHARED_USGS = (
    Path(os.environ["ECONSEC_SHARED_DATA"]) / "usgs_mcs"
    if os.environ.get("ECONSEC_SHARED_DATA")
    else Path(__file__).resolve().parents[3] / "shared" / "data" / "external" / "usgs_mcs"
)
CORE = [
    "rare_earths",
    "gallium",
    "germanium",
    "graphite",
    "cobalt",
    "lithium",
    "nickel",
    "tungsten",
    "antimony",
]


def test_core_minerals_are_present() -> None:
    present = {r.mineral for r in production_rows()}
    assert set(CORE) <= present


def test_shares_sum_to_at_most_one_per_mineral_edition_year() -> None:
    totals: dict[tuple[str, str, int], float] = defaultdict(float)
    for r in production_rows():
        if r.country != WORLD and r.share is not None:
            assert 0.0 <= r.share <= 1.0
            totals[(r.mineral, r.edition, r.year)] += r.share
    assert totals
    for key, total in totals.items():
        assert total <= 1.0 + 1e-5, key


@pytest.mark.parametrize("mineral", CORE)
def test_hhi_equals_direct_computation_from_the_csv(mineral: str) -> None:
    supply = mineral_supply(mineral)
    # Independent recomputation straight from the file: value / max(world, listed sum).
    path = Path(build_minerals.OUTPUT)
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    rows = [
        r
        for r in csv.DictReader(lines)
        if r["mineral"] == mineral
        and int(r["year"]) == supply.year
        and r["edition"] == supply.edition
    ]
    world = next(float(r["value"]) for r in rows if r["country"] == WORLD)
    listed = [r for r in rows if r["country"] != WORLD]
    denominator = max(world, sum(float(r["value"]) for r in listed if r["value"]))
    expected = {
        r["country"]: float(r["value"]) / denominator
        for r in listed
        if r["country"] != OTHER and r["value"] and float(r["value"]) > 0
    }
    assert set(supply.shares) == set(expected)
    direct = sum(s * s for s in expected.values())
    assert supply.hhi == pytest.approx(direct, abs=1e-5)
    assert supply.hhi_max == pytest.approx(direct + supply.unattributed_share**2, abs=1e-5)
    assert supply.hhi <= supply.hhi_max <= 1.0  # type: ignore[operator]


def test_rare_earths_2024_hand_worked() -> None:
    supply = mineral_supply("rare_earths", 2024)
    assert supply.edition == "MCS2026"
    # China 270,000 t REO; the listed figures (384,000 t) exceed the rounded world total
    # (380,000 t), so the listed sum is the denominator.
    assert supply.shares["CN"] == pytest.approx(270000 / 384000, abs=1e-6)
    assert supply.top(1)[0][0] == "CN"


def test_other_countries_is_not_counted_as_one_country() -> None:
    supply = mineral_supply("cobalt", 2024)
    assert OTHER not in supply.shares
    assert supply.other_share > 0
    assert supply.unattributed_share >= supply.other_share - 1e-6
    assert supply.hhi == pytest.approx(hhi(supply.shares.values()))


def test_germanium_withheld_years_have_no_shares() -> None:
    years = mineral_years("germanium")
    assert years[2023] is False and years[2022] is False
    withheld = mineral_supply("germanium", 2023)
    assert withheld.hhi is None and dict(withheld.shares) == {}
    assert "US" in withheld.withheld and "CN" in withheld.not_available
    # The latest year with figures is used by default, and the result says which.
    latest = mineral_supply("germanium")
    # MCS 2023 no longer publishes the 2021 estimate (NA), and the newest edition wins.
    assert latest.year == 2020 and latest.edition == "MCS2022"


def test_lithium_us_production_is_withheld() -> None:
    supply = mineral_supply("lithium", 2024)
    assert "US" in supply.withheld and "US" not in supply.shares


def test_newest_edition_wins_for_a_year() -> None:
    assert mineral_supply("cobalt", 2022).edition == "MCS2024"
    assert mineral_supply("cobalt", 2021).edition == "MCS2023"


def test_mineral_tag_aliases() -> None:
    assert normalise_mineral_tag("dysprosium") == "rare_earths"
    assert normalise_mineral_tag("Rare-Earths") == "rare_earths"
    assert normalise_mineral_tag("Wolfram") == "tungsten"
    assert normalise_mineral_tag("unobtainium") is None
    assert mineral_supply("neodymium").mineral == "rare_earths"


def test_build_from_fixture(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    assert build_minerals.main([str(FIXTURES), "--output", str(out)]) == 0
    lines = [ln for ln in out.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    rows = {(r["mineral"], r["year"], r["country"]): r for r in csv.DictReader(lines)}
    china = rows[("gallium", "2022", "CN")]
    assert china["value"] == "600000"
    assert float(china["share"]) == pytest.approx(600000 / 603000, abs=1e-6)
    assert rows[("gallium", "2022", "US")]["status"] == "withheld"
    japan = rows[("gallium", "2022", "JP")]
    assert japan["country_as_published"] == "Japane" and japan["estimated"] == "1"
    # listed 603,000 > rounded world 600,000, so the denominator is 603,000
    assert float(japan["share"]) == pytest.approx(3000 / 603000, abs=1e-6)
    assert rows[("gallium", "2022", "OTHER")]["value"] == "0"
    # no world total in 2023: no shares at all, markers kept
    assert rows[("gallium", "2023", "CN")]["share"] == ""
    assert rows[("gallium", "2023", "OTHER")]["status"] == "not_available"
    congo = rows[("cobalt", "2024", "CD")]
    assert float(congo["share"]) == pytest.approx(0.7)
    assert rows[("cobalt", "2025", "ID")]["status"] == "withheld"
    assert rows[("cobalt", "2025", "ID")]["estimated"] == "1"


def test_usgs_country_labels() -> None:
    assert build_minerals.usgs_country("Korea, Republic ofe") == ("KR", True)
    assert build_minerals.usgs_country("Other countries4") == (OTHER, False)
    assert build_minerals.usgs_country("World total (rounded)10") == (WORLD, False)
    assert build_minerals.usgs_country("Congo (Kinshasa)") == ("CD", False)
    assert build_minerals.usgs_country("Burma") == ("MM", False)
    assert build_minerals.usgs_country("Kazakhstan, concentrate") == ("KZ", False)
    assert build_minerals.usgs_country("New Caledonia11") == ("NC", False)
    assert build_minerals.usgs_country("Côte d’Ivoire") == ("CI", False)
    with pytest.raises(ValueError):
        build_minerals.usgs_country("Atlantis")


@pytest.mark.skipif(not SHARED_USGS.is_dir(), reason="USGS source tables not available")
def test_committed_csv_is_reproducible(tmp_path: Path) -> None:
    out = tmp_path / "rebuilt.csv"
    build_minerals.main([str(SHARED_USGS), "--output", str(out)])
    assert out.read_text(encoding="utf-8") == Path(build_minerals.OUTPUT).read_text(
        encoding="utf-8"
    )
