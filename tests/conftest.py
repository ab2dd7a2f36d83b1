"""Shared fixtures: the demo province is built once per test database (scale 0.05),
and every test runs inside a transaction that is rolled back.

Personas (usernames from the demo): province secretariat `tinh.thuky`, district
secretariat `gq.thuky` (Gò Quao), commune clerk `dinhhoa.vanthu` (Định Hòa, Gò Quao),
appraisers `tinh.thamdinh` / `gq.thamdinh`, leader `tinh.lanhdao`, admin `quantri`,
and `rachgia.vanthu`, a clerk of a sibling district who must see nothing of Gò Quao.
"""
import os

import pytest

os.environ.setdefault("DVK_TESTING", "1")

DEMO_SCALE = 0.05


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from dvk.orgs.demo.builder import DemoBuilder

    with django_db_blocker.unblock():
        DemoBuilder(scale=DEMO_SCALE).build()


@pytest.fixture
def user(db):
    from django.contrib.auth import get_user_model

    def get(username):
        return get_user_model().objects.get(username=username)

    return get


@pytest.fixture
def client_as(client, user):
    """client_as("gq.thuky") → a test client signed in as that demo user."""
    from django.test import Client

    def make(username):
        c = Client()
        c.force_login(user(username))
        return c

    return make


@pytest.fixture
def scope_of(user):
    from dvk.orgs.scope import scope_for

    def make(username):
        return scope_for(user(username))

    return make


@pytest.fixture
def unit(db):
    from dvk.orgs.models import Unit

    def get(code):
        return Unit.objects.get(code=code)

    return get
