"""METI's End User List workbook in the official layout: title and date rows, bilingual
column titles, Japanese names in parentheses, "・"-separated aliases, B/C/M/N concerns."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from econsec.cli import app
from econsec.screening.entity import ListLoadError
from econsec.screening.loaders import guess_format, load_list

HEADER = [
    "番号\nNo.",
    "国名、地域名\nCountry or Region",
    "企業名、組織名\nCompany or Organization",
    "別名\nAlso Known As",
    "懸念区分\nType of WMD",
]
FIRST = [
    (
        1,
        "アフガニスタン\nAfghanistan",
        "Al Qaida/Islamic Army",
        "Islamic Salvation Foundation",
        "C,N",
    ),
    (
        2,
        "中国\nChina",
        "Beijing University of Aeronautics and Astronautics（北京航空航天大学）",
        "Beihang University・BUAA",
        "M",
    ),
    (3, "中国\nChina", "China Academy of Engineering Physics", "CAEP\nNinth Academy", "N"),
    (4, "イラン\nIran", "Aerospace Industries Organization", "AIO", "M"),
]


def workbook(path: Path, rows: list[tuple[object, ...]], dated: str = "令和5年12月6日") -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["外国ユーザーリスト / End User List"])
    sheet.append([f"{dated} 改正"])
    sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    sheet.append([])
    sheet.append(["", "", "", "", ""])
    book.save(path)
    return path


def test_official_layout_loads(tmp_path: Path) -> None:
    path = workbook(tmp_path / "eul.xlsx", FIRST)
    assert guess_format(path) == "meti_eul"
    loaded = load_list(path, list_name="meti_eul")
    assert loaded.source_format == "meti_eul"
    assert str(loaded.version_date) == "2023-12-06"  # 令和5年 = 2023
    first, buaa, caep, aio = loaded.entities
    assert first.countries == ("af",) and first.programmes == ("chemical", "nuclear")
    assert buaa.name == "Beijing University of Aeronautics and Astronautics"
    assert buaa.aliases == ("北京航空航天大学", "Beihang University", "BUAA")
    assert buaa.countries == ("cn",) and buaa.programmes == ("missile",)
    assert caep.aliases == ("CAEP", "Ninth Academy")
    assert aio.countries == ("ir",) and aio.kind == "organisation"
    assert buaa.source_line == 6


def test_ids_survive_renumbering_so_a_revision_diffs(tmp_path: Path) -> None:
    old = load_list(workbook(tmp_path / "a.xlsx", FIRST), list_name="eul")
    inserted = (2, "中国\nChina", "Harbin Institute of Technology（哈尔滨工业大学）", "HIT", "M")
    renumbered = [FIRST[0], inserted, *[(n + 1, *rest) for n, *rest in FIRST[1:]]]
    new = load_list(workbook(tmp_path / "b.xlsx", renumbered), list_name="eul")
    old_ids = {e.entity_id: e.fingerprint() for e in old.entities}
    new_ids = {e.entity_id: e.fingerprint() for e in new.entities}
    assert set(new_ids) - set(old_ids) == {new.entities[1].entity_id}
    assert all(new_ids[k] == v for k, v in old_ids.items())  # unchanged despite new numbers


def test_missing_name_is_located_and_nothing_loads(tmp_path: Path) -> None:
    rows = [FIRST[0], (2, "中国\nChina", "", "BUAA", "M")]
    with pytest.raises(ListLoadError) as caught:
        load_list(workbook(tmp_path / "bad.xlsx", rows), list_name="eul", source_format="meti_eul")
    assert caught.value.line == 6
    assert "6 行目" in caught.value.message("ja") and "name is empty" in caught.value.message("en")


def test_workbook_without_the_header_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["something", "else"])
    sheet.append(["a", "b"])
    path = tmp_path / "other.xlsx"
    book.save(path)
    assert guess_format(path) == "user"
    with pytest.raises(ListLoadError) as caught:
        load_list(path, list_name="eul", source_format="meti_eul")
    assert "Type of WMD" in caught.value.message("en")


def test_cli_loads_two_revisions_with_a_diff(db: None, tmp_path: Path) -> None:
    runner = CliRunner()
    first = workbook(tmp_path / "eul-2023.xlsx", FIRST)
    result = runner.invoke(app, ["lists", "load", str(first), "--name", "meti_eul", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "4 added" in result.output
    changed = [
        FIRST[0],
        FIRST[1],
        (3, "中国\nChina", "China Academy of Engineering Physics", "CAEP", "N"),
    ]
    second = workbook(tmp_path / "eul-2024.xlsx", changed, dated="2024年1月31日")
    result = runner.invoke(
        app, ["lists", "load", str(second), "--name", "meti_eul", "--lang", "ja"]
    )
    assert result.exit_code == 0, result.output
    assert "追加 0・変更 1・削除 1" in result.output
    result = runner.invoke(app, ["screen", "--name", "北京航空航天大学", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Beijing University of Aeronautics and Astronautics" in " ".join(result.output.split())
