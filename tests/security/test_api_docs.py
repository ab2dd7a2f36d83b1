"""/api/v1/docs: Swagger UI from this site's own files (it must work on a closed network),
for signed-in users only, and as inline-free as the rest of the site.
"""
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.security.test_csp import inline_code

pytestmark = pytest.mark.django_db


def test_api_docs_use_local_swagger_files_only(client_as):
    r = client_as("gq.thuky").get("/api/v1/docs")
    assert r.status_code == 200
    html = r.content.decode()
    assert "swagger-ui-bundle.js" in html and "swagger-ui.css" in html
    external = re.findall(r"""(?:src|href)=["']((?:https?:)?//[^"']+)""", html)
    assert external == [], external
    assert "cdn" not in html.lower()
    assert not inline_code(html)
    # The files it names are served by this site.
    for asset in re.findall(r"""(?:src|href)=["'](/static/[^"']+)""", html):
        assert finders.find(asset.removeprefix("/static/")), asset


@pytest.mark.parametrize("path", ["/api/v1/docs", "/api/v1/openapi.json"])
def test_api_docs_are_for_signed_in_users_only(client, path):
    r = client.get(path)
    assert r.status_code in (302, 401, 403)
    if r.status_code == 302:
        assert r["Location"].startswith(reverse("login"))
    assert b"swagger" not in r.content.lower() and b'"paths"' not in r.content
