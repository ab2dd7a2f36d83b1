"""The decision step on the screens: recorded from the registration page, or in bulk from
the queue's "Đã thẩm định" tab, which shows each model's score and the appraisers'
conclusion and chooses nothing beforehand; both through services.decide."""
import re

import pytest
from django.urls import reverse

from dvk.initiatives.enums import State
from dvk.initiatives.models import Decision

pytestmark = pytest.mark.django_db

FIELDS = {"decision_number": "31-QĐ/TCĐ", "decision_date": "12/10/2026",
          "signer": "Lê Văn Bình"}


def _checked_radios(html: str, name="recognized") -> list[str]:
    return [tag for tag in re.findall(r"<input[^>]*>", html)
            if f'name="{name}"' in tag and "checked" in tag]


def test_registration_page_offers_the_decision_with_nothing_chosen(scored, client_as):
    reg = scored()
    page = client_as("dinhhoa.thuky").get(
        reverse("initiatives:registration", kwargs={"registration_id": reg.pk})).content.decode()
    form = page[page.index('id="decide-form"'):]
    form = form[:form.index("</form>")]
    assert 'name="recognized" value="1"' in form and 'name="recognized" value="0"' in form
    assert not _checked_radios(form)
    assert "41" in form and "Đề nghị công nhận" in form  # the score and the conclusion


def test_deciding_from_the_registration_page(scored, client_as):
    reg = scored()
    c = client_as("dinhhoa.thuky")
    url = reverse("initiatives:decide", kwargs={"registration_id": reg.pk})
    resp = c.post(url, {**FIELDS, "recognized": "1"}, follow=True)
    reg.refresh_from_db()
    assert reg.state == State.RECOGNIZED
    assert reg.decision.number == "31-QĐ/TCĐ" and reg.decision.date.isoformat() == "2026-10-12"
    assert reg.certificate_number == "31-QĐ/TCĐ/0001"
    html = resp.content.decode()
    assert "Đã ghi quyết định" in html
    assert reverse("initiatives:decision", kwargs={"decision_id": reg.decision_id}) in html
    assert reverse("documents:certificates", kwargs={"decision_id": reg.decision_id}) in html


def test_not_recognising_from_the_registration_page(scored, client_as):
    reg = scored(conclusion="not_recommend")
    client_as("dinhhoa.thuky").post(
        reverse("initiatives:decide", kwargs={"registration_id": reg.pk}),
        {**FIELDS, "recognized": "0"})
    reg.refresh_from_db()
    assert reg.state == State.NOT_RECOGNIZED and reg.certificate_number == ""


def test_no_outcome_chosen_decides_nothing(scored, client_as):
    reg = scored()
    resp = client_as("dinhhoa.thuky").post(
        reverse("initiatives:decide", kwargs={"registration_id": reg.pk}), FIELDS, follow=True)
    reg.refresh_from_db()
    assert reg.state == State.APPRAISED and not Decision.objects.filter(number="31-QĐ/TCĐ")
    assert "Chọn công nhận hoặc không công nhận." in resp.content.decode()


def test_the_appraiser_and_the_clerk_may_not_decide(scored, client_as):
    reg = scored()
    url = reverse("initiatives:decide", kwargs={"registration_id": reg.pk})
    for who in ("dinhhoa.vanthu", "dinhhoa.thamdinh"):
        assert client_as(who).post(url, {**FIELDS, "recognized": "1"}).status_code == 403
    assert client_as("rachgia.vanthu").post(url, {**FIELDS, "recognized": "1"}).status_code == 404
    reg.refresh_from_db()
    assert reg.state == State.APPRAISED


def test_queue_shows_score_and_conclusion_and_preselects_nothing(scored, client_as):
    yes = scored("Khéo vận động hội viên nông dân chuyển đổi cây trồng")
    no = scored("Khéo vận động thanh niên hiến máu tình nguyện", conclusion="not_recommend")
    html = client_as("dinhhoa.thuky").get(
        reverse("initiatives:queue") + "?phase=2026-2030&year=2026&tab=appraised").content.decode()
    assert "Điểm thẩm định" in html and "Kết luận của tổ thẩm định" in html
    for reg, conclusion in ((yes, "Đề nghị công nhận"), (no, "Không đề nghị công nhận")):
        row = re.search(r"<tr>\s*<td[^>]*><input[^>]*value=\"%d\".*?</tr>" % reg.pk, html, re.S)
        assert row, reg
        assert "41" in row.group(0) and conclusion in row.group(0)
    assert not _checked_radios(html) and not _checked_radios(html, "ids")


def test_bulk_decision_from_the_queue(scored, client_as):
    regs = [scored("Khéo vận động hội viên nông dân chuyển đổi cây trồng"),
            scored("Khéo vận động bà con giáo dân xây dựng cầu bê tông")]
    c = client_as("dinhhoa.thuky")
    queue = reverse("initiatives:queue") + "?phase=2026-2030&year=2026&tab=appraised"
    resp = c.post(reverse("initiatives:bulk"), {
        "action": "decide", "ids": [r.pk for r in regs], "recognized": "1", "next": queue,
        **FIELDS}, follow=True)
    decision = Decision.objects.get(number="31-QĐ/TCĐ")
    assert resp.redirect_chain[-1][0] == reverse("initiatives:decision",
                                                 kwargs={"decision_id": decision.pk})
    html = resp.content.decode()
    for r in regs:
        r.refresh_from_db()
        assert r.state == State.RECOGNIZED and r.decision_id == decision.pk
        assert r.initiative.title in html
    assert "41" in html  # each model's score on the decision's page
    assert reverse("documents:decision_docx", kwargs={"decision_id": decision.pk}) in html
    assert "Giấy chứng nhận (PDF, 2 trang)" in html


def test_bulk_decision_without_outcome_is_refused(scored, client_as):
    reg = scored()
    resp = client_as("dinhhoa.thuky").post(reverse("initiatives:bulk"), {
        "action": "decide", "ids": [reg.pk], **FIELDS}, follow=True)
    reg.refresh_from_db()
    assert reg.state == State.APPRAISED
    assert "Chọn công nhận hoặc không công nhận." in resp.content.decode()
