"""Evidence for answers: uploaded files (content-addressed by SHA-256), links, analysis references.

Files are stored once under ``<data dir>/evidence/<first two hex>/<sha256>`` and re-hashed on
every read, so a file altered on disk is detected instead of being served as evidence. Only
document and image types that auditors commonly receive are accepted, and the first bytes must
match the extension (a renamed executable is refused). Office files are checked as packages
(no zip bomb, no XML entity declarations) before they are kept, since whoever opens the
evidence later would pay for them; names, titles and links with control or invisible
characters (a right-to-left override can make ``evil.exe`` read as ``exe.pdf``) are refused.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlparse

from django.conf import settings
from django.utils import timezone

from econsec.characters import unwanted
from econsec.guideline.campaigns import EDITABLE, framework_of, log_event
from econsec.guideline.errors import GuidelineError
from econsec.guideline.frameworks import capabilities
from econsec.guideline.models import Campaign, Evidence
from econsec.workbook_guard import Limits, WorkbookRefused, check_package

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
_OOXML = b"PK\x03\x04"
# extension → (content type, accepted leading bytes; None = text, checked separately)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (_OOXML,)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_OOXML,)),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (_OOXML,),
    ),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "csv": ("text/csv", None),
    "txt": ("text/plain", None),
    "md": ("text/markdown", None),
}
_CHUNK = 1 << 20
# Office files unpack to ten or twenty times their size; far more is a zip bomb.
_PACKAGE_LIMITS = Limits(
    max_bytes=DEFAULT_MAX_BYTES * 8,
    max_uncompressed=1024**3,
    max_rows=0,
    max_columns=0,
    max_cells=0,
)


def _check_text(field: str, text: str) -> None:
    found = unwanted(text)
    if found is not None:
        raise GuidelineError(
            "text.unwanted_character", field=field, char=found[1], position=found[0]
        )


def max_bytes() -> int:
    """The upload limit: setting ECONSEC_EVIDENCE_MAX_BYTES, else 25 MiB."""
    return int(getattr(settings, "ECONSEC_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def evidence_dir() -> Path:
    return Path(settings.DATA_DIR) / "evidence"


def _path_for(sha256: str) -> Path:
    return evidence_dir() / sha256[:2] / sha256


def _check_editable(campaign: Campaign, item_id: str, question_id: str) -> None:
    campaign.refresh_from_db()
    if campaign.status not in EDITABLE:
        raise GuidelineError(
            "guideline.campaign.locked", campaign=campaign.pk, status=campaign.status
        )
    framework = framework_of(campaign.framework)
    if item_id not in framework.item_index:
        raise GuidelineError("guideline.answer.unknown_item", id=item_id)
    if (
        question_id
        and framework.question_index.get(question_id, (None,))[0]
        is not framework.item_index[item_id]
    ):
        raise GuidelineError(
            "guideline.evidence.question_not_in_item", question=question_id, item=item_id
        )


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "cp932"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            # A multibyte character cut at the end of the sample is still text.
            if exc.start >= len(head) - 3:
                return True
    return False


def _check_type(file_name: str, head: bytes) -> str:
    ext = Path(file_name).suffix.lower().lstrip(".")
    if ext not in ALLOWED:
        raise GuidelineError(
            "guideline.evidence.type_not_allowed",
            name=file_name,
            allowed=", ".join(sorted(ALLOWED)),
        )
    content_type, magic = ALLOWED[ext]
    ok = _looks_like_text(head) if magic is None else head.startswith(magic)
    if not ok:
        raise GuidelineError("guideline.evidence.content_mismatch", name=file_name, ext=ext)
    return content_type


def add_file(
    campaign: Campaign,
    item_id: str,
    file_name: str,
    stream: BinaryIO,
    actor: str = "",
    question_id: str = "",
    title: str = "",
) -> Evidence:
    """Store an uploaded file as evidence: type and size checked, hashed while copied."""
    _check_editable(campaign, item_id, question_id)
    _check_text("file", file_name)
    _check_text("title", title)
    limit = max_bytes()
    head = stream.read(4096)
    content_type = _check_type(file_name, head)
    folder = evidence_dir()
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            chunk = head
            while chunk:
                size += len(chunk)
                if size > limit:
                    raise GuidelineError(
                        "guideline.evidence.too_large", name=file_name, limit=limit // (1024 * 1024)
                    )
                digest.update(chunk)
                out.write(chunk)
                chunk = stream.read(_CHUNK)
        if size == 0:
            raise GuidelineError("guideline.evidence.empty", name=file_name)
        if ALLOWED[Path(file_name).suffix.lower().lstrip(".")][1] == (_OOXML,):
            try:
                check_package(Path(tmp_name), _PACKAGE_LIMITS, name=file_name)
            except WorkbookRefused as exc:
                raise GuidelineError(exc.key, **exc.fields()) from exc
        sha = digest.hexdigest()
        target = _path_for(sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            os.unlink(tmp_name)  # same content already stored
        else:
            os.replace(tmp_name, target)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
    row = Evidence.objects.create(
        campaign=campaign,
        item_id=item_id,
        question_id=question_id,
        kind="file",
        title=title or file_name,
        sha256=sha,
        size=size,
        file_name=Path(file_name).name[:300],
        content_type=content_type,
        added_at=timezone.now(),
        added_by=actor,
    )
    log_event(campaign, actor, "evidence.file", item_id, sha256=sha, size=size, name=row.file_name)
    return row


def read_file(evidence: Evidence) -> bytes:
    """The stored file's bytes, after checking they still hash to the recorded SHA-256."""
    if evidence.kind != "file":
        raise GuidelineError("guideline.evidence.not_a_file", id=evidence.pk)
    path = _path_for(evidence.sha256)
    if not path.exists():
        raise GuidelineError("guideline.evidence.missing", id=evidence.pk, sha256=evidence.sha256)
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != evidence.sha256 or len(data) != evidence.size:
        raise GuidelineError(
            "guideline.evidence.tampered", id=evidence.pk, expected=evidence.sha256, actual=actual
        )
    return data


def add_link(
    campaign: Campaign,
    item_id: str,
    url: str,
    actor: str = "",
    question_id: str = "",
    title: str = "",
) -> Evidence:
    """Cite a document by URL (http or https only)."""
    _check_editable(campaign, item_id, question_id)
    _check_text("url", url)
    _check_text("title", title)
    parsed = urlparse(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise GuidelineError("guideline.evidence.bad_url", url=url)
    row = Evidence.objects.create(
        campaign=campaign,
        item_id=item_id,
        question_id=question_id,
        kind="link",
        title=title or url.strip(),
        url=url.strip(),
        added_at=timezone.now(),
        added_by=actor,
    )
    log_event(campaign, actor, "evidence.link", item_id, url=row.url)
    return row


def add_analysis_reference(
    campaign: Campaign,
    item_id: str,
    capability: str,
    ref_id: str,
    data_version: str,
    actor: str = "",
    question_id: str = "",
    title: str = "",
) -> Evidence:
    """Cite a stored econsec analysis result: capability + result id + the data version it ran on."""
    _check_editable(campaign, item_id, question_id)
    _check_text("title", title)
    if capability not in capabilities():
        raise GuidelineError(
            "guideline.evidence.unknown_capability",
            capability=capability,
            known=", ".join(sorted(capabilities())),
        )
    if not ref_id.strip() or not data_version.strip():
        raise GuidelineError("guideline.evidence.ref_incomplete")
    row = Evidence.objects.create(
        campaign=campaign,
        item_id=item_id,
        question_id=question_id,
        kind="analysis",
        title=title or f"{capability} {ref_id}",
        ref_kind=capability,
        ref_id=ref_id.strip(),
        data_version=data_version.strip(),
        added_at=timezone.now(),
        added_by=actor,
    )
    log_event(
        campaign, actor, "evidence.analysis", item_id, capability=capability, ref_id=row.ref_id
    )
    return row
