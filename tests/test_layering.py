"""The capability-slice layout (docs/decisions/0090-capability-slices.md) holds.

import-linter checks the import contracts in `.importlinter` (run by `make lint` too); these
tests show that the contracts can fail, check what import-linter cannot see (Django's web
modules inside an engine, names written as text), and that everything a capability registers
can be found.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from econsec.registry import registry, resolve

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "econsec"
CAPABILITIES = (
    "valuechain",
    "exposure",
    "stress",
    "screening",
    "guideline",
    "reports",
    "governance",
    "planning",
    "monitoring",
    "technology",
    "survey",
    "visuals",
)
# Modules that serve HTTP: only a capability's web/ and the shell may use them.
WEB_MODULES = ("django.http", "django.urls", "django.shortcuts", "django.template", "django.views")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _engine_files() -> list[Path]:
    found = []
    for capability in CAPABILITIES:
        for path in sorted((SRC / capability).rglob("*.py")):
            if "web" not in path.relative_to(SRC / capability).parts:
                found.append(path)
    return found


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / ".importlinter"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_contracts_hold() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("stress/engine.py", "from econsec.web import jobs", "import no web package"),
        ("stress/web/views.py", "from econsec.screening.web import views", "another capability"),
        ("web/context.py", "from econsec.valuechain import models", "The shell imports no"),
    ],
)
def test_a_deliberate_violation_breaks_its_contract(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    shutil.copytree(SRC, tmp_path / "src" / "econsec", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    target = tmp_path / "src" / "econsec" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert f"{contract}" in result.stdout and "BROKEN" in result.stdout, result.stdout


def test_engines_use_no_web_framework_module() -> None:
    files = _engine_files()
    assert len(files) > 50
    offenders = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            for name in names:
                if name == "ninja" or name.startswith(("ninja.", *WEB_MODULES)):
                    offenders.append(f"{path.relative_to(SRC)}: {name}")
    assert offenders == []


def test_no_capability_names_the_shell_outside_its_web_package() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in _engine_files()
        if "econsec.web" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_everything_registered_resolves() -> None:
    from importlib import import_module

    import django

    django.setup()
    refs = [
        *(card.figure for card in registry.cards),
        *registry.job_kinds.values(),
        *registry.headlines,
        *(ref for warmer in registry.warmers for ref in (warmer.version, warmer.warm)),
        *(router for _, router in registry.api_routers),
    ]
    # Every capability with pages registers them (governance has none yet).
    with_pages = [c for c in CAPABILITIES if (SRC / c / "web" / "urls.py").exists()]
    assert len(registry.url_modules) == len(with_pages) >= 6
    assert {prefix for prefix, _ in registry.api_routers} >= {"/valuechain", "/stress"}
    for ref in refs:
        assert resolve(ref) is not None, ref
    for module in registry.url_modules:
        assert import_module(module).urlpatterns
