"""Quick cases of what `make soak`'s sweep (test_bad_queries.py) found, kept in `make test`:
numbers from the outside go through one parser (common.text.small_int), ids in paths that no
column can hold answer 404, and NUL bytes, control characters and lone surrogates are dropped
at the edge (common.middleware.CleanInputMiddleware) before any view or filter sees them.
Each answers below 500 on SQLite and PostgreSQL."""
import types
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import reverse

from tests.security.test_permission_matrix import ROUTES, _url

pytestmark = pytest.mark.django_db

HUGE = ["99999999999999999999999", "-99999999999999999999", "9" * 5000, "-1", "abc", "²",
        "1e400", "9223372036854775808"]


def _qs(params) -> str:
    """A query string as a client may send it: a lone surrogate percent-encoded (Django
    decodes what is not UTF-8 into U+FFFD)."""
    return urlencode(params, doseq=True, errors="surrogatepass")


def _get(client, url, params):
    r = client.get(url, QUERY_STRING=_qs(params))
    assert r.status_code < 500, (url, {k: str(v)[:20] for k, v in params.items()},
                                 r.content[:300])
    return r


@pytest.fixture
def secretariat(client_as):
    return client_as("gq.thuky")


def test_small_int_takes_only_what_a_column_holds():
    from dvk.common.text import small_int, small_ints

    assert small_int(" 42 ") == 42 and small_int("-7") == -7
    for bad in (None, "", "abc", "²", "1e4", "9" * 19, "9" * 5000, "4.0", "0x10"):
        assert small_int(bad) is None, bad
    assert small_int("2100", 1900, 2200) == 2100 and small_int("1800", 1900, 2200) is None
    assert small_ints(["3", "x", "-1", "0", "9" * 5000, " 8"]) == [3, 8]


@pytest.mark.parametrize("value", HUGE, ids=lambda v: repr(v[:12]))
def test_similar_models_with_a_huge_exclude_id_unit_or_year(secretariat, value):
    """`initiatives:similar` answered 500 to a 5,000-digit value (the unit id's isdigit()
    let it through to int()); the API's similar and every list take the same values."""
    title = "Khéo vận động hiến đất làm đường"
    _get(secretariat, reverse("initiatives:similar"),
         {"title": title, "unit": value, "year": value, "exclude_id": value})
    _get(secretariat, "/api/v1/initiatives/similar",
         {"title": title, "year": value, "exclude_id": value, "limit": value})


# The pages where a parameter alone still reached a server error before (the sweep's finds).
LISTS = ["initiatives:registrations", "initiatives:queue", "awards:list", "awards:proposals",
         "activities:trainings", "activities:rounds", "activities:entrys", "activities:reviews",
         "activities:budgets", "reports:dashboard", "reports:index", "annual:index",
         "reminders:lagging", "reminders:notifications", "audit:trail", "units:tree",
         "phases:committees", "gallery:index", "reports:export_registrations"]
API_LISTS = ["/api/v1/registrations", "/api/v1/units", "/api/v1/awards", "/api/v1/proposals",
             "/api/v1/activities/training", "/api/v1/activities/reviews",
             "/api/v1/activities/follow-up-visits"]
NUMERIC = ["level", "field", "sector", "kind", "offset", "limit", "year", "page", "before",
           "membership", "unit", "registration", "exclude_id"]


@pytest.mark.parametrize("value", ["99999999999999999999999", "-1", "abc", "9" * 5000],
                         ids=["huge", "negative", "letters", "5000-digits"])
def test_numeric_parameters_huge_negative_or_not_a_number(client_as, value):
    """Every numeric parameter at once (each is ignored alone, so none hides another; the
    soak sweep tries each alone on every route)."""
    c = client_as("quantri")
    assert set(LISTS) <= set(ROUTES)
    for name in LISTS:
        _get(c, _url(name, None, None), {p: value for p in NUMERIC})
    for path in API_LISTS:
        _get(c, path, {p: value for p in NUMERIC})


def _huge_object(pk):
    obj = types.SimpleNamespace(pk=pk, code="KHONG-CO", committee_id=pk, decision_id=pk)
    return obj


@pytest.mark.parametrize("pk", [10**20, 2**63])
def test_ids_in_paths_that_no_column_holds_are_not_found(client_as, pk):
    """An id in a path above what SQLite's integer holds (OverflowError) is a 404, on every
    route that takes one, GET or POST."""
    c = client_as("quantri")
    c.raise_request_exception = False
    obj = _huge_object(pk)
    wrong = []
    for name, route in ROUTES.items():
        if not route.kind:
            continue
        url = _url(name, route.kind, (obj, obj) if route.kind == "initiative_level" else obj)
        r = c.get(url) if route.method == "GET" else c.post(url, {})
        if r.status_code >= 500:
            wrong.append(f"{name} {url[:60]} {r.status_code}")
    assert not wrong, "\n".join(wrong)


# --- NUL bytes, control characters and lone surrogates -------------------------------------

SEARCHES = ["initiatives:registrations", "initiatives:queue", "awards:list", "units:tree",
            "activities:trainings", "activities:entrys", "audit:trail", "gallery:index",
            "phases:committees", "reports:dashboard"]


@pytest.mark.parametrize("value", ["a\x00b", "\x00", "\ud800", "Khéo\x1b vận\x00 động\udfff"],
                         ids=["nul", "only-nul", "surrogate", "mixed"])
def test_nul_and_surrogates_in_query_strings(client_as, value):
    """On PostgreSQL a text filter with NUL was a server error."""
    c = client_as("quantri")
    params = {"q": value, "phase": value, "unit": value, "state": value, "title": value,
              "recipient": value, "tab": value, "occasion": value}
    assert set(SEARCHES) <= set(ROUTES)
    for name in SEARCHES:
        _get(c, _url(name, None, None), params)
    for path in API_LISTS:
        _get(c, path, params)
    _get(c, reverse("initiatives:similar"), {"title": "Khéo vận động" + value})
    _get(c, "/api/v1/initiatives/similar", {"title": "Khéo vận động" + value})


def test_the_middleware_drops_unstorable_characters_from_every_parameter():
    from dvk.common.middleware import CleanInputMiddleware

    seen = {}

    def view(request):
        seen["GET"], seen["POST"] = request.GET, request.POST
        seen["files"] = [f.name for f in request.FILES.values()]
        return None

    from django.core.files.uploadedfile import SimpleUploadedFile

    request = RequestFactory().post("/?q=a%00b&n=1", {
        "title": "Khéo\x00 vận động\x07", "note": "dòng 1\r\ndòng\t2",
        "file": SimpleUploadedFile("ten\x00tep.pdf", b"%PDF-1.4")})
    query = QueryDict(mutable=True)
    query.setlist("q", ["a\x00b", "x\ud800y"])  # what no HTTP client can send, if it came
    query["n"] = "1"
    request.GET = query
    CleanInputMiddleware(view)(request)
    assert seen["GET"].getlist("q") == ["ab", "xy"] and seen["GET"]["n"] == "1"
    assert seen["POST"]["title"] == "Khéo vận động"
    assert seen["POST"]["note"] == "dòng 1\r\ndòng\t2"  # tab and line breaks stay
    assert seen["files"] == ["tentep.pdf"]
    clean = RequestFactory().get("/?q=abc")
    untouched = clean.GET
    CleanInputMiddleware(view)(clean)
    assert seen["GET"] is untouched  # nothing copied when there is nothing to drop


def test_one_definition_of_unstorable_characters_for_forms_and_payloads():
    """What the middleware drops from a form is what a payload is refused for: every control
    character (Unicode Cc) but tab, line feed and carriage return, and every lone surrogate
    (Cs); nothing else, in the whole of Unicode."""
    import sys
    import unicodedata

    from dvk.common.payload import text_problem

    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        unstorable = ch not in "\t\n\r" and unicodedata.category(ch) in ("Cc", "Cs")
        if unstorable != bool(text_problem("a" + ch, None, "title")):
            raise AssertionError(f"U+{code:04X}")
    assert text_problem("ab\x07c", None, "title") == (
        "«title»: có ký tự không hợp lệ U+0007 ở vị trí 3; hãy xóa ký tự này.")


def test_a_nul_byte_in_a_form_field_is_dropped_not_a_server_error(client_as, unit):
    """The registration form with NUL in its title: saved without it (PostgreSQL refuses NUL
    in text with a server error)."""
    from dvk.initiatives.models import Initiative
    from dvk.phases.models import Level, Phase
    from tests.initiatives.test_ui_cycle import register_post

    phase = Phase.objects.get(code="2026-2030")
    level = Level.objects.filter(phase=phase).order_by("order", "pk").first()
    c = client_as("dinhhoa.vanthu")
    data = register_post(unit("KG-GQ-02-PN").pk, phase, level,
                         title="Khéo vận động\x00 góp quỹ\x00 xoay vòng Eta",
                         subject="Chi hội\x00 Phụ nữ")
    r = c.post(reverse("initiatives:register"), data)
    assert r.status_code == 302
    ini = Initiative.objects.get(title__endswith="xoay vòng Eta")
    assert ini.title == "Khéo vận động góp quỹ xoay vòng Eta" and ini.subject == "Chi hội Phụ nữ"


def test_api_parameters_that_are_not_numbers_are_answered_in_vietnamese(client_as):
    """django-ninja's 422 keeps its `detail` list, its messages in Vietnamese naming the field."""
    c = client_as("gq.thuky")
    r = c.get("/api/v1/registrations", {"limit": "abc"})
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "invalid" and body["detail"][0]["loc"][-1] == "limit"
    assert "«limit» phải là số nguyên" in body["message"]
    r = c.get("/api/v1/registrations", {"offset": "9" * 5000})
    assert r.status_code in (200, 422) and r.status_code != 500
