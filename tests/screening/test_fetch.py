"""``econsec lists fetch``: lists served from a local HTTP server on 127.0.0.1, verified, loaded
as new versions with their diff, re-screened; a failed fetch keeps the current version."""

from __future__ import annotations

import hashlib
import http.server
import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from econsec.cli import app
from econsec.screening import fetch as fetching
from econsec.screening import service
from econsec.screening.models import Hit, ListVersion, ScreeningEvent

LISTS = Path(__file__).resolve().parents[2] / "examples" / "lists"
FICTIONAL = LISTS / "demo-fictional-end-user-list.csv"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder served at http://127.0.0.1:PORT/ for the duration of a test."""
    root = tmp_path / "www"
    root.mkdir()

    def handler(*args: object, **kwargs: object) -> _Quiet:
        return _Quiet(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _config(base: str, **extra: object) -> dict[str, object]:
    return {"sources": {"eul": {"url": f"{base}/eul.csv", "format": "user", "min_bytes": 100,
                                **extra}}}  # fmt: skip


def _org(org_id: str, name: str, country: str) -> None:
    from econsec.valuechain.models import Organisation

    Organisation.objects.create(org_id=org_id, name=name, kind="supplier", country=country)


@pytest.mark.django_db
def test_fetch_loads_diffs_and_rescreens_only_what_changed(served: tuple[Path, str]) -> None:
    root, base = served
    _org("TAIMYR", "Taimyr Polymetal JSC", "RU")
    _org("OTHER", "Nothing Listed Trading Co., Ltd.", "JP")
    lines = FICTIONAL.read_text(encoding="utf-8").splitlines()
    # First version: the header and one entry.
    (root / "eul.csv").write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    outcomes, counts = fetching.fetch(["eul"], actor="test", config=_config(base))
    assert [(o.status, o.entities, o.added) for o in outcomes] == [("loaded", 1, 1)]
    assert counts["screened"] == 2 and counts["hits"] == 1  # Taimyr is FICT-001
    # The same file again: nothing loaded, nothing screened.
    outcomes, counts = fetching.fetch(["eul"], actor="test", config=_config(base))
    assert outcomes[0].status == "unchanged" and counts == {}
    assert ListVersion.objects.filter(screening_list__name="eul").count() == 1
    # The publisher adds two entries: a new version with its diff, delta re-screen.
    (root / "eul.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcomes, counts = fetching.fetch(["eul"], actor="test", config=_config(base))
    assert [(o.status, o.entities, o.added, o.changed, o.removed) for o in outcomes] == [
        ("loaded", 3, 2, 0, 0)
    ]
    current = service.current_version("eul")
    assert current is not None and current.added == 2
    assert Hit.objects.filter(subject_ref="org:TAIMYR").count() == 1  # not recorded twice


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "key"),
    [
        ("checksum", "screening.fetch.checksum"),
        ("malformed", "screening.fetch.malformed"),
        ("missing", "screening.fetch.http"),
        ("too_big", "screening.fetch.too_big"),
        ("too_small", "screening.fetch.too_small"),
    ],
)
def test_a_failed_fetch_keeps_the_current_version_and_says_why(
    served: tuple[Path, str], change: str, key: str
) -> None:
    root, base = served
    shutil.copy(FICTIONAL, root / "eul.csv")
    fetching.fetch(["eul"], actor="test", config=_config(base))
    before = service.current_version("eul")
    assert before is not None
    extra: dict[str, object] = {}
    if change == "checksum":
        extra["sha256"] = hashlib.sha256(b"something else").hexdigest()
    elif change == "malformed":
        (root / "eul.csv").write_text("nothing,useful\n" + "x,y\n" * 100, encoding="utf-8")
    elif change == "missing":
        (root / "eul.csv").unlink()
    elif change == "too_big":
        extra["max_bytes"] = 200
    elif change == "too_small":
        extra["min_bytes"] = 100_000
    outcomes, _ = fetching.fetch(["eul"], actor="test", config=_config(base, **extra))
    assert outcomes[0].status == "failed"
    assert service.current_version("eul") == before  # still in force
    event = ScreeningEvent.objects.filter(action="list.fetch_failed").get()
    assert event.detail["key"] == key
    assert event.detail["message"]["ja"] and event.detail["message"]["en"]
    assert fetching.last_fetches()["eul"]["action"] == "list.fetch_failed"


@pytest.mark.django_db
def test_a_published_checksum_is_checked(served: tuple[Path, str]) -> None:
    root, base = served
    shutil.copy(FICTIONAL, root / "eul.csv")
    digest = hashlib.sha256(FICTIONAL.read_bytes()).hexdigest()
    (root / "eul.csv.sha256").write_text(f"{digest}  eul.csv\n", encoding="ascii")
    config = _config(base, sha256_url=f"{base}/eul.csv.sha256")
    assert fetching.fetch(["eul"], actor="t", config=config)[0][0].status == "loaded"
    (root / "eul.csv.sha256").write_text("0" * 64 + "\n", encoding="ascii")
    (root / "eul.csv").write_text(FICTIONAL.read_text(encoding="utf-8") + "\n", "utf-8")
    assert fetching.fetch(["eul"], actor="t", config=config)[0][0].status == "failed"


@pytest.mark.django_db
def test_cli_fetch_sources_and_schedule(
    served: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, base = served
    monkeypatch.setenv("ECONSEC_LIST_SOURCES", str(tmp_path / "list-sources.yaml"))
    fetching.save_config({"sources": {"meti_eul": {"min_bytes": 100}}})
    shutil.copy(FICTIONAL, root / "eul.csv")
    runner = CliRunner()
    result = runner.invoke(
        app, ["lists", "fetch", "--source", "meti_eul", "--url", f"{base}/eul.csv", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "meti_eul: new version loaded (3 entries" in " ".join(result.output.split())
    # No address configured for the other lists here: a bad address fails, exit code 1.
    bad = runner.invoke(
        app, ["lists", "fetch", "--source", "meti_eul", "--url", f"{base}/gone.csv", "--lang", "ja"]
    )
    assert bad.exit_code == 1 and "現在の版" in bad.output
    shown = runner.invoke(app, ["lists", "sources", "--lang", "en"], env={"COLUMNS": "250"})
    assert shown.exit_code == 0 and "failed (current version kept)" in shown.output
    assert runner.invoke(app, ["lists", "schedule", "--every", "24", "--lang", "en"]).exit_code == 0
    assert fetching.schedule_hours() == 24.0
    # Just fetched: not due; a day later it is, and queuing it is recorded once.
    assert not fetching.due()
    assert fetching.due(now=datetime.now(UTC) + timedelta(hours=25))
    ScreeningEvent.objects.filter(action__startswith="list.fetch").update(
        at=datetime.now(UTC) - timedelta(hours=25)
    )
    assert fetching.scheduled() == [("screening.lists_fetch", {"actor": "scheduler"})]
    assert fetching.scheduled() == []  # the queued job is not queued again
    assert runner.invoke(app, ["lists", "schedule", "--off"]).exit_code == 0
    assert fetching.schedule_hours() is None


@pytest.mark.django_db
def test_the_fetch_job_fails_visibly_and_keeps_what_it_loaded(served: tuple[Path, str],
                                                             tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from econsec.jobs import JobFailed

    root, base = served
    shutil.copy(FICTIONAL, root / "eul.csv")
    config = {
        "sources": {
            "meti_eul": {"url": f"{base}/eul.csv", "min_bytes": 100},
            "gone": {"url": f"{base}/x"},
        }
    }
    monkeypatch.setenv("ECONSEC_LIST_SOURCES", str(tmp_path / "sources.yaml"))
    fetching.save_config(config)

    class Job:
        params = {"sources": ["meti_eul", "gone"], "actor": "test"}

    with pytest.raises(JobFailed) as failed:
        fetching.fetch_job(Job(), lambda *a, **k: None)
    assert failed.value.key == "screening.fetch.job_failed"
    assert failed.value.params["names"] == "gone"
    assert service.current_version("meti_eul") is not None


@pytest.mark.django_db
def test_the_worker_scheduler_queues_the_fetch_when_due(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from econsec.web.models import Job
    from econsec.web.scheduler import run_due

    def fetches(queued: list[int]) -> list[int]:
        # Other capabilities schedule their own jobs on the same poll; count only the fetch.
        kinds = dict(Job.objects.filter(pk__in=queued).values_list("pk", "kind"))
        return [pk for pk in queued if kinds[pk] == "screening.lists_fetch"]

    monkeypatch.setenv("ECONSEC_LIST_SOURCES", str(tmp_path / "sources.yaml"))
    assert fetches(run_due()) == []  # no schedule set: nothing queued
    fetching.save_config({"schedule": {"every_hours": 12}})
    assert len(fetches(run_due())) == 1
    assert fetches(run_due()) == []  # queued once, not again on the next poll
