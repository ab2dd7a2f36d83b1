"""Hardening: a Content-Security-Policy without 'unsafe-inline', and pages that need nothing
inline (no <script> blocks, style attributes, <style> blocks or on…= handlers).
"""
import re
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "dvk"

# Executable inline code or styling: what a policy without 'unsafe-inline' blocks.
# <script type="application/json"> (json_script data) is data, not code, and is allowed.
INLINE = {
    "inline <script>": re.compile(
        r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=[\"']application/json[\"'])[^>]*>", re.I),
    "<style> block": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "event handler attribute": re.compile(
        r"<[a-z][^>]*\son(?:click|change|submit|load|input|key\w+|mouse\w+|focus|blur|error)\s*=",
        re.I),
}


def inline_code(html):
    return {name: rx.findall(html)[:3] for name, rx in INLINE.items() if rx.search(html)}


def directives(response):
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}


def test_every_page_sends_a_policy_without_unsafe_inline(client, client_as):
    for r in (client.get(reverse("login")), client_as("gq.thuky").get("/"),
              client_as("tinh.lanhdao").get(reverse("reports:dashboard"))):
        policy = r["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        d = directives(r)
        assert d["default-src"] == ["'self'"]
        assert d["script-src"] == ["'self'"] and d["style-src"] == ["'self'"]
        assert d["object-src"] == ["'none'"] and d["frame-ancestors"] == ["'none'"]


def _pages(user, unit):
    """(persona, url) for the main screens, including htmx fragments and error pages."""
    from dvk.initiatives.models import Appraisal, Registration
    from dvk.phases.models import SteeringCommittee

    reg = Registration.objects.filter(unit__code__startswith="KG-GQ").order_by("pk").first()
    appraisal = Appraisal.objects.filter(appraiser=user("gq.thamdinh")).order_by("pk").first()
    committee = SteeringCommittee.objects.filter(unit__code="KG-GQ").order_by("pk").first()
    pages = [
        (None, reverse("login")),
        ("tinh.thuky", "/"), ("tinh.lanhdao", "/?phase=2016-2020"), ("dinhhoa.vanthu", "/"),
        ("gq.thamdinh", "/"), ("quantri", "/"),
        ("gq.thuky", reverse("initiatives:registrations")),
        ("gq.thuky", reverse("initiatives:registrations") + "?q=kheo&year=2026&unit=KG-GQ"),
        ("dinhhoa.vanthu", reverse("initiatives:register")),
        ("dinhhoa.vanthu", reverse("initiatives:similar") + "?title=Dân vận khéo"),
        ("dinhhoa.vanthu", reverse("initiatives:replicate_search") + "?q=dân vận"),
        ("gq.thuky", reverse("initiatives:registration", kwargs={"registration_id": reg.pk})),
        ("gq.thuky", reverse("initiatives:initiative", kwargs={"initiative_id": reg.initiative_id})),
        ("gq.thuky", reverse("initiatives:queue")),
        ("gq.thuky", reverse("imports:import")),
        ("gq.thamdinh", reverse("initiatives:assigned")),
        ("tinh.lanhdao", reverse("reports:dashboard")),
        ("tinh.lanhdao", reverse("reports:dashboard") + "?phase=2016-2020"),
        ("tinh.thuky", reverse("reports:index")),
        ("gq.thuky", reverse("units:tree")),
        ("gq.thuky", reverse("units:tree") + "?q=dinh hoa"),
        ("gq.thuky", reverse("units:children", kwargs={"unit_code": "KG-GQ"})),
        ("gq.thuky", reverse("units:detail", kwargs={"unit_code": "KG-GQ"})),
        ("gq.thuky", reverse("phases:list")),
        ("gq.thuky", reverse("phases:detail", kwargs={"phase_code": "2026-2030"})),
        ("quantri", reverse("phases:edit", kwargs={"phase_code": "2026-2030"})),
        ("gq.thuky", reverse("phases:committees")),
        ("gq.thuky", reverse("phases:committee", kwargs={"committee_id": committee.pk})),
        ("quantri", reverse("phases:committee_edit", kwargs={"committee_id": committee.pk})),
        ("quantri", reverse("phases:committee_member_add", kwargs={"committee_id": committee.pk})),
        ("gq.thuky", "/khong-co-trang-nay/"),  # 404
        ("dinhhoa.vanthu", reverse("phases:edit", kwargs={"phase_code": "2026-2030"})),  # 403
        ("quantri", reverse("admin:index")),
    ]
    if appraisal:
        pages.append(("gq.thamdinh", reverse("initiatives:appraisal",
                                             kwargs={"appraisal_id": appraisal.pk})))
    return pages


def test_main_screens_render_nothing_inline(client, client_as, user, unit):
    from dvk.common.models import BackgroundJob

    found = {}
    checked = 0
    for persona, url in _pages(user, unit):
        c = client_as(persona) if persona else client
        r = c.get(url, HTTP_HX_REQUEST="true") if "/con/" in url else c.get(url)
        assert r.status_code in (200, 403, 404), (persona, url, r.status_code)
        assert "Content-Security-Policy" in r, url
        html = r.content.decode()
        checked += "<" in html
        if problems := inline_code(html):
            found[f"{persona} {url}"] = problems
    # A background job's progress page (the bar is a <progress>, not a styled span).
    job = BackgroundJob.objects.create(kind="export", title="Danh sách", owner=user("gq.thuky"),
                                       unit=unit("KG-GQ"), status="running", done=25, total=100)
    html = client_as("gq.thuky").get(reverse("reports:job", kwargs={"job_id": job.pk})).content
    if problems := inline_code(html.decode()):
        found["job"] = problems
    assert checked > 25
    assert not found, found


def test_dashboard_chart_data_stays_a_json_block_and_charts_load_from_files(client_as):
    html = client_as("tinh.lanhdao").get(reverse("reports:dashboard")).content.decode()
    assert re.search(r'<script id="dashboard-data" type="application/json">', html)
    assert re.search(r'<script src="[^"]*reports/dashboard\.js"', html)


def test_htmx_is_configured_without_inline_script(client_as):
    html = client_as("gq.thuky").get("/").content.decode()
    m = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert m and '"includeIndicatorStyles": false' in m.group(1)  # htmx would inject a <style>
    assert '"allowEval": false' in m.group(1)


def test_no_template_contains_inline_script_or_style():
    """Also the templates no test above renders (partials, rare branches)."""
    found = {}
    for path in sorted(SRC.glob("*/templates/**/*.html")):
        if problems := inline_code(path.read_text(encoding="utf-8")):
            found[str(path.relative_to(SRC))] = problems
    assert not found, found
