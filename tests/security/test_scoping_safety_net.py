"""The scoping safety net (dvk/common/scoping.py): user-facing models refuse to be read
without a scope, in requests and background jobs, unless the code says why.

Issue 8, "What to build" 2: a view that forgets its visibility function fails loudly
instead of showing another unit's rows.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.http import HttpResponse
from django.test import RequestFactory

from dvk.common.middleware import ScopedRequestMiddleware
from dvk.common.scoping import ScopedManager, UnscopedQuery, enforcing, unscoped
from dvk.initiatives.models import Appraisal, Attachment, Initiative, Registration

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "dvk"
# What a ScopedManager answers without reading a table unscoped (see its docstring).
SAFE = {"within", "again", "unscoped", "none", "create", "bulk_create", "bulk_update"}
USER_FACING = {"initiatives.Initiative", "initiatives.Registration", "initiatives.Appraisal",
               "initiatives.Attachment", "initiatives.AchievementReport",
               "initiatives.Decision", "awards.Award", "awards.Proposal", "awards.ProposalItem",
               "awards.AwardDecision", "common.BackgroundJob", "activities.TrainingClass",
               "activities.InspectionRound", "activities.InspectionVisit",
               "activities.PressEntry", "activities.Review", "activities.BudgetLine",
               "activities.FollowUpAssignment", "activities.FollowUpVisit",
               "directives.Directive", "directives.Acknowledgement", "directives.MemberArea"}


def guarded_models():
    return {m for m in apps.get_models()
            if isinstance(m._meta.managers_map.get("objects"), ScopedManager)}


def test_every_user_facing_model_is_guarded():
    assert {m._meta.label for m in guarded_models()} >= USER_FACING


def test_related_lookups_and_the_admin_use_the_plain_manager():
    # A related manager starts from an object found in scope; the admin is restricted by
    # orgs.admin_scope. Neither may trip on the guard.
    for model in guarded_models():
        assert not isinstance(model._default_manager, ScopedManager), model


def test_an_unscoped_read_is_refused_when_enforcing(scope_of):
    with enforcing():
        with pytest.raises(UnscopedQuery, match="initiatives.Registration"):
            Registration.objects.filter(state="recognized").count()
        with pytest.raises(UnscopedQuery):
            list(Initiative.objects.all())
        # The sanctioned ways in.
        scope = scope_of("gq.thuky")
        mine = Registration.objects.within(scope)
        assert mine.exists()
        assert not mine.exclude(unit__code__startswith="KG-GQ").exists()
        reg = mine.first()
        assert Registration.objects.again(reg).get() == reg
        everyone = Registration.objects.unscoped("the test counts every unit's rows").count()
        assert everyone > mine.count()
        assert Registration.objects.none().count() == 0


def test_unscoped_must_say_why():
    with pytest.raises(ValueError):
        Registration.objects.unscoped("")
    with pytest.raises(ValueError):
        with unscoped("  "):
            pass


def test_within_follows_each_models_path_to_its_unit(scope_of):
    scope = scope_of("gq.thuky")
    with enforcing():
        appraisals = Appraisal.objects.within(scope)
        assert not appraisals.exclude(registration__unit__code__startswith="KG-GQ").exists()
        attachments = Attachment.objects.within(scope)
        assert not attachments.exclude(registration__unit__code__startswith="KG-GQ") \
            .exclude(initiative__unit__code__startswith="KG-GQ").exists()


def test_a_request_enforces_even_inside_an_unscoped_block():
    """The suite sets data up unscoped; the requests it sends must not inherit that."""
    def careless_view(request):
        return HttpResponse(str(Registration.objects.count()))

    def careful_view(request):
        return HttpResponse(str(Registration.objects.unscoped("the test says why").count()))

    request = RequestFactory().get("/")
    with unscoped("set-up"):
        with pytest.raises(UnscopedQuery):
            ScopedRequestMiddleware(careless_view)(request)
        assert ScopedRequestMiddleware(careful_view)(request).status_code == 200
        # …and the block is back once the request is over.
        assert Registration.objects.count() > 0


def test_a_background_job_runs_enforcing(user):
    from dvk.common.jobs import running
    from dvk.common.models import BackgroundJob

    job = BackgroundJob.objects.create(kind="test", owner=user("gq.thuky"))
    with unscoped("the worker process"):
        with running(job.pk) as handed:
            assert handed == job
            with pytest.raises(UnscopedQuery):
                Registration.objects.exists()


def _reads(tree: ast.AST, names: set[str]):
    """(line, model, method) of every `Model.objects.<method>` in a module."""
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                and node.value.attr == "objects" and isinstance(node.value.value, ast.Name)
                and node.value.value.id in names):
            yield node.lineno, node.value.value.id, node.attr


def test_no_code_reads_a_guarded_model_without_saying_how():
    """Every `Model.objects.…` of a guarded model in the project names a scope, an object
    in hand or its reason — also on paths no test happens to walk."""
    names = {m.__name__ for m in guarded_models()}
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line, model, method in _reads(ast.parse(path.read_text()), names):
            if method not in SAFE:
                found.append(f"{path.relative_to(SRC)}:{line} {model}.objects.{method}")
    assert not found, "\n".join(found)


def test_the_plain_manager_is_not_a_back_door():
    names = [f"{path.relative_to(SRC)}" for path in SRC.rglob("*.py")
             if "migrations" not in path.parts and "._unguarded" in path.read_text()]
    assert not names
