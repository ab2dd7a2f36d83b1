"""Issue 14's form 500s (PostgreSQL: a title over 500 characters, a 300-character subject, a
NUL byte, a lone surrogate, a 100,000-character decision number, a 255-character upload name
overflowing the job title; huge numbers): the main forms of the URL conf posted with a valid
body in which one field is replaced by a generated value. Every answer is below 500; when
nothing was written, the page says why in Vietnamese next to the field (or in a message that
names its label).

Bounded in `make test` (EXAMPLES per form), 600 per form under `make soak`."""
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.forms import BaseForm, BaseFormSet
from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings, strategies as st

from tests.initiatives.conftest import (at_state, dinhhoa_org, draft, field_econ,  # noqa: F401
                                        levels, new_initiative, phase26)
from tests.awards.conftest import kinds, proposal, recognised  # noqa: F401
from tests.initiatives.test_ui_cycle import register_post

from .conftest import soak_examples

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("DVK_FORM_EXAMPLES", "6"))  # per form in `make test`
VIETNAMESE = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]",
                        re.IGNORECASE)
VI = {"HTTP_ACCEPT_LANGUAGE": "vi"}

# The values that broke forms, and generated ones.
FOUND_TEXT = ["T" * 501, "S" * 300, "X" * 256, "Khéo\x00 vận động", "Khéo \ud800 vận động",
              "9" * 100_000, "", " ", "\x00", "=HYPERLINK(\"http://x\",\"y\")", "a\x1b\x07b"]
FOUND_NUMBER = ["99999999999999999999999", "-99999999999999999999", "9" * 5000, "1e400", "-1",
                "0", "abc", "²", str(2**63), str(2**31)]
BAD_TEXT = st.one_of(
    st.sampled_from(FOUND_TEXT),
    st.text(max_size=300),
    st.text(st.characters(codec="utf-8"), min_size=200, max_size=700),
    st.builds(lambda c, n: c * n, st.sampled_from(["x", "ộ", "\x00", " ", "\ud800"]),
              st.integers(60, 3000)),
)
BAD_NUMBER = st.one_of(st.sampled_from(FOUND_NUMBER), st.integers(-2**80, 2**80).map(str),
                       st.text(max_size=12))
BAD_NAME = st.one_of(
    st.sampled_from(["a" * 300 + ".csv", "ộ" * 250 + ".xlsx", "t\x00ep.csv", "x." + "c" * 260,
                     "Khéo vận động " * 20 + ".pdf", ".csv", "\ud800.csv"]),
    st.builds(lambda n, ext: "d" * n + ext, st.integers(200, 400),
              st.sampled_from([".csv", ".xlsx", ".pdf", ".png", ""])),
)


@dataclass
class Case:
    user: str
    url: str
    data: dict
    text: list[str] = field(default_factory=list)     # fields fuzzed with BAD_TEXT
    numbers: list[str] = field(default_factory=list)  # fields fuzzed with BAD_NUMBER
    files: dict = field(default_factory=dict)         # field → (valid name, content)
    form: type | None = None  # the form of a view that answers with a redirect and messages
    names: tuple = ()         # other words a message may name the field with
    hidden: tuple = ()        # fields not shown (a version, checkboxes): a reason is enough
    prepare: object = None    # client → None: a step before posting (a one-time link opened)
    twins: dict = field(default_factory=dict)  # field → a field always sent with its value
    related: dict = field(default_factory=dict)  # field → fields whose error may say why


def _counts():
    """Row counts of every table of the project's apps (and Django's users), in one query."""
    tables = sorted({m._meta.db_table for m in apps.get_models()
                     if m.__module__.startswith("dvk.") or m._meta.app_label == "auth"})
    with connection.cursor() as cur:
        cur.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables))
        return dict(zip(tables, cur.fetchone()))


def _encode(data: dict) -> str:
    """A form body as a browser may send it; a lone surrogate percent-encoded, as a client
    that does not check may do (Django reads what is not UTF-8 as U+FFFD)."""
    return urlencode([(k, v) for k, vs in data.items()
                      for v in (vs if isinstance(vs, list) else [vs])],
                     errors="surrogatepass")


def _forms(response):
    out = []
    for ctx in response.context or []:
        for d in ctx.dicts:
            for v in d.values():
                if isinstance(v, BaseFormSet):
                    out.extend(v.forms)
                elif isinstance(v, BaseForm) and v not in out:
                    out.append(v)
    return out


def _says_why(response, key: str, case: Case) -> str | None:
    """The message of the page about field `key` (posted name), if it names the field:
    an error next to the field on the re-rendered form, or a message with its label."""
    keys = {key, case.twins.get(key), *case.related.get(key, ())}
    for form in _forms(response):
        for name, f in form.fields.items():
            if form.add_prefix(name) in keys and form.errors.get(name):
                return " ".join(form.errors[name])
    labels = [str(f.label) for form in _forms(response) for name, f in form.fields.items()
              if form.add_prefix(name) == key and f.label]
    if case.form is not None and key in case.form.base_fields:
        with translation.override("vi"):
            labels.append(str(case.form.base_fields[key].label))
    labels += case.names
    labels += [label.split(" (")[0] for label in labels]  # "Số tiền (đồng)" → "Số tiền"
    said = [str(m) for m in get_messages(response.wsgi_request)]
    said += [e for form in _forms(response) for e in form.non_field_errors()]
    for m in said:
        if any(label.lower() in m.lower() for label in labels) or f"«{key}»" in m:
            return m
    return None


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _refused(response) -> bool:
    """The page shows an error: a form's, or an error message (a preview shows none)."""
    return response.status_code <= 400 and (
        any(f.errors for f in _forms(response))
        or any(m.level_tag == "error" for m in get_messages(response.wsgi_request)))


def _post(client, case: Case, key: str, value, name=None, inside=None):
    data = dict(case.data)
    files = {}
    if key in case.files or case.files:
        for fname, (valid, content) in case.files.items():
            files[fname] = SimpleUploadedFile((name if fname == key else valid)
                                              .encode("utf-8", "replace").decode("utf-8"),
                                              content)
    if key not in case.files:
        data[key] = value
        if key in case.twins:  # a confirmation field: the same value, as the user types it
            data[case.twins[key]] = value
    client.cookies.pop("messages", None)  # only this answer's messages
    with transaction.atomic():
        before = _counts()
        if files:
            # multipart: what cannot be encoded is sent as U+FFFD, as a browser would.
            body = {k: (v.encode("utf-8", "replace").decode("utf-8") if isinstance(v, str)
                        else v) for k, v in data.items()}
            r = client.post(case.url, {**body, **files}, **VI)
        else:
            r = client.post(case.url, _encode(data),
                            content_type="application/x-www-form-urlencoded", **VI)
        after = _counts()
        written = {t for t in before if before[t] != after[t]}
        if inside:
            inside(r, written)
        transaction.set_rollback(True)
    shown = repr(value)[:80] if name is None else repr(name)[:80]
    assert r.status_code < 500, (case.url, key, shown, r.content[-500:])
    if not written and _refused(r):  # refused: why, next to the field or naming it
        why = _says_why(r, key, case) if key not in case.hidden else " ".join(
            [e for f in _forms(r) for es in f.errors.values() for e in es] + _messages(r))
        assert why, (case.url, key, shown, "refused without naming the field",
                     [(f.prefix, dict(f.errors)) for f in _forms(r)], _messages(r))
        assert VIETNAMESE.search(why), why
    if r.status_code >= 400:
        assert not written, (case.url, key, shown, "a refusal wrote", written)
    return r, written


def _run(client, case: Case, data):
    keys = ([("text", k) for k in case.text] + [("number", k) for k in case.numbers]
            + [("file", k) for k in case.files])
    how, key = data.draw(st.sampled_from(keys), label="field")
    if how == "file":
        name = data.draw(BAD_NAME, label="file name")
        _post(client, case, key, None, name=name)
    else:
        value = data.draw(BAD_TEXT if how == "text" else BAD_NUMBER, label="value")
        _post(client, case, key, value)


# --- the forms ------------------------------------------------------------------------------

TEXT_REGISTER = ["title", "subject", "person_name", "person_position", "description",
                 "t-0-criterion", "t-0-baseline", "t-0-target", "t-0-unit_of_measure"]
CSV_HEAD = "Mã,Tên mô hình\n".encode()


@pytest.fixture
def cases(unit, user, phase26, levels, at_state, recognised, proposal, kinds, settings,
          tmp_path):
    """name → a function making its Case (the objects made only for the forms fuzzed)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    from dvk.initiatives.enums import State
    from dvk.phases.models import SteeringCommittee

    def register():
        return Case("dinhhoa.vanthu", reverse("initiatives:register"),
                    register_post(unit("KG-GQ-02-PN").pk, phase26, levels[0]),
                    TEXT_REGISTER + ["exceptional_reason", "replicates"],
                    ["year", "start_year", "unit", "field", "level", "phase", "t-TOTAL_FORMS"])

    def edit():
        reg = at_state(State.DRAFT)
        data = register_post(reg.unit_id, phase26, levels[0], version=reg.version)
        return Case("dinhhoa.vanthu", reverse("initiatives:edit", args=[reg.pk]), data,
                    TEXT_REGISTER, ["version", "start_year", "field"], hidden=("version",))

    def report():
        reg = at_state(State.ACCEPTED)
        t = reg.targets.get()
        return Case("dinhhoa.vanthu", reverse("initiatives:report", args=[reg.pk]),
                    {"narrative": "Đã vận động 130 hộ.", "certifier_name": "Lê Văn C",
                     "certifier_position": "Bí thư Đảng ủy xã", "certified_on": "2026-10-01",
                     f"result_{t.pk}": "130"},
                    ["narrative", "certifier_name", "certifier_position", f"result_{t.pk}",
                     "certified_on"])

    def decide():
        reg = at_state(State.APPRAISED)
        return Case("dinhhoa.thuky", reverse("initiatives:decide", args=[reg.pk]),
                    {"recognized": "1", "decision_number": "9-QĐ/BCĐ",
                     "decision_date": "2026-10-12", "signer": "Bí thư"},
                    ["decision_number", "signer", "decision_date"], form=DecisionForm)

    from dvk.initiatives.forms import AttachmentForm, DecisionForm, ReturnForm

    def return_():
        reg = at_state(State.SUBMITTED)
        return Case("dinhhoa.thuky", reverse("initiatives:return", args=[reg.pk]),
                    {"comment": "Bổ sung chỉ tiêu."}, ["comment"], form=ReturnForm,
                    names=("nội dung đơn vị cần bổ sung",))

    def upload():
        reg = at_state(State.DRAFT)
        return Case("dinhhoa.vanthu", reverse("initiatives:upload", args=[reg.pk]), {},
                    files={"file": ("anh.png", PNG)}, form=AttachmentForm)

    def proposal_create():
        return Case("dinhhoa.thuky", reverse("awards:proposal_create"),
                    {"phase": "2026-2030", "year": "2026", "occasion": "commemoration",
                     "authority": "party_committee", "addressed_to": "Ban Thường vụ",
                     "number": "05-TTr/BCĐ", "date": "05/10/2026", "title": "Đề nghị",
                     "note": "Ghi chú"},
                    ["addressed_to", "number", "title", "note", "date", "occasion"], ["year"])

    from dvk.awards.forms import PersonForm

    def proposal_add():
        p = proposal()
        return Case("dinhhoa.thuky", reverse("awards:proposal_add", args=[p.pk]),
                    {"what": "person", "kind": str(kinds["giay-khen"].pk), "unit": "KG-GQ-02",
                     "person_name": "Lê Văn Tâm", "person_position": "Trưởng ấp",
                     "achievements": "Vận động", "amount": "150000"},
                    ["person_name", "person_position", "unit", "achievements", "what"],
                    ["amount", "kind"], form=PersonForm, hidden=("what",))

    def proposal_decide():
        from dvk.awards import services
        from tests.acting import acting
        from tests.awards.conftest import model

        sec = acting("dinhhoa.thuky")
        p = proposal()
        services.add_recipients(p, [model(recognised("Khéo vận động A"), kinds["giay-khen"])],
                                scope=sec)
        services.send_proposal(p, scope=sec)
        return Case("dinhhoa.thuky", reverse("awards:proposal_decide", args=[p.pk]),
                    {"number": "12-QĐ/ĐU", "date": "10/10/2026", "signer": "Bí thư",
                     "issued_by": "Đảng ủy", "items": [str(p.items.get().pk)]},
                    ["number", "signer", "issued_by", "date"],
                    ["amount_per_recipient", "stated_total", "items"], hidden=("items",))

    def training():
        return Case("gq.thuky", reverse("activities:training_new"),
                    {"phase": "2026-2030", "unit": str(unit("KG-GQ").pk), "date": "12/03/2026",
                     "name": "Tập huấn", "audience": "Cán bộ xã", "attendances": "85",
                     "place": "Hội trường"},
                    ["name", "audience", "place", "date"], ["attendances", "unit"],
                    files={"materials": ("tai-lieu.pdf", b"%PDF-1.4 test")})

    def round_():
        return Case("gq.thuky", reverse("activities:round_new"),
                    {"phase": "2026-2030", "unit": str(unit("KG-GQ").pk), "code": "KT-GQ-26",
                     "form": "inspection", "title": "Kiểm tra", "decision_number": "12-QĐ/BCĐ",
                     "start_date": "01/06/2026", "end_date": "30/06/2026", "team": "Lan"},
                    ["code", "title", "decision_number", "team", "start_date"], ["unit"])

    def entry():
        return Case("gq.thuky", reverse("activities:entry_new"),
                    {"phase": "2026-2030", "unit": str(unit("KG-GQ").pk), "title": "Bài báo",
                     "author": "Nguyễn Văn Báo", "outlet": "Đài PT-TH", "genre": "television",
                     "year": "2026", "provincial_prize": "B"},
                    ["title", "author", "outlet", "model_code", "provincial_prize"], ["year"])

    def review():
        return Case("gq.thuky", reverse("activities:review_new"),
                    {"phase": "2026-2030", "unit": str(unit("KG-GQ-02").pk), "kind": "interim",
                     "planned_date": "10/10/2028", "held_on": "12/10/2028",
                     "held_as": "conference"},
                    ["planned_date", "held_as"], ["unit"],
                    files={"report": ("bao-cao.pdf", b"%PDF-1.4 test")})

    def budget():
        return Case("gq.thuky", reverse("activities:budget_new"),
                    {"phase": "2026-2030", "unit": str(unit("KG-GQ").pk), "kind": "allocation",
                     "date": "10/03/2026", "amount": "5000000", "purpose": "Khen thưởng",
                     "document_ref": "12-QĐ"},
                    ["purpose", "document_ref", "kind"], ["amount"])

    def committee_edit():
        com = SteeringCommittee.objects.get(unit__code="KG-GQ", phase__code="2021-2025")
        return Case("gq.thuky", reverse("phases:committee_edit", args=[com.pk]),
                    {"name": com.name, "decision_number": "99-QĐ/HU",
                     "decision_date": "05/03/2021", "decision_signer": "Bí thư",
                     "standing_agency": com.standing_agency},
                    ["name", "decision_number", "decision_signer", "standing_agency",
                     "decision_date"])

    def committee_member():
        com = SteeringCommittee.objects.get(unit__code="KG-GQ", phase__code="2021-2025")
        return Case("gq.thuky", reverse("phases:committee_member_add", args=[com.pk]),
                    {"full_name": "Đỗ Văn Mới", "position": "Chủ tịch", "role": "member"},
                    ["full_name", "position", "role"])

    def annual_send():
        return Case("gq.thuky", reverse("annual:send"),
                    {"phase": "2026-2030", "year": "2026", "note": "Báo cáo năm"},
                    ["note", "phase"], ["year"])

    def import_registrations():
        return Case("gq.thuky", reverse("imports:import"), {"phase": "2016-2020"}, ["phase"],
                    files={"file": ("mau-2.csv", CSV_HEAD)})

    def import_activities():
        return Case("gq.thuky", reverse("activity_imports:import"),
                    {"phase": "2026-2030", "kind": "training"}, ["phase", "kind"],
                    files={"file": ("tap-huan.csv", CSV_HEAD)})

    def import_structure():
        return Case("quantri", reverse("structure:upload"), {},
                    files={"file": ("co-cau.csv", CSV_HEAD)})

    def import_users():
        return Case("quantri", reverse("user_imports:upload"), {},
                    files={"file": ("tai-khoan.csv", CSV_HEAD)})

    # --- the forms added second: appraisal, accounts, phases, profiles, follow-up… ------

    def _appraisal():
        from dvk.initiatives import services as isvc
        from dvk.phases.models import AppraisalTeam
        from tests.acting import acting

        reg = at_state(State.REPORTED)
        team = AppraisalTeam.objects.get(committee__unit__code="KG-GQ-02",
                                         committee__phase=reg.phase)
        return isvc.assign_appraisal(reg, scope=acting("dinhhoa.thuky"), team=team,
                                     appraiser=user("dinhhoa.thamdinh"))

    def appraisal():
        appr = _appraisal()
        return Case("dinhhoa.thamdinh", reverse("initiatives:appraisal", args=[appr.pk]),
                    {"version": str(appr.version), "comments": "Hiệu quả rõ.",
                     "site_visit_date": "2026-10-05", "conclusion": "recommend",
                     "effectiveness": "8", "replicability": "7", "participation": "9",
                     "creativity": "6", "difficulty": "7"},
                    ["comments", "site_visit_date", "conclusion"],
                    ["version", "effectiveness", "creativity"], hidden=("version",))

    def conflict():
        appr = _appraisal()
        return Case("dinhhoa.thamdinh", reverse("initiatives:conflict", args=[appr.pk]),
                    {"reason": "Người nhà làm chủ nhiệm."}, ["reason"], form=ConflictForm,
                    names=("xung đột lợi ích",))

    def assign():
        from tests.security.test_permission_matrix import assign_body

        reg = at_state(State.REPORTED)
        return Case("dinhhoa.thuky", reverse("initiatives:assign", args=[reg.pk]),
                    {k: str(v) for k, v in assign_body(reg).items()}, [],
                    ["team", "appraiser"], form=AssignFormI)

    def withdraw():
        reg = at_state(State.DRAFT)
        return Case("dinhhoa.vanthu", reverse("initiatives:withdraw", args=[reg.pk]),
                    {"comment": "Đơn vị rút hồ sơ."}, ["comment"], form=CommentForm)

    def approve_exceptional():
        reg = at_state(State.SUBMITTED, exceptional=True,
                       exceptional_reason="Mô hình mới phát sinh.")
        return Case("dinhhoa.thuky", reverse("initiatives:approve_exceptional", args=[reg.pk]),
                    {"approve": "1", "comment": "Đồng ý đặc cách."}, ["comment", "approve"],
                    names=("đặc cách",))

    def bulk_decide():
        reg = at_state(State.APPRAISED)
        return Case("dinhhoa.thuky", reverse("initiatives:bulk"),
                    {"action": "decide", "ids": [str(reg.pk)], "recognized": "1",
                     "decision_number": "9-QĐ/BCĐ", "decision_date": "2026-10-12",
                     "signer": "Bí thư"},
                    ["decision_number", "signer", "decision_date", "action"], ["ids"],
                    form=DecisionForm, hidden=("ids", "action"))

    def rule_conflict():
        from dvk.initiatives import services as isvc
        from tests.acting import acting

        appr = _appraisal()
        isvc.declare_conflict(appr, scope=acting("dinhhoa.thamdinh"), reason="Người nhà.")
        return Case("dinhhoa.thuky", reverse("initiatives:rule_conflict", args=[appr.pk]),
                    {"accept": "1"}, ["accept"], hidden=("accept",))

    def password_change():
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        u = user("gq.thuky")
        u.set_password("Mật khẩu cũ 2026!")
        u.save()
        return Case("gq.thuky", reverse("password_change"),
                    {"old_password": "Mật khẩu cũ 2026!", "new_password1": "Khéo vận động 2027!",
                     "new_password2": "Khéo vận động 2027!"},
                    ["old_password", "new_password1"], twins={"new_password1": "new_password2"})

    def login():
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        u = user("gq.thuky")
        u.set_password("Mật khẩu cũ 2026!")
        u.save()
        return Case(None, reverse("login"),
                    {"username": "gq.thuky", "password": "Mật khẩu cũ 2026!"},
                    ["username", "password"], names=("tên đăng nhập", "mật khẩu"))

    def password_reset():
        u = user("gq.thuky")
        u.email = "gq.thuky@example.vn"
        u.save()
        return Case(None, reverse("password_reset"), {"email": "gq.thuky@example.vn"},
                    ["email"])

    def password_set():
        from django.contrib.auth.tokens import default_token_generator
        from django.utils.encoding import force_bytes
        from django.utils.http import urlsafe_base64_encode

        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        u = user("gq.thuky")
        uid = urlsafe_base64_encode(force_bytes(u.pk))
        link = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(u)])

        def open_link(client):
            assert client.get(link).status_code == 302  # the token moves to the session
        return Case(None, reverse("password_reset_confirm", args=[uid, "set-password"]),
                    {"new_password1": "Khéo vận động 2027!",
                     "new_password2": "Khéo vận động 2027!"},
                    ["new_password1"], twins={"new_password1": "new_password2"},
                    prepare=open_link)

    def token():
        from dvk.orgs.models import Membership

        m = Membership.objects.filter(user__username="gq.thuky").order_by("pk").first()
        return Case("gq.thuky", reverse("api_tokens:list"),
                    {"name": "Thống kê hằng tháng", "membership": str(m.pk), "expires": "30"},
                    ["name", "membership", "expires"])

    def phase_edit():
        return Case("tinh.thuky", reverse("phases:edit", args=["2026-2030"]),
                    {"registration_deadline": "30/06", "report_deadline": "30/09",
                     "commemoration_day": "11/06", "up_report_deadline": "15/10",
                     "interim_review_date": "15/06/2028", "final_review_date": "15/06/2030",
                     "promotion_rule": phase26.promotion_rule},
                    ["registration_deadline", "report_deadline", "commemoration_day",
                     "up_report_deadline", "interim_review_date", "final_review_date",
                     "promotion_rule"])

    def phase_create():
        return Case("quantri", reverse("phases:create"),
                    {"code": "2031-2035", "name": "Giai đoạn 2031-2035",
                     "levels": "Cơ sở\nHuyện\nTỉnh", "registration_deadline": "30/06",
                     "report_deadline": "30/09", "commemoration_day": "11/06",
                     "up_report_deadline": "15/10", "interim_review_date": "",
                     "final_review_date": "", "promotion_rule": phase26.promotion_rule},
                    ["code", "name", "levels", "registration_deadline", "commemoration_day",
                     "interim_review_date", "promotion_rule"])

    def profile():
        return Case("quantri", reverse("profiles:new", args=["party-decision"]),
                    {"save": "1", "valid_from": "01/01/2027", "unit": "", "note": "Hướng dẫn",
                     "national_title": "ĐẢNG CỘNG SẢN VIỆT NAM", "motto": "",
                     "parent_body": "", "issuing_body": "", "place": "",
                     "number_pattern": "{number}-QĐ/BCĐ", "number_template": "Số {number}",
                     "doc_type": "QUYẾT ĐỊNH", "signature_on_behalf": "T/M BAN CHỈ ĐẠO",
                     "signature_title": "TRƯỞNG BAN", "signer_name": "Nguyễn Văn A",
                     "recipients": "Như trên\nLưu", "body_names": "01/01/2027 | Ban Chỉ đạo"},
                    ["valid_from", "unit", "note", "national_title", "motto", "parent_body",
                     "issuing_body", "place", "number_pattern", "number_template", "doc_type",
                     "signature_on_behalf", "signature_title", "signer_name", "recipients",
                     "body_names"])

    def _followed():
        reg = at_state(State.ACCEPTED)
        from dvk.activities.services import follow_up_members

        return reg, follow_up_members(reg).first()

    def followup_assign():
        reg, member = _followed()
        return Case("dinhhoa.thuky", reverse("activities:followup_assign", args=[reg.pk]),
                    {"member": str(member.pk), "note": "Theo dõi hằng quý."}, ["note"],
                    ["member"], form=FollowUpAssignForm)

    def followup_visit():
        reg, member = _followed()
        return Case("dinhhoa.thuky", reverse("activities:followup_visit_new", args=[reg.pk]),
                    {"date": "05/11/2026", "member": str(member.pk), "visitor": "",
                     "on_site": "on", "findings": "Duy trì tốt.", "guidance": "Nhân rộng.",
                     "next_step": "Quý sau."},
                    ["date", "visitor", "findings", "guidance", "next_step"], ["member"],
                    hidden=("on_site",), related={"member": ("visitor",)})

    def inspection_visit():
        from dvk.activities.models import InspectionRound

        rnd = InspectionRound.objects.create(
            phase=phase26, unit=unit("KG-GQ"), code="KT-GQ-FZ", form="inspection",
            title="Kiểm tra", start_date=dt.date(2026, 6, 1), end_date=dt.date(2026, 6, 30))
        return Case("gq.thuky", reverse("activities:visit_new", args=[rnd.pk]),
                    {"unit": str(unit("KG-GQ-02").pk), "date": "05/06/2026",
                     "findings": "Tốt.", "recommendations": "Duy trì.", "status": "open",
                     "closed_on": ""},
                    ["date", "findings", "recommendations", "status", "closed_on"], ["unit"])

    def directive():
        return Case("gq.thuky", reverse("directives:new") + "?phase=2026-2030",
                    {"phase": "2026-2030", "kind": "plan", "number": "02-KH/BCĐ",
                     "issued_on": "05/03/2026", "signer": "Bí thư", "title": "Kế hoạch"},
                    ["kind", "number", "issued_on", "signer", "title"],
                    files={"file": ("ke-hoach.pdf", b"%PDF-1.4 test")})

    def areas():
        com = SteeringCommittee.objects.get(unit__code="KG-GQ", phase__code="2026-2030")
        return Case("gq.thuky", reverse("directives:areas", args=[com.pk]),
                    {"member": str(com.members.order_by("pk").first().pk),
                     "units": ["KG-GQ-02"]}, ["units"], ["member"])

    def annual_return():
        from django.utils import timezone

        from dvk.reminders.models import AnnualReport

        rep = AnnualReport.objects.create(unit=unit("KG-GQ-02"), phase=phase26, year=2026,
                                          figures={}, sent_at=timezone.now())
        return Case("gq.thuky", reverse("annual:return", args=[rep.pk]),
                    {"reason": "Bổ sung số liệu."}, ["reason"], names=("lý do",))

    def proposal_add_unit():
        p = proposal()
        return Case("dinhhoa.thuky", reverse("awards:proposal_add", args=[p.pk]),
                    {"what": "unit", "kind": str(kinds["giay-khen"].pk), "unit": "KG-GQ-02",
                     "achievements": "Vận động", "amount": "150000"},
                    ["unit", "achievements", "what"], ["amount", "kind"], form=UnitForm,
                    hidden=("what",))

    def proposal_add_models():
        p = proposal()
        reg = recognised("Khéo vận động A")
        return Case("dinhhoa.thuky", reverse("awards:proposal_add", args=[p.pk]),
                    {"what": "models", "kind": str(kinds["giay-khen"].pk), "amount": "100000",
                     "exceptional_reason": "", "ids": [str(reg.pk)]},
                    ["what", "exceptional_reason"], ["kind", "amount", "ids"], form=ModelsForm,
                    hidden=("ids", "what"))

    def gallery_publish():
        from dvk.initiatives import services as isvc
        from tests.acting import acting

        reg = recognised("Khéo vận động B")
        att = isvc.add_attachment(scope=acting("dinhhoa.vanthu"), registration=reg,
                                  uploaded_file=SimpleUploadedFile("anh.png", PNG))
        return Case("dinhhoa.thuky", reverse("gallery:publish", args=[att.pk]),
                    {"publish": "1"}, ["publish"], hidden=("publish",))

    from dvk.activities.forms import AssignForm as FollowUpAssignForm
    from dvk.awards.forms import ModelsForm, UnitForm
    from dvk.initiatives.forms import AssignForm as AssignFormI, CommentForm, ConflictForm

    return {"appraisal": appraisal, "conflict": conflict, "assign": assign,
            "withdraw": withdraw, "approve_exceptional": approve_exceptional,
            "bulk_decide": bulk_decide, "rule_conflict": rule_conflict,
            "login": login, "password_change": password_change, "password_reset": password_reset,
            "password_set": password_set, "token": token, "phase_edit": phase_edit,
            "phase_create": phase_create, "profile": profile,
            "followup_assign": followup_assign, "followup_visit": followup_visit,
            "inspection_visit": inspection_visit, "directive": directive, "areas": areas,
            "annual_return": annual_return, "proposal_add_unit": proposal_add_unit,
            "proposal_add_models": proposal_add_models, "gallery_publish": gallery_publish,
            "register": register, "edit": edit, "report": report, "decide": decide,
            "return": return_, "upload": upload, "proposal_create": proposal_create,
            "proposal_add": proposal_add, "proposal_decide": proposal_decide,
            "training": training, "round": round_, "entry": entry, "review": review,
            "budget": budget, "committee_edit": committee_edit,
            "committee_member": committee_member, "annual_send": annual_send,
            "import_registrations": import_registrations,
            "import_activities": import_activities, "import_structure": import_structure,
            "import_users": import_users}


FORM_NAMES = ["register", "edit", "report", "decide", "return", "upload", "proposal_create",
              "proposal_add", "proposal_decide", "training", "round", "entry", "review",
              "budget", "committee_edit", "committee_member", "annual_send",
              "import_registrations", "import_activities", "import_structure", "import_users",
              "appraisal", "conflict", "assign", "withdraw", "approve_exceptional",
              "bulk_decide", "rule_conflict", "login", "password_change", "password_reset",
              "password_set", "token", "phase_edit", "phase_create", "profile",
              "followup_assign", "followup_visit", "inspection_visit", "directive", "areas",
              "annual_return", "proposal_add_unit", "proposal_add_models", "gallery_publish"]

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


def _client(client_as, case: Case):
    from django.test import Client

    client = client_as(case.user) if case.user else Client()
    client.raise_request_exception = False
    if case.prepare:
        case.prepare(client)
    return client


@pytest.mark.parametrize("form", FORM_NAMES)
def test_fuzz_form(form, cases, client_as):
    case = cases[form]()
    client = _client(client_as, case)
    # The valid body itself is accepted (so the fuzzed field is what a refusal is about).
    client.cookies.pop("messages", None)
    with transaction.atomic():
        ok = client.post(case.url, {**case.data, **{
            k: SimpleUploadedFile(n, c) for k, (n, c) in case.files.items()}}, **VI)
        transaction.set_rollback(True)
    assert ok.status_code < 400 and not _refused(ok), (
        form, ok.status_code, [dict(f.errors) for f in _forms(ok)], _messages(ok))

    @settings(max_examples=soak_examples(EXAMPLES))
    @given(data=st.data())
    def fuzz(data):
        _run(client, case, data)

    fuzz()


@pytest.mark.parametrize("form, key, value", [
    ("register", "title", "T" * 501), ("register", "subject", "S" * 300),
    ("register", "title", "Khéo\x00 vận động"), ("register", "year", "9" * 5000),
    ("register", "start_year", str(2**63)), ("decide", "decision_number", "9" * 100_000),
    ("proposal_create", "number", "N" * 65), ("proposal_add", "amount", str(2**70)),
    ("budget", "amount", str(2**70)), ("training", "attendances", str(2**70)),
    ("committee_member", "full_name", "Đ" * 300),
])
def test_the_values_that_broke_forms(form, key, value, cases, client_as):
    case = cases[form]()
    client = client_as(case.user)
    client.raise_request_exception = False
    _post(client, case, key, value)


def test_a_level_name_longer_than_its_column(cases, client_as):
    """A new phase with a level of 65 characters (the column holds 64) was a server error on
    PostgreSQL: refused now, next to the levels field, on both databases."""
    case = cases["phase_create"]()
    client = _client(client_as, case)

    def refused(r, written):
        assert r.status_code == 200 and not written
        errors = " ".join(_forms(r)[0].errors.get("levels", []))
        assert "64 ký tự" in errors and "TTTT" in errors, errors

    _post(client, case, "levels", "Cơ sở\n" + "T" * 65 + "\nTỉnh", inside=refused)


def test_a_username_longer_than_any_account(cases, client_as):
    """A sign-in with a 256-character username was a server error on PostgreSQL (the
    lockout's record of the attempt holds 255; Django's form only sets the widget's
    maxlength): refused next to the username, without trying the password."""
    case = cases["login"]()
    client = _client(client_as, case)

    def refused(r, written):
        assert r.status_code == 200 and not written
        errors = " ".join(_forms(r)[0].errors.get("username", []))
        assert "150" in errors and VIETNAMESE.search(errors), dict(_forms(r)[0].errors)

    _post(client, case, "username", "u" * 256, inside=refused)


def test_a_decision_number_too_long_to_number_the_certificates(cases, client_as):
    """A decision number of 60 characters (the form takes 64) numbers the certificates
    "<number>/0001", 65 characters in a 64-character column: a server error on PostgreSQL.
    Refused now, with a message naming the decision number; nothing written."""
    case = cases["decide"]()
    client = _client(client_as, case)

    def refused(r, written):
        assert r.status_code == 302 and not written, r.status_code
        said = " ".join(_messages(r))
        assert "Số quyết định" in said and "64" in said, said

    _post(client, case, "decision_number", "0" * 60, inside=refused)


@pytest.mark.parametrize("letter", ["d", "ộ"])
@pytest.mark.parametrize("form", ["import_registrations", "import_activities", "upload",
                                  "training", "review"])
def test_a_255_character_upload_name(form, letter, cases, client_as):
    """An upload named with 255 characters (Django keeps at most 255) overflowed the import
    job's title, and an activity's file kept under its own name was longer than a file
    system's 255 bytes in Vietnamese: accepted now, the title and the stored name shortened."""
    from dvk.common.models import BackgroundJob

    case = cases[form]()
    client = client_as(case.user)
    client.raise_request_exception = False
    key = next(iter(case.files))
    ext = case.files[key][0].rsplit(".", 1)[1]

    def accepted(r, written):
        assert r.status_code == 302 and written, (r.status_code, _messages(r))
        assert all(len(t) <= 255 for t in BackgroundJob.objects.values_list("title", flat=True))

    _post(client, case, key, None, name=letter * (254 - len(ext)) + "." + ext, inside=accepted)
