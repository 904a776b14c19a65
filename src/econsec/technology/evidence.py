"""Incident evidence files, kept by their SHA-256 in a store of their own.

Evidence of a leak is need-to-know like the register, so it is not put beside the
self-assessment's evidence (which auditors read): it goes to
``<data dir>/technology-evidence/<first two hex>/<sha256>``. The uploaded name is only a label —
never part of a path — reduced to its last component and refused when it carries control or
invisible characters (a right-to-left override makes ``evil.exe`` look like ``exe.pdf``). The
file is hashed while it is copied under a temporary name and moved into place only when it is
complete and within the limit, so a refused upload leaves nothing behind; every read re-hashes
it, so a file altered on disk is reported instead of served.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from econsec import trail
from econsec.characters import unwanted
from econsec.technology.errors import TechnologyError
from econsec.technology.models import Incident, IncidentEvidence

MAX_EVIDENCE_BYTES = 25 * 1024 * 1024
MAX_DESCRIPTION_CHARS = 2000
_CHUNK = 1 << 20


def limit() -> int:
    return MAX_EVIDENCE_BYTES


def store_dir() -> Path:
    return Path(settings.DATA_DIR) / "technology-evidence"


def _path_for(sha256: str) -> Path:
    return store_dir() / sha256[:2] / sha256


def clean_name(name: str) -> str:
    """The label kept for an uploaded name: NFC, last path component (either separator)."""
    text = unicodedata.normalize("NFC", name or "")
    found = unwanted(text)
    if found is not None:
        raise TechnologyError("technology.evidence.bad_name", position=found[0], char=found[1])
    base = PureWindowsPath(PurePosixPath(text).name).name.strip()
    if base in ("", ".", ".."):
        raise TechnologyError("technology.evidence.no_name")
    return base[:300]


def clean_description(text: str) -> str:
    """The description kept with a file: NFC, trimmed, without control or invisible characters."""
    text = unicodedata.normalize("NFC", text or "").strip()
    found = unwanted(text)
    if found is not None:
        raise TechnologyError("technology.evidence.bad_description", position=found[0],
                              char=found[1])  # fmt: skip
    if len(text) > MAX_DESCRIPTION_CHARS:
        raise TechnologyError("technology.evidence.long_description", length=len(text),
                              limit=MAX_DESCRIPTION_CHARS)  # fmt: skip
    return text


def add(
    incident: Incident, name: str, stream: BinaryIO, *, actor: str, description: str = ""
) -> IncidentEvidence:
    """Keep ``stream`` as evidence of ``incident``: nothing is kept if it is empty or too large,
    or if its name or description is refused."""
    label = clean_name(name)
    about = clean_description(description)
    cap = limit()
    folder = store_dir()
    folder.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > cap:
                    raise TechnologyError("technology.evidence.too_large", name=label,
                                          limit=f"{cap / (1024 * 1024):g} MB")  # fmt: skip
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise TechnologyError("technology.evidence.empty", name=label)
        sha = digest.hexdigest()
        target = _path_for(sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            os.unlink(tmp_name)  # the same content is already kept
        else:
            os.replace(tmp_name, target)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
    with transaction.atomic():
        row = IncidentEvidence.objects.create(incident=incident, name=label, description=about,
                                              sha256=sha, size=size, added_at=timezone.now(),
                                              actor=actor)  # fmt: skip
        trail.record("technology.incident.evidence", f"incident:{incident.pk}", actor=actor,
                     sha256=sha, size=size)  # fmt: skip
    return row


def read(row: IncidentEvidence) -> bytes:
    """The kept file's bytes, after checking they still hash to the recorded SHA-256."""
    path = _path_for(row.sha256)
    if not path.is_file():
        raise TechnologyError("technology.evidence.missing", sha=row.sha256)
    data = path.read_bytes()
    if len(data) != row.size or hashlib.sha256(data).hexdigest() != row.sha256:
        raise TechnologyError("technology.evidence.tampered", sha=row.sha256)
    return data
