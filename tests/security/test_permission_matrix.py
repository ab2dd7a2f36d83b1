"""The permission matrix: every route of the site and of the API × every role × level ×
object inside / outside the acting unit's subtree, answered as the rule book says.

The routes come from the URL resolver and the API's OpenAPI schema; each must have an
entry in ROUTES naming the rule (or visibility) that decides it, so a new route without
one fails `test_every_route_names_its_rule`. For each case the expected answer is computed
from the rule book itself (`why_not`, `workflow.refusal`, `scope.contains`) and compared
with what the server did:

- leak: an object outside the subtree answered with anything but 404;
- escalation: a refused action that changed data, or a refused page that answered 2xx;
- false refusal: an allowed action or page answered 403/404 (screens and API disagree).

Each case runs in a savepoint that is rolled back, so every case starts from the same data.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from tests.acting import acting
from tests.initiatives.conftest import (TARGETS, at_state, dinhhoa_org, draft,  # noqa: F401
                                        field_econ, levels, new_initiative, phase26)

pytestmark = pytest.mark.django_db

ACTORS = ["quantri", "tinh.thuky", "tinh.lanhdao", "tinh.thamdinh", "gq.thuky", "gq.thamdinh",
          "dinhhoa.vanthu", "dinhhoa.thuky", "dinhhoa.thamdinh", "rachgia.vanthu",
          "gq.quantri", None]  # gq.quantri: a unit's system administrator; None: anonymous
SKIP_PREFIXES = ("admin/", "static/", "media/")  # the admin: tests/orgs/test_admin.py
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@dataclass(frozen=True)
class Route:
    """How to call a route and what the rule book says of it.

    `kind` names the object its URL takes (ids filled from the objects of that kind);
    `expect(scope, obj)` is the rule book's answer: None (allowed) or a Refusal."""
    method: str
    kind: str | None
    expect: Callable
    body: Callable | None = None
    json: bool = False
    public: bool = False  # open to anonymous visitors too


def _refusal(code, status):
    from dvk.common.rules import Refusal

    return Refusal(code, code, status)


OUT = _refusal("outside_scope", 404)


def unit_of(obj):
    from dvk.initiatives.models import Appraisal, Attachment
    from dvk.orgs.models import Unit
    from dvk.phases.models import CommitteeMember, SteeringCommittee

    if isinstance(obj, Unit):
        return obj
    if isinstance(obj, SteeringCommittee):
        return obj.unit
    if isinstance(obj, CommitteeMember):
        return obj.committee.unit
    if isinstance(obj, Appraisal):
        return obj.registration.unit
    if isinstance(obj, Attachment):
        return (obj.registration or obj.initiative).unit
    if isinstance(obj, tuple):  # (initiative, level)
        return obj[0].unit
    from dvk.awards.models import AwardDecision

    if isinstance(obj, AwardDecision):
        return obj.decision.unit
    if hasattr(obj, "round_id"):  # an inspection visit belongs to its round's host
        return obj.round.unit
    from dvk.activities.models import FollowUpVisit

    if isinstance(obj, FollowUpVisit):
        return obj.registration.unit
    return obj.unit


def signed_in(scope, obj=None):
    return None


def visible(scope, obj):
    if getattr(obj, "owner_id", None) is not None:  # a background job: its owner's only
        return None if obj.owner_id == scope.user.pk and scope.contains(obj.unit) else OUT
    return None if scope.contains(unit_of(obj)) else OUT


def named(rule):
    """The named rule, after the subtree (every view finds its object in scope first)."""
    def expect(scope, obj):
        return visible(scope, obj) or _why(rule, scope, obj)
    return expect


def into(state):
    """A workflow action: the one door's answer (state, then the rule book)."""
    from dvk.initiatives import workflow

    def expect(scope, reg):
        return visible(scope, reg) or workflow.refusal(reg, state, scope=scope)
    return expect


def into_rule(state):
    """The form of a workflow action (GET): the rule book's answer, whatever the state."""
    def expect(scope, reg):
        return visible(scope, reg) or _why(f"registration.to_{state.value}", scope, reg)
    return expect


def accept(scope, reg):
    """Accepting takes a submitted file; a report goes back with `return` and a comment."""
    from dvk.initiatives.enums import State

    if reg.state != State.SUBMITTED:
        return visible(scope, reg) or _refusal("state", 409)
    return into(State.ACCEPTED)(scope, reg)


def send_back(scope, reg):
    from dvk.initiatives.enums import State

    if reg.state == State.REPORTED:
        return named("registration.return_report")(scope, reg)
    return into(State.RETURNED)(scope, reg)


def promote(scope, reg):
    from dvk.initiatives import services

    refusal = named("registration.promote")(scope, reg)
    if refusal is None and not services.promotion_eligible(reg)[0]:
        return _refusal("not_eligible", 409)
    return refusal


def register(scope, obj):
    ini, level = obj
    return visible(scope, ini) or _why("registration.create", scope, ini, level.phase, level)


def bulk(scope, reg):
    """Several files at once: ids outside the subtree are left out, nothing is said of them."""
    if visible(scope, reg):
        return _refusal("ignored", 409)
    return _why("registration.queue", scope) or into(_st("accepted"))(scope, reg)


def _why(rule, scope, *args):
    from dvk.common.rules import why_not

    return why_not(rule, scope, *args)


def on_root(rule):
    """A page of the acting unit (no object in its URL): the rule on the scope."""
    def expect(scope, obj=None):
        return _why(rule, scope)
    return expect


def create_on_unit(scope, unit):
    return visible(scope, unit) or _why("initiative.create", scope, unit)


def register_page(scope, obj=None):
    return _why("initiative.create", scope, scope.root())


def api_edit_body(reg):
    return {"expected_version": reg.version, "title": reg.initiative.title}


def api_report_body(reg):
    return {"results": {str(t.pk): "1" for t in reg.targets.all()}, "narrative": "Đã làm.",
            "certifier_name": "Nguyễn Văn A", "certifier_position": "Bí thư",
            "certified_on": "2026-10-02"}


def api_decide_body(reg):
    return {"recognized": True, "decision_number": "9-QĐ/BCĐ", "decision_date": "2026-10-12"}


def api_register_body(obj):
    ini, level = obj
    return {"phase": level.phase.code, "level_id": level.pk, "year": 2026, "targets": TARGETS}


def api_initiative_body(unit):
    from dvk.initiatives.models import Field

    return {"unit": unit.code, "kind": "collective", "title": "Khéo vận động ma trận quyền",
            "field_id": Field.objects.order_by("pk").first().pk}


def assign_body(reg):
    from dvk.phases.models import AppraisalTeam

    # The team of the committee at the file's level above (or at) the file's unit.
    team = (AppraisalTeam.objects.filter(
        committee__phase=reg.phase, committee__level=reg.level,
        committee__unit_id__in=[*reg.unit.ancestor_ids(), reg.unit_id])
        .order_by("-committee__unit__path").first())
    if team is None:
        return {}
    member = team.members.order_by("pk").first()
    return {"team": team.pk, "appraiser": member.user_id if member else ""}


def decide_body(reg):
    return {"recognized": "1", "decision_number": "9-QĐ/BCĐ", "decision_date": "2026-10-12"}


def decide_one(scope, reg):
    """Who may decide first (403 whatever the state), then the one door (state, 409)."""
    return visible(scope, reg) or _why("registration.to_recognized", scope, reg) or \
        into(_st("recognized"))(scope, reg)


def proposal_create(scope, obj=None):
    """The API creates in the 2026–2030 phase, for the scope's own committee."""
    from dvk.phases.models import Phase

    return _why("proposal.create", scope, Phase.objects.get(code="2026-2030"))


def _kind_for(p):
    return "bang-khen" if p.authority == "peoples_committee" else "giay-khen"


def proposal_add_body(p):
    from dvk.awards.models import AwardKind

    return {"what": "unit", "kind": AwardKind.objects.get(code=_kind_for(p)).pk,
            "unit": p.unit.code}


def proposal_remove_body(p):
    item = p.items.order_by("pk").first()
    return {"item": item.pk if item else ""}


def _assignment(reg):
    from dvk.activities.models import FollowUpAssignment

    return FollowUpAssignment.objects.unscoped("tests: the rule's argument").filter(
        registration=reg).select_related("member").first()


def followup_log(scope, reg):
    return visible(scope, reg) or _why("followup.log", scope, reg, _assignment(reg))


def followup_log_visit(scope, visit):
    return visible(scope, visit) or followup_log(scope, visit.registration)


def followup_assign_body(reg):
    from dvk.activities.services import follow_up_members

    member = follow_up_members(reg).first()
    return {"member": member.pk if member else ""}


def public_model(scope, obj):
    """The public gallery: a model recognised at least once, for everyone (signed in or
    not, inside the subtree or not); anything else is not found."""
    from dvk.initiatives.queries import recognised_registrations

    ini_id = getattr(obj, "initiative_id", None) or obj.pk
    return None if recognised_registrations().filter(initiative_id=ini_id).exists() else \
        _refusal("not_public", 404)


def directive_visible(scope, d):
    """A directive is seen in its issuer's subtree and by the units below the issuer."""
    if scope.contains(d.unit) or (scope.unit is not None and
                                  scope.unit.path.startswith(d.unit.path)):
        return None
    return OUT


def _committee_of(scope, phase):
    from dvk.phases.rules import committee_of

    return committee_of(scope, phase)


def _directives(unit, phase):
    """A plan published by each of four committees: the province's, Gò Quao's, Định Hòa's
    and Rạch Giá's (outside Gò Quao)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dvk.directives import services
    from dvk.orgs.scope import Scope
    from dvk.phases.models import SteeringCommittee

    system = Scope.system("tests: every level's directives")
    out = []
    for i, code in enumerate(("KG", "KG-GQ", "KG-GQ-02", "KG-RG"), start=1):
        committee = SteeringCommittee.objects.get(unit=unit(code), phase=phase)
        out.append(services.publish(
            scope=system, committee=committee, kind="plan", number=f"9{i}-KH/BCĐ",
            issued_on=dt.date(2026, 4, 20), signer="Phó Trưởng Ban", title=f"Kế hoạch {code}",
            uploaded_file=SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 ke hoach")))
    return out


def _phase26():
    from dvk.phases.models import Phase

    return Phase.objects.get(code="2026-2030")


def _st(name):
    from dvk.initiatives.enums import State

    return State(name)


ACTIVITY_KEYS = ("training", "round", "entry", "review", "budget")
ROUTES: dict[str, Route] = {
    # --- the site ---------------------------------------------------------------------
    "home": Route("GET", None, signed_in),
    "login": Route("GET", None, signed_in, public=True),
    "logout": Route("POST", None, signed_in),
    "set_language": Route("POST", None, signed_in, public=True),
    "help": Route("GET", None, signed_in, public=True),
    "help_role": Route("GET", None, signed_in, public=True),
    "gallery:index": Route("GET", None, signed_in, public=True),
    "gallery:model": Route("GET", "public_initiative", public_model, public=True),
    "gallery:photo": Route("GET", "gallery_photo", public_model, public=True),
    "gallery:manage": Route("GET", None, on_root("gallery.publish")),
    "gallery:publish": Route("POST", "attachment", named("gallery.publish"),
                             body=lambda a: {"publish": "1"}),
    "switch_membership": Route("POST", "membership", lambda s, m: None if m.user_id == s.user.pk
                               else _refusal("not_yours", 409),  # ignored, nothing changes
                               body=lambda m: {"membership": m.pk}),
    "units:tree": Route("GET", None, signed_in),
    "units:children": Route("GET", "unit", visible),
    "units:detail": Route("GET", "unit", visible),
    "phases:list": Route("GET", None, signed_in),
    "phases:committees": Route("GET", None, signed_in),
    "phases:committee": Route("GET", "committee", visible),
    "phases:committee_edit": Route("GET", "committee", named("committee.edit")),
    "phases:committee_member_add": Route("POST", "committee", named("committee.edit")),
    "phases:committee_member_remove": Route("POST", "member",
                                            lambda s, m: named("committee.edit")(s, m.committee)
                                            if not visible(s, m) else OUT),
    "phases:detail": Route("GET", "phase", signed_in),
    "phases:create": Route("GET", None, on_root("phase.create")),
    "phases:edit": Route("GET", "phase", lambda s, p: _why("phase.edit", s, p)),
    "initiatives:registrations": Route("GET", None, signed_in),
    "initiatives:register": Route("GET", None, register_page),
    "initiatives:similar": Route("GET", None, signed_in),
    "initiatives:replicate_search": Route("GET", None, signed_in),
    "initiatives:registration": Route("GET", "reg", visible),
    "initiatives:edit": Route("GET", "reg", named("registration.edit")),
    "initiatives:submit": Route("POST", "reg", into(_st("submitted"))),
    "initiatives:withdraw": Route("POST", "reg", into(_st("withdrawn"))),
    "initiatives:report": Route("GET", "reg", into_rule(_st("reported"))),
    "initiatives:upload": Route("POST", "reg", named("attachment.add"),
                                body=lambda r: {"file": _png()}),
    "initiatives:accept": Route("POST", "reg", accept),
    "initiatives:return": Route("POST", "reg", send_back,
                                body=lambda r: {"comment": "Bổ sung chỉ tiêu."}),
    "initiatives:approve_exceptional": Route("POST", "reg",
                                             named("registration.approve_exceptional"),
                                             body=lambda r: {"approve": "1"}),
    "initiatives:assign": Route("POST", "reg", named("appraisal.assign"), body=assign_body),
    "initiatives:promote": Route("POST", "reg", promote),
    "initiatives:decide": Route("POST", "reg", decide_one, body=decide_body),
    "initiatives:decision": Route("GET", "decision", visible),
    "documents:decision_docx": Route("GET", "decision", visible),
    "documents:certificates": Route("GET", "decision", visible),
    "documents:form1": Route("GET", "reg", visible),
    "initiatives:initiative": Route("GET", "initiative", visible),
    "initiatives:attachment": Route("GET", "attachment", visible),
    "documents:form2": Route("GET", "unit", visible),
    "initiatives:queue": Route("GET", None, on_root("registration.queue")),
    "initiatives:queue_overdue": Route("GET", None, on_root("registration.queue")),
    "imports:import": Route("GET", None, on_root("registrations.import")),
    "structure:upload": Route("GET", None, on_root("structure.change")),
    "audit:trail": Route("GET", None, on_root("audit.read")),
    "audit:registration": Route("GET", "reg", visible),
    "audit:decision": Route("GET", "decision", visible),
    "audit:proposal": Route("GET", "proposal", visible),
    "structure:template": Route("GET", None, on_root("structure.change")),
    "structure:confirm": Route("POST", None, on_root("structure.change")),
    "structure:cancel": Route("POST", None, on_root("structure.change")),
    "user_imports:upload": Route("GET", None, on_root("users.import")),
    "user_imports:template": Route("GET", None, on_root("users.import")),
    "user_imports:confirm": Route("POST", None, on_root("users.import")),
    "user_imports:cancel": Route("POST", None, on_root("users.import")),
    "password_change": Route("GET", None, signed_in),
    "password_change_done": Route("GET", None, signed_in),
    # Open to anyone: asking for a link, and the one-time link itself (a forged one here).
    "password_reset": Route("GET", None, signed_in, public=True),
    "password_reset_done": Route("GET", None, signed_in, public=True),
    "password_reset_confirm": Route("GET", None, signed_in, public=True),
    "password_reset_complete": Route("GET", None, signed_in, public=True),
    "initiatives:bulk": Route("POST", "reg", bulk,
                              body=lambda r: {"action": "accept", "ids": [r.pk]}),
    "initiatives:assigned": Route("GET", None, on_root("appraisal.list")),
    "initiatives:appraisal": Route("GET", "appraisal", named("appraisal.record")),
    "initiatives:conflict": Route("POST", "appraisal", named("appraisal.record"),
                                  body=lambda a: {"reason": "Người nhà làm chủ nhiệm."}),
    "initiatives:rule_conflict": Route("POST", "appraisal", named("appraisal.rule_conflict"),
                                       body=lambda a: {"accept": "1"}),
    "documents:minutes": Route("GET", "appraisal", named("appraisal.view")),
    "awards:list": Route("GET", None, signed_in),
    "awards:proposals": Route("GET", None, signed_in),
    "awards:proposal_create": Route("GET", None, on_root("proposal.create")),
    "awards:proposal": Route("GET", "proposal", visible),
    "awards:proposal_add": Route("POST", "proposal", named("proposal.edit"),
                                 body=proposal_add_body),
    "awards:proposal_remove": Route("POST", "proposal", named("proposal.edit"),
                                    body=proposal_remove_body),
    "awards:proposal_send": Route("POST", "proposal", named("proposal.send")),
    "awards:proposal_decide": Route("GET", "proposal", named("proposal.decide")),
    "awards:decision": Route("GET", "award_decision", visible),
    "award_documents:decision": Route("GET", "award_decision", visible),
    "award_documents:proposal": Route("GET", "proposal", visible),
    "profiles:list": Route("GET", None, on_root("documents.profile.edit")),
    "profiles:new": Route("GET", None, on_root("documents.profile.edit")),
    "profiles:sample": Route("GET", None, on_root("documents.profile.edit")),
    "profiles:edit": Route("GET", "profile", lambda s, o: _why("documents.profile.edit", s)),
    "activities:index": Route("GET", None, signed_in),
    **{f"activities:{key}s": Route("GET", None, signed_in) for key in ACTIVITY_KEYS},
    **{f"activities:{key}_export": Route("GET", None, signed_in) for key in ACTIVITY_KEYS},
    **{f"activities:{key}_new": Route("GET", None, on_root("activities.record"))
       for key in ACTIVITY_KEYS},
    **{f"activities:{key}": Route("GET", key, visible) for key in ACTIVITY_KEYS},
    **{f"activities:{key}_edit": Route("GET", key, named("activities.record"))
       for key in ACTIVITY_KEYS},
    "activities:followup_assign": Route("POST", "followup_reg", named("followup.assign"),
                                        body=followup_assign_body),
    "activities:followup_visit_new": Route("GET", "followup_reg", followup_log),
    "activities:followup_visit_edit": Route("GET", "followup_visit", followup_log_visit),
    "reports:budget": Route("GET", None, on_root("reports.view")),
    "activities:training_file": Route("GET", "training", lambda s, t: visible(s, t) or (
        None if t.materials else _refusal("no_file", 404))),
    "activities:review_file": Route("GET", "review", lambda s, r: visible(s, r) or (
        None if r.report else _refusal("no_file", 404))),
    "activities:visit_new": Route("GET", "round", named("activities.record")),
    "activities:visit_edit": Route("GET", "visit", named("activities.record")),
    "activity_imports:import": Route("GET", None, on_root("activities.import")),
    "activity_imports:template": Route("GET", None, signed_in),
    "reports:index": Route("GET", None, on_root("reports.view")),
    "reports:dashboard": Route("GET", None, on_root("reports.view")),
    "reports:dashboard_checks": Route("GET", None, on_root("reports.view")),
    "reports:download": Route("GET", None, on_root("reports.view")),
    "reports:export_registrations": Route("GET", None, on_root("reports.view")),
    "reports:export_units": Route("GET", None, on_root("reports.view")),
    "reports:export_awards": Route("GET", None, on_root("reports.view")),
    "reports:job": Route("GET", "job", visible),
    "reminders:notifications": Route("GET", None, signed_in),
    "reminders:read": Route("POST", "notification", lambda s, n: None if (
        n.user_id == s.user.pk and s.contains(n.unit)) else OUT),
    "reminders:read_all": Route("POST", None, signed_in),
    "reminders:lagging": Route("GET", None, on_root("reminders.lagging")),
    "annual:index": Route("GET", None, on_root("reminders.lagging")),
    "annual:send": Route("POST", None, lambda s, o=None: _why("annual_report.send", s, _phase26()),
                         body=lambda o: {"phase": "2026-2030", "year": "2026", "note": "x"}),
    "annual:detail": Route("GET", "annual_report", visible),
    "annual:assembled": Route("GET", None, on_root("reminders.lagging")),
    "annual:assembled_download": Route("GET", None, on_root("reminders.lagging")),
    "annual:return": Route("POST", "annual_report", named("annual_report.return"),
                           body=lambda r: {"reason": "Bổ sung số liệu."}),
    "directives:index": Route("GET", None, signed_in),
    "directives:new": Route("GET", None, lambda s, o=None: _why(
        "directive.publish", s, _committee_of(s, _phase26()))),
    "directives:detail": Route("GET", "directive", directive_visible),
    "directives:file": Route("GET", "directive", directive_visible),
    "directives:acknowledge": Route("POST", "directive", lambda s, d: directive_visible(s, d)
                                    or _why("directive.acknowledge", s, d)),
    "directives:areas": Route("GET", "committee", named("committee.assign_areas")),
    "reports:job_download": Route("GET", "job", lambda s, j: visible(s, j) or (
        None if j.result_file else _refusal("no_file", 404))),
    "api_tokens:list": Route("GET", None, signed_in),  # the user's own keys only
    "api_tokens:revoke": Route("POST", "token", lambda s, t: None if t.user_id == s.user.pk
                               else _refusal("not_yours", 404)),
    # --- the API (names as in the schema: METHOD path) ---------------------------------
    "GET /api/v1/units": Route("GET", None, signed_in),
    "GET /api/v1/units/{unit_code}": Route("GET", "unit", visible),
    "GET /api/v1/registrations": Route("GET", None, signed_in),
    "GET /api/v1/registrations/{registration_id}": Route("GET", "reg", visible),
    "PATCH /api/v1/registrations/{registration_id}": Route(
        "PATCH", "reg", lambda s, r: named("registration.edit")(s, r) or (
            None if r.state in ("draft", "returned") else _refusal("state", 409)),
        body=api_edit_body, json=True),
    "POST /api/v1/initiatives": Route("POST", "unit", create_on_unit, body=api_initiative_body,
                                      json=True),
    "POST /api/v1/initiatives/{initiative_id}/registrations": Route(
        "POST", "initiative_level", register, body=api_register_body, json=True),
    "GET /api/v1/initiatives/similar": Route("GET", None, signed_in),
    "POST /api/v1/registrations/{registration_id}/submit": Route(
        "POST", "reg", into(_st("submitted")), body=lambda r: {}, json=True),
    "POST /api/v1/registrations/{registration_id}/accept": Route(
        "POST", "reg", accept, body=lambda r: {}, json=True),
    "POST /api/v1/registrations/{registration_id}/return": Route(
        "POST", "reg", send_back, body=lambda r: {"comment": "Bổ sung."}, json=True),
    "POST /api/v1/registrations/{registration_id}/withdraw": Route(
        "POST", "reg", into(_st("withdrawn")), body=lambda r: {}, json=True),
    "POST /api/v1/registrations/{registration_id}/report": Route(
        "POST", "reg", into(_st("reported")), body=api_report_body, json=True),
    "POST /api/v1/registrations/{registration_id}/decide": Route(
        "POST", "reg", into(_st("recognized")), body=api_decide_body, json=True),
    "POST /api/v1/registrations/{registration_id}/promote": Route("POST", "reg", promote),
    "POST /api/v1/imports/registrations": Route("POST", None, on_root("registrations.import")),
    "GET /api/v1/summary": Route("GET", None, on_root("reports.view")),
    "GET /api/v1/jobs/{job_id}": Route("GET", "job", visible),
    "GET /api/v1/awards": Route("GET", None, signed_in),
    **{f"GET /api/v1/activities/{name}": Route("GET", None, signed_in)
       for name in ("training", "inspections", "press", "reviews", "budget",
                    "follow-up-visits")},
    "GET /api/v1/proposals": Route("GET", None, signed_in),
    "GET /api/v1/proposals/{proposal_id}": Route("GET", "proposal", visible),
    "POST /api/v1/proposals": Route("POST", None, proposal_create, json=True,
                                    body=lambda o: {"phase": "2026-2030", "year": 2026}),
    "POST /api/v1/proposals/{proposal_id}/items": Route(
        "POST", "proposal", named("proposal.edit"), json=True,
        body=lambda p: [{"kind": _kind_for(p), "recipient_type": "unit", "unit": p.unit.code}]),
    "POST /api/v1/proposals/{proposal_id}/send": Route("POST", "proposal",
                                                       named("proposal.send")),
    "POST /api/v1/proposals/{proposal_id}/decision": Route(
        "POST", "proposal", named("proposal.decide"), json=True,
        body=lambda p: {"number": "9-QĐ/ĐU", "date": "2026-10-20"}),
}
# Not authority questions: the schema and its viewer, the API's index.
NOT_ROUTES = {"api:openapi-json", "api:openapi-view", "api:api-root"}
QUERY = {"initiatives:similar": {"title": "Khéo vận động"},
         "initiatives:replicate_search": {"q": "Khéo"},
         "GET /api/v1/initiatives/similar": {"title": "Khéo vận động"},
         "GET /api/v1/summary": {"phase": "2026-2030"},
         "activity_imports:template": {"kind": "training"}}
PARAMS = {"fmt": "docx", "kind": "summary_json", "code": "party-decision", "uidb64": "MQ",
          "token": "abc-123", "role": "clerk"}


def _png():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("anh.png", PNG, content_type="image/png")


def _walk(patterns, prefix="", ns=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern),
                             ns + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), ns + (p.name or "")


def site_routes() -> dict[str, str]:
    return {name: route for route, name in _walk(get_resolver().url_patterns)
            if not route.startswith(SKIP_PREFIXES) and not route.startswith("api/")}


def api_routes() -> dict[str, tuple[str, str]]:
    from dvk.api.base import api

    out = {}
    for path, ops in api.get_openapi_schema()["paths"].items():
        for method in ops:
            out[f"{method.upper()} {path}"] = (method.upper(), path)
    return out


def test_every_route_names_its_rule(db):
    from dvk.common.rules import RULES

    known = set(site_routes()) | set(api_routes())
    missing = sorted(known - set(ROUTES) - NOT_ROUTES)
    assert not missing, f"routes without an entry in ROUTES (name the rule that decides " \
                        f"them): {missing}"
    gone = sorted(set(ROUTES) - known)
    assert not gone, f"ROUTES names routes that no longer exist: {gone}"
    assert {"registration.edit", "registration.promote", "appraisal.assign",
            "reports.view", "registrations.import"} <= set(RULES)


# --- the objects ----------------------------------------------------------------------------

@pytest.fixture
def objects(db, at_state, draft, levels, user, unit, new_initiative):
    """Objects of every kind, inside Gò Quao (Xã Định Hòa's models at each level and state)
    and outside it (Rạch Giá's), made through the services."""
    from django.contrib.auth import get_user_model

    from dvk.common.models import BackgroundJob
    from dvk.initiatives import services
    from dvk.initiatives.enums import State
    from dvk.orgs.enums import Role
    from dvk.orgs.models import Membership
    from dvk.phases.models import AppraisalTeam, Phase, SteeringCommittee

    admin = get_user_model().objects.create_user("gq.quantri", is_staff=True)
    Membership.objects.create(user=admin, unit=unit("KG-GQ"), role=Role.ADMIN)

    S = State
    regs = [at_state(S.DRAFT), at_state(S.SUBMITTED), at_state(S.ACCEPTED),
            at_state(S.REPORTED), at_state(S.APPRAISED), at_state(S.RECOGNIZED),
            at_state(S.SUBMITTED, level=levels[1]), at_state(S.REPORTED, level=levels[1]),
            at_state(S.RECOGNIZED, level=levels[1]), at_state(S.SUBMITTED, level=levels[2])]
    rg = unit("KG-RG-01")
    rg_ini = new_initiative("Khéo vận động Rạch Giá", unit=rg, actor="rachgia.vanthu")
    rg_reg = services.register(scope=acting("rachgia.vanthu"), initiative=rg_ini,
                               phase=regs[0].phase, level=levels[0], year=2026, targets=TARGETS)
    rg_sub = services.register(scope=acting("rachgia.vanthu"),
                               initiative=new_initiative("Khéo vận động chợ", unit=rg,
                                                         actor="rachgia.vanthu"),
                               phase=regs[0].phase, level=levels[0], year=2026, targets=TARGETS)
    services.submit(rg_sub, scope=acting("rachgia.vanthu"))
    regs += [rg_reg, rg_sub]

    team = AppraisalTeam.objects.get(committee__unit__code="KG-GQ-02",
                                     committee__phase=regs[0].phase)
    appraisals = [services.assign_appraisal(regs[3], scope=acting("dinhhoa.thuky"), team=team,
                                            appraiser=user("dinhhoa.thamdinh"))]
    gq_team = AppraisalTeam.objects.filter(committee__unit__code="KG-GQ",
                                           committee__phase=regs[0].phase).first()
    if gq_team is not None:
        appraisals.append(services.assign_appraisal(
            regs[7], scope=acting("gq.thuky"), team=gq_team, appraiser=user("gq.thamdinh")))
    attachments = [services.add_attachment(scope=acting("dinhhoa.vanthu"), registration=regs[0],
                                           uploaded_file=_png()),
                   services.add_attachment(scope=acting("rachgia.vanthu"), registration=rg_reg,
                                           uploaded_file=_png()),
                   # a photo of a recognised model (the gallery may publish it)
                   services.add_attachment(scope=acting("dinhhoa.vanthu"), registration=regs[5],
                                           uploaded_file=_png())]
    from dvk.gallery.models import GalleryPhoto

    # Published photos: of the recognised model, and a row pointing at a draft's image
    # (written around the service) that the public reads must still refuse.
    gallery_photos = [GalleryPhoto.objects.create(attachment=a,
                                                  initiative=a.registration.initiative)
                      for a in (attachments[2], attachments[0])]
    phase = regs[0].phase
    committees = list(SteeringCommittee.objects.filter(
        phase=phase, unit__code__in=["KG", "KG-GQ", "KG-GQ-02", "KG-RG"]))
    members = [c.members.order_by("pk").first() for c in committees]
    jobs = [BackgroundJob.objects.create(owner=user(u), unit=unit(c), kind="export", title="x")
            for u, c in (("gq.thuky", "KG-GQ"), ("rachgia.vanthu", "KG-RG-01"))]
    inis = [regs[0].initiative, rg_ini]
    from dvk.initiatives.models import Decision

    decisions = [regs[5].decision, regs[8].decision,
                 Decision.objects.create(unit=unit("KG-RG"), phase=phase, level=levels[1],
                                         number="3-QĐ/BCĐ", date=dt.date(2026, 10, 12))]
    proposals, award_decisions = _proposals(unit, levels)
    from dvk.reports.models import DocumentProfile
    activities = _activities(phase, [unit("KG-GQ"), unit("KG-GQ-02"), rg])
    activities["followup_visit"] = _follow_up([regs[0], regs[6], rg_reg])
    # Follow-up routes take a Cơ sở and a Huyện file of Định Hòa and Rạch Giá's file.
    activities["followup_reg"] = [regs[0], regs[6], rg_reg]
    from dvk.reminders.models import Notification

    notifications = [Notification.objects.create(user=user(u), unit=unit(c), kind="returned",
                                                 object_key="registration:1", text="x",
                                                 url="/mo-hinh/")
                     for u, c in (("gq.thuky", "KG-GQ"), ("dinhhoa.vanthu", "KG-GQ-02"),
                                  ("rachgia.vanthu", "KG-RG-01"))]
    from django.utils import timezone

    from dvk.reminders.models import AnnualReport

    annual_reports = [AnnualReport.objects.create(unit=unit(c), phase=phase, year=2026,
                                                  figures={}, sent_at=timezone.now())
                      for c in ("KG-GQ", "KG-GQ-02", "KG-RG-01")]
    return {
        "directive": _directives(unit, phase),
        "annual_report": annual_reports,
        "notification": notifications,
        **activities,
        "proposal": proposals,
        "award_decision": award_decisions,
        "profile": [DocumentProfile.objects.create(code="party-decision", version=1,
                                                   valid_from=dt.date(2026, 1, 1),
                                                   overrides={"signature_title": "PHÓ TRƯỞNG BAN"})],
        "reg": regs,
        "initiative": inis,
        "public_initiative": [regs[5].initiative, regs[0].initiative, rg_ini],
        "gallery_photo": gallery_photos,
        "initiative_level": [(i, lv) for i in inis for lv in levels],
        "appraisal": appraisals,
        "attachment": attachments,
        "unit": [unit("KG"), unit("KG-GQ"), unit("KG-GQ-02"), rg],
        "committee": committees,
        "member": [m for m in members if m is not None],
        "phase": [Phase.objects.get(code="2026-2030")],
        "job": jobs,
        "decision": decisions,
        "membership": list(Membership.objects.filter(
            user__username__in=["gq.thuky", "rachgia.vanthu"])),
        "token": _tokens(["gq.thuky", "rachgia.vanthu"]),
    }


def _tokens(usernames):
    """A personal API key of each user, for their first membership."""
    from django.contrib.auth import get_user_model

    from dvk.api import tokens
    from dvk.orgs.scope import scope_for

    out = []
    for name in usernames:
        scope = scope_for(get_user_model().objects.get(username=name))
        out.append(tokens.create_token(scope, name=f"khóa {name}",
                                       membership=scope.membership)[0])
    return out


def _proposals(unit, levels):
    """Award proposals in every state inside Gò Quao (the commune's and the district's
    committees) and outside it (Rạch Giá's), and the decisions of the decided ones."""
    import datetime as dt

    from dvk.awards import services
    from dvk.awards.models import AwardKind
    from dvk.orgs.scope import Scope

    gk = AwardKind.objects.get(code="giay-khen")
    phase = levels[0].phase
    system = Scope.system("tests: a sibling district's proposals")

    def make(scope, state, recipient, **kw):
        p = services.create_proposal(scope=scope, phase=phase, year=2026,
                                     date=dt.date(2026, 10, 5), **kw)
        services.add_recipients(p, [services.Recipient(kind=gk, recipient_type="unit",
                                                       unit=unit(recipient))], scope=scope)
        if state != "draft":
            services.send_proposal(p, scope=scope)
        if state == "decided":
            services.record_decision(p, scope=scope, number=f"{p.pk}-QĐ/ĐU",
                                     date=dt.date(2026, 10, 20))
        return p

    commune, district = acting("dinhhoa.thuky"), acting("gq.thuky")
    proposals = [make(commune, "draft", "KG-GQ-02"), make(commune, "sent", "KG-GQ-02", occasion="ad_hoc"),
                 make(commune, "decided", "KG-GQ-02", occasion="interim"),
                 make(district, "draft", "KG-GQ"),
                 make(system, "sent", "KG-RG-01", unit=unit("KG-RG-01"), level=levels[0]),
                 make(system, "decided", "KG-RG-01", unit=unit("KG-RG-01"), level=levels[0],
                      occasion="interim")]
    return proposals, [p.award_decision for p in proposals if p.state == "decided"]


def _activities(phase, units):
    """A training class, an inspection round with a visit, a press entry and a review of
    each unit (Gò Quao, Định Hòa, and Rạch Giá's commune outside the subtree)."""
    import datetime as dt

    from django.core.files.base import ContentFile

    from dvk.activities.models import InspectionRound, InspectionVisit, PressEntry, Review, \
        TrainingClass

    from dvk.activities.models import BudgetLine

    out = {"training": [], "round": [], "visit": [], "entry": [], "review": [], "budget": []}
    for i, u in enumerate(units):
        t = TrainingClass(phase=phase, unit=u, date=dt.date(2026, 3, 1 + i), name=f"Lớp {i}",
                          attendances=10)
        if i == 0:
            t.materials.save("tai-lieu.pdf", ContentFile(b"%PDF-1.4"), save=False)
        t.save()
        r = InspectionRound.objects.create(phase=phase, unit=u, code=f"KT-{i}", form="inspection",
                                           start_date=dt.date(2026, 5, 1))
        v = InspectionVisit.objects.create(round=r, unit=u, date=dt.date(2026, 5, 2))
        e = PressEntry.objects.create(phase=phase, unit=u, title=f"Tác phẩm {i}", author="A",
                                      genre="print", year=2026)
        rv = Review.objects.create(phase=phase, unit=u, kind="interim",
                                   planned_date=dt.date(2028, 10, 1))
        b = BudgetLine.objects.create(phase=phase, unit=u, kind="allocation", amount=1000,
                                      date=dt.date(2026, 2, 1), purpose=f"Kinh phí {i}")
        for key, obj in (("training", t), ("round", r), ("visit", v), ("entry", e),
                         ("review", rv), ("budget", b)):
            out[key].append(obj)
    return out


def _follow_up(regs):
    """A follow-up visit on each registration; the commune's Cơ sở file is followed by a
    member signed in as dinhhoa.thamdinh (who may log its visits, not assign)."""
    import datetime as dt

    from django.contrib.auth import get_user_model

    from dvk.activities.models import FollowUpAssignment, FollowUpVisit
    from dvk.activities.services import follow_up_members

    member = follow_up_members(regs[0]).last()
    member.user = get_user_model().objects.get(username="dinhhoa.thamdinh")
    member.save()
    FollowUpAssignment.objects.create(registration=regs[0], member=member)
    return [FollowUpVisit.objects.create(registration=reg, date=dt.date(2026, 11, 1),
                                         visitor="Lê Văn Bình", findings="Duy trì tốt")
            for reg in regs]


# --- the matrix -----------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _no_pdf_printing(settings):
    """The certificates route answers without starting LibreOffice dozens of times: with no
    converter it says so on the decision page (tests/documents print real PDFs)."""
    settings.DVK_SOFFICE = "/nonexistent/soffice"


def _url(name, kind, obj):
    from django.urls import reverse

    if name in ROUTES and " " in name:
        method, path = name.split(" ", 1)
        ids = {"registration_id": getattr(obj, "pk", None), "job_id": getattr(obj, "pk", None),
               "proposal_id": getattr(obj, "pk", None),
               "unit_code": getattr(obj, "code", None),
               "initiative_id": obj[0].pk if isinstance(obj, tuple) else None}
        for key, value in ids.items():
            path = path.replace("{" + key + "}", str(value))
        return path
    kwargs = {}
    pattern = site_routes()[name]
    for key in re.findall(r"<(?:\w+:)?(\w+)>", pattern):
        if key in PARAMS:
            kwargs[key] = PARAMS[key]
        elif key == "unit_code":
            kwargs[key] = obj.code
        elif key == "phase_code":
            kwargs[key] = obj.code
        elif key == "member_id":
            kwargs[key] = obj.pk
            kwargs["committee_id"] = obj.committee_id
        elif key == "committee_id" and "member_id" in pattern:
            continue
        elif key == "decision_id":  # an award decision's page is its Decision's
            kwargs[key] = getattr(obj, "decision_id", obj.pk)
        else:
            kwargs[key] = obj.pk
    return reverse(name, kwargs=kwargs)


def _fingerprint():
    """Row counts of what an action writes (every change leaves a history entry), in one
    query."""
    from django.db import connection

    from dvk.api.models import ApiToken
    from dvk.awards.models import Award, Proposal, ProposalItem
    from dvk.common.models import HistoryEntry
    from dvk.initiatives.models import (Appraisal, Attachment, Initiative, Registration,
                                        Transition)
    from dvk.orgs.models import Membership
    from dvk.phases.models import CommitteeMember

    from dvk.activities.models import FollowUpAssignment

    tables = [m._meta.db_table for m in (HistoryEntry, Transition, Registration, Initiative,
                                         Appraisal, Attachment, CommitteeMember, Membership,
                                         Award, Proposal, ProposalItem, FollowUpAssignment)]
    counts = [f"(SELECT COUNT(*) FROM {t})" for t in tables]
    counts.append(f"(SELECT COUNT(*) FROM {ApiToken._meta.db_table} WHERE revoked_at IS NULL)")
    with connection.cursor() as cur:
        cur.execute("SELECT " + ", ".join(counts))
        return cur.fetchone()


def _call(client, name, route, obj):
    import json

    url = _url(name, route.kind, obj)
    query = QUERY.get(name, {})
    body = route.body(obj) if route.body else {}
    if route.method == "GET":
        return client.get(url, query)
    if route.json:
        return client.generic(route.method, url, json.dumps(body),
                              content_type="application/json")
    return client.post(url, body)


def _verdict(expected, anonymous, resp, changed, is_api, public=False) -> str | None:
    status = resp.status_code
    refused = status in (401, 403, 404) or (status == 302 and "dang-nhap" in
                                            resp.get("Location", ""))
    if anonymous and public:
        if expected is not None and expected.status == 404:
            return None if status == 404 and not changed else "leak"
        return "anonymous refused" if status in (401, 403, 404) else None
    if anonymous:
        return None if refused and not changed else "anonymous got through"
    if expected is None:
        return "false refusal" if status in (403, 404) else None
    if expected.status == 404:
        return None if status == 404 and not changed else "leak"
    if changed or (200 <= status < 300 and not is_api and resp.request["REQUEST_METHOD"] == "GET"):
        return "escalation"
    if is_api and 200 <= status < 300:
        return "escalation"
    if expected.status == 403 and status == 404:
        return "404 inside the subtree"
    return None


# These actors call the API with a personal API key for their acting membership instead of
# the session: the same rule book answers them (api/tokens.py), at no extra cases.
KEY_ACTORS = {who for who in ACTORS[1::2] if who}


def _key_client(scope):
    from dvk.api import tokens

    raw = tokens.create_token(scope, name="ma trận", membership=scope.membership)[1]
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_the_permission_matrix(objects, user, capsys):
    import os

    from dvk.orgs.scope import ANONYMOUS, scope_for

    wrong, cases, key_cases = [], 0, 0
    for who in ACTORS:
        u = user(who) if who else None
        scope = scope_for(u) if u else ANONYMOUS
        client = Client(raise_request_exception=False)
        key_client = _key_client(scope) if who in KEY_ACTORS else None
        for name, route in ROUTES.items():
            targets = objects[route.kind] if route.kind else [None]
            for obj in targets:
                expected = route.expect(scope, obj) if u or route.public else None
                if u and "sessionid" not in client.cookies:  # signed out by a case
                    client.force_login(u)
                with transaction.atomic():
                    before = _fingerprint()
                    by_key = key_client is not None and " " in name
                    resp = _call(key_client if by_key else client, name, route, obj)
                    changed = _fingerprint() != before
                    transaction.set_rollback(True)
                if not client.cookies.get("sessionid", None) or \
                        not client.cookies["sessionid"].value:
                    client.cookies.pop("sessionid", None)
                client.cookies.pop("django_language", None)
                cases += 1
                key_cases += by_key
                problem = _verdict(expected, u is None, resp, changed, " " in name, route.public)
                if resp.status_code >= 500:
                    problem = "server error"
                if problem:
                    wrong.append(f"{problem}: {who}{' (API key)' if by_key else ''} "
                                 f"{route.method} {name} "
                                 f"{obj!r} → {resp.status_code} (rule: "
                                 f"{getattr(expected, 'code', 'allowed')})")
    with capsys.disabled():
        print(f"\npermission matrix: {cases} cases ({key_cases} by API key), "
              f"{len(wrong)} wrong")
    if os.environ.get("DVK_MATRIX_OUT"):
        with open(os.environ["DVK_MATRIX_OUT"], "w") as f:
            f.write("\n".join(wrong))
    assert cases > 4000 and key_cases > 500, (cases, key_cases)
    assert not wrong, f"{len(wrong)} of {cases} cases wrong:\n" + "\n".join(wrong[:80])
