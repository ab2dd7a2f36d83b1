"""Shared helper for query-count guards: a page rendered with 1 row and with 3 rows of its
data must run the same, exact number of queries (a count that grows with rows is an N+1)."""
from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(client, url, params=None, headers=None):
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url, params or {}, headers=headers or {})
    assert resp.status_code == 200, (url, resp.status_code)
    return len(ctx.captured_queries), resp


def same_count_for_1_and_3_rows(client, url, rows, params=None):
    """rows(n) → extra GET params (and/or patches) making the page show n rows.
    Returns (queries with 1 row, queries with 3 rows, shown rows) after a warm-up request."""
    client.get(url, {**(params or {}), **rows(1)})  # warm session, caches
    one, r1 = queries_for(client, url, {**(params or {}), **rows(1)})
    assert shown(r1) == 1, url
    three, r3 = queries_for(client, url, {**(params or {}), **rows(3)})
    assert shown(r3) == 3, url
    return one, three


def shown(resp):
    """How many rows the response shows: a page's page_obj, or an API list's items."""
    if resp.get("Content-Type", "").startswith("application/json"):
        data = resp.json()
        return len(data["items"] if isinstance(data, dict) else data)
    return len(resp.context["page_obj"].object_list)
