"""Issue 14's 500s from payloads: a title over 500 characters, a 300-character subject, a NUL
byte, a lone surrogate, a 100,000-character decision number — sent to the API's create
endpoint with generated values too. Every answer is below 500, and a refusal writes nothing."""
import json

import pytest
from django.db import transaction
from hypothesis import given, settings, strategies as st

from dvk.initiatives.models import Field, Initiative
from tests.security.test_permission_matrix import _fingerprint

from .conftest import soak_examples

pytestmark = pytest.mark.django_db

FOUND = ["T" * 501, "S" * 300, "Khéo\x00 vận động", "Khéo \ud800 vận động", "9" * 100_000, "",
         " ", "=HYPERLINK(\"http://x\",\"y\")"]


def _post(client, url, body):
    with transaction.atomic():
        before = _fingerprint()
        r = client.post(url, json.dumps(body), content_type="application/json")
        after = _fingerprint()
        transaction.set_rollback(True)
    assert r.status_code < 500, (body, r.content[:300])
    if r.status_code >= 400:
        assert after == before, "a refused payload wrote rows"
    return r


def _body(**changes):
    body = {"unit": "KG-GQ-02", "kind": "collective", "title": "Khéo vận động thử",
            "field_id": Field.objects.order_by("pk").first().pk}
    body.update(changes)
    return body


@pytest.fixture
def clerk(client_as):
    c = client_as("dinhhoa.vanthu")
    c.raise_request_exception = False
    return c


@pytest.mark.parametrize("value", FOUND, ids=lambda v: repr(v[:10]))
@pytest.mark.parametrize("field", ["title", "subject", "person_name", "description"])
def test_found_values_in_an_initiative_payload(clerk, field, value):
    r = _post(clerk, "/api/v1/initiatives", _body(**{field: value}))
    limit = {"title": 500, "subject": 255, "person_name": 255}.get(field)
    if "\x00" in value or "\ud800" in value or (limit and len(value) > limit):
        assert r.status_code == 422
        assert f"«{field}»" in json.dumps(r.json(), ensure_ascii=False)  # names the field


@settings(max_examples=soak_examples(20))
@given(title=st.one_of(st.text(max_size=700), st.text(st.characters(), max_size=30)),
       subject=st.one_of(st.none(), st.text(max_size=400)),
       kind=st.one_of(st.sampled_from(["collective", "individual"]), st.text(max_size=20)),
       field_id=st.one_of(st.integers(-2**70, 2**70), st.text(max_size=10), st.none()),
       unit=st.one_of(st.just("KG-GQ-02"), st.text(max_size=80)))
def test_fuzz_initiative_payload(clerk, title, subject, kind, field_id, unit):
    body = {"unit": unit, "kind": kind, "title": title, "field_id": field_id}
    if subject is not None:
        body["subject"] = subject
    _post(clerk, "/api/v1/initiatives", body)
