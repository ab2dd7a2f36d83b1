"""The unit corrects a draft or a returned registration (Mẫu 1) and sends it again."""
import pytest
from django.urls import reverse

from dvk.common.history import history_of
from dvk.initiatives import services
from dvk.initiatives.enums import State
from dvk.initiatives.workflow import TransitionRefused
from tests.acting import acting

pytestmark = pytest.mark.django_db
VI = {"HTTP_ACCEPT_LANGUAGE": "vi"}


def edit_url(reg):
    return reverse("initiatives:edit", kwargs={"registration_id": reg.pk})


def edit_post(reg, **over):
    ini = reg.initiative
    data = {"version": reg.version, "kind": ini.kind, "title": ini.title, "subject": ini.subject,
            "field": ini.field_id, "sector": ini.sector_id or "",
            "t-TOTAL_FORMS": 3, "t-INITIAL_FORMS": 1, "t-MIN_NUM_FORMS": 0,
            "t-MAX_NUM_FORMS": 20}
    for i, t in enumerate(reg.targets.order_by("order")):
        data.update({f"t-{i}-criterion": t.criterion, f"t-{i}-baseline": t.baseline,
                     f"t-{i}-target": t.target, f"t-{i}-unit_of_measure": t.unit_of_measure})
    data.update(over)
    return data


def test_clerk_corrects_a_returned_registration_and_sends_it_again(client_as, at_state):
    reg = at_state(State.RETURNED)
    c = client_as("dinhhoa.vanthu")
    page = c.get(reverse("initiatives:registration", kwargs={"registration_id": reg.pk}),
                 **VI).content.decode()
    assert edit_url(reg) in page  # the detail page offers "Sửa"
    form = c.get(edit_url(reg), **VI).content.decode()
    assert "Bổ sung chỉ tiêu." in form  # the committee's comment, where it is acted on
    assert reg.initiative.title in form and "Số hộ tham gia" in form

    resp = c.post(edit_url(reg), edit_post(
        reg, title="Khéo vận động người dân hiến máu tình nguyện",
        **{"t-1-criterion": "Số đơn vị máu", "t-1-target": "200"}, submit="1"), **VI)
    assert resp.status_code == 302
    reg.refresh_from_db()
    assert reg.state == State.SUBMITTED
    assert reg.initiative.title == "Khéo vận động người dân hiến máu tình nguyện"
    assert list(reg.targets.values_list("criterion", "target")) == [
        ("Số hộ tham gia", "120"), ("Số đơn vị máu", "200")]
    title_change = history_of(reg.initiative).get(action="update").changes
    assert title_change == {"title": ["Khéo vận động người dân hiến máu cứu người",
                                      "Khéo vận động người dân hiến máu tình nguyện"]}
    targets_change = history_of(reg).get(action="update").changes["targets"]
    assert targets_change[1] == ["Số hộ tham gia | 40 | 120 | hộ", "Số đơn vị máu | 200"]


def test_a_submitted_registration_cannot_be_edited(client_as, at_state, user):
    reg = at_state(State.SUBMITTED)
    c = client_as("dinhhoa.vanthu")
    resp = c.get(edit_url(reg), **VI)
    assert resp.status_code == 302  # back to the registration, with the reason
    page = c.get(resp["Location"], **VI).content.decode()
    assert "Chỉ sửa được hồ sơ nháp hoặc hồ sơ bị trả lại" in page
    assert edit_url(reg) not in page
    with pytest.raises(TransitionRefused, match="Chỉ sửa được hồ sơ nháp"):
        services.update_registration(reg, scope=acting(user("dinhhoa.vanthu")), title="Tên khác")
    reg.initiative.refresh_from_db()
    assert reg.initiative.title == "Khéo vận động người dân hiến máu cứu người"


def test_a_model_with_a_registration_under_review_keeps_its_fields(at_state, draft, user,
                                                                  levels):
    submitted = at_state(State.SUBMITTED)
    second = services.register(scope=acting(user("dinhhoa.vanthu")), initiative=submitted.initiative,
                               phase=submitted.phase, level=levels[0], year=2027,
                               targets=[{"criterion": "Số hộ", "target": "10"}])
    with pytest.raises(TransitionRefused, match="chỉ sửa được các tiêu chí"):
        services.update_registration(second, scope=acting(user("dinhhoa.vanthu")), title="Tên khác")
    services.update_registration(second, scope=acting(user("dinhhoa.vanthu")),
                                 targets=[{"criterion": "Số hộ", "target": "12"}])
    assert list(second.targets.values_list("target", flat=True)) == ["12"]


def test_only_the_units_clerks_may_edit(client_as, at_state):
    reg = at_state(State.DRAFT)
    assert client_as("rachgia.vanthu").get(edit_url(reg)).status_code == 404
    assert client_as("dinhhoa.thamdinh").get(edit_url(reg)).status_code == 403


def test_secretariat_returns_an_achievement_report_and_the_clerk_reports_again(
        client_as, at_state):
    reg = at_state(State.REPORTED)
    detail = reverse("initiatives:registration", kwargs={"registration_id": reg.pk})
    sec = client_as("dinhhoa.thuky")
    assert reverse("initiatives:return", kwargs={"registration_id": reg.pk}) in \
        sec.get(detail, **VI).content.decode()
    resp = sec.post(reverse("initiatives:return", kwargs={"registration_id": reg.pk}),
                    {"comment": "Thiếu xác nhận của Ủy ban nhân dân xã."}, **VI)
    assert "Đã trả lại báo cáo thành tích cho đơn vị." in sec.get(resp["Location"], **VI) \
        .content.decode()
    reg.refresh_from_db()
    assert reg.state == State.ACCEPTED
    assert reg.transitions.last().comment == "Thiếu xác nhận của Ủy ban nhân dân xã."

    page = client_as("dinhhoa.vanthu").get(detail, **VI).content.decode()
    assert "Thiếu xác nhận của Ủy ban nhân dân xã." in page
    assert reverse("initiatives:report", kwargs={"registration_id": reg.pk}) in page


def test_clearing_the_sector_gives_back_the_units_like_at_registration(at_state, user):
    reg = at_state(State.DRAFT)
    other = type(reg.unit.sector).objects.exclude(pk=reg.unit.sector_id).first()
    services.update_registration(reg, scope=acting(user("dinhhoa.vanthu")), sector=other)
    assert (reg.initiative.sector, reg.sector) == (other, other)
    services.update_registration(reg, scope=acting(user("dinhhoa.vanthu")), sector=None)
    reg.initiative.refresh_from_db()
    assert reg.initiative.sector == reg.unit.sector == reg.sector


def test_the_registration_form_offers_only_the_current_phases_levels(client_as):
    """Issue 9, item 3: no level of another phase to pick (and be refused after submit)."""
    from dvk.phases.queries import current_phase

    form = client_as("dinhhoa.vanthu").get("/mo-hinh/dang-ky/").context["form"]
    phase = current_phase()
    assert list(form.fields["phase"].queryset) == [phase]
    assert list(form.fields["level"].queryset) == list(phase.ordered_levels())
    assert form.initial["level"] == phase.ordered_levels().first()  # the commune's own level
