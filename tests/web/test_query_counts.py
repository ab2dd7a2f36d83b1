"""Every list page, search page, dashboard, tree node and API list runs the same exact
number of queries with 1 row and with 3 rows of its data (see tests/querycount.py): paged
lists by their page size, the rest (dashboard, summary, tree node, phases) by growing the
data itself. The exact count also catches a page that starts querying more for all rows."""
import pytest

from dvk.activities.figures import ACTIVITY_QUERIES  # the summary's §9 block: a fixed number
from tests.querycount import same_count_for_1_and_3_rows

pytestmark = pytest.mark.django_db


def paged(module, const):
    """Rows shown by a paginated HTML list: its page size set to n."""
    def setup(monkeypatch, n):
        monkeypatch.setattr(f"{module}.{const}", n)
        return {}
    return setup


def limit(monkeypatch, n):
    return {"limit": n}


INITIATIVES = paged("dvk.initiatives.views._common", "PAGE_SIZE")


def assigned_to_province_appraiser(monkeypatch, n):
    """Three registrations appraised by tinh.thamdinh (the demo assigns none)."""
    from django.contrib.auth import get_user_model

    from dvk.initiatives.models import Appraisal, Registration
    from dvk.phases.models import AppraisalTeam

    appraiser = get_user_model().objects.get(username="tinh.thamdinh")
    if not Appraisal.objects.filter(appraiser=appraiser).exists():
        team = AppraisalTeam.objects.filter(committee__unit__code="KG").first()
        regs = Registration.objects.filter(state="recognized", unit__code__startswith="KG-GQ")[:3]
        for reg in regs:
            Appraisal.objects.create(registration=reg, team=team, appraiser=appraiser)
    return INITIATIVES(monkeypatch, n)
# (case, persona, url, fixed params, how to show n rows, exact queries)
CASES = [
    ("registrations", "gq.thuky", "/mo-hinh/", {"phase": "2016-2020"}, INITIATIVES, 13),
    ("queue", "gq.thuky", "/mo-hinh/hang-doi/", {"phase": "2016-2020", "tab": "recognized"},
     INITIATIVES, 19),
    ("unit search", "tinh.thuky", "/don-vi/", {"q": "hoi"},
     paged("dvk.web.units", "SEARCH_PAGE_SIZE"), 10),
    ("committees", "tinh.thuky", "/giai-doan/ban-chi-dao/", {},
     paged("dvk.phases.views", "COMMITTEES_PAGE_SIZE"), 10),
    ("api registrations", "gq.thuky", "/api/v1/registrations", {"phase": "2016-2020"},
     limit, 8),
    ("api units", "tinh.thuky", "/api/v1/units", {}, limit, 7),
    ("assigned appraisals", "tinh.thamdinh", "/mo-hinh/tham-dinh/", {},
     assigned_to_province_appraiser, 9),
]


@pytest.mark.parametrize("case,persona,url,params,rows,expected", CASES,
                         ids=[c[0] for c in CASES])
def test_same_exact_query_count_for_1_and_3_rows(client_as, monkeypatch, case, persona, url,
                                                 params, rows, expected):
    c = client_as(persona)
    one, three = same_count_for_1_and_3_rows(c, url, lambda n: rows(monkeypatch, n), params)
    print(f"{case}: {one} / {three}")
    assert one == three, f"{case}: {one} queries with 1 row, {three} with 3 (N+1)"
    assert one == expected, f"{case}: {one} queries, expected {expected}"


# --- pages whose rows are the data itself (no page size): grow the data ---------------------

def _branch(n):
    """A new district under the province with n communes, each with one registration in
    2021-2025: n rows in a dashboard's or summary's by-unit table and in a tree node."""
    from dvk.orgs.models import Unit
    from tests.reports.dash_helpers import plant_registration

    parent = Unit.objects.create(code=f"KG-QC{n}", name=f"Đảng bộ thử {n}", kind="district",
                                 parent=Unit.objects.get(code="KG"))
    for i in range(n):
        child = Unit.objects.create(code=f"KG-QC{n}-{i}", name=f"Xã thử {i}", kind="grassroots",
                                    parent=parent)
        plant_registration(child.code, title=f"Khéo vận động thử {n}-{i}")
    return parent.code


def _phases(n):
    from dvk.phases.services import get_or_create_phase

    for i in range(n):
        get_or_create_phase(f"{2041 + 5 * i}-{2045 + 5 * i}")
    return None


def _api_keys(n):
    """n personal API keys of gq.thuky, listed on their page with their role and unit."""
    from django.contrib.auth import get_user_model

    from dvk.api import tokens
    from dvk.orgs.scope import scope_for

    scope = scope_for(get_user_model().objects.get(username="gq.thuky"))
    for i in range(n):
        tokens.create_token(scope, name=f"khóa {i}", membership=scope.membership)


def _rows_in_context(key):
    return lambda resp: len(resp.context[key])


# (case, persona, url(made), params(made), make(n), rows shown(resp), exact queries)
GROWN = [
    ("dashboard", "tinh.lanhdao", lambda code: "/bao-cao/tong-quan/",
     lambda code: {"phase": "2021-2025", "unit": code}, _branch,
     lambda resp: len(resp.context["figs"].by_unit), 34),
    ("api summary", "tinh.lanhdao", lambda code: "/api/v1/summary",
     lambda code: {"phase": "2021-2025", "unit": code}, _branch,
     lambda resp: len(resp.json()["by_unit"]), 17 + ACTIVITY_QUERIES),
    ("tree node", "tinh.thuky", lambda code: f"/don-vi/{code}/con/", lambda code: {}, _branch,
     _rows_in_context("children"), 8),
    ("phases", "tinh.thuky", lambda made: "/giai-doan/", lambda made: {}, _phases,
     lambda resp: len(resp.context["phases"]) - 3, 8),
    ("api keys", "gq.thuky", lambda made: "/tai-khoan/khoa-api/", lambda made: {}, _api_keys,
     _rows_in_context("tokens"), 9),
]


@pytest.mark.parametrize("case,persona,url,params,make,rows,expected", GROWN,
                         ids=[c[0] for c in GROWN])
def test_same_exact_query_count_for_1_and_3_rows_of_data(client_as, case, persona, url, params,
                                                         make, rows, expected):
    from django.db import transaction

    from tests.querycount import queries_for

    c = client_as(persona)
    counts = {}
    for n in (1, 3):
        sid = transaction.savepoint()
        made = make(n)
        c.get(url(made), params(made))  # warm session, caches
        counts[n], resp = queries_for(c, url(made), params(made))
        assert rows(resp) == n, (case, n, rows(resp))
        transaction.savepoint_rollback(sid)
    print(f"{case}: {counts[1]} / {counts[3]}")
    assert counts[1] == counts[3], f"{case}: {counts[1]} queries with 1 row, {counts[3]} with 3"
    assert counts[1] == expected, f"{case}: {counts[1]} queries, expected {expected}"
