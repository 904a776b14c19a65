"""Hostile measures sheets: a located error in ja and en within the budget, nothing stored."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from econsec.i18n import LANGUAGES
from tests.hostile import files
from tests.hostile.budget import measured

Build = Callable[[Path, Path], Path]
MEASURE = {"id": "magnet-stock", "kind": "safety_stock", "site": "TOHO-HMM",
           "item": "C-MAG-NDFEB-DY", "weeks_of_cover": 8.0, "annual_cost": 1000.0}  # fmt: skip


def _value(src: Path, dst: Path, ref: str, value: Any) -> Path:
    from openpyxl import load_workbook

    book = load_workbook(src)
    book.active[ref] = value
    book.save(dst)
    return dst


CASES: dict[str, tuple[Build, list[str]]] = {
    "huge declared dimension": (
        lambda base, out: files.declared_dimension(base, out), ["XFD1048576"]),
    "far-away single cell": (lambda base, out: files.far_cell(base, out), ["XFD1048576"]),
    "zip bomb": (files.zip_bomb, ["case.xlsx"]),
    "xml entities": (files.xml_entities, ["case.xlsx"]),
    "formula": (lambda base, out: files.set_cell(base, out, "C3", formula=files.FORMULA),
                ["HYPERLINK"]),
    "oversized body": (lambda base, out: files.oversized(out, 600 * 1024 * 1024), ["case.xlsx"]),
    "negative cost": (lambda base, out: _value(base, out, "N3", -5), ["3", "annual_cost", "-5"]),
    "unknown site": (lambda base, out: files.set_cell(base, out, "C3", text="NOWHERE"),
                     ["3", "site", "NOWHERE"]),
    "unknown item": (lambda base, out: files.set_cell(base, out, "D3", text="NO-ITEM"),
                     ["3", "item", "NO-ITEM"]),
    "text for a number": (lambda base, out: files.set_cell(base, out, "H3", text="eight"),
                          ["3", "weeks_of_cover", "eight"]),
    **{name: (lambda base, out, text=text: files.set_cell(base, out, "C3", text=text), ["3"])
       for name, text in files.CHARACTERS.items()},
}  # fmt: skip


@pytest.fixture
def demo(db: Any) -> Any:
    from econsec.valuechain.generators.demo import demo_company
    from econsec.valuechain.intake.apply import import_tables
    from econsec.valuechain.store_io import compile_store

    import_tables(demo_company(), "demo")
    return compile_store()


@pytest.fixture
def sheet_book(demo: Any, tmp_path: Path) -> Path:
    from econsec.planning.sheet import export

    path = tmp_path / "measures.xlsx"
    export(path, [MEASURE], "en")
    return path


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_measures_sheet(case: str, demo: Any, sheet_book: Path, tmp_path: Path) -> None:
    from econsec.planning.models import Measure
    from econsec.planning.sheet import SheetProblems, parse

    build, must_name = CASES[case]
    hostile = build(sheet_book, tmp_path / "case.xlsx")
    with measured() as spent, pytest.raises(SheetProblems) as refused:
        parse(hostile, demo)
    spent.check()
    for lang in LANGUAGES:
        text = refused.value.message(lang)
        assert all(part in text for part in must_name), (lang, text)
    assert not Measure.objects.exists()


def test_clean_sheet_parses(demo: Any, sheet_book: Path) -> None:
    from econsec.planning.sheet import parse

    assert [m.id for m in parse(sheet_book, demo)] == ["magnet-stock"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_measures_export_is_inert(lang: str, tmp_path: Path) -> None:
    from econsec.planning.sheet import export
    from tests.hostile.test_exports import EVIL, scan_xlsx

    path = tmp_path / "measures.xlsx"
    specs = [{**MEASURE, "id": f"m{i}", "source": text, "comment": text}
             for i, text in enumerate(EVIL)]  # fmt: skip
    export(path, specs, lang)
    assert scan_xlsx(path.read_bytes()) == 2 * len(EVIL)


def _likelihood_book(path: Path, rows: list[list[Any]], measures: bool = True) -> Path:
    from openpyxl import Workbook

    from econsec.planning.likelihood_sheet import COLUMNS

    book = Workbook()
    sheet = book.active
    sheet.title = "発生頻度"
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    if measures:
        m = book.create_sheet("measures")
        m.append(["id", "kind", "site", "item", "weeks_of_cover"])
        m.append(["magnet-stock", "safety_stock", "TOHO-HMM", "C-MAG-NDFEB-DY", 8])
    book.save(path)
    return path


def test_likelihood_sheet_all_or_nothing(demo: Any, tmp_path: Path) -> None:
    from econsec.planning import store
    from econsec.planning.models import Measure, RiskDocument
    from econsec.planning.sheet import SheetProblems, read_workbook

    base = store.example_risks()
    ree = next(n for n in base["files"] if "rare-earth" in n)
    bad = _likelihood_book(tmp_path / "bad.xlsx", [
        [ree, 400],                                        # row 2: more than daily
        ["NOWHERE", 0.1],                                  # row 3: no such site
        ["TOHO-HMM", None, 1.0],                           # row 4: probability of one
        ["TOHO-HMM", 0.1, None, "triangular", None, 9, 3, 20],  # row 5: low > mode
    ])  # fmt: skip
    with measured() as spent, pytest.raises(SheetProblems) as refused:
        read_workbook(bad, demo, base)
    spent.check()
    found = [(p.row, p.column) for p in refused.value.problems]
    assert found == [(2, "frequency_per_year"), (3, "risk"), (4, "probability_per_year"),
                     (5, "duration")]  # fmt: skip
    for lang in LANGUAGES:
        text = refused.value.message(lang)
        assert "400" in text and "365" in text and "NOWHERE" in text, text
    assert not Measure.objects.exists() and not RiskDocument.objects.exists()

    good = _likelihood_book(tmp_path / "good.xlsx", [
        [ree, 0.2, None, "fixed", 10, None, None, None, None, None, "board estimate"],
        ["TOHO-HMM", None, 0.05, "lognormal", None, None, None, None, 6, 20],
    ])  # fmt: skip
    measures, packed = read_workbook(good, demo, base)
    assert [m.id for m in measures] == ["magnet-stock"] and packed is not None
    risks = store.unpack_risks(packed, demo)
    by_key = {r.label: r for r in risks.risks}
    site = by_key["site TOHO-HMM"]
    assert site.frequency == pytest.approx(-math.log1p(-0.05))
    assert (site.duration.kind, site.duration.a, site.duration.b) == ("lognormal", 6.0, 20.0)
    scen = next(r for r in risks.risks if r.source == "board estimate")
    assert scen.frequency == 0.2 and scen.duration.describe() == {"kind": "fixed", "weeks": 10.0}
    store.save_workbook(measures, packed, actor="t")
    assert store.latest_risks() == packed


def test_thousands_of_refused_rows_stay_fast(demo: Any, tmp_path: Path) -> None:
    """A sheet whose every row only compiling could refuse (a source that does not supply the
    site) is not checked by compiling the rest once per row."""
    from econsec.planning.sheet import SheetProblems, export, parse

    bad = {"kind": "prequalify", "supplier_site": "HOKU-ECZ", "site": "SODEN-NAKA",
           "item": "D-MCU-A-DIE"}  # fmt: skip
    path = tmp_path / "many.xlsx"
    export(path, [{**bad, "id": f"m{i}"} for i in range(3000)], "en")
    with measured() as spent, pytest.raises(SheetProblems) as refused:
        parse(path, demo)
    spent.check()
    assert len(refused.value.problems) == 3000
    assert {p.key for p in refused.value.problems} == {"planning.measure.no_source"}
