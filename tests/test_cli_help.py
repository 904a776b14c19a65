"""The top-level help speaks one language: the one asked for with --lang, else the locale's."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

_RUN = "from econsec.cli import main; main()"


def _help(*args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _RUN, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        check=True,
    )
    return done.stdout


def _japanese(text: str) -> bool:
    return bool(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text))


@pytest.mark.parametrize("how", [("--lang", "ja", "--help"), ("--help",)])
def test_top_level_help_in_japanese_has_no_english_summaries(how: tuple[str, ...]) -> None:
    out = _help(*how, env={"LANG": "ja_JP.UTF-8", "LC_ALL": "", "ECONSEC_LANG": ""})
    rows = [line for line in out.splitlines() if line.startswith("│ ") and "--" not in line]
    assert rows, out
    for row in rows:  # every command's summary is Japanese
        assert _japanese(row), row
    assert "Show this message" not in out and "オプション" in out and "コマンド" in out


def test_top_level_help_in_english_has_no_japanese() -> None:
    out = _help("--lang", "en", "--help", env={"LANG": "ja_JP.UTF-8"})
    assert not _japanese(out), out
    assert "Write the board report" in out


@pytest.mark.parametrize("group", [("notify",), ("notify", "webhook")])
def test_the_notify_commands_help_in_each_language(group: tuple[str, ...]) -> None:
    ja = _help("--lang", "ja", *group, "--help")
    rows = [line for line in ja.splitlines() if line.startswith("│ ") and "--" not in line]
    assert len(rows) >= 5, ja
    for row in rows:
        assert _japanese(row), row
    assert "このヘルプを表示して終了する" in ja and "Show this message" not in ja
    en = _help("--lang", "en", *group, "--help")
    assert not _japanese(en), en
