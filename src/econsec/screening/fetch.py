"""Keeping lists current: download each supported list from its publisher, verify it, load it
as a new version with its diff, and re-screen what changed (``econsec lists fetch``).

A fetch is all-or-nothing per list: the file is downloaded to a temporary folder, checked
(size within bounds, SHA-256 when one is configured or published, the loader's own format
checks) and only then stored. Anything wrong leaves the current version in force and is
recorded as a ``list.fetch_failed`` event, which ``econsec lists sources`` and the job page
show. A file identical to the current version's is not loaded again.

Addresses and the schedule are configuration (``<data dir>/list-sources.yaml`` or the file
named by ``ECONSEC_LIST_SOURCES``)::

    schedule: {every_hours: 24}          # the job worker fetches every 24 hours (absent: never)
    sources:
      us_csl: {url: https://…/consolidated.csv}
      meti_eul: {url: https://…/eul.xlsx, sha256: 0123…}
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from econsec.i18n import LANGUAGES, t

CONFIG_NAME = "list-sources.yaml"
TIMEOUT_SECONDS = 60.0
_CHUNK = 1 << 16
USER_AGENT = "econsec-list-fetch"
RESULT_ACTIONS = ("list.fetched", "list.fetch_failed", "list.fetch_unchanged")


@dataclass(frozen=True)
class Source:
    """One list as its publisher offers it."""

    name: str
    """The list's name in econsec (``us_csl``)."""
    fmt: str
    """The loader (``csl``, ``un``, ``ofac``, ``user``, ``ftm``)."""
    files: tuple[tuple[str, str], ...]
    """(file name, URL) — several for a list published as a set of files (OFAC)."""
    publisher: str
    sha256: str = ""
    """Expected SHA-256 of the (single) file, when the administrator configured one."""
    sha256_url: str = ""
    """Where the publisher publishes the file's SHA-256, if it does."""
    min_bytes: int = 1_000
    max_bytes: int = 200_000_000


# The publishers' official addresses. METI publishes each revision of its End User List at a
# new address, so it has none here: configure the current one.
DEFAULT_SOURCES: dict[str, Source] = {
    "us_csl": Source(
        "us_csl", "csl",
        (("consolidated.csv",
          "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"),),
        "US International Trade Administration (Consolidated Screening List)",
    ),
    "un_sc": Source(
        "un_sc", "un",
        (("consolidated.xml", "https://scsanctions.un.org/resources/xml/en/consolidated.xml"),),
        "UN Security Council (Consolidated List)",
    ),
    "ofac_sdn": Source(
        "ofac_sdn", "ofac",
        tuple((f, f"https://www.treasury.gov/ofac/downloads/{f}")
              for f in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")),
        "US Treasury OFAC (SDN list)",
    ),
    "meti_eul": Source("meti_eul", "user", (), "METI (End User List / 外国ユーザーリスト)"),
}  # fmt: skip


class FetchError(Exception):
    """A fetch failed; carries a message id and its parameters (shown in ja and en)."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.params)


@dataclass
class FetchOutcome:
    """What happened to one list."""

    name: str
    status: str  # loaded | unchanged | failed
    entities: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    error: dict[str, str] = field(default_factory=dict)
    """The failure in each language."""


# -- configuration ---------------------------------------------------------------------------


def config_path() -> Path:
    configured = os.environ.get("ECONSEC_LIST_SOURCES")
    if configured:
        return Path(configured)
    from django.conf import settings

    return Path(settings.DATA_DIR) / CONFIG_NAME


def load_config(path: Path | None = None) -> dict[str, Any]:
    path = path or config_path()
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise FetchError("screening.fetch.bad_config", path=str(path), problem=str(exc)) from exc
    if not isinstance(data, dict):
        raise FetchError("screening.fetch.bad_config", path=str(path), problem="not a mapping")
    return data


def save_config(data: Mapping[str, Any], path: Path | None = None) -> Path:
    path = path or config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(dict(data), allow_unicode=True, sort_keys=True), "utf-8")
    return path


def sources(config: Mapping[str, Any] | None = None) -> dict[str, Source]:
    """Every known source with the configured addresses and checksums applied."""
    config = load_config() if config is None else config
    out = dict(DEFAULT_SOURCES)
    for name, entry in (config.get("sources") or {}).items():
        entry = entry or {}
        base = out.get(name) or Source(str(name), str(entry.get("format", "user")), (), str(name))
        files = base.files
        if entry.get("url"):
            file_name = Path(str(entry["url"]).split("?")[0]).name or f"{name}.dat"
            files = ((file_name, str(entry["url"])),)
        if entry.get("urls"):
            files = tuple((str(f), str(u)) for f, u in dict(entry["urls"]).items())
        out[str(name)] = replace(
            base,
            fmt=str(entry.get("format", base.fmt)),
            files=files,
            sha256=str(entry.get("sha256", base.sha256)).lower(),
            sha256_url=str(entry.get("sha256_url", base.sha256_url)),
            min_bytes=int(entry.get("min_bytes", base.min_bytes)),
            max_bytes=int(entry.get("max_bytes", base.max_bytes)),
        )
    return out


def schedule_hours(config: Mapping[str, Any] | None = None) -> float | None:
    """How often the job worker fetches (hours), or None when the administrator set none."""
    config = load_config() if config is None else config
    every = (config.get("schedule") or {}).get("every_hours")
    return float(every) if every else None


# -- download and verification ---------------------------------------------------------------


def _open(url: str) -> Any:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    return urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS)


def download(url: str, target: Path, max_bytes: int) -> int:
    """Stream ``url`` to ``target``; refuse more than ``max_bytes``. Returns the size."""
    size = 0
    try:
        with _open(url) as response, target.open("wb") as out:
            while chunk := response.read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError("screening.fetch.too_big", url=url, limit=f"{max_bytes:,}")
                out.write(chunk)
    except urllib.error.HTTPError as exc:
        raise FetchError("screening.fetch.http", url=url, status=exc.code) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError("screening.fetch.unreachable", url=url, problem=str(reason)) from exc
    return size


def _published_sha256(url: str) -> str:
    """The first 64-hex-digit word of a published checksum file."""
    try:
        with _open(url) as response:
            text = bytes(response.read(10_000)).decode("ascii", errors="replace")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise FetchError("screening.fetch.unreachable", url=url, problem=str(exc)) from exc
    for word in text.split():
        if len(word) == 64 and all(c in "0123456789abcdefABCDEF" for c in word):
            return word.lower()
    raise FetchError("screening.fetch.no_checksum", url=url)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def download_source(source: Source, folder: Path) -> Path:
    """Download and verify every file of ``source`` into ``folder``; the path to load."""
    if not source.files:
        raise FetchError("screening.fetch.no_url", name=source.name, config=str(config_path()))
    for file_name, url in source.files:
        size = download(url, folder / file_name, source.max_bytes)
        if size < source.min_bytes:
            raise FetchError(
                "screening.fetch.too_small",
                url=url,
                size=f"{size:,}",
                limit=f"{source.min_bytes:,}",
            )
    if len(source.files) > 1:
        return folder
    path = folder / source.files[0][0]
    expected = source.sha256 or (_published_sha256(source.sha256_url) if source.sha256_url else "")
    if expected and _sha256(path) != expected:
        raise FetchError(
            "screening.fetch.checksum", url=source.files[0][1], expected=expected,
            found=_sha256(path),
        )  # fmt: skip
    return path


# -- fetching --------------------------------------------------------------------------------


def _event(actor: str, action: str, name: str, **detail: Any) -> None:
    from django.utils import timezone

    from econsec.screening.models import ScreeningEvent

    ScreeningEvent.objects.create(
        at=timezone.now(), actor=actor, action=action, object_ref=name, detail=detail
    )


def fetch_one(source: Source, *, actor: str) -> FetchOutcome:
    """Fetch, verify and load one list; a failure leaves its current version in force."""
    from econsec.screening import service
    from econsec.screening.entity import ListLoadError
    from econsec.screening.loaders import load_list

    with tempfile.TemporaryDirectory(prefix="econsec-fetch-") as tmp:
        error: dict[str, str] = {}
        key = ""
        try:
            path = download_source(source, Path(tmp))
            loaded = load_list(path, list_name=source.name, source_format=source.fmt)
        except FetchError as exc:
            key, error = exc.key, {lang: exc.message(lang) for lang in LANGUAGES}
        except ListLoadError as exc:  # the loader's own message, in both languages
            key = "screening.fetch.malformed"
            error = {lang: t(key, lang, problem=exc.message(lang)) for lang in LANGUAGES}
        if error:
            _event(actor, "list.fetch_failed", source.name, key=key, message=error)
            return FetchOutcome(source.name, "failed", error=error)
        current = service.current_version(source.name)
        if current is not None and current.source_sha256 == loaded.source_sha256:
            _event(actor, "list.fetch_unchanged", source.name)
            return FetchOutcome(source.name, "unchanged", entities=current.entity_count)
        version, diff = service.store_list(loaded, actor=actor, source_name=path.name)
        _event(
            actor, "list.fetched", source.name, version=version.pk,
            added=len(diff.added), changed=len(diff.changed), removed=len(diff.removed),
        )  # fmt: skip
        return FetchOutcome(
            source.name, "loaded", version.entity_count,
            len(diff.added), len(diff.changed), len(diff.removed),
        )  # fmt: skip


def fetch(
    names: list[str] | None = None,
    *,
    actor: str,
    config: Mapping[str, Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[FetchOutcome], dict[str, int]]:
    """Fetch ``names`` (default: every source with an address) and re-screen the value chain
    against what changed. Returns the outcome per list and the screening counts."""
    from econsec.screening import service

    known = sources(config)
    unknown = [n for n in names or () if n not in known]
    if unknown:
        raise FetchError("screening.fetch.unknown_source", name=", ".join(unknown),
                         known=", ".join(sorted(known)))  # fmt: skip
    chosen = [known[n] for n in names] if names else [s for s in known.values() if s.files]
    outcomes = []
    for i, source in enumerate(chosen):
        outcomes.append(fetch_one(source, actor=actor))
        if progress is not None:
            progress(i + 1, len(chosen))
    counts: dict[str, int] = {}
    if any(o.status == "loaded" for o in outcomes):
        # Delta screening: subjects already screened are checked only against the entries
        # added or changed in the new versions.
        subjects, owners = service.value_chain_subjects()
        counts = service.screen_subjects(subjects, actor=actor, delta=True, owners=owners)
    return outcomes, counts


def last_fetches() -> dict[str, dict[str, Any]]:
    """Per list, its latest fetch event: action, when, and the error when it failed."""
    from econsec.screening.models import ScreeningEvent

    out: dict[str, dict[str, Any]] = {}
    events = ScreeningEvent.objects.filter(action__in=RESULT_ACTIONS).order_by("at", "id")
    for event in events:
        out[event.object_ref] = {"action": event.action, "at": event.at, "detail": event.detail}
    return out


def due(now: datetime | None = None, config: Mapping[str, Any] | None = None) -> bool:
    """True when the administrator's schedule says a fetch is due."""
    from econsec.screening.models import ScreeningEvent

    every = schedule_hours(config)
    if not every:
        return False
    now = now or datetime.now(UTC)
    last = ScreeningEvent.objects.filter(action__startswith="list.fetch").order_by("-at").first()
    return last is None or now - last.at >= timedelta(hours=every)


def fetch_job(job: Any, progress: Callable[..., None]) -> dict[str, Any]:
    """The background job (``screening.lists_fetch``): fetch, re-screen, report per list.

    The job fails (shown on the jobs page in ja and en) when any list failed; the lists that
    were fetched stay loaded and the failed ones keep their current version.
    """
    from econsec.jobs import JobFailed

    def step(done: int, total: int) -> None:
        progress(0.9 * done / max(total, 1), "screening.fetch.progress", done=done, total=total)

    names = list(job.params.get("sources") or []) or None
    actor = str(job.params.get("actor") or "scheduler")
    outcomes, counts = fetch(names, actor=actor, progress=step)
    result = {"lists": [o.__dict__ for o in outcomes], "screened": counts}
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        raise JobFailed(
            "screening.fetch.job_failed", result=result,
            names=", ".join(o.name for o in failed), count=len(failed),
        )  # fmt: skip
    return result


def scheduled() -> list[tuple[str, dict[str, Any]]]:
    """Jobs the schedule wants queued now (polled by the job worker's scheduler). Queuing is
    recorded as an event, so a job waiting in the queue is not queued again."""
    try:
        if not due():
            return []
    except FetchError:
        return []
    _event("scheduler", "list.fetch_scheduled", "*")
    return [("screening.lists_fetch", {"actor": "scheduler"})]
