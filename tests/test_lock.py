"""requirements.lock pins, with hashes, everything pyproject.toml asks for, and `make` installs
from it in hash-checking mode (nothing unpinned is downloaded)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
_ENTRY = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)(?:\s*;\s*([^\\]+?))?\s*\\$")


# The lock is universal (other Pythons and platforms get entries of their own, under markers);
# these tests read it as `make` installs it on Linux with the oldest Python supported.
LINUX_311 = {
    "sys_platform": "linux",
    "platform_system": "Linux",
    "python_version": "3.11",
    "python_full_version": "3.11.0",
}


def _lock() -> dict[str, tuple[Version, list[str]]]:
    entries: dict[str, tuple[Version, list[str]]] = {}
    other: dict[str, tuple[Version, list[str]]] = {}
    name = ""
    target = entries
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        entry = _ENTRY.match(line)
        if entry:
            name = canonicalize_name(entry.group(1))
            applies = not entry.group(3) or Marker(entry.group(3)).evaluate(LINUX_311)
            target = entries if applies else other
            assert name not in target, f"{name} pinned twice"
            target[name] = (Version(entry.group(2)), [])
        elif line.strip().startswith("--hash="):
            target[name][1].append(line.strip().removeprefix("--hash=").rstrip(" \\"))
        elif line.strip() and not line.startswith("#"):
            raise AssertionError(f"unexpected line in requirements.lock: {line!r}")
    return entries


def _wanted() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    texts = [
        *project["project"]["dependencies"],
        *project["project"]["optional-dependencies"]["dev"],
        *project["build-system"]["requires"],
        "pip",
    ]
    return [Requirement(text) for text in texts]


def test_every_requirement_is_pinned_with_hashes() -> None:
    lock = _lock()
    assert len(lock) > 50
    for name, (_version, hashes) in lock.items():
        assert hashes and all(h.startswith("sha256:") and len(h) == 71 for h in hashes), name
    linux = LINUX_311
    for requirement in _wanted():
        if requirement.marker is not None and not requirement.marker.evaluate(linux):
            continue
        name = canonicalize_name(requirement.name)
        assert name in lock, f"{requirement} is not in requirements.lock: run make lock"
        version = lock[name][0]
        assert requirement.specifier.contains(version, prereleases=True), (requirement, version)
        for extra in requirement.extras:  # e.g. psycopg[binary], dask[distributed]
            assert extra in {"binary", "distributed"}, extra
    assert "psycopg-binary" in lock and "distributed" in lock


def test_lock_markers_parse() -> None:
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        entry = _ENTRY.match(line)
        if entry and entry.group(3):
            Marker(entry.group(3))


def test_make_installs_only_from_the_lock() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("$(STAMP): pyproject.toml requirements.lock\n", 1)[1].split("\n\n")[0]
    installs = [line.strip() for line in recipe.splitlines() if "pip install" in line]
    assert installs == [
        "$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock",
        "$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .",
    ]
