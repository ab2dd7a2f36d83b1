"""Deadlines that cascade down the levels; reminders sent once; the weekly digest."""
import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from tests.initiatives.conftest import (at_state, dinhhoa_org, draft,  # noqa: F401
                                        field_econ, levels, new_initiative, phase26)

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def late_commune(db, unit, phase26, levels):
    """A new commune of Gò Quao with its committee (at Cơ sở), a clerk and a secretariat
    with e-mail addresses, and nothing registered in 2026; Gò Quao's secretariat too."""
    from django.contrib.auth import get_user_model

    from dvk.orgs.enums import Role
    from dvk.orgs.models import Membership, Unit
    from dvk.phases.models import SteeringCommittee

    User = get_user_model()
    commune = Unit.objects.create(code="KG-GQ-99", name="Xã Thử Nhắc", kind="grassroots",
                                  parent=unit("KG-GQ"))
    SteeringCommittee.objects.create(unit=commune, phase=phase26, level=levels[0],
                                     name="Ban Chỉ đạo xã Thử Nhắc")
    clerk = User.objects.create_user("thunhac.vanthu", email="vanthu@thunhac.vn")
    Membership.objects.create(user=clerk, unit=commune, role=Role.CLERK)
    sec = User.objects.create_user("thunhac.thuky", email="")
    Membership.objects.create(user=sec, unit=commune, role=Role.SECRETARIAT)
    gq = User.objects.get(username="gq.thuky")
    gq.email = "thuky@goquao.vn"
    gq.save()
    return commune


def _notes(username, **kw):
    from dvk.reminders.models import Notification

    return list(Notification._unguarded.filter(user__username=username, **kw)
                .order_by("created_at", "pk"))


def test_deadlines_cascade_down_the_levels(unit, phase26, levels, settings):
    from dvk.phases.calendar import deadlines_for

    def dates(code):
        return {d.kind: d.date for d in deadlines_for(unit(code), phase26, 2026)}

    province, district, commune = dates("KG"), dates("KG-GQ"), dates("KG-GQ-02")
    assert province["registration"] == dt.date(2026, 1, 31)  # the phase's calendar
    assert district["registration"] == dt.date(2026, 1, 21)  # 10 days before
    assert commune["registration"] == dt.date(2026, 1, 11)  # 10 more
    assert commune["report"] == dt.date(2026, 9, 20) < district["report"] < province["report"]
    # The report sent up: 10/12 to the province (seed 002), earlier from a commune.
    assert district["up_report"] == province["up_report"] == dt.date(2026, 12, 10)
    assert commune["up_report"] == dt.date(2026, 12, 5)
    settings.DVK_DEADLINE_OFFSET_DAYS = {"registration": 3}
    assert dates("KG-GQ-02")["registration"] == dt.date(2026, 1, 25)


def test_countdown_in_vietnamese(unit, phase26):
    from django.utils import translation

    from dvk.phases.calendar import Deadline
    from dvk.phases.templatetags.calendar_tags import countdown
    from django.utils import timezone

    today = timezone.localdate()
    with translation.override("vi"):
        assert countdown(Deadline("report", today + dt.timedelta(days=5), None)) == "còn 5 ngày"
        assert countdown(Deadline("report", today - dt.timedelta(days=3), None)) == \
            "quá hạn 3 ngày"
        assert countdown(Deadline("report", today, None)) == "hạn hôm nay"


def test_a_lagging_unit_is_reminded_once_and_listed_in_the_digest(late_commune):
    """Done when: the job run twice sends the missed deadline once; the digest lists it."""
    out1 = _run("05/02/2026")
    missed = _notes("thunhac.vanthu", kind="deadline_missed")
    assert [n.text for n in missed] == [
        "Xã Thử Nhắc: đăng ký mô hình hạn 11/01/2026 (quá hạn 25 ngày)."]
    assert missed[0].unit == late_commune and missed[0].url == "/mo-hinh/"
    digest = _notes("gq.thuky", kind="digest")
    assert len(digest) == 1 and "Xã Thử Nhắc" in digest[0].text
    to_clerk = [m for m in mail.outbox if m.to == ["vanthu@thunhac.vn"]]
    assert len(to_clerk) == 1 and "quá hạn 25 ngày" in to_clerk[0].body
    to_gq = [m for m in mail.outbox if m.to == ["thuky@goquao.vn"] and "Bản tin tuần" in m.subject]
    assert len(to_gq) == 1 and "- Xã Thử Nhắc: đăng ký mô hình hạn 11/01/2026, quá hạn 25 ngày" \
        in to_gq[0].body
    assert "Đã gửi" in out1

    sent = len(mail.outbox)
    _run("05/02/2026")  # twice: nothing new
    _run("06/02/2026")  # the next day, same week, same deadline: nothing new either
    assert len(_notes("thunhac.vanthu", kind="deadline_missed")) == 1
    assert len(_notes("gq.thuky", kind="digest")) == 1
    assert len(mail.outbox) == sent
    # A new week brings a new digest (the unit is still late), not a second reminder.
    _run("09/02/2026")
    assert len(_notes("gq.thuky", kind="digest")) == 2
    assert len(_notes("thunhac.vanthu", kind="deadline_missed")) == 1


def test_a_deadline_near_is_reminded_before_it_passes(late_commune):
    _run("05/01/2026")  # the commune's registrations are due 11/01: 6 days left
    near = _notes("thunhac.vanthu", kind="deadline_near")
    assert [n.text for n in near] == [
        "Xã Thử Nhắc: đăng ký mô hình hạn 11/01/2026 (còn 6 ngày)."]
    assert _notes("thunhac.vanthu", kind="deadline_missed") == []
    assert _notes("gq.thuky", kind="digest") == []  # nobody is late yet


def test_a_unit_that_registered_is_neither_reminded_nor_listed(late_commune, new_initiative,
                                                               phase26, levels):
    from dvk.initiatives import services
    from dvk.orgs.models import Membership
    from tests.acting import acting
    from tests.initiatives.conftest import TARGETS

    m = Membership.objects.get(user__username="thunhac.vanthu")
    ini = new_initiative("Khéo vận động thắp sáng đường quê", unit=late_commune,
                         actor="thunhac.vanthu")
    reg = services.register(scope=acting("thunhac.vanthu"), initiative=ini, phase=phase26,
                            level=levels[0], year=2026, targets=TARGETS)
    services.submit(reg, scope=acting("thunhac.vanthu"))
    assert m.is_active
    _run("05/02/2026")
    assert _notes("thunhac.vanthu", kind="deadline_missed") == []
    assert all("Xã Thử Nhắc" not in n.text for n in _notes("gq.thuky", kind="digest"))


def test_returns_decisions_and_awards_are_announced_once(at_state):
    from dvk.initiatives.enums import State

    returned = at_state(State.RETURNED)
    recognised = at_state(State.RECOGNIZED, title="Khéo vận động dân làm đường")
    _run(None)
    _run(None)
    notes = _notes("dinhhoa.vanthu")
    ret = [n for n in notes if n.kind == "returned"
           and n.url == f"/mo-hinh/ho-so/{returned.pk}/"]
    assert len(ret) == 1 and "Bổ sung chỉ tiêu." in ret[0].text
    dec = [n for n in notes if n.kind == "decision"
           and n.url == f"/mo-hinh/ho-so/{recognised.pk}/"]
    assert len(dec) == 1 and "được công nhận cấp Cơ sở" in dec[0].text
    assert "15-QĐ/BCĐ" in dec[0].text


@override_settings(TASKS=IMMEDIATE)
def test_the_command_enqueues_the_same_job_as_a_task(late_commune):
    from io import StringIO

    out = StringIO()
    call_command("send_reminders", "--enqueue", "--today", "05/02/2026", stdout=out)
    assert "hàng đợi" in out.getvalue()
    assert len(_notes("thunhac.vanthu", kind="deadline_missed")) == 1


def test_the_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="dd/mm/yyyy"):
        call_command("send_reminders", "--today", "2026-02-05")


def _run(day):
    from io import StringIO

    out = StringIO()
    call_command("send_reminders", *(["--today", day] if day else []), stdout=out)
    return out.getvalue()
