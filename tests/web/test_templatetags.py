"""{% load dvk %}: numbers and dates as Vietnamese officials write them."""
import datetime as dt

from django.template import Context, Template
from django.test import RequestFactory


def render(src, **ctx):
    return Template("{% load dvk %}" + src).render(Context(ctx))


def test_numbers_and_dates():
    assert render("{{ n|vn_int }}", n=7995) == "7.995"
    assert render("{{ n|vn_int }}", n=None) == ""
    assert render("{{ r|vn_percent }}", r=83.7) == "83,7%"
    assert render("{{ r|vn_percent }}", r=None) == "–"
    assert render("{{ d|vndate }}", d=dt.date(2025, 1, 5)) == "05/01/2025"
    aware = dt.datetime(2025, 1, 4, 20, 0, tzinfo=dt.timezone.utc)  # 03:00 on 5/1 in Vietnam
    assert render("{{ d|vndate }}", d=aware) == "05/01/2025"


def test_query_with_keeps_other_parameters():
    request = RequestFactory().get("/don-vi/", {"q": "hội", "retired": "1", "page": "2"})
    out = render('{% query_with page=3 %}', request=request)
    assert out.startswith("?") and "page=3" in out and "retired=1" in out and "q=h" in out
    assert "page=2" not in out


def test_person_name_family_name_first():
    from django.contrib.auth.models import User

    user = User(first_name="Lan", last_name="Phạm Thị", username="gq.thuky")
    assert render("{{ u|person_name }}", u=user) == "Phạm Thị Lan"
