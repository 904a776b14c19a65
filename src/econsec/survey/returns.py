"""Returned workbooks into the store: each becomes an Answer, valid or with located errors."""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from collections.abc import Iterable
from concurrent.futures import Executor
from pathlib import Path

from django.utils import timezone

from econsec.survey.answers import Expect, Reading, read_answer
from econsec.survey.campaigns import expectation, load_chain
from econsec.survey.models import Answer, Campaign, Request


def record(request: Request, reading: Reading, *, name: str, sha256: str, via: str) -> Answer:
    """Keep ``reading`` as ``request``'s latest answer and move the request's status."""
    now = timezone.now()
    answer = Answer.objects.create(
        request=request, received_at=now, source_name=name[:500], source_sha256=sha256, via=via,
        ok=reading.ok, rows=reading.rows, errors=[p.as_dict() for p in reading.problems],
    )  # fmt: skip
    request.status = Request.Status.RETURNED if reading.ok else Request.Status.ERRORS
    request.returned_at = now
    request.save(update_fields=["status", "returned_at"])
    return answer


def receive(request: Request, path: Path, *, via: str, name: str | None = None) -> Answer:
    """Validate ``path`` as ``request``'s returned workbook and keep the outcome."""
    expect = expectation(request, load_chain())
    reading = read_answer(path, expect, name=name)
    return record(request, reading, name=name or path.name, sha256=_sha256(path), via=via)


UPLOADS_PER_HOUR = 10  # per upload link, page and API together


def count_upload(request: Request) -> bool:
    """Count one upload attempt on ``request``'s link; False once the hour's allowance is used."""
    now = timezone.now()
    if request.window_started_at is None or now - request.window_started_at > dt.timedelta(hours=1):
        request.window_started_at, request.window_uploads = now, 0
    request.window_uploads += 1
    request.save(update_fields=["window_started_at", "window_uploads"])
    return request.window_uploads <= UPLOADS_PER_HOUR


def receive_upload(request: Request, chunks: Iterable[bytes], *, name: str, via: str) -> Answer:
    """An uploaded workbook (its bytes as they arrive) as ``request``'s answer."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.xlsx"
        with path.open("wb") as out:
            for chunk in chunks:
                out.write(chunk)
        return receive(request, path, via=via, name=Path(name or "upload.xlsx").name)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read(job: tuple[str, Expect, str]) -> tuple[Reading, str]:
    path, expect, name = job
    return read_answer(Path(path), expect, name=name), _sha256(Path(path))


def receive_folder(
    campaign: Campaign, folder: Path, executor: Executor | None = None
) -> tuple[list[Answer], list[str]]:
    """Every ``survey-<campaign>-<supplier>.xlsx`` in ``folder``; the files matching no supplier.

    Reading runs on ``executor`` (a process pool) when given: the files are independent.
    """
    chain = load_chain()
    requests = {r.org_id: r for r in campaign.requests.all()}
    by_file = {f"survey-{campaign.pk}-{_safe(org)}.xlsx": req for org, req in requests.items()}
    files = sorted(folder.glob("*.xlsx"))
    unknown = [f.name for f in files if f.name not in by_file]
    jobs = [(str(f), expectation(by_file[f.name], chain), f.name) for f in files
            if f.name in by_file]  # fmt: skip
    if executor is None:
        results = [_read(job) for job in jobs]
    else:
        results = list(executor.map(_read, jobs, chunksize=max(1, len(jobs) // 32)))
    answers = [record(by_file[name], reading, name=name, sha256=sha, via="cli")
               for (_, _, name), (reading, sha) in zip(jobs, results, strict=True)]  # fmt: skip
    return answers, unknown


def _safe(org_id: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in org_id)
