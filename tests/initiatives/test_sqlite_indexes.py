"""The title search finds the same models on every database, and on SQLite from its trigram
index (initiatives.sqlite_indexes) instead of reading every model's text; SQLite's own
grouping index serves the home page's counts."""
import pytest
from django.db import connection

from dvk.common.text import fold

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index")

TITLES = [
    "Khéo vận động người dân hiến máu cứu người",
    "Dân vận khéo trong xây dựng nông thôn mới",
    "Tổ tự quản đường hoa 100% hộ tham gia",
    "Mô hình \"Ngày chủ nhật xanh\" ở ấp Hòa Lợi",
    "Ông Tư giúp bà con xóa đói_giảm nghèo",
]


@pytest.fixture
def titled(new_initiative):
    return [new_initiative(title=t) for t in TITLES]


def _search(query):
    from dvk.initiatives.models import Initiative
    from dvk.initiatives.queries import search_initiatives

    return search_initiatives(Initiative.objects.unscoped("test reads back"), query)


def _reference(query, among):
    words = fold(query).split()
    return {i.pk for i in among if all(w in fold(f"{i.title} {i.subject} {i.person_name}")
                                       for w in words)}


@pytest.mark.parametrize("query", [
    "dân vận", "DAN VAN", "khéo", "hoa", "100%", "%", "_", "đói_giảm", '"ngày chủ nhật',
    "xanh\"", "ở", "to tu", "vận khéo nông", "không có đâu", "ấp hòa lợi", "a", "ho",
])
def test_search_finds_what_the_folded_text_holds(titled, query):
    """Short words, words with LIKE's wildcards and FTS5's quote give the models whose folded
    text holds every word, no more (the same as reading every text)."""
    found = set(_search(query).filter(pk__in=[i.pk for i in titled]).values_list("pk", flat=True))
    assert found == _reference(query, titled)


def test_search_follows_every_writer(new_initiative):
    """Created, renamed, updated in bulk, deleted: the index follows each write."""
    from dvk.initiatives.models import Initiative

    model = new_initiative(title="Mô hình thử chỉ mục zyxwvu")
    assert list(_search("zyxwvu").values_list("pk", flat=True)) == [model.pk]
    model.title = "Mô hình đổi tên qwerty"
    model.save()
    assert not _search("zyxwvu").exists()
    assert list(_search("qwerty").values_list("pk", flat=True)) == [model.pk]
    model.title = "Mô hình sửa hàng loạt asdfgh"
    model.refresh_derived()
    Initiative._unguarded.bulk_update([model], ["title", "search_text", "sort_key"])
    assert not _search("qwerty").exists() and _search("asdfgh").count() == 1
    Initiative._unguarded.filter(pk=model.pk).update(search_text="chi sua cot nay mnbvcx")
    assert _search("mnbvcx").count() == 1 and not _search("asdfgh").exists()
    model.registrations.all().delete()
    Initiative._unguarded.filter(pk=model.pk).delete()
    assert not _search("mnbvcx").exists()


def test_registration_list_search_on_the_page(client_as, draft):
    """The list's search box, through the page: the words in any order, without accents."""
    from django.urls import reverse

    reg = draft("Khéo vận động làm đường giao thông nông thôn plokij")
    other = draft("Khéo vận động làm đường giao thông")
    resp = client_as("dinhhoa.vanthu").get(reverse("initiatives:registrations"),
                                           {"q": "PLOKIJ giao thong"})
    assert resp.status_code == 200
    body = resp.content.decode()
    assert reg.initiative.title in body
    assert f"/ho-so/{reg.pk}/" in body and f"/ho-so/{other.pk}/" not in body


@sqlite_only
def test_sqlite_search_reads_the_trigram_index(titled):
    found = _search("dân vận").order_by().values("pk")
    sql, params = found.query.sql_with_params()
    assert "MATCH" in sql
    with connection.cursor() as cur:
        cur.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(r[-1]) for r in cur.fetchall())
    assert "VIRTUAL TABLE INDEX" in plan and "initiatives_search" in plan, plan
    # a two-letter word has no trigram: it is matched by LIKE, and still found
    assert "LIKE" in str(_search("ho").query)


@sqlite_only
def test_sqlite_index_is_rebuilt_when_its_triggers_were_lost(titled, new_initiative):
    """A migration that remakes the models' table on SQLite drops the index's triggers; the
    next `migrate` puts them back and catches up with what was written meanwhile."""
    from django.core.management import call_command

    from dvk.initiatives import sqlite_indexes

    with connection.cursor() as cur:
        for name in sqlite_indexes._TRIGGERS:
            cur.execute(f"DROP TRIGGER {name}")
    written_blind = new_initiative(title="Viết khi mất trigger lkjhgf")
    assert not _search("lkjhgf").exists()
    call_command("migrate", verbosity=0)
    assert list(_search("lkjhgf").values_list("pk", flat=True)) == [written_blind.pk]
    assert sqlite_indexes.ensure(connection) is False  # nothing more to do
    later = new_initiative(title="Viết sau khi có lại trigger poiuyt")
    assert list(_search("poiuyt").values_list("pk", flat=True)) == [later.pk]


@sqlite_only
def test_sqlite_counts_the_home_cards_in_index_order(db):
    """The home page's counts per level and state of a phase: SQLite groups by sorting, so
    without an index in that order it sorted every registration of the phase (1.6 s at a
    million); with it, it counts them as they come: no temporary B-tree."""
    from django.test.utils import CaptureQueriesContext

    from dvk.initiatives import figures
    from dvk.initiatives.models import Registration
    from dvk.phases.models import Phase

    phase = Phase.objects.get(code="2026-2030")
    qs = Registration.objects.filter(phase=phase, unit__isnull=False)
    with CaptureQueriesContext(connection) as seen:
        states, _levels = figures.level_and_state_counts(qs, phase.ordered_levels())
    grouped = next(q["sql"] for q in seen.captured_queries if "GROUP BY" in q["sql"])
    with connection.cursor() as cur:
        cur.execute("EXPLAIN QUERY PLAN " + grouped)
        plan = " ".join(str(r[-1]) for r in cur.fetchall())
    assert "registration_level_state_sqlite" in plan and "TEMP B-TREE" not in plan, plan
    assert sum(s["count"] for s in states) == qs.count()
