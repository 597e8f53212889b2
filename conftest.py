"""pytest configuration: a browser tour that is skipped is a failure.

Odoo skips HttpCase tours silently when Chromium or websocket-client is
missing; the suite must not pass without having run them.
"""

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not report.skipped:
        return
    try:
        from odoo.tests import HttpCase
    except ImportError:
        return
    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, HttpCase):
        report.outcome = "failed"
        report.longrepr = f"HttpCase test was skipped (browser tours must run): {report.longrepr}"
