"""The registrations list, the queue and the API list page by keyset (year, id): next and
previous pages keep the filters, rows with the same year are neither repeated nor skipped,
old `?page=` links and broken cursors land on the first page, counts stop at the cap, and
the search ignores accents (on SQLite and PostgreSQL alike)."""
import importlib
import re
from html import unescape

import pytest
from django.db import connection
from django.urls import reverse

from dvk.initiatives.enums import State

pytestmark = pytest.mark.django_db

LIST = reverse("initiatives:registrations")
MARK = "Khéo vận động thử phân trang"


@pytest.fixture
def seven(draft, monkeypatch):
    """Seven drafts of Định Hòa with the marker in their titles: five in 2026 (equal sort
    keys but the id), two in 2027; pages of three rows."""
    monkeypatch.setattr("dvk.initiatives.views._common.PAGE_SIZE", 3)
    regs = [draft(f"{MARK} {i}", year=2026 if i < 5 else 2027) for i in range(7)]
    # The list's order: newest year first, then newest first.
    return sorted(regs, key=lambda r: (r.year, r.pk), reverse=True)


def _link(html, rel):
    m = re.search(r'href="([^"]+)" rel="%s"' % rel, html)
    return unescape(m.group(1)) if m else None


def _titles(resp):
    return [r.initiative.title for r in resp.context["page_obj"]]


def test_pages_forward_and_back_keep_filters_without_repeats_or_gaps(client_as, seven):
    c = client_as("dinhhoa.vanthu")
    resp = c.get(LIST, {"q": "thu phan trang", "phase": "2026-2030"})
    seen, pages = [], []
    while True:
        html = resp.content.decode()
        pages.append(_titles(resp))
        seen += _titles(resp)
        nxt = _link(html, "next")
        if nxt is None:
            assert resp.context["page_obj"].has_previous  # the last page links back
            break
        assert "q=thu+phan+trang" in nxt and "phase=2026-2030" in nxt and "after=" in nxt
        resp = c.get(LIST + nxt)
    assert seen == [r.initiative.title for r in seven]
    assert [len(p) for p in pages] == [3, 3, 1]
    # …and back from the last page, page by page, to the first (which has no "previous").
    back = []
    while (prev := _link(resp.content.decode(), "prev")) is not None:
        assert "q=thu+phan+trang" in prev and "before=" in prev and "after=" not in prev
        resp = c.get(LIST + prev)
        back.append(_titles(resp))
    assert back == [pages[1], pages[0]]
    assert not resp.context["page_obj"].has_previous
    assert "7 mô hình" in resp.content.decode()


def test_old_page_links_and_broken_cursors_show_the_first_page(client_as, seven):
    c = client_as("dinhhoa.vanthu")
    first = _titles(c.get(LIST, {"q": "thu phan trang"}))
    for bad in ({"page": "4"}, {"page": "abc"}, {"after": "2026"}, {"after": "x.y"},
                {"before": "1.2.3"}, {"after": "-1.5"}, {"after": "9" * 40 + ".1"},
                {"after": "²026.1"}, {"before": "2026.¹"}):  # digits int() refuses
        resp = c.get(LIST, {"q": "thu phan trang", **bad})
        assert resp.status_code == 200, bad
        assert _titles(resp) == first, bad
    # The largest cursor read as one (18 digits a key) is before every row: the first page.
    assert _titles(c.get(LIST, {"q": "thu phan trang",
                                "after": "9" * 18 + "." + "9" * 18})) == first
    # A cursor past the end: nothing there, and a way back to the first page.
    resp = c.get(LIST, {"q": "thu phan trang", "after": "1990.1"})
    assert _titles(resp) == [] and "Trang đầu" in resp.content.decode()


def test_the_count_stops_at_the_cap(client_as, seven, monkeypatch):
    c = client_as("dinhhoa.vanthu")
    assert "7 mô hình" in c.get(LIST, {"q": "thu phan trang"}).content.decode()
    monkeypatch.setattr("dvk.common.pagination.COUNT_CAP", 5)
    html = c.get(LIST, {"q": "thu phan trang"}).content.decode()
    assert "Hơn 5 mô hình" in html and "7 mô hình" not in html


@pytest.mark.parametrize("query", ["dan van ruong uom", "DÂN VẬN RUỘNG ƯƠM",
                                   "dân vận khéo ruộng ươm", "Dan  Van  Ruong Uom"])
def test_search_ignores_accents_and_case(client_as, draft, query):
    reg = draft("Dân vận khéo trong dồn điền đổi thửa ruộng ươm giống")
    draft("Khéo vận động hội viên làm ruộng ươm giống")  # every word but "dân"
    c = client_as("dinhhoa.vanthu")
    assert _titles(c.get(LIST, {"q": query})) == [reg.initiative.title]
    data = c.get("/api/v1/registrations", {"q": query}).json()
    assert [i["id"] for i in data["items"]] == [reg.pk] and data["count"] == 1


def test_queue_pages_keep_the_tab_and_badges_count(client_as, at_state, monkeypatch):
    monkeypatch.setattr("dvk.initiatives.views._common.PAGE_SIZE", 1)
    regs = [at_state(State.SUBMITTED, title=f"Khéo vận động hàng đợi {i}") for i in range(3)]
    c = client_as("dinhhoa.thuky")
    params = {"phase": "2026-2030", "year": "2026", "tab": "submitted", "q": "hang doi"}
    resp = c.get(reverse("initiatives:queue"), params)
    seen = []
    while True:
        seen += [r.pk for r in resp.context["page_obj"]]
        nxt = _link(resp.content.decode(), "next")
        if nxt is None:
            break
        assert "tab=submitted" in nxt and "q=hang+doi" in nxt
        resp = c.get(reverse("initiatives:queue") + nxt)
    assert seen == sorted((r.pk for r in regs), reverse=True)
    tabs = {v: (n, capped) for v, _l, n, capped in resp.context["tabs"]}
    assert tabs["submitted"][0] >= 3 and not tabs["submitted"][1]
    # (the package's `queue` names the view: patch the module itself)
    monkeypatch.setattr(importlib.import_module("dvk.initiatives.views.queue"), "QUEUE_CAP", 2)
    resp = c.get(reverse("initiatives:queue"), params)
    tabs = {v: (n, capped) for v, _l, n, capped in resp.context["tabs"]}
    assert tabs["submitted"] == (2, True)
    html = resp.content.decode()
    assert re.search(r'badge-submitted">2\+<', html) and "Hơn 2 mô hình" in html


def test_api_pages_on_with_next_after(client_as, seven):
    c = client_as("dinhhoa.vanthu")
    seen, after = [], ""
    while True:
        data = c.get("/api/v1/registrations", {"q": "thu phan trang", "limit": 2,
                                               "after": after}).json()
        assert data["count"] == 7 and data["count_capped"] is False
        seen += [i["id"] for i in data["items"]]
        if not data["next_after"]:
            break
        after = data["next_after"]
    assert seen == [r.pk for r in seven]
    # offset still works, and gives the cursor to go on from there
    data = c.get("/api/v1/registrations", {"q": "thu phan trang", "limit": 2,
                                           "offset": 4}).json()
    assert [i["id"] for i in data["items"]] == [r.pk for r in seven[4:6]]
    rest = c.get("/api/v1/registrations", {"q": "thu phan trang",
                                           "after": data["next_after"]}).json()
    assert [i["id"] for i in rest["items"]] == [seven[6].pk]


def _plan(qs):
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("EXPLAIN " + sql, params)
        return "\n".join(r[0] for r in cur.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_postgresql_search_can_use_the_trigram_index():
    """The folded words are matched with LIKE '%word%', which the GIN trigram index on
    search_text serves (whether the planner picks it depends on the data: docs/performance.md
    shows the plans at 1,000,000 registrations)."""
    from django.db import transaction

    from dvk.initiatives.models import Initiative
    from dvk.initiatives.queries import search_initiatives

    found = search_initiatives(Initiative.objects.unscoped("a plan, read no row"), "Dân vận")
    assert "LIKE" in str(found.query) and "%dan%" in str(found.query)
    with transaction.atomic():
        plan = _plan(found.order_by().values("pk"))
    assert "initiatives_search_trgm" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statistics")
def test_postgresql_samples_the_titles_finely_enough_to_find_a_rare_word():
    """Migration 0013: with the default sample a rare word's LIKE was estimated at 1 % of the
    models, and a title search over a million walked every registration (0.9 s, not 10 ms)."""
    with connection.cursor() as cur:
        cur.execute("SELECT attstattarget FROM pg_attribute WHERE attrelid = "
                    "'initiatives_initiative'::regclass AND attname = 'search_text'")
        assert cur.fetchone()[0] == 1000


def test_queue_overdue_parts_show_their_first_rows_and_how_many_more(client_as, scope_of,
                                                                     monkeypatch):
    """The lists of late units and overdue reports read a few rows, then count the rest."""
    from dvk.initiatives.queries import overdue
    from dvk.phases.models import Phase

    queue_module = importlib.import_module("dvk.initiatives.views.queue")
    monkeypatch.setattr(queue_module, "OVERDUE_SHOWN", 1)
    phase = Phase.objects.get(code="2026-2030")
    late = overdue(scope_of("gq.thuky"), phase, 2026)
    units = list(late["units"])
    assert len(units) >= 3  # the demo's communes that registered nothing in 2026
    resp = client_as("gq.thuky").get(reverse("initiatives:queue_overdue"),
                                     {"phase": "2026-2030", "year": "2026"})
    shown = resp.context["overdue"]["units"]
    assert shown == units[:1]
    html = resp.content.decode()
    assert f"<li>{units[0].name}</li>" in html and f"<li>{units[1].name}</li>" not in html
    assert f"… {len(units) - 1}</p>" in html
    monkeypatch.setattr(queue_module, "QUEUE_CAP", 2)
    html = client_as("gq.thuky").get(reverse("initiatives:queue_overdue"),
                                     {"phase": "2026-2030", "year": "2026"}).content.decode()
    assert "… 1+</p>" in html


def test_the_queue_fetches_its_late_cards_after_its_work_list(client_as):
    """The queue answers with its tabs and rows; the late cards come from their own URL
    (htmx on load, a plain link without JavaScript), for the same phase and year."""
    c = client_as("gq.thuky")
    html = c.get(reverse("initiatives:queue"), {"phase": "2026-2030", "year": "2026"}
                 ).content.decode()
    url = reverse("initiatives:queue_overdue") + "?phase=2026-2030&amp;year=2026"
    assert f'hx-get="{url}"' in html and f'href="{url}"' in html
    assert "Not registered by the deadline" not in html and "Chưa đăng ký đúng hạn" not in html
    fragment = c.get(reverse("initiatives:queue_overdue"), {"phase": "2026-2030", "year": "2026"},
                     HTTP_HX_REQUEST="true").content.decode()
    assert 'id="overdue"' in fragment and "<html" not in fragment
    page = c.get(reverse("initiatives:queue_overdue"), {"phase": "2026-2030", "year": "2026"}
                 ).content.decode()
    assert 'id="overdue"' in page and "<html" in page
