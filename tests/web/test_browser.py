"""Browser tests: Playwright driving Debian's Chromium against a live server.

Skipped when /usr/bin/chromium is missing, unless ECONSEC_REQUIRE_BROWSER=1 (CI), where a
missing browser fails. Screenshots of each page go to test-output/screenshots/.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .workbooks import write_bad, write_good

CHROMIUM = Path(os.environ.get("ECONSEC_CHROMIUM", "/usr/bin/chromium"))
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("ECONSEC_REQUIRE_BROWSER") == "1":
            pytest.fail(f"ECONSEC_REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing (install Debian's chromium package)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(
    browser: Any, live_server: Any, users: Any, settings: Any, tmp_path: Path
) -> Iterator[Any]:
    # Jobs run inside the request here: the live server's test database is not visible to a
    # separate worker process. The queue-and-worker path is covered in test_jobs_and_upload.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    context = browser.new_context(locale="ja-JP", viewport={"width": 1360, "height": 900})
    pg = context.new_page()
    pg.base = live_server.url
    # Anything the Content-Security-Policy blocked shows as a console error: a page that
    # relied on an inline script or style would silently lose it.
    blocked: list[str] = []
    pg.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else 0)
    pg.on("pageerror", lambda e: blocked.append(str(e)))
    yield pg
    context.close()
    assert not blocked, blocked


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def wait_until(page: Any, expression: str, timeout: float = 30.0) -> None:
    """Wait until a JavaScript expression is true in the page.

    Playwright's ``wait_for_function`` compiles its predicate inside the page, which the
    Content-Security-Policy forbids (no eval); ``evaluate`` runs through the browser's
    debugging protocol, which it does not govern.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({expression})"):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout:.0f} s: {expression}")
        page.wait_for_timeout(100)


def sign_in(page: Any, username: str) -> None:
    from .fixtures import PASSWORD

    page.goto(page.base + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(page.base + "/")


def test_sign_in_and_switch_language(page: Any, chain: Any) -> None:
    page.goto(page.base + "/")
    assert "/login/" in page.url
    assert page.locator("h1").inner_text() == "サインイン"  # browser asks for Japanese
    shot(page, "01-login-ja")
    page.fill("input[name=username]", "viewer")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit].primary")
    assert "正しくありません" in page.get_by_test_id("login-error").inner_text()
    sign_in(page, "viewer")
    assert page.locator("h1").inner_text() == "ダッシュボード"
    shot(page, "02-dashboard-ja")
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Dashboard"
    shot(page, "03-dashboard-en")
    # The choice is the user's: it follows them to the next page.
    page.goto(page.base + "/valuechain/organisations/")
    assert page.locator("h1").inner_text() == "Organisations"
    cell = page.get_by_test_id("list-table").locator("a", has_text="<script>")
    assert cell.inner_text() == "<script>alert(1)</script>"  # shown as text, never run
    shot(page, "04-organisations-en")
    page.goto(page.base + "/valuechain/sites/P1/")
    assert "Tier 3" in page.content()
    shot(page, "05-site-detail-en")
    page.goto(page.base + "/valuechain/items/CAR/")
    shot(page, "06-item-detail-en")
    page.goto(page.base + "/valuechain/links/")
    shot(page, "07-links-en")


def test_upload_bad_then_good_workbook(page: Any, tmp_path: Path) -> None:
    sign_in(page, "analyst")
    page.goto(page.base + "/valuechain/upload/")
    shot(page, "08-upload-ja")
    page.set_input_files("input[name=workbook]", str(write_bad(tmp_path / "bad.xlsx")))
    page.click("button[type=submit].primary")
    page.wait_for_url("**/jobs/*/")
    page.get_by_test_id("problems-table").wait_for()
    assert page.get_by_test_id("job-status").inner_text() == "失敗"
    table = page.get_by_test_id("problems-table").inner_text()
    assert "NOWHERE" in table and "ZZ" in table
    shot(page, "09-upload-errors-ja")
    page.goto(page.base + "/valuechain/upload/")
    page.set_input_files("input[name=workbook]", str(write_good(tmp_path / "good.xlsx")))
    page.click("button[type=submit].primary")
    page.wait_for_url("**/jobs/*/")
    assert page.get_by_test_id("job-status").inner_text() == "完了"
    shot(page, "10-upload-done-ja")
    page.goto(page.base + "/valuechain/items/MOTOR/")
    assert "磁石" in page.content()
    shot(page, "11-imported-item-ja")


def test_the_api_docs_work_under_the_content_security_policy(page: Any) -> None:
    sign_in(page, "viewer")
    response = page.goto(page.base + "/api/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 20
    shot(page, "12-api-docs")


def test_the_job_page_follows_a_running_job(page: Any, users: Any) -> None:
    from econsec.web.models import Job

    job = Job.objects.create(
        kind="valuechain.import", created_by=users["analyst"], status="running", progress=0.25
    )
    sign_in(page, "analyst")
    page.goto(page.base + f"/jobs/{job.pk}/")
    bar = page.locator(".progress .bar")
    width = "e => e.getBoundingClientRect().width / e.parentElement.getBoundingClientRect().width"
    assert bar.evaluate(width) == pytest.approx(0.25, abs=0.01)
    Job.objects.filter(pk=job.pk).update(progress=0.75)
    # job.js polls the status and redraws the bar (a style property set from the script,
    # which the policy allows; an inline style attribute it would not).
    wait_until(
        page,
        "document.querySelector('.progress .bar').getBoundingClientRect().width"
        " / document.querySelector('.progress').getBoundingClientRect().width > 0.7",
    )
