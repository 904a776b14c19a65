"""Loaders for Japan's Ministry of Finance asset-freeze workbook (format ``mof``) and China's
MOFCOM announcements and tables (format ``cn_mofcom``), on samples built in the published
layouts (described in each loader's docstring)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from econsec.cli import app
from econsec.screening.entity import ListLoadError
from econsec.screening.index import ScreeningIndex
from econsec.screening.loaders import MAX_LIST_BYTES, guess_format, load_list
from econsec.screening.scoring import Subject

# --- Ministry of Finance ---------------------------------------------------------------------

PERSON_HEADER = [
    "告示日付", "告 示 番 号", "日 本 語 表 記", "英 語 表 記", "別 称", "生 年 月 日", "国 籍",
    "旅 券 番 号", "国 連 参 照 番 号", "リスト掲載日",
]  # fmt: skip
PERSONS = [
    [
        "2017年8月25日", "第100号", "金英哲", "KIM Yong Chol", "Kim Yong-chol\nKim Young-chol",
        "1946年", "朝鮮民主主義人民共和国", "", "KPi.066", "2017年8月25日",
    ],
    [
        "2016年12月9日", "第200号", "崔龍海", "CHOE Ryong Hae", "", "1950年1月15日",
        "朝鮮民主主義人民共和国", "(a) 745110123 (b) 836110034", "", "2016年12月9日",
    ],
]  # fmt: skip
ENTITY_HEADER = ["告示日付", "日本語表記", "英語表記", "別称・旧称", "所在地", "国連参照番号"]
ENTITIES = [
    ["2022年3月8日", "ロステック", "State Corporation Rostec", "Rostec; Rostekh", "Moscow", ""],
    ["2017年8月25日", "朝鮮光鮮銀行", "Korea Kwangson Banking Corp.", "KKBC", "", "KPe.025"],
]


def mof_workbook(path: Path, persons: list[list[str]] = PERSONS) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "はじめに"
    cover.append(["経済制裁措置及び対象者リスト"])
    cover.append(["この一覧は参考資料です。"])
    people = book.create_sheet("北朝鮮（個人）")
    people.append(["北朝鮮のミサイル又は大量破壊兵器計画に関連する者（個人）"])
    people.append(PERSON_HEADER)
    for row in persons:
        people.append(row)
    groups = book.create_sheet("ロシア・北朝鮮（団体）")
    groups.append(["資産凍結等の措置の対象となる団体"])
    groups.append([])
    groups.append(ENTITY_HEADER)
    for row in ENTITIES:
        groups.append(row)
    book.save(path)
    return path


def test_mof_workbook_loads_every_programme_sheet(tmp_path: Path) -> None:
    path = mof_workbook(tmp_path / "mof.xlsx")
    assert guess_format(path) == "mof"
    loaded = load_list(path, list_name="jp_mof")
    assert loaded.source_format == "mof"
    by_name = {e.name: e for e in loaded.entities}
    assert set(by_name) == {
        "KIM Yong Chol", "CHOE Ryong Hae", "State Corporation Rostec",
        "Korea Kwangson Banking Corp.",
    }  # fmt: skip
    kim = by_name["KIM Yong Chol"]
    assert kim.entity_id == "KPi.066"  # the UN reference keys the entry
    assert kim.kind == "person" and kim.countries == ("kp",)
    assert kim.aliases == ("金英哲", "Kim Yong-chol", "Kim Young-chol")
    assert "UN KPi.066" in kim.identifiers
    assert kim.listed_on == "2017-08-25"
    assert kim.programmes == ("北朝鮮のミサイル又は大量破壊兵器計画に関連する者（個人）",)
    choe = by_name["CHOE Ryong Hae"]
    assert choe.identifiers == ("745110123", "836110034")  # (a) (b) split
    assert choe.entity_id.startswith("mof-")
    rostec = by_name["State Corporation Rostec"]
    assert rostec.kind == "organisation"
    assert rostec.aliases == ("ロステック", "Rostec", "Rostekh")
    assert rostec.addresses == ("Moscow",)
    assert by_name["Korea Kwangson Banking Corp."].entity_id == "KPe.025"


def test_mof_entries_are_found_by_japanese_and_hanja_names(tmp_path: Path) -> None:
    loaded = load_list(mof_workbook(tmp_path / "mof.xlsx"), list_name="jp_mof")
    index = ScreeningIndex.build([("jp_mof", loaded.entities)])
    hit = index.screen(Subject("金英哲", "person"))
    assert hit and hit[0].entity_id == "KPi.066"
    hit = index.screen(Subject("Kim Yong Chol", "person"))
    assert hit and hit[0].entity_id == "KPi.066"


def test_mof_entry_repeated_on_a_sheet_is_one_entity(tmp_path: Path) -> None:
    loaded = load_list(mof_workbook(tmp_path / "d.xlsx", [*PERSONS, PERSONS[0]]), list_name="m")
    assert [e.name for e in loaded.entities].count("KIM Yong Chol") == 1


def test_mof_ids_are_stable_across_revisions(tmp_path: Path) -> None:
    first = load_list(mof_workbook(tmp_path / "a.xlsx"), list_name="jp_mof")
    second = load_list(mof_workbook(tmp_path / "b.xlsx", PERSONS[::-1]), list_name="jp_mof")
    assert {e.entity_id for e in first.entities} == {e.entity_id for e in second.entities}


def test_mof_missing_name_is_located(tmp_path: Path) -> None:
    bad = [*PERSONS, ["2020年1月1日", "第3号", "", "", "", "1960年", "イラン", "", "", ""]]
    with pytest.raises(ListLoadError) as caught:
        load_list(mof_workbook(tmp_path / "bad.xlsx", bad), list_name="m", source_format="mof")
    assert caught.value.line == 5
    assert "北朝鮮（個人）" in caught.value.source
    assert "5 行目" in caught.value.message("ja")


def test_mof_workbook_without_its_header_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name", "country"])
    sheet.append(["Acme", "CN"])
    path = tmp_path / "other.xlsx"
    book.save(path)
    assert guess_format(path) == "user"
    with pytest.raises(ListLoadError) as caught:
        load_list(path, list_name="m", source_format="mof")
    assert "告示日付" in caught.value.message("en")


# --- MOFCOM ----------------------------------------------------------------------------------

ANNOUNCEMENT = """商务部公告2025年第1号 关于将28家美国实体列入出口管制管控名单的公告

根据《中华人民共和国出口管制法》等法律法规有关规定，为维护国家安全和利益，决定：

一、将以下28家美国实体列入出口管制管控名单，禁止向其出口两用物项：

1. 通用动力陆地系统公司（General Dynamics Land Systems）；
2. 洛克希德·马丁导弹与火控公司（Lockheed Martin Missiles and Fire Control）；
3. 雷神导弹与防务公司（Raytheon Missiles & Defense）；
4. 波音防务、空间与安全集团（Boeing Defense, Space & Security）。

二、本公告自公布之日起正式实施。

商务部
2025年1月2日
"""


def test_mofcom_announcement_text_loads(tmp_path: Path) -> None:
    path = tmp_path / "mofcom_2025_1.txt"
    path.write_text(ANNOUNCEMENT, encoding="utf-8")
    assert guess_format(path) == "cn_mofcom"
    loaded = load_list(path, list_name="cn_ecl")
    assert str(loaded.version_date) == "2025-01-02"
    names = [e.name for e in loaded.entities]
    assert names == [
        "General Dynamics Land Systems",
        "Lockheed Martin Missiles and Fire Control",
        "Raytheon Missiles & Defense",
        "Boeing Defense, Space & Security",
    ]
    first = loaded.entities[0]
    assert first.aliases == ("通用动力陆地系统公司",)
    assert first.countries == ("us",)
    assert first.programmes == ("出口管制管控名单 Export Control Control List",)
    assert first.source_line == 7


def test_mofcom_announcement_in_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_bytes(ANNOUNCEMENT.replace("出口管制管控名单", "不可靠实体清单").encode("gb18030"))
    loaded = load_list(path, list_name="cn_uel", source_format="cn_mofcom")
    assert loaded.entities[1].aliases == ("洛克希德·马丁导弹与火控公司",)
    assert loaded.entities[0].programmes == ("不可靠实体清单 Unreliable Entity List",)


def test_mofcom_table_loads_and_merges_two_lists(tmp_path: Path) -> None:
    path = tmp_path / "mofcom.csv"
    path.write_text(
        "序号,中文名称,英文名称,国家（地区）,清单,日期\n"
        "1,洛克希德·马丁导弹与火控公司,Lockheed Martin Missiles and Fire Control,美国,"
        "不可靠实体清单,2023年2月16日\n"
        "2,雷神导弹与防务公司,Raytheon Missiles & Defense,美国,不可靠实体清单,2023年2月16日\n"
        "1,洛克希德·马丁导弹与火控公司,Lockheed Martin Missiles and Fire Control,美国,"
        "出口管制管控名单,2025年1月2日\n",
        encoding="utf-8",
    )
    assert guess_format(path) == "cn_mofcom"
    loaded = load_list(path, list_name="cn")
    assert len(loaded.entities) == 2
    lockheed = loaded.entities[0]
    assert lockheed.listed_on == "2023-02-16"
    assert lockheed.programmes == (
        "不可靠实体清单 Unreliable Entity List",
        "出口管制管控名单 Export Control Control List",
    )
    index = ScreeningIndex.build([("cn", loaded.entities)])
    hit = index.screen(Subject("雷神导弹与防务公司", "organisation"))
    assert hit and hit[0].matched_name in ("雷神导弹与防务公司", "Raytheon Missiles & Defense")


def test_mofcom_table_needs_a_name_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("序号,国家\n1,美国\n", encoding="utf-8")
    with pytest.raises(ListLoadError) as caught:
        load_list(path, list_name="cn", source_format="cn_mofcom")
    assert "中文名称" in caught.value.message("ja")
    assert caught.value.line == 1


def test_mofcom_entry_named_twice_is_one_entity(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text(
        "中文名称,英文名称,清单\n甲公司,Jia Co,不可靠实体清单\n甲公司,Jia Co,不可靠实体清单\n",
        encoding="utf-8",
    )
    loaded = load_list(path, list_name="cn", source_format="cn_mofcom")
    assert len(loaded.entities) == 1
    assert loaded.entities[0].source_line == 2


def test_every_list_file_has_a_size_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import econsec.screening.loaders as loaders

    path = tmp_path / "sdn.xml"
    path.write_bytes(b"<x/>" * 1000)
    monkeypatch.setattr(loaders, "MAX_LIST_BYTES", 1000)
    with pytest.raises(ListLoadError) as caught:
        load_list(path, list_name="un", source_format="un")
    assert caught.value.key == "workbook.too_large"
    assert "1000" in caught.value.message("en") and "4000" in caught.value.message("en")
    assert MAX_LIST_BYTES >= 100 * 1024 * 1024  # real lists (tens of MB) stay below it


def test_cli_loads_both_formats(tmp_path: Path, db: object) -> None:
    runner = CliRunner()
    mof = mof_workbook(tmp_path / "mof.xlsx")
    result = runner.invoke(app, ["lists", "load", str(mof), "--name", "jp_mof", "--lang", "en"])
    assert result.exit_code == 0, result.output
    text = tmp_path / "mofcom.txt"
    text.write_text(ANNOUNCEMENT, encoding="utf-8")
    result = runner.invoke(app, ["lists", "load", str(text), "--name", "cn_ecl", "--lang", "ja"])
    assert result.exit_code == 0, result.output
