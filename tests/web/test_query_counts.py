"""Every list page, search page, dashboard and API list runs the same exact number of
queries with 1 row and with 3 rows of its data (see tests/querycount.py)."""
import pytest

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
