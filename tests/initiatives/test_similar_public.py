"""Similar titles across the tree: an identical title always comes first."""
import re

import pytest
from django.urls import reverse

from dvk.initiatives.models import Initiative

pytestmark = pytest.mark.django_db
VI = {"HTTP_ACCEPT_LANGUAGE": "vi"}


def url(name, **kw):
    return reverse(f"initiatives:{name}", kwargs=kw)


def widget(client, title, unit_pk=None, year=2026):
    params = {"title": title, "year": year}
    if unit_pk:
        params["unit"] = unit_pk
    resp = client.get(url("similar"), params, **VI)
    assert resp.status_code == 200
    return resp.content.decode()


# (e) an identical title of the same unit comes first (SQLite and PostgreSQL) -----------------

TITLE = "Khéo vận động người dân hiến máu cứu người"


@pytest.fixture
def crowded(dinhhoa_org, field_econ):
    """A busy commune: thousands of models whose titles contain the whole title, sorted
    before it and older than it — what a real province looks like to the search."""
    rows = []
    for n in range(5100):
        ini = Initiative(title=f"Ấp {n} – {TITLE.lower()}", unit=dinhhoa_org,
                         sector=dinhhoa_org.sector, field=field_econ)
        ini.refresh_derived()
        rows.append(ini)
    Initiative.objects.bulk_create(rows, batch_size=1000)


def test_identical_title_of_the_same_unit_is_listed_first(client_as, crowded, new_initiative,
                                                          dinhhoa_org):
    twin = new_initiative(TITLE)
    c = client_as("dinhhoa.vanthu")
    html = widget(c, TITLE, dinhhoa_org.pk)
    first = re.search(r"<li>(.*?)</li>", html, re.S)
    assert first and first.group(1).startswith(f"{TITLE} — {dinhhoa_org.name}"), html[:600]

    resp = c.get("/api/v1/initiatives/similar", {"title": TITLE, "unit": dinhhoa_org.code})
    assert resp.json()[0]["id"] == twin.pk

    # Typed differently (case, accents) it is still the same title.
    html = widget(c, "KHEO VAN DONG NGUOI DAN HIEN MAU CUU NGUOI", dinhhoa_org.pk)
    assert re.search(r"<li>(.*?)</li>", html, re.S).group(1).startswith(TITLE)
