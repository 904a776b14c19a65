"""Country groups by date, user overrides, and M49 regions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from econsec.reference.countries import all_countries
from econsec.reference.errors import ReferenceDataError
from econsec.reference.groups import CONCERN_GROUP, group_members, load_groups
from econsec.reference.regions import (
    countries_in_region,
    country_regions,
    region_name,
    regions,
)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ECONSEC_DATA_DIR", str(tmp_path))
    return tmp_path


def test_gb_leaves_the_eu_after_2020_01_31() -> None:
    assert "GB" in group_members("EU", dt.date(2020, 1, 31))
    assert "GB" not in group_members("EU", dt.date(2020, 2, 1))
    assert "GB" not in group_members("EU", dt.date(1972, 12, 31))
    assert "GB" in group_members("EU", dt.date(1973, 1, 1))


def test_eu_sizes_over_time() -> None:
    assert len(group_members("EU", dt.date(1958, 1, 1))) == 6
    assert len(group_members("EU", dt.date(2013, 7, 1))) == 28
    assert len(group_members("EU", dt.date(2020, 2, 1))) == 27
    assert group_members("EU", dt.date(1957, 12, 31)) == frozenset()


def test_other_groups() -> None:
    assert group_members("G7", dt.date(2025, 1, 1)) == {"CA", "FR", "DE", "IT", "JP", "GB", "US"}
    assert len(group_members("OECD", dt.date(2025, 1, 1))) == 38
    assert "CR" not in group_members("OECD", dt.date(2021, 5, 24))
    assert len(group_members("ASEAN", dt.date(2025, 1, 1))) == 10
    assert "TL" in group_members("ASEAN", dt.date(2025, 10, 26))


def test_countries_of_concern_is_empty_by_default() -> None:
    group = load_groups()[CONCERN_GROUP]
    assert group.user_defined
    assert group.ever_members() == frozenset()


def test_user_file_overrides_and_extends(_isolated_data_dir: Path) -> None:
    user_file = _isolated_data_dir / "reference" / "country_groups.yaml"
    user_file.parent.mkdir()
    user_file.write_text(
        "groups:\n"
        "  - id: countries_of_concern\n"
        "    version: '2026-02'\n"
        "    members:\n"
        "      - {country: 北朝鮮, from: 2026-02-01}\n"
        "      - Narnialand\n",
        encoding="utf-8",
    )
    with pytest.raises(ReferenceDataError) as info:
        load_groups()
    assert "Narnialand" in info.value.message("en")
    assert "Narnialand" in info.value.message("ja")

    user_file.write_text(
        "groups:\n"
        "  - id: countries_of_concern\n"
        "    version: '2026-02'\n"
        "    members:\n"
        "      - {country: 北朝鮮, from: 2026-02-01}\n",
        encoding="utf-8",
    )
    assert group_members(CONCERN_GROUP, dt.date(2026, 2, 1)) == {"KP"}
    assert group_members(CONCERN_GROUP, dt.date(2026, 1, 31)) == frozenset()

    extra = _isolated_data_dir / "extra.yaml"
    extra.write_text(
        "groups:\n  - id: my_suppliers\n    effective_from: 2020-01-01\n"
        "    members: [JP, ベトナム, Thailand]\n",
        encoding="utf-8",
    )
    assert group_members("my_suppliers", dt.date(2024, 1, 1), extra=extra) == {"JP", "VN", "TH"}
    assert "EU" in load_groups(extra)


def test_bad_dates_and_unknown_group_are_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "groups:\n  - id: x\n    members:\n      - {country: JP, from: 2020-13-45}\n",
        encoding="utf-8",
    )
    with pytest.raises(ReferenceDataError) as info:
        load_groups(bad)
    assert "2020-13-45" in info.value.message("en") and "from" in info.value.message("en")
    with pytest.raises(ReferenceDataError) as unknown:
        group_members("no_such_group")
    assert "no_such_group" in unknown.value.message("ja")


def test_every_country_but_antarctica_has_an_m49_region() -> None:
    for c in all_countries():
        cr = country_regions(c.alpha_2)
        assert cr is not None, c.alpha_2
        if c.alpha_2 == "AQ":
            assert cr.codes() == ()
            continue
        assert cr.region in regions() and cr.sub_region in regions()
        assert regions()[cr.region].level == "region"
        assert regions()[cr.sub_region].level == "sub_region"
        if cr.intermediate_region:
            assert regions()[cr.intermediate_region].level == "intermediate_region"


def test_region_lookups() -> None:
    assert country_regions("JP").sub_region == "030"  # type: ignore[union-attr]
    assert region_name("030", "ja") == "東アジア"
    assert region_name("030", "en") == "Eastern Asia"
    assert {"ID", "MY", "PH", "SG", "TH", "VN"} <= countries_in_region("035")
    assert "CD" in countries_in_region("202") and "CD" in countries_in_region("017")
    assert len(countries_in_region("001")) == len(all_countries())
    for r in regions().values():
        assert r.name_ja and r.name_en
