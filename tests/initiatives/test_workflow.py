"""The allowed-transitions map, roles, scope, optimistic locking and the audit trail."""
import datetime as dt
import itertools

import pytest

from dvk.common.history import history_of
from dvk.initiatives import services
from dvk.initiatives.enums import State
from dvk.initiatives.models import Registration, Transition
from dvk.initiatives.workflow import ALLOWED, STALE, TransitionRefused, transition
from tests.acting import acting

S = State
CASES = [
    # A grassroots (Cơ sở) registration of an organisation of Xã Định Hòa: the commune's own
    # committee judges it; the district and province committees judge other levels.
    # from, to, actor, allowed?
    (S.DRAFT, S.SUBMITTED, "dinhhoa.vanthu", True),
    (S.DRAFT, S.WITHDRAWN, "dinhhoa.vanthu", True),
    (S.DRAFT, S.SUBMITTED, "gq.thamdinh", False),        # appraisers don't submit
    (S.DRAFT, S.SUBMITTED, "rachgia.vanthu", False),     # clerk of another district
    (S.DRAFT, S.ACCEPTED, "dinhhoa.thuky", False),       # must be submitted first
    (S.SUBMITTED, S.ACCEPTED, "dinhhoa.thuky", True),
    (S.SUBMITTED, S.ACCEPTED, "gq.thuky", False),        # the district judges Huyện files
    (S.SUBMITTED, S.ACCEPTED, "tinh.thuky", False),      # the province judges Tỉnh files
    (S.SUBMITTED, S.ACCEPTED, "quantri", True),
    (S.SUBMITTED, S.ACCEPTED, "dinhhoa.vanthu", False),  # clerks don't accept their own
    (S.SUBMITTED, S.ACCEPTED, "tinh.lanhdao", False),    # leaders read, don't process
    (S.SUBMITTED, S.RETURNED, "dinhhoa.thuky", True),
    (S.SUBMITTED, S.RETURNED, "gq.thuky", False),
    (S.SUBMITTED, S.WITHDRAWN, "dinhhoa.vanthu", True),
    (S.SUBMITTED, S.REPORTED, "dinhhoa.vanthu", False),
    (S.RETURNED, S.SUBMITTED, "dinhhoa.vanthu", True),
    (S.RETURNED, S.ACCEPTED, "dinhhoa.thuky", False),
    (S.ACCEPTED, S.REPORTED, "dinhhoa.vanthu", True),
    (S.ACCEPTED, S.RECOGNIZED, "dinhhoa.thuky", False),
    (S.ACCEPTED, S.WITHDRAWN, "dinhhoa.vanthu", True),
    (S.REPORTED, S.APPRAISED, "dinhhoa.thamdinh", True),
    (S.REPORTED, S.APPRAISED, "gq.thamdinh", False),     # not the committee at this level
    (S.REPORTED, S.APPRAISED, "dinhhoa.vanthu", False),
    (S.REPORTED, S.ACCEPTED, "dinhhoa.thuky", True),     # report sent back for correction
    (S.REPORTED, S.RECOGNIZED, "dinhhoa.thuky", False),  # never without appraisal
    (S.APPRAISED, S.RECOGNIZED, "dinhhoa.thuky", True),
    (S.APPRAISED, S.RECOGNIZED, "gq.thuky", False),
    (S.APPRAISED, S.NOT_RECOGNIZED, "tinh.thuky", False),
    (S.APPRAISED, S.RECOGNIZED, "dinhhoa.thamdinh", False),
    (S.APPRAISED, S.WITHDRAWN, "dinhhoa.vanthu", False),
    (S.RECOGNIZED, S.NOT_RECOGNIZED, "dinhhoa.thuky", False),
    (S.NOT_RECOGNIZED, S.APPRAISED, "quantri", False),
    (S.WITHDRAWN, S.SUBMITTED, "dinhhoa.vanthu", False),
]


@pytest.mark.parametrize("from_state,to_state,username,allowed", CASES,
                         ids=[f"{a}->{b}-{u}" for a, b, u, _ in CASES])
def test_transition_table(at_state, user, from_state, to_state, username, allowed):
    reg = at_state(from_state)
    version = reg.version
    actor = user(username)
    if allowed:
        transition(reg, to_state, scope=acting(actor), comment="ghi chú")
        fresh = Registration.objects.get(pk=reg.pk)
        assert fresh.state == to_state
        assert fresh.version == version + 1
        last = Transition.objects.filter(registration=reg).latest("id")
        assert (last.from_state, last.to_state, last.actor, last.comment) == (
            from_state, to_state, actor, "ghi chú")
        entry = history_of(reg).first()
        assert entry.actor == actor
        assert entry.changes["state"] == [from_state, to_state]
    else:
        with pytest.raises(TransitionRefused) as exc:
            transition(reg, to_state, scope=acting(actor))
        assert exc.value.message and str(exc.value) == exc.value.message
        fresh = Registration.objects.get(pk=reg.pk)
        assert (fresh.state, fresh.version) == (from_state, version)


def test_every_pair_outside_the_map_is_refused_even_for_an_admin(at_state, user):
    admin = user("quantri")
    reg = at_state(S.DRAFT)
    for a, b in itertools.product(State, State):
        if b in ALLOWED[a]:
            continue
        reg.state = a  # in memory only: the veto refuses before touching the database
        with pytest.raises(TransitionRefused, match="Không thể chuyển"):
            transition(reg, b, scope=acting(admin))
    assert Registration.objects.get(pk=reg.pk).state == S.DRAFT


def test_stale_version_loses_the_race(at_state, user):
    reg = at_state(S.SUBMITTED)
    seen = reg.version
    # Someone else (another tab) accepts first.
    other = Registration.objects.get(pk=reg.pk)
    services.accept(other, scope=acting(user("dinhhoa.thuky")))
    with pytest.raises(TransitionRefused) as exc:
        services.return_to_unit(reg, scope=acting(user("dinhhoa.thuky")), comment="Thiếu chỉ tiêu",
                                 expected_version=seen)
    assert exc.value.message == STALE
    fresh = Registration.objects.get(pk=reg.pk)
    assert fresh.state == S.ACCEPTED and fresh.return_comment == ""
    assert Transition.objects.filter(registration=reg, to_state=S.RETURNED).count() == 0


def test_same_state_in_memory_but_changed_in_db_is_refused(at_state, user):
    reg = at_state(S.SUBMITTED)
    Registration.objects.filter(pk=reg.pk).update(version=reg.version + 1)
    with pytest.raises(TransitionRefused, match="người khác thay đổi"):
        services.accept(reg, scope=acting(user("dinhhoa.thuky")))


def test_return_requires_a_comment_and_stores_it(at_state, user):
    reg = at_state(S.SUBMITTED)
    with pytest.raises(TransitionRefused, match="lý do"):
        services.return_to_unit(reg, scope=acting(user("dinhhoa.thuky")), comment="  ")
    services.return_to_unit(reg, scope=acting(user("dinhhoa.thuky")), comment="Đề nghị bổ sung số liệu.")
    assert Registration.objects.get(pk=reg.pk).return_comment == "Đề nghị bổ sung số liệu."


def test_full_path_leaves_one_transition_row_per_step(at_state, user):
    reg = at_state(S.RECOGNIZED)
    steps = list(Transition.objects.filter(registration=reg).values_list("from_state", "to_state"))
    assert steps == [("", S.DRAFT), (S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.ACCEPTED),
                     (S.ACCEPTED, S.REPORTED), (S.REPORTED, S.APPRAISED),
                     (S.APPRAISED, S.RECOGNIZED)]
    actors = list(Transition.objects.filter(registration=reg).values_list("actor__username", flat=True))
    assert actors == ["dinhhoa.vanthu", "dinhhoa.vanthu", "dinhhoa.thuky", "dinhhoa.vanthu",
                      "dinhhoa.thuky", "dinhhoa.thuky"]
    assert reg.certificate_number and reg.decision.number == "15-QĐ/BCĐ"
    assert reg.decided_at is not None


# --- deadlines -----------------------------------------------------------------------------

@pytest.mark.parametrize("when,late", [
    (dt.datetime(2026, 1, 20, 9), False),
    (dt.datetime(2026, 1, 31, 23, 30), False),   # the deadline day itself is on time
    (dt.datetime(2026, 2, 1, 8), True),
])
def test_submit_marks_late_after_the_registration_deadline(draft, user, monkeypatch, when, late):
    from django.utils import timezone

    reg = draft()
    aware = timezone.make_aware(when)
    monkeypatch.setattr(timezone, "now", lambda: aware)
    services.submit(reg, scope=acting(user("dinhhoa.vanthu")))
    fresh = Registration.objects.get(pk=reg.pk)
    assert fresh.is_late is late
    assert fresh.submitted_at == aware


def test_deadline_follows_the_phase_calendar_and_year(draft, user, phase26, monkeypatch):
    from django.utils import timezone

    phase26.registration_deadline = "15/03"
    phase26.save()
    reg = draft(year=2027)
    monkeypatch.setattr(timezone, "now", lambda: timezone.make_aware(dt.datetime(2027, 3, 1)))
    services.submit(reg, scope=acting(user("dinhhoa.vanthu")))
    assert Registration.objects.get(pk=reg.pk).is_late is False


def test_resubmitting_a_returned_registration_keeps_the_first_submission(at_state, user):
    reg = at_state(S.RETURNED)
    first = Registration.objects.get(pk=reg.pk).submitted_at
    services.submit(reg, scope=acting(user("dinhhoa.vanthu")))
    assert Registration.objects.get(pk=reg.pk).submitted_at == first


# --- the exceptional path --------------------------------------------------------------------

def test_exceptional_needs_a_reason(draft):
    with pytest.raises(TransitionRefused, match="lý do"):
        draft(exceptional=True)


def test_exceptional_cannot_be_accepted_before_approval(draft, user):
    reg = draft(exceptional=True, exceptional_reason="Mô hình phòng, chống dịch (đột xuất)")
    assert reg.exceptional_status == "pending"
    services.submit(reg, scope=acting(user("dinhhoa.vanthu")))
    with pytest.raises(TransitionRefused, match="đặc cách"):
        services.accept(reg, scope=acting(user("dinhhoa.thuky")))
    with pytest.raises(TransitionRefused) as exc:
        services.approve_exceptional(reg, scope=acting(user("dinhhoa.vanthu")), approve=True)
    assert exc.value.status == 403
    services.approve_exceptional(reg, scope=acting(user("dinhhoa.thuky")), approve=True, comment="Đồng ý")
    services.accept(reg, scope=acting(user("dinhhoa.thuky")))
    fresh = Registration.objects.get(pk=reg.pk)
    assert (fresh.state, fresh.exceptional_status) == (S.ACCEPTED, "approved")


def test_refused_exceptional_stays_unaccepted(draft, user):
    reg = draft(exceptional=True, exceptional_reason="Đột xuất")
    services.submit(reg, scope=acting(user("dinhhoa.vanthu")))
    services.approve_exceptional(reg, scope=acting(user("dinhhoa.thuky")), approve=False)
    with pytest.raises(TransitionRefused):
        services.accept(reg, scope=acting(user("dinhhoa.thuky")))
    with pytest.raises(TransitionRefused, match="đã được xem xét"):
        services.approve_exceptional(reg, scope=acting(user("dinhhoa.thuky")), approve=True)

