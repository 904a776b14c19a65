"""The browser and page fixtures of the shell's browser tests."""

from tests.web.test_browser import browser, page  # noqa: F401
