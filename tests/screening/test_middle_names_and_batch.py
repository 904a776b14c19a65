"""Extra name parts for people, and batch screening on worker processes."""

from __future__ import annotations

import pytest

from econsec.screening.batch import screen_many
from econsec.screening.entity import ListEntity
from econsec.screening.index import ScreeningIndex
from econsec.screening.names import compare_names
from econsec.screening.scoring import DEFAULT_CONFIG, Subject, name_kind

TH = DEFAULT_CONFIG.threshold


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("Vladimir Putin", "Vladimir Vladimirovich Putin"),
        ("Sergey Lavrov", "Sergey Viktorovich Lavrov"),
        ("JANAN AGHA", "JANAN MOHAMMAD AHMED AGHA"),
        ("FAZL RABI", "FAZL RABI ABDUL HAMID"),
    ],
)
def test_people_listed_with_extra_parts_match(short: str, full: str) -> None:
    # Without the kind, a query with parts the list lacks is treated as another party.
    assert compare_names(full, short).score < TH
    person = compare_names(short, full, kind="person")
    assert person.score >= TH
    assert "extra_name_parts" in person.features
    assert compare_names(full, short, kind="person").score == pytest.approx(person.score)
    assert person.score > compare_names(short, full).score


def test_extra_parts_score_by_hand() -> None:
    # vladimir=vladimir (8+8), putin=putin (5+5): 26 matched characters; the extra part
    # "vladimirovich" (13) weighs 0.25 -> 26 / 29.25, times 0.97 for one extra part.
    result = compare_names("Vladimir Putin", "Vladimir Vladimirovich Putin", kind="person")
    assert result.score == pytest.approx(26 / 29.25 * 0.97, abs=1e-9)


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        ("Banco Santander", "Banco Santander Chile", "organisation"),  # another bank
        ("Hans O Friedrich", "Hans Joachim Friedrich", "person"),  # a part differs
        ("NAZIRULLAH HANAFI HAMIDULLAH", "NAZIRULLAH HANAFI WALIULLAH", "person"),  # swapped
        ("Salman Muhammad Rawi", "Muhammad Salman Rawi", "person"),  # order
    ],
)
def test_no_allowance_for_swaps_reorders_or_organisations(a: str, b: str, kind: str) -> None:
    assert "extra_name_parts" not in compare_names(a, b, kind=kind).features


def test_name_kind() -> None:
    assert name_kind("unknown", "person") == "person"
    assert name_kind("person", "person") == "person"
    assert name_kind("organisation", "person") == "unknown"
    assert name_kind("unknown", "unknown") == "unknown"


def _index() -> ScreeningIndex:
    entities = [
        ListEntity("1", "Huawei Technologies Co., Ltd.", "organisation", countries=("cn",)),
        ListEntity("2", "Vladimir Vladimirovich Putin", "person", countries=("ru",)),
        ListEntity("3", "三菱重工業株式会社", "organisation", countries=("jp",)),
        ListEntity("4", "Rosoboronexport", "organisation", countries=("ru",)),
    ]
    return ScreeningIndex.build([("test", entities)])


def test_screen_many_on_workers_equals_in_process() -> None:
    index = _index()
    names = ["华为技术有限公司", "Vladimir Putin", "Mitsubishi Heavy Industries", "Acme", "Huawei"]
    subjects = [Subject(n) for n in names * 3]
    expected = [index.screen(s) for s in subjects]
    progress: list[tuple[int, int]] = []
    got = screen_many(
        index, subjects, workers=2, chunk_size=4, progress=lambda d, t: progress.append((d, t))
    )
    assert got == expected
    assert [m.entity_id for m in got[1]] == ["2"]
    assert progress[-1] == (15, 15) and len(progress) == 4
    assert screen_many(index, subjects, workers=1) == expected
