"""Checklist workbooks with their own columns load as frameworks; problems come back located."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from econsec.guideline.checklist_import import ChecklistImport, import_checklist
from econsec.guideline.checklist_mapping import (
    guess_heading,
    mapping_from_dict,
    normalise_heading,
)
from econsec.guideline.frameworks import framework_from_dict, framework_to_dict
from econsec.guideline.interchange_errors import ImportProblems

JA_HEAD = ["No.", "区分", "項目", "チェック内容", "確認資料の例", "重要度"]
JA_ROWS: list[list[Any]] = [
    ["1-1", "自律性", "A 供給途絶リスク", "重要物資の依存度を把握しているか", "調達先一覧", "高"],
    ["1-2", None, None, "代替調達先を検討しているか", "BCP", "中"],
    ["1-3", None, "B シナリオ", "途絶シナリオを作っているか", None, None],
    ["2-1", "不可欠性", "A 技術流出", "コア技術を特定しているか", "技術一覧", "必須"],
    ["2-2", None, None, "持ち出しを記録しているか", "技術一覧", "低"],
]


def _book(
    path: Path,
    header: list[Any],
    rows: list[list[Any]],
    *,
    title_rows: int = 0,
    sheet: str = "チェックリスト",
) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    for n in range(title_rows):
        ws.append(["経済安全保障 チェックリスト(付属資料)"] if n == 0 else [])
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _problems(path: Path, **kwargs: Any) -> list[tuple[Any, str, dict[str, Any]]]:
    with pytest.raises(ImportProblems) as caught:
        import_checklist(path, **kwargs)
    return [(p.where, p.key, dict(p.params)) for p in caught.value.problems]


def test_japanese_headings_are_guessed_and_grouped(tmp_path: Path) -> None:
    path = _book(tmp_path / "meti.xlsx", JA_HEAD, JA_ROWS, title_rows=2)
    result = import_checklist(path, framework_id="meti-check", edition="第1版")
    assert isinstance(result, ChecklistImport)
    assert (result.sheet, result.header_row, result.rows) == ("チェックリスト", 3, 5)
    assert {c.field: c.lang for c in result.columns} == {
        "id": None,
        "area": "ja",
        "item": "ja",
        "question": "ja",
        "evidence": "ja",
        "importance": None,
    }
    fw = result.framework
    assert (fw.id, fw.edition, fw.version, fw.derivation) == ("meti-check", "第1版", 1, "user")
    assert fw.languages == ("ja",)
    # Areas in order of appearance; blank area/item cells take the row above.
    assert [(a.id, a.name.ja) for a in fw.areas] == [("A1", "自律性"), ("A2", "不可欠性")]
    assert {i.id: [q.id for q in i.questions] for _, i in fw.items()} == {
        "A1-1": ["1-1", "1-2"],
        "A1-2": ["1-3"],
        "A2-1": ["2-1", "2-2"],
    }
    items = fw.item_index
    # Importance: the highest on the item's rows, default medium when none is given.
    assert (items["A1-1"].importance, items["A1-2"].importance) == ("high", "medium")
    assert items["A2-1"].importance == "high"  # 必須 + 低
    assert items["A1-1"].typical_evidence.ja == "調達先一覧\nBCP"
    assert items["A2-1"].typical_evidence.ja == "技術一覧"  # repeated text kept once
    assert items["A1-2"].typical_evidence.ja == "(記載なし)"
    # A one-language framework shows its only text in either language.
    assert fw.question_index["1-1"][1].text.get("en") == "重要物資の依存度を把握しているか"
    assert len(fw.maturity_scale) == 5
    assert framework_from_dict(framework_to_dict(fw)) == fw


def test_english_headings_bilingual_without_item_column(tmp_path: Path) -> None:
    header = ["Ref", "Area", "Area (JA)", "Question", "Question (JA)", "Evidence", "Priority"]
    rows = [
        [
            "G.1",
            "Governance",
            "ガバナンス",
            "Is there a command unit?",
            "司令塔はあるか",
            "Org chart",
            "H",
        ],
        [
            "G.2",
            "Governance",
            "ガバナンス",
            "Do executives get reports?",
            "報告されているか",
            None,
            "L",
        ],
    ]
    path = _book(tmp_path / "audit.xlsx", header, rows, sheet="Checklist")
    fw = import_checklist(path, framework_id="audit", version=3).framework
    # Evidence has only an English column, so English is the one complete language.
    assert fw.languages == ("en",)
    assert [i.id for _, i in fw.items()] == ["G.1", "G.2"]
    item = fw.item_index["G.1"]
    assert item.questions[0].id == "G.1.q"
    assert item.questions[0].text.ja == "司令塔はあるか"
    assert item.name.en == "Is there a command unit?"
    assert (item.importance, fw.item_index["G.2"].importance) == ("high", "low")
    assert fw.areas[0].name.ja == "ガバナンス" and fw.version == 3


def test_both_languages_when_every_text_column_has_both(tmp_path: Path) -> None:
    header = ["ID", "Area", "区分", "Question", "チェック内容"]
    rows = [["X1", "Autonomy", "自律性", "Do you know your dependence?", "依存度を把握しているか"]]
    path = _book(tmp_path / "bi.xlsx", header, rows)
    fw = import_checklist(path, framework_id="bi").framework
    assert fw.languages == ("ja", "en")
    assert "languages" not in framework_to_dict(fw)
    assert fw.item_index["X1"].typical_evidence.en == "(not given)"


def test_mapping_overrides_headings_and_importance_values(tmp_path: Path) -> None:
    header = ["管理番号", "分類", "確認ポイント", "Weighting", "備考"]
    rows = [
        ["K-1", "体制", "責任者を任命しているか", "S", "x"],
        ["K-2", "体制", "規程があるか", "", "y"],
    ]
    path = _book(tmp_path / "own.xlsx", header, rows)
    mapping = mapping_from_dict(
        {
            "columns": {"question": {"ja": "確認ポイント"}, "importance": "Weighting"},
            "importance_values": {"S": "high"},
            "default_importance": "low",
            "framework": {
                "id": "auditor-2025",
                "derivation": "official",
                "name": {"ja": "監査人チェックリスト"},
            },
        }
    )
    result = import_checklist(path, mapping)
    fw = result.framework
    assert (fw.id, fw.derivation, fw.name.ja) == (
        "auditor-2025",
        "official",
        "監査人チェックリスト",
    )
    assert [(i.id, i.importance) for _, i in fw.items()] == [("K-1", "high"), ("K-2", "low")]
    # 分類 is guessed as the area; the unknown 備考 column is not read.
    assert [a.name.ja for a in fw.areas] == ["体制"]
    assert "備考" not in {c.heading for c in result.columns}


def test_renamed_column_in_mapping_is_reported_with_found_headings(tmp_path: Path) -> None:
    header = ["No.", "区分", "確認内容", "確認資料"]
    path = _book(tmp_path / "renamed.xlsx", header, [["1", "体制", "規程があるか", "規程"]])
    mapping = mapping_from_dict({"header_row": 1, "columns": {"question": "チェック内容"}})
    ((where, key, params),) = _problems(path, mapping=mapping)
    assert key == "guideline.checklist.missing_column"
    assert where == ("チェックリスト", 1, "チェック内容")
    assert params["field"] == "question" and "確認内容" in params["found"]
    # Naming the renamed heading fixes it.
    fixed = mapping_from_dict({"columns": {"question": "確認内容"}})
    assert (
        import_checklist(path, fixed).framework.question_index["1.q"][1].text.ja == "規程があるか"
    )


def test_missing_question_column_is_reported(tmp_path: Path) -> None:
    path = _book(tmp_path / "noq.xlsx", ["No.", "区分", "備考"], [["1", "a", "b"]])
    problems = _problems(path, header_row=1)
    assert [(k, p["field"]) for _, k, p in problems] == [
        ("guideline.checklist.no_column", "question")
    ]


def test_duplicate_empty_and_bad_ids_are_located(tmp_path: Path) -> None:
    rows = [r[:] for r in JA_ROWS]
    rows[2][0] = "1-1"  # duplicate of row 2's id (header on row 1)
    rows[3][0] = None
    rows[4][0] = "2 2"
    path = _book(tmp_path / "dup.xlsx", JA_HEAD, rows)
    problems = _problems(path, framework_id="x")
    assert [(w, k) for w, k, _ in problems] == [
        (("チェックリスト", 4, "No. (A)"), "guideline.checklist.duplicate_id"),
        (("チェックリスト", 5, "No. (A)"), "guideline.checklist.empty_id"),
        (("チェックリスト", 6, "No. (A)"), "guideline.checklist.bad_id"),
    ]
    assert problems[0][2] == {"value": "1-1", "first": 2}


def test_unknown_importance_lists_accepted_values(tmp_path: Path) -> None:
    rows = [r[:] for r in JA_ROWS]
    rows[1][5] = "最重要"
    path = _book(tmp_path / "imp.xlsx", JA_HEAD, rows)
    with pytest.raises(ImportProblems) as caught:
        import_checklist(path, framework_id="x")
    (problem,) = caught.value.problems
    assert problem.where == ("チェックリスト", 3, "重要度 (F)")
    assert "最重要" in problem.message("ja") and "必須" in problem.message("ja")
    en = caught.value.messages("en")[0]
    assert "row 3" in en and "importance_values" in en


def test_merged_cells_and_formulas_are_refused(tmp_path: Path) -> None:
    path = _book(tmp_path / "merged.xlsx", JA_HEAD, JA_ROWS)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    ws.merge_cells("B2:B4")
    ws["F6"] = '=IF(1,"高","低")'
    wb.save(path)
    problems = _problems(path, framework_id="x")
    assert [(w, k, p) for w, k, p in problems] == [
        (("チェックリスト", 2, "区分 (B)"), "guideline.checklist.merged", {"range": "B2:B4"}),
        (
            ("チェックリスト", 6, "重要度 (F)"),
            "guideline.checklist.formula",
            {"value": '=IF(1,"高","低")'},
        ),
    ]


def test_merged_cells_outside_the_read_columns_are_ignored(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "title.xlsx", ["", *JA_HEAD], [[None, *r] for r in JA_ROWS], title_rows=1
    )
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    ws.merge_cells("A1:F1")  # the title above the header
    wb.save(path)
    assert len(import_checklist(path, framework_id="x").framework.question_index) == 5


def test_generated_id_clash_is_traced_back_to_its_row(tmp_path: Path) -> None:
    rows = [["A1-1", "自律性", "項目甲", "設問"]]
    path = _book(tmp_path / "clash.xlsx", JA_HEAD[:4], rows)
    problems = _problems(path, framework_id="x")
    assert [(w, k) for w, k, _ in problems] == [
        (("チェックリスト", 2, "No. (A)"), "guideline.framework.duplicate_id")
    ]


def test_parent_column_builds_the_tree_in_any_row_order(tmp_path: Path) -> None:
    header = ["ID", "Parent", "Question", "Evidence", "Importance"]
    rows = [
        ["I1", "AREA", "Supply risk is known", "Supplier list", "high"],
        ["Q1", "I1", "Is dependence measured?", "Dashboard", None],
        ["AREA", None, "Autonomy", None, None],
        ["I2", "AREA", "Scenarios exist", None, "low"],
    ]
    path = _book(tmp_path / "tree.xlsx", header, rows)
    fw = import_checklist(path, framework_id="tree").framework
    assert [(a.id, a.name.en) for a in fw.areas] == [("AREA", "Autonomy")]
    assert {i.id: [q.id for q in i.questions] for _, i in fw.items()} == {
        "I1": ["Q1"],
        "I2": ["I2.q"],
    }
    assert fw.item_index["I1"].typical_evidence.en == "Supplier list\nDashboard"
    assert fw.item_index["I2"].importance == "low"


def test_parent_problems(tmp_path: Path) -> None:
    header = ["ID", "Parent", "Question"]
    rows = [
        ["A", None, "Area"],
        ["B", "A", "Item"],
        ["C", "B", "Question"],
        ["D", "C", "Too deep"],
        ["E", "ZZ", "Orphan"],
        ["F", "G", "Loop"],
        ["G", "F", "Loop"],
    ]
    path = _book(tmp_path / "badtree.xlsx", header, rows)
    keys = [(w[1], k) for w, k, _ in _problems(path, framework_id="x")]
    assert (6, "guideline.checklist.unknown_parent") in keys
    assert (7, "guideline.checklist.cycle") in keys and (8, "guideline.checklist.cycle") in keys
    assert (5, "guideline.checklist.too_deep") in keys


def test_declared_language_must_have_columns_and_text(tmp_path: Path) -> None:
    path = _book(tmp_path / "lang.xlsx", JA_HEAD, JA_ROWS)
    mapping = mapping_from_dict({"languages": ["ja", "en"]})
    problems = _problems(path, mapping=mapping, framework_id="x")
    assert {(p["field"], p["language"]) for _, k, p in problems} == {
        ("area", "en"),
        ("item", "en"),
        ("question", "en"),
    }
    rows = [r[:] for r in JA_ROWS]
    rows[1][3] = None
    path = _book(tmp_path / "blank.xlsx", JA_HEAD, rows)
    ((where, key, _),) = _problems(path, framework_id="x")
    assert (where, key) == (
        ("チェックリスト", 3, "チェック内容 (D)"),
        "guideline.checklist.empty_text",
    )


def test_bad_mapping_and_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ImportProblems) as caught:
        mapping_from_dict({"columns": {"colour": "色"}, "header_row": 0}, "map.yaml")
    wheres = [p.where for p in caught.value.problems]
    assert wheres == ["map.yaml: columns", "map.yaml: header_row"]
    not_xlsx = tmp_path / "x.xlsx"
    not_xlsx.write_text("hello", encoding="utf-8")
    assert _problems(not_xlsx)[0][1] == "workbook.not_xlsx"
    path = _book(tmp_path / "s.xlsx", JA_HEAD, JA_ROWS)
    assert _problems(path, sheet="Other")[0][1] == "guideline.checklist.no_sheet"
    japanese_name = _book(tmp_path / "チェック.xlsx", JA_HEAD, JA_ROWS)
    assert _problems(japanese_name)[0][1] == "guideline.checklist.need_id"


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("No.", ("id", None)),
        ("NO", ("id", None)),
        ("チェック内容", ("question", None)),
        ("チェック内容(英語)", ("question", "en")),
        ("チェック内容（日本語）", ("question", "ja")),
        ("Question (EN)", ("question", "en")),
        ("question_ja", ("question", "ja")),
        ("確認資料の例", ("evidence", None)),
        ("Typical  Evidence", ("evidence", None)),
        ("備考", None),
        ("Open", None),
    ],
)
def test_heading_guesses(heading: str, expected: tuple[str, str | None] | None) -> None:
    assert guess_heading(heading) == expected


def test_heading_normalisation() -> None:
    assert normalise_heading(" Ｎｏ． ") == "no"
    assert normalise_heading("Ref ID:") == "refid"


def test_two_columns_for_one_field_in_one_language_are_refused(tmp_path: Path) -> None:
    header = ["No.", "項目", "中項目", "チェック内容"]
    path = _book(tmp_path / "two.xlsx", header, [["1", "体制", "責任者", "任命しているか"]])
    ((where, key, params),) = _problems(path, framework_id="x")
    assert key == "guideline.checklist.same_language"
    assert where == ("チェックリスト", 1, "中項目 (C)") and params["other"] == "項目 (B)"


def test_one_language_import_survives_ciso_and_xlsx_round_trips(tmp_path: Path) -> None:
    from econsec.guideline.ciso import check_library, export_library, import_library
    from econsec.guideline.xlsx_io import export_workbook, read_workbook

    path = _book(tmp_path / "meti.xlsx", JA_HEAD, JA_ROWS)
    fw = import_checklist(path, framework_id="meti-check").framework
    library = export_library(fw)
    assert check_library(library) == []
    assert import_library(library) == fw
    out = tmp_path / "q.xlsx"
    export_workbook(fw, out, "en")  # English readers see the Japanese text, not blanks
    questions, _ = read_workbook(fw, out)
    assert set(questions) == set(fw.question_index)
