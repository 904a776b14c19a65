"""Every user-facing message exists in Japanese and English, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

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


def test_every_message_id_used_in_the_code_exists() -> None:
    known = catalog()
    missing = []
    for path in SRC.rglob("*.py"):
        for key in _USES.findall(path.read_text(encoding="utf-8")):
            if key not in known:
                missing.append(f"{path.relative_to(SRC)}: {key}")
    assert not missing, missing
