"""Helpers for the annual-cycle UI tests."""
import time
import urllib.request

import pytest


@pytest.fixture
def live_ready(live_app):
    """Wait until the live server answers (it can take long to start on a busy machine)."""
    for _ in range(240):
        try:
            urllib.request.urlopen(live_app + "/dang-nhap/", timeout=2)
            return live_app
        except Exception:
            time.sleep(0.5)
    pytest.fail("the live server did not start")
