"""List loaders: each turns one list format into :class:`~econsec.screening.entity.LoadedList`.

A malformed file raises :class:`~econsec.screening.entity.ListLoadError` naming the file and the
line (or element); nothing is half-loaded, so the previously stored version stays in force.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

from econsec.screening.entity import ListLoadError, LoadedList

FORMATS = ("ftm", "ofac", "csl", "un", "eu", "user", "meti_eul", "mof", "cn_mofcom")
# The largest list file (or OFAC folder) read: the full OFAC, EU and CSL files are tens of MB;
# a bigger file is refused before it is read. Workbooks and user lists have their own limits.
MAX_LIST_BYTES = 512 * 1024 * 1024


def file_sha256(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def list_size(path: Path) -> int:
    """Bytes of a list file, or of the files of a list folder (OFAC)."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir() if p.is_file())
    return path.stat().st_size


def guess_format(path: Path) -> str:
    """The loader for ``path`` from its name (a folder is an OFAC set of CSV files)."""
    name = path.name.lower()
    if path.is_dir() or name in {"sdn.csv", "cons_prim.csv"}:
        return "ofac"
    if name.endswith((".jsonl", ".ftm.json", ".ijson")):
        return "ftm"
    if name.endswith(".xml"):
        xml_head = path.read_bytes()[:4000] if path.is_file() else b""
        return "eu" if b"fpi/fsd/export" in xml_head or b"<export" in xml_head else "un"
    if name.endswith((".xlsx", ".xlsm")):
        from econsec.screening.loaders.cn_mofcom import looks_like_mofcom
        from econsec.screening.loaders.meti_eul import looks_like_eul
        from econsec.screening.loaders.mof import looks_like_mof

        if looks_like_eul(path):
            return "meti_eul"
        if looks_like_mof(path):
            return "mof"
        return "cn_mofcom" if looks_like_mofcom(path) else "user"
    if name.endswith(".txt"):
        from econsec.screening.loaders.cn_mofcom import looks_like_mofcom

        if looks_like_mofcom(path):
            return "cn_mofcom"
    if name.endswith(".csv"):
        from econsec.screening.loaders.cn_mofcom import looks_like_mofcom

        with path.open("rb") as handle:
            head = handle.read(2000).decode("utf-8-sig", errors="replace").lower()
        first = head.splitlines()[0] if head else ""
        if "source" in first and "entity_number" in first:
            return "csl"
        return "cn_mofcom" if looks_like_mofcom(path) else "user"
    raise ListLoadError("screening.load.unknown_format", source=path.name)


def load_list(
    path: Path,
    *,
    list_name: str,
    source_format: str | None = None,
    version_date: date | None = None,
    dataset: str | None = None,
) -> LoadedList:
    """Parse ``path`` in ``source_format`` (guessed from the name when omitted)."""
    from econsec.screening.loaders import (
        cn_mofcom,
        csl,
        eu_xml,
        ftm,
        meti_eul,
        mof,
        ofac,
        un_xml,
        user_list,
    )

    loaders: dict[str, Callable[..., LoadedList]] = {
        "ftm": ftm.load,
        "ofac": ofac.load,
        "csl": csl.load,
        "un": un_xml.load,
        "eu": eu_xml.load,
        "user": user_list.load,
        "meti_eul": meti_eul.load,
        "mof": mof.load,
        "cn_mofcom": cn_mofcom.load,
    }
    if source_format is not None and source_format not in loaders:
        raise ListLoadError("screening.load.unknown_format", source=path.name)
    if not path.exists():
        raise ListLoadError("screening.load.missing_file", source=str(path))
    size = list_size(path)
    if size > MAX_LIST_BYTES:
        raise ListLoadError(
            "workbook.too_large", source=path.name, file=path.name, size=size,
            limit=MAX_LIST_BYTES,
        )  # fmt: skip
    fmt = source_format or guess_format(path)
    if fmt not in loaders:
        raise ListLoadError("screening.load.unknown_format", source=path.name)
    kwargs: dict[str, object] = {"list_name": list_name, "version_date": version_date}
    if fmt == "ftm":
        kwargs["dataset"] = dataset
    return loaders[fmt](path, **kwargs)
