"""The annual report's deadline (seed 002: before 10/12; a commune's 5 days earlier) in the
reminders and in the committee secretariat's weekly digest."""
import pytest
from django.core import mail
from tests.initiatives.conftest import levels, phase26  # noqa: F401
from tests.reminders.test_reminders import _notes, _run, late_commune  # noqa: F401

pytestmark = pytest.mark.django_db


def _annual(username, kind, commune):
    return [n for n in _notes(username, kind=kind)
            if n.object_key == f"unit:{commune.pk}:up_report"]


def test_an_unsent_annual_report_is_reminded_once_before_and_once_after(late_commune):
    _run("28/11/2026")  # the commune's report is due 05/12/2026: 7 days left
    _run("29/11/2026")
    near = _annual("thunhac.thuky", "deadline_near", late_commune)
    assert [n.text for n in near] == [
        "Xã Thử Nhắc: báo cáo năm gửi cấp trên hạn 05/12/2026 (còn 7 ngày)."]
    assert near[0].url == "/bao-cao-nam/?phase=2026-2030&year=2026"
    # The clerk does not send the report: the secretariat is reminded, not the clerk.
    assert _annual("thunhac.vanthu", "deadline_near", late_commune) == []
    _run("06/12/2026")
    _run("07/12/2026")
    missed = _annual("thunhac.thuky", "deadline_missed", late_commune)
    assert [n.text for n in missed] == [
        "Xã Thử Nhắc: báo cáo năm gửi cấp trên hạn 05/12/2026 (quá hạn 1 ngày)."]
    assert len(_annual("thunhac.thuky", "deadline_near", late_commune)) == 1


def test_a_sent_annual_report_is_not_reminded(late_commune):
    from dvk.reminders import annual
    from dvk.phases.models import Phase
    from tests.acting import acting

    annual.send_report(scope=acting("thunhac.thuky"), phase=Phase.objects.get(code="2026-2030"),
                       year=2026, note="Đã gửi đúng hạn.")
    _run("28/11/2026")
    _run("06/12/2026")
    assert _annual("thunhac.thuky", "deadline_near", late_commune) == []
    assert _annual("thunhac.thuky", "deadline_missed", late_commune) == []


def test_the_digest_lists_the_units_whose_annual_report_has_not_arrived(late_commune,
                                                                         client_as,
                                                                         monkeypatch):
    import datetime as dt
    from types import SimpleNamespace

    from dvk.reminders import annual
    from dvk.phases.models import Phase
    from tests.acting import acting

    line = "- Xã Thử Nhắc: báo cáo năm gửi cấp trên hạn 05/12/2026, quá hạn 2 ngày"
    _run("07/12/2026")  # a Monday
    digest = [m for m in mail.outbox if m.to == ["thuky@goquao.vn"]
              and "Bản tin tuần" in m.subject]
    assert len(digest) == 1 and line in digest[0].body
    # The lagging page says the same, on the same day.
    monkeypatch.setattr("dvk.reminders.views.timezone",
                        SimpleNamespace(localdate=lambda: dt.date(2026, 12, 7)))
    monkeypatch.setattr("dvk.reminders.views.default_year", lambda phase: 2026)
    page = client_as("gq.thuky").get("/thong-bao/don-vi-cham/").content.decode()
    assert ('<a href="/bao-cao-nam/?phase=2026-2030&amp;year=2026">Báo cáo năm gửi cấp trên'
            in page)
    # Once it has arrived, next week's digest no longer lists it for the annual report.
    annual.send_report(scope=acting("thunhac.thuky"), phase=Phase.objects.get(code="2026-2030"),
                       year=2026)
    mail.outbox.clear()
    _run("14/12/2026")
    digest = [m for m in mail.outbox if m.to == ["thuky@goquao.vn"]
              and "Bản tin tuần" in m.subject]
    assert len(digest) == 1 and "Xã Thử Nhắc: báo cáo năm" not in digest[0].body
    assert "Xã Thử Nhắc: đăng ký mô hình" in digest[0].body  # still late with that
