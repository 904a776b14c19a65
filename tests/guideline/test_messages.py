"""Every message key the package uses exists in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from econsec.i18n import LANGUAGES, catalog

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "econsec" / "guideline"
_KEY = re.compile(r"""["'](guideline\.[a-z_]+\.[a-z_.]+)["']""")


def test_used_keys_exist_in_both_languages() -> None:
    messages = catalog()
    used = set()
    for path in PACKAGE.rglob("*.py"):
        used |= set(_KEY.findall(path.read_text(encoding="utf-8")))
    assert used, "no message keys found"
    for key in sorted(used):
        assert key in messages, key
        for lang in LANGUAGES:
            assert messages[key].get(lang, "").strip(), (key, lang)


def test_result_and_column_labels_complete() -> None:
    messages = catalog()
    for key in [k for k in messages if k.startswith(("guideline.result.", "guideline.xlsx.col."))]:
        assert set(messages[key]) >= set(LANGUAGES), key
