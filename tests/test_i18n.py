"""Every user-facing message exists in Japanese and English, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import yaml

from econsec.i18n import LANGUAGES, catalog

SRC = Path(__file__).resolve().parents[1] / "src" / "econsec"
# Literal message ids passed to t(), error(), warning() and friends anywhere in the package.
_USES = re.compile(
    r"""\b(?:t|error|warning|CompileWarning|_t|tr|message)\(\s*["']([a-z_]+(?:\.[a-z0-9_]+)+)["']"""
)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_both_languages_and_the_same_placeholders() -> None:
    for key, texts in catalog().items():
        assert set(texts) >= set(LANGUAGES), f"{key} lacks {set(LANGUAGES) - set(texts)}"
        for lang in LANGUAGES:
            assert texts[lang].strip(), f"{key} is empty in {lang}"
        assert _fields(texts["ja"]) == _fields(texts["en"]), key


def test_no_message_is_cut_at_a_comma() -> None:
    # An unquoted flow value ends at an ASCII comma: YAML then reads the rest as a key with no
    # value, and the message silently loses its second half.
    cut = []
    for path in SRC.rglob("messages.yaml"):
        for key, texts in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            extra = set(texts) - {"ja", "en", "zh"}
            if extra:
                cut.append(f"{path.relative_to(SRC)}: {key} {sorted(extra)}")
    assert not cut, cut


def test_every_message_id_used_in_the_code_exists() -> None:
    known = catalog()
    missing = []
    for path in SRC.rglob("*.py"):
        for key in _USES.findall(path.read_text(encoding="utf-8")):
            if key not in known:
                missing.append(f"{path.relative_to(SRC)}: {key}")
    assert not missing, missing


# -- data labels: the words of the reference data and the demo company ---------------------------


def _both(texts: object, where: str) -> None:
    assert isinstance(texts, dict), where
    for lang in LANGUAGES:
        assert str(texts.get(lang) or "").strip(), f"{where} lacks {lang}"


def test_every_data_label_has_both_languages() -> None:
    from econsec.reference.labels import data_labels
    from econsec.reference.minerals import minerals
    from econsec.reference.products import critical_products

    labels = data_labels()
    for section in ("tags", "units"):
        for key, texts in labels[section].items():
            _both(texts, f"labels.yaml {section}.{key}")
    for field_name, values in labels["enums"].items():
        for value, texts in values.items():
            _both(texts, f"labels.yaml enums.{field_name}.{value}")
    for product in critical_products():
        _both(dict(product.names), product.id)
    for tag, mineral in minerals().items():
        _both(dict(mineral.names), f"minerals.yaml {tag}")


def test_every_tag_unit_and_enum_value_in_use_has_a_label() -> None:
    import yaml

    from econsec.reference.labels import data_labels, tag_has_label
    from econsec.reference.minerals import minerals
    from econsec.reference.products import critical_products
    from econsec.valuechain.generators.demo import demo_company

    labels = data_labels()
    tags = {tag for product in critical_products() for tag in product.tags}
    tags |= {alias for mineral in minerals().values() for alias in mineral.aliases}
    tables = demo_company()
    for row in tables["items"]:
        tags |= {*row.get("critical_tags", ()), *row.get("mineral_tags", ())}
    missing = sorted(tag for tag in tags if not tag_has_label(tag))
    assert not missing, f"tags without a ja/en label: {missing}"
    units = {str(row["unit"]) for row in tables["items"]}
    assert not units - set(labels["units"]), (
        f"units without a label: {units - set(labels['units'])}"
    )
    schema = yaml.safe_load((SRC / "valuechain" / "schema.yaml").read_text(encoding="utf-8"))
    for sheet in schema["sheets"]:
        for column in sheet["columns"]:
            if column.get("type") != "enum":
                continue
            field_name = f"{sheet['name']}.{column['name']}"
            known = set(labels["enums"].get(field_name) or ())
            assert set(column["values"]) <= known, f"{field_name}: {set(column['values']) - known}"


def test_labels_replace_slugs_in_japanese() -> None:
    from econsec.reference.labels import category_label, mineral_label, tag_label

    assert tag_label("permanent_magnets", "ja") == "永久磁石"
    assert tag_label("rare_earths", "ja") == "レアアース（希土類）"
    assert tag_label("dysprosium", "en") == "Dysprosium"
    assert category_label("urn:econsec:jp-critical-product:semiconductors", "ja") == "半導体"
    assert category_label("advanced-electronic-components", "ja") == "先端電子部品"
    assert mineral_label("antimony", "ja") == "アンチモン"
    assert tag_label("our_own_word", "ja") == "our_own_word"  # a user's own tag stays as given
