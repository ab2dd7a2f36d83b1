"""Whole-tree searches (similar-title warning, replication picker, their API) show a unit its
own models and, elsewhere, only recognised models with their public fields; an identical
title always comes first; `replicates` must be one of those models."""
import json
import re

import pytest
from django.urls import reverse

from dvk.initiatives import services
from dvk.initiatives.enums import State
from dvk.initiatives.models import Initiative, Registration

pytestmark = pytest.mark.django_db
VI = {"HTTP_ACCEPT_LANGUAGE": "vi"}
TARGETS = [{"criterion": "Số hộ tham gia", "target": "30"}]
# Private details of Rạch Giá's models: none may reach a user of Gò Quao.
PRIVATE = ["Zqperson", "Zqposition", "Zqmota", "Zqsubject"]
from tests.acting import acting


def url(name, **kw):
    return reverse(f"initiatives:{name}", kwargs=kw)


def _rachgia_model(new_initiative, user, unit, phase26, level, title, state):
    ini = new_initiative(title, unit=unit("KG-RG-01"), actor="rachgia.vanthu",
                         subject="Chi hội Zqsubject", person_name="Trần Văn Zqperson",
                         person_position="Chi hội trưởng Zqposition",
                         description="Cách làm Zqmota", start_year=2019)
    who = "rachgia.vanthu" if level.order == 1 else "quantri"  # higher levels: set up directly
    reg = services.register(scope=acting(who), initiative=ini, phase=phase26,
                            level=level, year=2026, targets=TARGETS)
    if state != State.DRAFT:
        # The committee's decision has its own tests; here only its outcome matters.
        Registration.objects.filter(pk=reg.pk).update(state=state)
    return ini


@pytest.fixture
def models(new_initiative, user, unit, phase26, levels):
    """Three models about cage fish farming: Định Hòa's draft, a Rạch Giá draft, and a
    Rạch Giá model recognised at the district level (Huyện) in 2026."""
    return {
        "own": new_initiative("Khéo vận động hội viên nuôi cá lồng bè Zqcuanha"),
        "draft": _rachgia_model(new_initiative, user, unit, phase26, levels[0],
                                "Khéo vận động nuôi cá lồng bè trên sông Zqnhap", State.DRAFT),
        "recognised": _rachgia_model(new_initiative, user, unit, phase26, levels[1],
                                     "Khéo vận động nuôi cá lồng bè sinh thái Zqcongnhan",
                                     State.RECOGNIZED),
    }


def widget(client, title, unit_pk=None, year=2026):
    params = {"title": title, "year": year}
    if unit_pk:
        params["unit"] = unit_pk
    resp = client.get(url("similar"), params, **VI)
    assert resp.status_code == 200
    return resp.content.decode()


def picker(client, q):
    resp = client.get(url("replicate_search"), {"replicate_q": q}, **VI)
    assert resp.status_code == 200
    return resp.content.decode()


# (a) the similar-titles warning does not show another district's draft ---------------------

def test_warning_hides_another_districts_draft(client_as, models, dinhhoa_org):
    html = widget(client_as("dinhhoa.vanthu"), "Khéo vận động nuôi cá lồng bè", dinhhoa_org.pk)
    assert "Zqcuanha" in html          # the unit's own draft: a possible duplicate
    assert "Zqnhap" not in html        # Rạch Giá's draft is Rạch Giá's business
    # …and the other way round.
    html = widget(client_as("rachgia.vanthu"), "Khéo vận động nuôi cá lồng bè")
    assert "Zqnhap" in html and "Zqcuanha" not in html


# (b) nor does the replication picker -----------------------------------------------------

def test_picker_hides_another_districts_draft(client_as, models):
    html = picker(client_as("dinhhoa.vanthu"), "nuôi cá lồng bè")
    assert "Zqnhap" not in html
    assert f'value="{models["recognised"].pk}"' in html
    assert f'value="{models["draft"].pk}"' not in html


# (c) another district's recognised model is shown, with public fields only ------------------

def test_recognised_models_of_other_districts_show_public_fields_only(client_as, models,
                                                                      dinhhoa_org):
    rec = models["recognised"]
    c = client_as("dinhhoa.vanthu")
    for html in (widget(c, "Khéo vận động nuôi cá lồng bè", dinhhoa_org.pk),
                 picker(c, "nuôi cá lồng bè")):
        assert rec.title in html
        assert rec.unit.name in html and rec.field.name in html
        assert "cấp Huyện năm 2026" in html   # where and when it was recognised
        for marker in PRIVATE:
            assert marker not in html

    resp = c.get("/api/v1/initiatives/similar", {"title": "Khéo vận động nuôi cá lồng bè"})
    assert resp.status_code == 200
    items = {i["id"]: i for i in resp.json()}
    assert models["draft"].pk not in items
    found = items[rec.pk]
    assert (found["title"], found["unit_name"], found["field"], found["kind"],
            found["recognized_level"], found["recognized_year"], found["own"]) == (
        rec.title, rec.unit.name, rec.field.name, "collective", "Huyện", 2026, False)
    assert found["start_year"] is None  # not among the public fields of another unit's model
    assert items[models["own"].pk]["own"] is True
    for marker in PRIVATE:
        assert marker not in resp.content.decode()


# (d) `replicates` outside the visible set is refused, with the field named -------------------

def _register_post(unit_pk, phase, level, **over):
    from dvk.initiatives.models import Field

    data = {"unit": unit_pk, "kind": "collective",
            "title": "Khéo vận động nuôi cá lồng bè ở ấp Minh Cường Zqmoi",
            "field": Field.objects.first().pk, "phase": phase.pk, "level": level.pk,
            "year": 2026, "t-TOTAL_FORMS": 1, "t-INITIAL_FORMS": 0, "t-MIN_NUM_FORMS": 0,
            "t-MAX_NUM_FORMS": 20, "t-0-criterion": "Số hộ nuôi", "t-0-target": "20"}
    data.update(over)
    return data


@pytest.mark.parametrize("which", ["draft", "missing", "junk"])
def test_register_form_refuses_a_model_outside_the_visible_set(client_as, models, phase26,
                                                                levels, dinhhoa_org, which):
    value = {"draft": models["draft"].pk, "missing": 987654321, "junk": "abc"}[which]
    resp = client_as("dinhhoa.vanthu").post(
        url("register"), _register_post(dinhhoa_org.pk, phase26, levels[0], replicates=value),
        **VI)
    assert resp.status_code == 200
    assert "Mô hình được nhân rộng" in resp.content.decode()
    assert not Initiative.objects.filter(title__endswith="Zqmoi").exists()


def test_register_form_accepts_a_recognised_model_of_another_district(
        client_as, models, phase26, levels, dinhhoa_org):
    resp = client_as("dinhhoa.vanthu").post(
        url("register"),
        _register_post(dinhhoa_org.pk, phase26, levels[0], replicates=models["recognised"].pk),
        **VI)
    assert resp.status_code == 302
    assert Initiative.objects.get(title__endswith="Zqmoi").replicates == models["recognised"]


def test_edit_form_refuses_another_districts_draft(client_as, models, draft):
    reg = draft()
    ini = reg.initiative
    data = {"version": reg.version, "kind": ini.kind, "title": ini.title, "field": ini.field_id,
            "replicates": models["draft"].pk, "t-TOTAL_FORMS": 1, "t-INITIAL_FORMS": 1,
            "t-MIN_NUM_FORMS": 0, "t-MAX_NUM_FORMS": 20,
            "t-0-criterion": "Số hộ tham gia", "t-0-target": "120"}
    resp = client_as("dinhhoa.vanthu").post(url("edit", registration_id=reg.pk), data, **VI)
    assert resp.status_code == 200
    assert "Mô hình được nhân rộng" in resp.content.decode()
    ini.refresh_from_db()
    assert ini.replicates_id is None


def test_an_existing_link_does_not_block_an_edit(client_as, models, draft):
    """A link made before this rule (to a model now outside the set) stays as it is."""
    reg = draft()
    ini = reg.initiative
    Initiative.objects.filter(pk=ini.pk).update(replicates=models["draft"])
    data = {"version": reg.version, "kind": ini.kind,
            "title": "Khéo vận động người dân hiến máu tình nguyện",
            "field": ini.field_id, "replicates": models["draft"].pk, "t-TOTAL_FORMS": 1,
            "t-INITIAL_FORMS": 1, "t-MIN_NUM_FORMS": 0, "t-MAX_NUM_FORMS": 20,
            "t-0-criterion": "Số hộ tham gia", "t-0-target": "120"}
    resp = client_as("dinhhoa.vanthu").post(url("edit", registration_id=reg.pk), data, **VI)
    assert resp.status_code == 302
    ini.refresh_from_db()
    assert (ini.title, ini.replicates_id) == (data["title"], models["draft"].pk)


def test_api_refuses_a_model_outside_the_visible_set(client_as, models, dinhhoa_org,
                                                     field_econ):
    c = client_as("dinhhoa.vanthu")

    def create(replicates_id):
        return c.post("/api/v1/initiatives", json.dumps({
            "unit": dinhhoa_org.code, "title": "Khéo vận động nuôi cá lồng bè Zqapi",
            "field_id": field_econ.pk, "replicates_id": replicates_id}),
            content_type="application/json")

    for refused in (models["draft"].pk, 987654321):
        r = create(refused)
        assert r.status_code == 400
        assert r.json()["detail"].startswith("Mô hình được nhân rộng")
    assert not Initiative.objects.filter(title__endswith="Zqapi").exists()
    r = create(models["recognised"].pk)
    assert r.status_code == 201
    assert Initiative.objects.get(pk=r.json()["id"]).replicates == models["recognised"]


def test_service_refuses_another_districts_draft(models, user, dinhhoa_org, field_econ):
    from dvk.initiatives.workflow import TransitionRefused

    with pytest.raises(TransitionRefused, match="Mô hình được nhân rộng"):
        services.create_initiative(scope=acting("dinhhoa.vanthu"), unit=dinhhoa_org,
                                   kind="collective", title="Bản sao Zqsvc", field=field_econ,
                                   replicates=models["draft"])


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


# The model page's "replicated by" list follows the same rule ------------------------------

def test_model_page_lists_other_units_replications_once_recognised(
        at_state, new_initiative, user, unit, phase26, levels, client_as):
    original = at_state(State.RECOGNIZED).initiative  # Định Hòa's, so others may replicate it
    copies = {}
    for state, marker in ((State.DRAFT, "Zqbansaonhap"), (State.RECOGNIZED, "Zqbansaocn")):
        copies[state] = _rachgia_model(new_initiative, user, unit, phase26, levels[0],
                                       f"Khéo vận động hiến máu cứu người {marker}", state)
        services.update_initiative(copies[state], scope=acting("rachgia.vanthu"),
                                   replicates=original)
    page = client_as("dinhhoa.vanthu").get(url("initiative", initiative_id=original.pk),
                                           **VI).content.decode()
    assert "Zqbansaocn" in page
    assert "Zqbansaonhap" not in page
