"""List loaders on small fixtures in the real formats, and malformed files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from econsec.screening.entity import ListLoadError
from econsec.screening.loaders import guess_format, load_list

FIXTURES = Path(__file__).parent / "fixtures"


def test_ofac_joins_aliases_addresses_and_ids() -> None:
    loaded = load_list(FIXTURES / "ofac_v1", list_name="sdn")
    by_id = {e.entity_id: e for e in loaded.entities}
    assert set(by_id) == {"101", "102", "103"}
    mhi = by_id["101"]
    assert mhi.aliases == ("MHI",)
    assert mhi.countries == ("jp",)
    assert mhi.identifiers == ("1234567",)
    assert by_id["102"].kind == "person"
    assert by_id["103"].programmes == ("NPWMD", "IFSR")


def test_csl_fields() -> None:
    loaded = load_list(FIXTURES / "csl_sample.csv", list_name="csl")
    assert guess_format(FIXTURES / "csl_sample.csv") == "csl"
    first, second = loaded.entities
    assert first.aliases == ("SMIC Example", "Example Semi")
    assert first.listed_on == "2020-12-22"
    assert "cn" in first.countries
    assert second.countries == ("jp",)


def test_un_xml() -> None:
    loaded = load_list(FIXTURES / "un_sample.xml", list_name="un")
    assert loaded.version_date == date(2026, 2, 27)
    person, org = loaded.entities
    assert person.name == "VLADIMIR PETROV"
    assert "Владимир Петров" in person.aliases
    assert person.countries == ("ru",)
    assert person.identifiers == ("AB123456",)
    assert org.kind == "organisation" and org.aliases == ("KTTC",)
    assert org.countries == ("kp",)


def test_ftm_keeps_parties_of_the_dataset() -> None:
    loaded = load_list(FIXTURES / "ftm_sample.jsonl", list_name="eul", dataset="jp_meti_eul")
    assert [e.entity_id for e in loaded.entities] == ["jp-meti-eul-0001", "jp-meti-eul-0002"]
    assert loaded.entities[0].aliases == ("EAIC",)
    assert loaded.version_date == date(2025, 10, 2)
    everything = load_list(FIXTURES / "ftm_sample.jsonl", list_name="all")
    assert len(everything.entities) == 3  # the Address entity is not a party


def test_user_list_with_meti_headers(tmp_path: Path) -> None:
    loaded = load_list(FIXTURES / "user_list.csv", list_name="meti")
    first, second, third = loaded.entities
    assert first.countries == ("ir",) and first.aliases == ("TAIO", "Test Aero Ind.")
    assert second.countries == ("cn",) and second.programmes == ("通常兵器",)
    assert third.name == "株式会社テスト貿易"


def test_user_list_xlsx(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["No.", "国名・地域名", "企業名、組織名", "別名"])
    sheet.append([1, "中国", "测试电子有限公司", "Test Electronics"])
    path = tmp_path / "eul.xlsx"
    book.save(path)
    (entity,) = load_list(path, list_name="meti").entities
    assert entity.entity_id == "1" and entity.countries == ("cn",)


# --- malformed files ----------------------------------------------------------------------------


def test_truncated_ofac_csv_is_located(tmp_path: Path) -> None:
    folder = tmp_path / "sdn"
    folder.mkdir()
    text = (FIXTURES / "ofac_v1" / "sdn.csv").read_text(encoding="utf-8")
    (folder / "sdn.csv").write_text(text[: text.index("RUSSIA") + 3], encoding="utf-8")
    with pytest.raises(ListLoadError) as caught:
        load_list(folder, list_name="sdn")
    assert caught.value.source == "sdn.csv"
    assert caught.value.line == 2
    assert "2 行目" in caught.value.message("ja")


def test_short_row_is_located(tmp_path: Path) -> None:
    folder = tmp_path / "sdn"
    folder.mkdir()
    lines = (FIXTURES / "ofac_v1" / "sdn.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = '102,"IVANOV, Ivan",individual'
    (folder / "sdn.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ListLoadError) as caught:
        load_list(folder, list_name="sdn")
    assert caught.value.line == 2
    assert caught.value.params == {"expected": 12, "found": 3}


def test_truncated_csl_is_located(tmp_path: Path) -> None:
    text = (FIXTURES / "csl_sample.csv").read_text(encoding="utf-8")
    path = tmp_path / "csl.csv"
    path.write_text(text[: text.index("SATO") + 2], encoding="utf-8")
    with pytest.raises(ListLoadError) as caught:
        load_list(path, list_name="csl", source_format="csl")
    assert caught.value.line == 3


def test_xml_external_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    path = tmp_path / "evil.xml"
    path.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>"
        "<FIRST_NAME>&xxe;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",
        encoding="utf-8",
    )
    with pytest.raises(ListLoadError) as caught:
        load_list(path, list_name="un")
    assert caught.value.key == "screening.load.xml_forbidden"
    assert "TOP SECRET" not in caught.value.message("en")


def test_truncated_xml_is_located(tmp_path: Path) -> None:
    text = (FIXTURES / "un_sample.xml").read_text(encoding="utf-8")
    path = tmp_path / "cut.xml"
    path.write_text(text[: text.index("<ENTITIES>")], encoding="utf-8")
    with pytest.raises(ListLoadError) as caught:
        load_list(path, list_name="un")
    assert caught.value.key == "screening.load.bad_xml"
    assert caught.value.line is not None


def test_json_lines_bad_line_fails_the_whole_file(tmp_path: Path) -> None:
    lines = (FIXTURES / "ftm_sample.jsonl").read_text(encoding="utf-8").splitlines()
    lines.insert(1, '{"id": "broken", "schema": "Company", "properties": {')
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ListLoadError) as caught:
        load_list(path, list_name="eul")
    # The error names line 2; the good lines after it are not silently dropped, the load fails.
    assert caught.value.line == 2
    assert caught.value.key == "screening.load.bad_json"


def test_user_list_without_name_column(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("id,country\n1,CN\n", encoding="utf-8")
    with pytest.raises(ListLoadError) as caught:
        load_list(path, list_name="x", source_format="user")
    assert caught.value.key == "screening.load.missing_columns"


def test_eu_consolidated_xml(tmp_path: Path) -> None:
    path = FIXTURES / "eu_sample.xml"
    loaded = load_list(path, list_name="eu_fsf")
    assert loaded.source_format == "eu" and str(loaded.version_date) == "2024-02-01"
    person, company = loaded.entities
    assert person.entity_id == "9001" and person.kind == "person"
    assert person.aliases == ("Иван Петрович Тестов",) and person.countries == ("ru",)
    assert person.identifiers == ("7512345678",) and person.programmes == ("RUS",)
    assert company.kind == "organisation" and company.countries == ("hk",)
    assert company.aliases == ("测试电子贸易有限公司",)
    assert company.addresses == ("1 Test Road, Hong Kong, HONG KONG",)
    broken = tmp_path / "eu.xml"
    text = path.read_text(encoding="utf-8").replace('logicalId="9002"', 'logicalId=""')
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(ListLoadError) as caught:
        load_list(broken, list_name="eu_fsf")
    assert "sanctionEntity[2]" in caught.value.message("en")
