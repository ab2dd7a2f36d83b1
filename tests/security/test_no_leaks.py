"""No endpoint leaks across units.

Every URL pattern of the site and every route of the API is requested by users of
Gò Quao (district secretariat, commune clerk, appraiser) with the ids of objects that
belong to Rạch Giá, a sibling district: each must answer 403, 404 or 405, never data.
Pages without object ids (lists, searches, dashboards, exports) are requested with a
search for a marker planted only in Rạch Giá, and must not show it.

A new URL keyword that this test does not know fails the test: give it an object here.
"""
import datetime as dt
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

MARKER = "Zqxleakmarker"
SEARCH = "zqxleak"  # a prefix: pages may echo the query, but never the full marker
GQ_USERS = ["gq.thuky", "dinhhoa.vanthu", "gq.thamdinh"]
SKIP_PREFIXES = ("admin/", "i18n/", "static/", "media/", "api/")
DENIED = {403, 404, 405}
# URL keywords that are parameters, not objects.
PARAMETERS = {"fmt": "docx", "format": "xlsx", "year": "2026", "state": "submitted",
              "kind": "summary_json", "code": "party-decision", "uidb64": "MQ",
              "token": "abc-123", "role": "clerk"}
# Pages open to anonymous visitors: signing in, and asking for / using a password link.
PUBLIC_ACCOUNTS = ("dang-nhap/", "tai-khoan/quen-mat-khau/", "tai-khoan/quen-mat-khau/da-gui/",
                   "tai-khoan/dat-mat-khau/<uidb64>/<token>/", "tai-khoan/dat-mat-khau/xong/")
# Open to anonymous visitors: the help and the public gallery of recognised models. The
# gallery shows every unit's recognised models by design (their public fields), never the
# rest: test_public_pages_show_no_unrecognised_model.
PUBLIC = ("huong-dan/", "huong-dan/<slug:role>/", "mo-hinh-tieu-bieu/")
PUBLIC_NAMES = {"help", "help_role", "gallery:index"}
OBJECT_KWARGS = lambda route: [k for k in re.findall(r"<(?:\w+:)?(\w+)>", route)
                               if k not in PARAMETERS]


def walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def _first(model_label, **filters):
    from django.apps import apps

    return apps.get_model(model_label).objects.filter(**filters).order_by("pk").first()


@pytest.fixture
def foreign(db, user):
    """Objects of Rạch Giá (KG-RG), one per URL keyword, plus the planted marker."""
    from django.apps import apps

    from dvk.awards.models import Award, AwardKind
    from dvk.common.models import BackgroundJob
    from dvk.initiatives.enums import State
    from dvk.initiatives.models import Decision, Field, Initiative, Registration
    from dvk.orgs.models import Unit
    from dvk.phases.models import Phase

    rg_unit = Unit.objects.get(code="KG-RG-01-PN")
    phase = Phase.objects.get(code="2026-2030")
    level = phase.ordered_levels().first()
    ini = Initiative.objects.create(title=f"Khéo vận động {MARKER}", unit=rg_unit,
                                    sector=rg_unit.sector, field=Field.objects.first(),
                                    subject=f"Chi hội {MARKER}")
    reg = Registration.objects.create(initiative=ini, phase=phase, level=level, year=2026,
                                      unit=rg_unit, sector=rg_unit.sector, field=ini.field,
                                      state=State.APPRAISED)
    decision = Decision.objects.create(unit=Unit.objects.get(code="KG-RG"), phase=phase,
                                       level=level, number=f"1-QĐ/{MARKER}",
                                       date=dt.date(2026, 10, 12))
    award = Award.objects.create(kind=AwardKind.objects.first(), phase=phase, level=level,
                                 year=2026, registration=reg, unit=rg_unit,
                                 recipient_name=MARKER)
    proposal = _foreign_proposal(rg_unit, phase, level)
    job = BackgroundJob.objects.create(kind="export", title=MARKER,
                                       owner=user("rachgia.vanthu"), unit=rg_unit)
    committee = _first("phases.SteeringCommittee", unit__code="KG-RG")
    team = _first("phases.AppraisalTeam", committee__unit__code="KG-RG")
    ids = {
        "unit_code": rg_unit.code,
        "registration_id": reg.pk,
        "initiative_id": ini.pk,
        "decision_id": decision.pk,
        "award_id": award.pk,
        "proposal_id": proposal.pk,
        "job_id": job.pk,
        "committee_id": committee.pk,
        "team_id": team.pk,
        "member_id": _first("phases.CommitteeMember", committee=committee).pk,
        "phase_code": phase.code,
    }
    ids.update(_activities(phase, rg_unit))
    from dvk.reports.models import DocumentProfile

    ids["profile_id"] = DocumentProfile.objects.create(
        code="party-decision", version=1, valid_from=dt.date(2026, 1, 1), unit=rg_unit,
        overrides={"signer_name": MARKER}).pk
    ids.update(_follow_up(reg, committee))
    from dvk.reminders.models import Notification

    from django.utils import timezone

    from dvk.reminders.models import AnnualReport

    ids["report_id"] = AnnualReport.objects.create(
        unit=rg_unit, phase=phase, year=2026, note=MARKER, figures={"marker": MARKER},
        sent_at=timezone.now()).pk
    ids["notification_id"] = Notification.objects.create(
        user=user("rachgia.vanthu"), unit=rg_unit, kind="returned", object_key="x",
        text=f"Thông báo {MARKER}", url="/mo-hinh/").pk
    ids["token_id"] = _foreign_token(user("rachgia.vanthu"))
    ids["directive_id"] = _foreign_directive(_first("phases.SteeringCommittee",
                                                    unit__code="KG-RG", phase=phase))
    # Objects of models that other parts of the app add; created only when they exist.
    try:
        Appraisal = apps.get_model("initiatives", "Appraisal")
    except LookupError:
        Appraisal = None
    if Appraisal is not None:
        fields = {f.name for f in Appraisal._meta.get_fields()}
        kwargs = {"registration": reg}
        if "team" in fields:
            kwargs["team"] = team
        if "appraiser" in fields:
            kwargs["appraiser"] = user("rachgia.vanthu")
        ids["appraisal_id"] = Appraisal.objects.create(**kwargs).pk
    try:
        Attachment = apps.get_model("initiatives", "Attachment")
    except LookupError:
        Attachment = None
    if Attachment is not None:
        from django.core.files.base import ContentFile

        att = Attachment(registration=reg) if hasattr(Attachment, "registration") else \
            Attachment(initiative=ini)
        for name, value in (("original_name", "x.pdf"), ("content_type", "application/pdf"),
                            ("size", 5)):
            if hasattr(att, name):
                setattr(att, name, value)
        att.file.save("leak.pdf", ContentFile(b"%PDF-"), save=False)
        att.save()
        ids["attachment_id"] = att.pk
        # A gallery row pointing at the unrecognised model's file (written around the
        # service, which refuses it): the public photo route must still answer 404.
        from dvk.gallery.models import GalleryPhoto

        ids["photo_id"] = GalleryPhoto.objects.create(attachment=att, initiative=ini).pk
    return ids


def _foreign_directive(committee):
    """Rạch Giá's committee's plan, its title carrying the marker."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dvk.directives import services
    from dvk.orgs.scope import Scope

    return services.publish(
        scope=Scope.system("tests: a sibling district's directive"), committee=committee,
        kind="plan", number="07-KH/BCĐ", issued_on=dt.date(2026, 4, 20), signer=MARKER,
        title=f"Kế hoạch {MARKER}",
        uploaded_file=SimpleUploadedFile("kh.pdf", b"%PDF-1.4 " + MARKER.encode())).pk


def _foreign_token(owner):
    """Rạch Giá's clerk's personal API key, named with the marker."""
    from dvk.api import tokens
    from dvk.orgs.scope import scope_for

    scope = scope_for(owner)
    return tokens.create_token(scope, name=f"Khóa {MARKER}", membership=scope.membership)[0].pk


def _foreign_proposal(rg_unit, phase, level):
    """A decided award proposal of Rạch Giá, its recipients named with the marker."""
    from dvk.awards import services
    from dvk.awards.models import AwardKind
    from dvk.orgs.scope import Scope

    system = Scope.system("tests: a sibling district's awards")
    kind = AwardKind.objects.get(code="giay-khen")
    p = services.create_proposal(scope=system, phase=phase, year=2026, unit=rg_unit,
                                 level=level, title=f"Đề nghị {MARKER}", occasion="ad_hoc",
                                 date=dt.date(2026, 10, 1))
    services.add_recipients(p, [services.Recipient(kind=kind, recipient_type="person",
                                                   unit=rg_unit, person_name=MARKER),
                                services.Recipient(kind=kind, recipient_type="unit",
                                                   unit=rg_unit)], scope=system)
    services.send_proposal(p, scope=system)
    services.record_decision(p, scope=system, number=f"2-QĐ/{MARKER}", date=dt.date(2026, 10, 2))
    return p


def _activities(phase, rg_unit):
    """Rạch Giá's training class, round and visit, press entry and review, carrying the
    marker so that lists can be searched for it."""
    from django.core.files.base import ContentFile

    from dvk.activities.models import InspectionRound, InspectionVisit, PressEntry, Review, \
        TrainingClass

    training = TrainingClass(phase=phase, unit=rg_unit, date=dt.date(2026, 3, 2),
                             name=f"Lớp {MARKER}", audience=MARKER, attendances=10)
    training.materials.save("leak.pdf", ContentFile(b"%PDF-"), save=False)
    training.save()
    rnd = InspectionRound.objects.create(phase=phase, unit=rg_unit, code=f"KT-{MARKER}",
                                         title=MARKER, form="inspection",
                                         start_date=dt.date(2026, 5, 1))
    visit = InspectionVisit.objects.create(round=rnd, unit=rg_unit, date=dt.date(2026, 5, 2),
                                           findings=MARKER)
    entry = PressEntry.objects.create(phase=phase, unit=rg_unit, title=f"Tác phẩm {MARKER}",
                                      author=MARKER, genre="print", year=2026)
    review = Review(phase=phase, unit=rg_unit, kind="interim", note=MARKER,
                    held_on=dt.date(2028, 10, 1), held_as="conference")
    review.report.save("leak.pdf", ContentFile(b"%PDF-"), save=False)
    review.save()
    from dvk.activities.models import BudgetLine

    budget = BudgetLine.objects.create(phase=phase, unit=rg_unit, kind="spending",
                                       date=dt.date(2026, 4, 1), amount=1000, purpose=MARKER,
                                       document_ref=MARKER)
    return {"training_id": training.pk, "round_id": rnd.pk, "visit_id": visit.pk,
            "entry_id": entry.pk, "review_id": review.pk, "budget_id": budget.pk}


def _follow_up(reg, committee):
    """Rạch Giá's registration followed by a member of its district's committee, with a
    visit carrying the marker."""
    from dvk.activities.models import FollowUpAssignment, FollowUpVisit
    from dvk.phases.models import CommitteeMember

    member = CommitteeMember.objects.create(committee=committee, full_name=f"Ông {MARKER}")
    FollowUpAssignment.objects.create(registration=reg, member=member, note=MARKER)
    visit = FollowUpVisit.objects.create(registration=reg, date=dt.date(2026, 11, 2),
                                         member=member, visitor=MARKER, findings=MARKER,
                                         guidance=MARKER, next_step=MARKER)
    return {"followup_visit_id": visit.pk}


def _fill(route: str, ids: dict) -> str | None:
    """Turn a route like 'mo-hinh/<int:registration_id>/' into a path; None if a kwarg is unknown."""
    missing = []

    def sub(m):
        name = m.group(2)
        if name in PARAMETERS:
            return PARAMETERS[name]
        if name not in ids:
            missing.append(name)
            return "x"
        return str(ids[name])

    path = re.sub(r"<(?:(\w+):)?(\w+)>", sub, route)
    if missing:
        pytest.fail(f"URL {route!r} has keyword(s) {missing} unknown to the leak test: "
                    "add an object of another district for them in tests/security.")
    return "/" + path


def _site_routes():
    for route, pattern in walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES) or "(?P<" in route or route.startswith("^"):
            continue
        yield route, pattern


def test_every_object_url_refuses_another_districts_objects(client_as, foreign):
    checked = 0
    for username in GQ_USERS:
        client = client_as(username)
        for route, pattern in _site_routes():
            kwargs = OBJECT_KWARGS(route)
            if not kwargs or kwargs == ["phase_code"]:
                continue  # no scoped object in the URL: covered by the marker test
            path = _fill(route, foreign)
            get = client.get(path).status_code
            post = client.post(path, {}).status_code
            assert get in DENIED and post in DENIED and (get, post) != (405, 405), (
                f"{username} reached another district's object at {path}: GET {get}, POST {post}")
            checked += 1
    assert checked > 0


def test_pages_without_ids_never_show_another_districts_data(client_as, foreign):
    queries = ["", f"?q={SEARCH}", f"?q={SEARCH}&phase=2026-2030",
               "?phase=2026-2030&year=2026&format=csv",
               # objects named in the query string instead of the path
               "?unit=KG-RG&phase=2026-2030", "?unit=KG-RG-01-PN&phase=2026-2030&format=csv"]
    checked = 0
    for username in GQ_USERS:
        client = client_as(username)
        for route, pattern in _site_routes():
            kwargs = OBJECT_KWARGS(route)
            if kwargs and kwargs != ["phase_code"]:
                continue
            path = _fill(route, foreign)
            if route in ("dang-xuat/", "chon-vai-tro/"):
                continue
            for q in queries:
                resp = client.get(path + q)
                assert resp.status_code < 500, f"{path + q} failed with {resp.status_code}"
                body = b"".join(resp.streaming_content) if resp.streaming else resp.content
                assert MARKER.lower().encode() not in body.lower(), (
                    f"{username} saw another district's data at {path + q}")
                checked += 1
    assert checked > 0


def _api_schema():
    from dvk.api import routers  # noqa: F401
    from dvk.api.base import api

    return api.get_openapi_schema()


def _api_routes():
    for path, methods in _api_schema()["paths"].items():
        for method in methods:
            yield path, method.upper()


def _example(schema, components, depth=0):
    """A minimal instance of a JSON schema, so body validation passes and the route runs."""
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    for key in ("allOf", "anyOf", "oneOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"] or schema[key]
            return _example(options[0], components, depth + 1)
    kind = schema.get("type")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object" or "properties" in schema:
        return {name: _example(sub, components, depth + 1)
                for name, sub in schema.get("properties", {}).items()
                if name in schema.get("required", []) and depth < 5}
    if kind == "array":
        return []
    if kind == "integer":
        return 1
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return "2026-01-15"
    if schema.get("format") == "date-time":
        return "2026-01-15T08:00:00Z"
    return "x"


def _body(path, method):
    import json

    schema = _api_schema()
    op = schema["paths"][path][method.lower()]
    content = op.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return json.dumps(_example(content["application/json"]["schema"],
                               schema.get("components", {}).get("schemas", {})))


def _clients(client_as, user, username):
    """The user's session, and a personal API key for the same membership."""
    from django.test import Client

    from dvk.api import tokens
    from dvk.orgs.scope import scope_for

    scope = scope_for(user(username))
    raw = tokens.create_token(scope, name="kiểm tra", membership=scope.membership)[1]
    return [client_as(username), Client(HTTP_AUTHORIZATION=f"Bearer {raw}")]


def test_api_refuses_another_districts_objects(client_as, user, foreign):
    checked = 0
    for username in GQ_USERS:
        for client in _clients(client_as, user, username):
            for path, method in _api_routes():
                params = re.findall(r"{(\w+)}", path)
                if not params:
                    continue
                missing = [p for p in params if p not in foreign]
                assert not missing, f"API path {path}: params {missing} unknown to the leak test"
                url = re.sub(r"{(\w+)}", lambda m: str(foreign[m.group(1)]), path)
                resp = getattr(client, method.lower())(
                    url, data=_body(path, method) if method != "GET" else None,
                    content_type="application/json")
                assert resp.status_code in DENIED, (
                    f"{username}: {method} {url} answered {resp.status_code}")
                checked += 1
    # The unit routes exist from the start; more come with each domain.
    assert checked > 0


def test_api_lists_never_show_another_districts_data(client_as, user, foreign):
    for username in GQ_USERS:
        for client in _clients(client_as, user, username):
            for path, method in _api_routes():
                if method != "GET" or "{" in path:
                    continue
                for q in ("", f"?q={SEARCH}", "?phase=2026-2030"):
                    resp = client.get(path + q)
                    assert resp.status_code < 500, f"{path + q} failed: {resp.status_code}"
                    assert MARKER.lower().encode() not in resp.content.lower(), (
                        f"{username} saw another district's data at {path + q}")


def test_anonymous_gets_nothing(client, foreign):
    for route, pattern in _site_routes():
        if route in PUBLIC_ACCOUNTS:
            body = client.get(_fill(route, foreign)).content
            assert MARKER.lower().encode() not in body.lower(), route
            continue
        if route in PUBLIC:
            continue
        path = _fill(route, foreign)
        resp = client.get(path)
        assert resp.status_code in (302, 401, 403, 404, 405), f"anonymous reached {path}"
        if resp.status_code == 302:
            assert "/dang-nhap/" in resp["Location"]
    for path, method in _api_routes():
        url = re.sub(r"{(\w+)}", lambda m: str(foreign[m.group(1)]), path)
        resp = getattr(client, method.lower())(url)
        assert resp.status_code in (401, 403, 404, 405), f"anonymous reached API {url}"


# GET parameters each page without object ids reads (from its view code), keyed by URL
# name; values point at Rạch Giá's objects. A page not in this table fails the walker.
def _foreign_params(ids):
    from dvk.orgs.models import Unit

    rg = Unit.objects.get(code=ids["unit_code"])
    unit = {"unit": rg.code}
    filters = {"q": SEARCH, "phase": ids["phase_code"], "year": "2026", "state": "appraised",
               "level": str(ids["level_id"]), "field": str(ids["field_id"]),
               "sector": str(rg.sector_id or ""), "kind": "collective", **unit, "page": "1"}
    activity_filters = {"q": SEARCH, "phase": ids["phase_code"], "year": "2026", "page": "1"}
    return {
        "home": {"phase": ids["phase_code"]},
        "login": {"next": f"/don-vi/{rg.code}/"},
        "units:tree": {"q": SEARCH, "retired": "1", "page": "1"},
        "phases:list": {},
        "phases:detail": {},
        "phases:edit": {},
        "phases:committees": {"phase": ids["phase_code"], "page": "1"},
        "initiatives:registrations": filters,
        "initiatives:register": {"phase": ids["phase_code"], **unit},
        "initiatives:similar": {"title": SEARCH, "unit": str(rg.pk), "year": "2026"},
        "initiatives:replicate_search": {"replicate_q": SEARCH},
        "initiatives:queue": {**filters, "tab": "appraised"},
        "initiatives:queue_overdue": {"phase": ids["phase_code"], "year": "2026"},
        "imports:import": {},
        "structure:upload": {}, "phases:create": {}, "structure:confirm": {}, "structure:cancel": {},
        "structure:template": {},
        "user_imports:upload": {}, "user_imports:template": {}, "user_imports:confirm": {},
        "user_imports:cancel": {},
        "password_change": {}, "password_change_done": {}, "password_reset": {},
        "password_reset_done": {}, "password_reset_confirm": {}, "password_reset_complete": {},
        "audit:trail": {"user": "rachgia.vanthu", **unit, "since": "2020-01-01",
                        "until": "2030-12-31", "before": "999999"},
        "initiatives:bulk": {**filters, "tab": "appraised"},
        "initiatives:assigned": {"phase": ids["phase_code"]},
        "awards:list": {"phase": ids["phase_code"], "year": "2026", "occasion": "ad_hoc",
                        "recipient": "person", "kind": "1", **unit, "page": "1"},
        "awards:proposals": {"phase": ids["phase_code"], "state": "decided", "page": "1"},
        "awards:proposal_create": {},
        "profiles:list": {}, "profiles:new": {}, "profiles:sample": {"on": "12/10/2026"},
        "reports:index": {"phase": ids["phase_code"], **unit},
        "reports:dashboard": {"phase": ids["phase_code"], "year": "2026", "structure": "time",
                              **unit},
        "reports:dashboard_checks": {"phase": ids["phase_code"], "year": "2026", **unit},
        "reports:download": {"phase": ids["phase_code"], "year": "2026", "format": "xlsx",
                             **unit},
        "reports:export_registrations": {**filters, "format": "csv"},
        "reports:export_units": {"format": "csv", **unit},
        "reports:export_awards": {"format": "csv", "phase": ids["phase_code"], **unit},
        "activities:index": {"phase": ids["phase_code"]},
        **{f"activities:{key}s": {**activity_filters, **extra} for key, extra in (
            ("training", {}), ("round", {"form": "inspection"}), ("entry", {"genre": "print",
                                                                          "prize": "1"}),
            ("review", {"kind": "interim", "held_as": "conference"}),
            ("budget", {"kind": "spending"}))},
        **{f"activities:{key}_export": {**activity_filters, "fmt": fmt}
           for key, fmt in (("training", "csv"), ("round", "csv"), ("entry", "csv"),
                            ("review", "csv"), ("budget", "csv"))},
        **{f"activities:{key}_new": {"phase": ids["phase_code"], **unit}
           for key in ("training", "round", "entry", "review", "budget")},
        "reports:budget": {"phase": ids["phase_code"], "year": "2026", **unit},
        "activity_imports:import": {"kind": "press"},
        "activity_imports:template": {"kind": "inspections"},
        "help": {}, "help_role": {},
        "gallery:index": {"q": SEARCH, "year": "2026", "field": str(ids["field_id"]),
                          "level": "Cơ sở", "kind": "collective", **unit, "page": "1"},
        "gallery:manage": {},
        "reminders:notifications": {"unread": "1", "page": "1"},
        "reminders:lagging": {},
        "reminders:read_all": {},
        "annual:index": {"phase": ids["phase_code"], "year": "2026"},
        "annual:send": {},
        "annual:assembled": {"phase": ids["phase_code"], "year": "2026"},
        "annual:assembled_download": {"phase": ids["phase_code"], "year": "2026"},
        "api_tokens:list": {},
        "directives:index": {"phase": ids["phase_code"]},
        "directives:new": {"phase": ids["phase_code"], "responds_to": str(ids["directive_id"])},
    }


def _name(pattern, route):
    from django.urls import resolve

    match = resolve("/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: PARAMETERS.get(
        m.group(1), "2026-2030"), route))
    return match.view_name


def test_pages_with_their_own_query_parameters_never_show_another_districts_data(
        client_as, foreign):
    from dvk.initiatives.models import Registration
    from dvk.orgs.models import Unit

    reg = Registration.objects.get(pk=foreign["registration_id"])
    foreign.update(level_id=reg.level_id, field_id=reg.field_id)
    table = _foreign_params(foreign)
    rg_name = Unit.objects.get(code=foreign["unit_code"]).name
    checked, untabled = 0, []
    for username in GQ_USERS:
        client = client_as(username)
        for route, pattern in _site_routes():
            kwargs = OBJECT_KWARGS(route)
            if (kwargs and kwargs != ["phase_code"]) or route in ("dang-xuat/", "chon-vai-tro/"):
                continue
            name = _name(pattern, route)
            if name not in table:
                untabled.append(name)
                continue
            path = _fill(route, foreign)
            resp = client.get(path, table[name])
            assert resp.status_code < 500, f"{path} {table[name]} failed: {resp.status_code}"
            body = (b"".join(resp.streaming_content) if resp.streaming else resp.content).lower()
            # The public gallery names other units' recognised models (and so their units).
            secrets = (MARKER, f"1-QĐ/{MARKER}") if name in PUBLIC_NAMES else \
                (MARKER, rg_name, f"1-QĐ/{MARKER}")
            for secret in secrets:
                assert secret.lower().encode() not in body, (
                    f"{username} saw {secret!r} at {path} with {table[name]}")
            checked += 1
    assert not untabled, f"views missing from the leak walker's parameter table: {untabled}"
    print(f"leak walker (query parameters): {checked} cases")
    assert checked >= 3 * 20, f"only {checked} cases tried"


def test_posts_naming_another_districts_objects_change_nothing(client_as, user, foreign):
    """POST-able pages without ids in the URL, sent a body with Rạch Giá's ids: they refuse
    (403/404) or answer without changing anything or showing Rạch Giá."""
    from django.urls import reverse

    from dvk.initiatives.models import Registration
    from dvk.orgs.models import Membership, Unit

    reg = Registration.objects.get(pk=foreign["registration_id"])
    rg = Unit.objects.get(code=foreign["unit_code"])
    rg_membership = Membership.objects.filter(user=user("rachgia.vanthu")).first()
    def state():
        reg.refresh_from_db()
        return reg.state, Registration.objects.filter(unit__code__startswith="KG-RG").count()

    before = state()
    bodies = [
        ("switch_membership", {"membership": rg_membership.pk, "next": "/"}),
        ("initiatives:bulk", {"action": "accept", "ids": [reg.pk]}),
        ("initiatives:bulk", {"action": "return", "ids": [reg.pk], "comment": "x"}),
        ("initiatives:bulk", {"action": "decide", "ids": [reg.pk], "decision_number": "9-QĐ",
                              "decision_date": "12/10/2026", "recognized": "1"}),
        ("initiatives:register", {"unit": rg.pk, "phase": reg.phase_id, "level": reg.level_id,
                                  "year": 2026, "title": f"Mô hình {MARKER} 2",
                                  "field": reg.field_id, "kind": "collective"}),
    ]
    checked = 0
    for username in GQ_USERS:
        client = client_as(username)
        for name, body in bodies:
            resp = client.post(reverse(name), body)
            assert resp.status_code in (200, 302, 403, 404), (username, name, resp.status_code)
            home = client.get("/").content.decode()
            assert rg.name not in home and MARKER not in home, (username, name)
            assert state() == before, f"{username} changed Rạch Giá's data by POST to {name}"
            checked += 1
    print(f"leak walker (POST bodies): {checked} cases")
    assert checked == len(GQ_USERS) * len(bodies), f"only {checked} cases tried"


def test_public_pages_show_no_unrecognised_model(client, client_as, foreign):
    """The help and the public gallery, for anonymous visitors and for a clerk of the
    marker's own district: the appraised (not recognised) model is nowhere, and its page
    and photo are not found."""
    from dvk.initiatives.models import Registration

    reg = Registration.objects.get(pk=foreign["registration_id"])
    searches = ["", f"?q={SEARCH}", f"?unit={foreign['unit_code']}",
                f"?unit={foreign['unit_code']}&year=2026&level={reg.level.name}",
                f"?field={reg.field_id}&q=kheo"]
    for c in (client, client_as("rachgia.vanthu")):
        for path in ("/huong-dan/", "/huong-dan/clerk/", "/mo-hinh-tieu-bieu/"):
            for q in searches:
                resp = c.get(path + q)
                assert resp.status_code == 200, path + q
                assert MARKER.lower().encode() not in resp.content.lower(), path + q
        assert c.get(f"/mo-hinh-tieu-bieu/{foreign['initiative_id']}/").status_code == 404
        assert c.get(f"/mo-hinh-tieu-bieu/anh/{foreign['photo_id']}/").status_code == 404
