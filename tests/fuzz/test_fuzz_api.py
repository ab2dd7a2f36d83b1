"""Every write endpoint of the API (each POST/PATCH route of the Ninja routers) with generated
bodies: a valid body in which one field is replaced by a value of the wrong type, a huge or
empty string, NUL, a lone surrogate, a huge integer, a list or an object; a field left out;
an extra field; the body replaced by something that is not the object asked for, or by bytes
that are not JSON; the id in the path out of any column's range.

Every answer is below 500; a refusal (≥ 400) writes nothing (`_fingerprint`, as in the
permission matrix); a 422 carries django-ninja's `detail` list with a Vietnamese `message`
naming the field (api.base.invalid).

Bounded in `make test` (EXAMPLES per endpoint), 600 per endpoint under `make soak`."""
import json
import os
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import given, settings, strategies as st

from tests.acting import acting
from tests.awards.conftest import kinds, proposal, recognised  # noqa: F401
from tests.initiatives.conftest import (TARGETS, at_state, dinhhoa_org, draft,  # noqa: F401
                                        field_econ, levels, new_initiative, phase26)
from tests.security.test_permission_matrix import _fingerprint

from .conftest import soak_examples
from .test_fuzz_forms import VIETNAMESE

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("DVK_API_EXAMPLES", "8"))  # per endpoint in `make test`

HUGE_INTS = [2**31, 2**63, -2**63 - 1, 2**70, -1, 0, 10**30]
FOUND_STRINGS = ["T" * 501, "S" * 300, "X" * 65, "Khéo\x00 vận động", "Khéo \ud800 vận động",
                 "9" * 100_000, "", " ", "\x00", "a\x1b\x07b", "²", "2026-13-45", "abc",
                 "=HYPERLINK(\"http://x\",\"y\")"]
SCALAR = st.one_of(
    st.none(), st.booleans(), st.sampled_from(HUGE_INTS), st.integers(-2**80, 2**80),
    st.floats(allow_nan=False), st.sampled_from([1e308, -1e308, 0.5]),
    st.sampled_from(FOUND_STRINGS), st.text(max_size=300),
    st.text(st.characters(codec="utf-8"), min_size=200, max_size=700),
    st.builds(lambda c, n: c * n, st.sampled_from(["x", "ộ", "\x00", "\ud800", "9"]),
              st.integers(60, 3000)),
)
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=8)
NOT_JSON = [b"{", b"\xff\xfe", b"{\"title\": \"a\\ud800\"", b"null", b"[]", b"\"x\"", b"12",
            b"{\"a\": " * 50]


@dataclass
class Endpoint:
    user: str
    method: str
    path: str                      # with {id} where the object's id goes
    obj_id: int | None
    body: object                   # the valid body (None: the route reads none)
    keys: list[str] = field(default_factory=list)   # top-level fields to fuzz
    nested: dict = field(default_factory=dict)      # field → (index into it, its own keys)
    multipart: bool = False
    files: dict = field(default_factory=dict)       # multipart: field → (name, content)

    def url(self, obj_id=None):
        return "/api/v1" + self.path.replace("{id}", str(self.obj_id if obj_id is None
                                                          else obj_id))


def _send(client, ep: Endpoint, body, *, raw: bytes | None = None, obj_id=None, files=None):
    """One request inside a transaction rolled back afterwards: (response, wrote)."""
    with transaction.atomic():
        before = _fingerprint()
        if ep.multipart:
            r = client.post(ep.url(obj_id), {**body, **(files or {})})
        else:
            data = raw if raw is not None else json.dumps(body)
            r = getattr(client, ep.method.lower())(ep.url(obj_id), data,
                                                   content_type="application/json")
        wrote = _fingerprint() != before
        transaction.set_rollback(True)
    return r, wrote


def _check(r, wrote, what, key=None):
    assert r.status_code < 500, (what, r.content[:400])
    if r.status_code >= 400:
        assert not wrote, (what, r.status_code, "a refused payload wrote rows")
        answer = r.json()
        said = answer.get("message") or answer.get("detail")
        assert isinstance(said, str) and VIETNAMESE.search(said), (what, answer)
    if r.status_code == 422:
        answer = r.json()
        assert answer["code"] == "invalid" and answer["detail"], answer
        for error in answer["detail"]:  # each reason names its field
            assert error["msg"] in answer["message"], answer
            assert "«" in error["msg"] or not any(isinstance(p, str) and p != "payload"
                                                  for p in error["loc"][1:]), (what, error)
        if key is not None:  # the field we broke is among those named
            assert any(key in [str(p) for p in e["loc"]] for e in answer["detail"]) or \
                f"«{key}»" in answer["message"], (what, key, answer["message"])


# --- the endpoints -----------------------------------------------------------------------------

@pytest.fixture
def endpoints(at_state, new_initiative, levels, phase26, recognised, proposal, kinds,
              field_econ, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    from dvk.awards import services as awards
    from dvk.initiatives.enums import State
    from tests.awards.conftest import model

    ACTION = ["comment", "expected_version"]

    def initiative():
        return Endpoint("dinhhoa.vanthu", "POST", "/initiatives", None,
                        {"unit": "KG-GQ-02", "kind": "collective", "title": "Khéo vận động thử",
                         "field_id": field_econ.pk, "subject": "Hội Nông dân",
                         "person_name": "", "person_position": "", "description": "Mô tả",
                         "start_year": 2025, "replicates_id": None, "tags": ["nông thôn"]},
                        ["unit", "kind", "title", "field_id", "subject", "person_name",
                         "person_position", "description", "start_year", "replicates_id",
                         "tags"])

    def register():
        ini = new_initiative()
        return Endpoint("dinhhoa.vanthu", "POST", "/initiatives/{id}/registrations", ini.pk,
                        {"phase": "2026-2030", "level_id": levels[0].pk, "year": 2026,
                         "targets": TARGETS, "exceptional": False, "exceptional_reason": ""},
                        ["phase", "level_id", "year", "targets", "exceptional",
                         "exceptional_reason"],
                        nested={"targets": (0, ["criterion", "target", "baseline",
                                                "unit_of_measure"])})

    def action(state, user, path):
        def make():
            reg = at_state(state)
            return Endpoint(user, "POST", path, reg.pk,
                            {"comment": "Bổ sung chỉ tiêu.", "expected_version": reg.version},
                            ACTION)
        return make

    def edit():
        reg = at_state(State.DRAFT)
        return Endpoint("dinhhoa.vanthu", "PATCH", "/registrations/{id}", reg.pk,
                        {"expected_version": reg.version, "title": "Khéo vận động sửa",
                         "kind": "collective", "field_id": field_econ.pk, "subject": "Hội",
                         "person_name": "", "person_position": "", "description": "Mô tả",
                         "start_year": 2025, "targets": TARGETS},
                        ["expected_version", "title", "kind", "field_id", "subject",
                         "person_name", "person_position", "description", "start_year",
                         "targets"],
                        nested={"targets": (0, ["criterion", "target", "baseline",
                                                "unit_of_measure"])})

    def report():
        reg = at_state(State.ACCEPTED)
        t = reg.targets.get()
        return Endpoint("dinhhoa.vanthu", "POST", "/registrations/{id}/report", reg.pk,
                        {"results": {str(t.pk): "130"}, "narrative": "Đã vận động 130 hộ.",
                         "certifier_name": "Lê Văn C", "certifier_position": "Bí thư",
                         "certified_on": "2026-10-01", "expected_version": reg.version},
                        ["results", "narrative", "certifier_name", "certifier_position",
                         "certified_on", "expected_version"],
                        nested={"results": (str(t.pk), [])})

    def decide():
        reg = at_state(State.APPRAISED)
        return Endpoint("dinhhoa.thuky", "POST", "/registrations/{id}/decide", reg.pk,
                        {"recognized": True, "decision_number": "9-QĐ/BCĐ",
                         "decision_date": "2026-10-12", "signer": "Bí thư",
                         "certificate_prefix": "GCN"},
                        ["recognized", "decision_number", "decision_date", "signer",
                         "certificate_prefix"])

    def promote():
        reg = recognised("Khéo vận động đề nghị cấp trên")
        return Endpoint("dinhhoa.thuky", "POST", "/registrations/{id}/promote", reg.pk, {})

    ITEM = ["kind", "recipient_type", "registration_id", "unit", "person_name",
            "person_position", "achievements", "exceptional_reason", "amount"]

    def proposal_create():
        reg = recognised("Khéo vận động khen thưởng")
        return Endpoint("dinhhoa.thuky", "POST", "/proposals", None,
                        {"phase": "2026-2030", "year": 2026, "occasion": "commemoration",
                         "authority": "party_committee", "addressed_to": "Ban Thường vụ",
                         "number": "05-TTr/BCĐ", "date": "2026-10-05", "title": "Đề nghị",
                         "items": [{"kind": "giay-khen", "recipient_type": "model",
                                    "registration_id": reg.pk, "amount": 150000}]},
                        ["phase", "year", "occasion", "authority", "addressed_to", "number",
                         "date", "title", "items"], nested={"items": (0, ITEM)})

    def proposal_items():
        p = proposal()
        return Endpoint("dinhhoa.thuky", "POST", "/proposals/{id}/items", p.pk,
                        [{"kind": "giay-khen", "recipient_type": "person", "unit": "KG-GQ-02",
                          "person_name": "Lê Văn Tâm", "person_position": "Trưởng ấp",
                          "achievements": "Vận động", "exceptional_reason": "",
                          "amount": 150000}],
                        nested={0: (None, ITEM)})

    def _sent():
        sec = acting("dinhhoa.thuky")
        p = proposal()
        awards.add_recipients(p, [model(recognised("Khéo vận động A"), kinds["giay-khen"])],
                              scope=sec)
        return p, sec

    def proposal_send():
        p, _sec = _sent()
        return Endpoint("dinhhoa.thuky", "POST", "/proposals/{id}/send", p.pk, {})

    def proposal_decision():
        p, sec = _sent()
        awards.send_proposal(p, scope=sec)
        return Endpoint("dinhhoa.thuky", "POST", "/proposals/{id}/decision", p.pk,
                        {"number": "12-QĐ/ĐU", "date": "2026-10-10", "signer": "Bí thư",
                         "issued_by": "Đảng ủy", "amount_per_recipient": 200000,
                         "stated_total": 200000, "item_ids": [p.items.get().pk]},
                        ["number", "date", "signer", "issued_by", "amount_per_recipient",
                         "stated_total", "item_ids"])

    def import_registrations():
        return Endpoint("gq.thuky", "POST", "/imports/registrations", None,
                        {"phase": "2016-2020"}, ["phase"], multipart=True,
                        files={"file": ("mau-2.csv", "Mã,Tên mô hình\n".encode())})

    return {
        "initiative": initiative, "register": register,
        "submit": action(State.DRAFT, "dinhhoa.vanthu", "/registrations/{id}/submit"),
        "accept": action(State.SUBMITTED, "dinhhoa.thuky", "/registrations/{id}/accept"),
        "return": action(State.SUBMITTED, "dinhhoa.thuky", "/registrations/{id}/return"),
        "withdraw": action(State.DRAFT, "dinhhoa.vanthu", "/registrations/{id}/withdraw"),
        "edit": edit, "report": report, "decide": decide, "promote": promote,
        "proposal_create": proposal_create, "proposal_items": proposal_items,
        "proposal_send": proposal_send, "proposal_decision": proposal_decision,
        "import_registrations": import_registrations,
    }


ENDPOINTS = ["initiative", "register", "submit", "accept", "return", "withdraw", "edit",
             "report", "decide", "promote", "proposal_create", "proposal_items",
             "proposal_send", "proposal_decision", "import_registrations"]


def test_every_write_route_of_the_api_is_fuzzed(endpoints):
    """A new POST/PUT/PATCH/DELETE route of the API is added here too."""
    from dvk.api.base import api

    routes = {f"{m.upper()} {p}" for p, ops in api.get_openapi_schema()["paths"].items()
              for m in ops if m in ("post", "put", "patch", "delete")}
    fuzzed = set()
    for make in endpoints.values():
        ep = make()
        fuzzed.add(f"{ep.method} /api/v1{ep.path}")
    normalised = {r.split(" ")[0] + " " + "/".join(
        "{id}" if part.startswith("{") else part for part in r.split(" ")[1].split("/"))
        for r in routes}
    assert normalised == fuzzed, normalised ^ fuzzed


def _mutated(data, ep: Endpoint):
    """(body, the field whose value was broken or None, what was done)."""
    body = json.loads(json.dumps(ep.body))  # a deep copy
    moves = ["whole"]
    if isinstance(body, dict):
        moves += ["extra"] + (["value", "drop"] if ep.keys else [])
    if ep.nested:
        moves += ["nested"]
    move = data.draw(st.sampled_from(moves), label="move")
    if move == "whole":
        return data.draw(VALUE, label="body"), None, move
    if move == "extra":
        name = data.draw(st.one_of(st.sampled_from(["id", "state", "unit_id", "version",
                                                    "is_superuser", "\x00"]),
                                   st.text(max_size=20)), label="extra field")
        body[name] = data.draw(VALUE, label="extra value")
        return body, None, move
    if move == "nested":
        key = data.draw(st.sampled_from(sorted(ep.nested, key=str)), label="nested in")
        index, keys = ep.nested[key]
        if not keys:  # a mapping (report results): break one of its keys or its value
            holder = body[key]
            if data.draw(st.booleans(), label="break the key"):
                value = holder.pop(index)
                holder[data.draw(st.one_of(st.sampled_from(["abc", "9" * 40, "-1", ""]),
                                           st.text(max_size=10)), label="key")] = value
            else:
                holder[index] = data.draw(VALUE, label="value")
            return body, None, move
        holder = body[key] if index is None else body[key][index]  # the object inside
        inner = data.draw(st.sampled_from(keys), label="inner field")
        if data.draw(st.booleans(), label="drop"):
            holder.pop(inner, None)
        else:
            holder[inner] = data.draw(VALUE, label="value")
        return body, None, move
    key = data.draw(st.sampled_from(ep.keys), label="field")
    if move == "drop":
        body.pop(key, None)
        return body, None, move
    body[key] = data.draw(VALUE, label="value")
    return body, key, move


@pytest.mark.parametrize("name", ENDPOINTS)
def test_fuzz_api_endpoint(name, endpoints, client_as):
    ep = endpoints[name]()
    client = client_as(ep.user)
    client.raise_request_exception = False

    def files(names=None):
        return {k: SimpleUploadedFile((names or {}).get(k, n), c)
                for k, (n, c) in ep.files.items()}

    # The valid body itself is accepted (so what the fuzz breaks is what a refusal is about).
    ok, _wrote = _send(client, ep, ep.body, files=files())
    assert ok.status_code < 300, (name, ok.status_code, ok.content[:400])

    @settings(max_examples=soak_examples(EXAMPLES))
    @given(data=st.data())
    def fuzz(data):
        how = data.draw(st.sampled_from(["body"] * 6 + ["not json", "path id"]
                                        if not ep.multipart else ["field", "file", "path id"]),
                        label="how")
        if how == "path id":
            pk = data.draw(st.one_of(st.sampled_from([2**63, 10**20, -1, 0]),
                                     st.integers(-2**80, 2**80)), label="id")
            if ep.obj_id is None:
                return
            r, wrote = _send(client, ep, ep.body, obj_id=pk, files=files())
            _check(r, wrote, (name, "id", pk))
            return
        if how == "not json":
            raw = data.draw(st.one_of(st.sampled_from(NOT_JSON), st.binary(max_size=40)),
                            label="raw body")
            r, wrote = _send(client, ep, None, raw=raw)
            _check(r, wrote, (name, "raw", raw[:40]))
            return
        if how == "field":
            value = data.draw(st.one_of(st.sampled_from(FOUND_STRINGS), st.text(max_size=300)),
                              label="value")
            key = data.draw(st.sampled_from(ep.keys), label="field")
            body = {**ep.body, key: value.encode("utf-8", "replace").decode("utf-8")}
            r, wrote = _send(client, ep, body, files=files())
            _check(r, wrote, (name, key, value[:40]))
            return
        if how == "file":
            fname = data.draw(st.one_of(
                st.sampled_from(["a" * 300 + ".csv", "t\x00ep.csv", ".csv", "x.exe",
                                 "ộ" * 250 + ".xlsx"]), st.text(max_size=40)), label="name")
            # What a client can name an upload: no path (Django keeps the last part).
            fname = fname.encode("utf-8", "replace").decode("utf-8").replace(
                "/", "").replace("\\", "") or "x"
            content = data.draw(st.one_of(st.just(b""), st.binary(max_size=200),
                                          st.just(b"PK\x03\x04" + b"\x00" * 100)),
                                label="content")
            r, wrote = _send(client, ep, ep.body, files={
                "file": SimpleUploadedFile(fname, content)})
            _check(r, wrote, (name, "file", fname[:40]))
            return
        body, key, move = _mutated(data, ep)
        r, wrote = _send(client, ep, body)
        _check(r, wrote, (name, move, key, repr(body)[:120]), key=key)

    fuzz()


# --- what the fuzz found, kept as quick cases --------------------------------------------------

@pytest.mark.parametrize("raw", [b"{", b"\xff\xfe", b"{\"title\": 1,}"], ids=repr)
def test_a_body_that_is_not_json_is_answered_in_vietnamese(raw, endpoints, client_as):
    """A body JSON cannot parse was answered 400 "Cannot parse request body" (English)."""
    ep = endpoints["initiative"]()
    client = client_as(ep.user)
    r, wrote = _send(client, ep, None, raw=raw)
    assert r.status_code == 400 and not wrote
    assert r.json()["detail"] == "Nội dung gửi lên không phải JSON hợp lệ."


@pytest.mark.parametrize("name, key, value", [
    ("decide", "recognized", None), ("decide", "recognized", "có lẽ"),
    ("decide", "decision_date", 20261012), ("decide", "decision_number", 9),
    ("initiative", "tags", "nông thôn"), ("initiative", "tags", [1]),
    ("initiative", "field_id", 1.5), ("initiative", "start_year", []),
    ("report", "results", []), ("proposal_create", "date", "2026-02-30"),
    ("proposal_create", "occasion", {"a": 1}), ("register", "exceptional", [True]),
])
def test_each_reason_of_a_422_is_vietnamese_and_names_the_field(name, key, value, endpoints,
                                                                client_as):
    """Only some of pydantic's reasons were translated: a null `recognized` answered
    "Input should be a valid boolean", naming no field."""
    ep = endpoints[name]()
    client = client_as(ep.user)
    r, wrote = _send(client, ep, {**ep.body, key: value})
    assert r.status_code == 422 and not wrote, r.content[:300]
    answer = r.json()
    for error in answer["detail"]:
        assert error["msg"].startswith(f"«{key}»") or error["msg"].startswith("«"), error
        assert VIETNAMESE.search(error["msg"]), error
    assert f"«{key}»" in answer["message"] and answer["message"].startswith("Dữ liệu gửi lên")


@pytest.mark.parametrize("name, key, value", [
    ("initiative", "tags", ["nông\x00thôn"]), ("initiative", "tags", ["nông \ud800 thôn"]),
    ("report", "results", "NUL"), ("report", "results", "surrogate"),
    ("proposal_items", "unit", "KG-GQ\x00-02"), ("proposal_items", "unit", "KG-GQ\ud800"),
])
def test_text_inside_lists_and_mappings_is_checked_too(name, key, value, endpoints, client_as):
    """Strings inside a list or a mapping of a payload (a model's topics, a report's results)
    were not checked for NUL or lone surrogates (PostgreSQL: a server error)."""
    ep = endpoints[name]()
    client = client_as(ep.user)
    body = dict(ep.body) if isinstance(ep.body, dict) else ep.body
    if key == "results":
        target = next(iter(body["results"]))
        body["results"] = {target: {"NUL": "13\x000", "surrogate": "13\ud8000"}[value]}
    elif name == "proposal_items":  # a list of recipients: the first one's unit
        body = [{**ep.body[0], key: value}]
    else:
        body[key] = value
    r, wrote = _send(client, ep, body)
    assert r.status_code == 422 and not wrote, r.content[:300]
    assert f"«{key}»" in r.json()["message"], r.json()["message"]


INT_FIELDS = [("initiative", "field_id"), ("initiative", "start_year"),
              ("initiative", "replicates_id"), ("register", "level_id"), ("register", "year"),
              ("submit", "expected_version"), ("edit", "expected_version"),
              ("edit", "field_id"), ("edit", "start_year"), ("report", "expected_version"),
              ("proposal_create", "year"), ("proposal_decision", "amount_per_recipient"),
              ("proposal_decision", "stated_total"), ("proposal_decision", "item_ids"),
              ("proposal_items", "amount"), ("proposal_items", "registration_id"),
              ("proposal_create", "items")]


@pytest.mark.parametrize("value", [2**31, 2**63, 2**70, -2**63 - 1])
@pytest.mark.parametrize("name, key", INT_FIELDS)
def test_integers_no_column_holds(name, key, value, endpoints, client_as):
    """Every integer of a payload at a PostgreSQL integer's bound, a bigint's, and beyond:
    answered below 500 (a recipient's amount of 2^31 was "integer out of range"), a refusal
    writing nothing."""
    ep = endpoints[name]()
    client = client_as(ep.user)
    client.raise_request_exception = False
    if isinstance(ep.body, list):
        body = [{**ep.body[0], key: value}]
    elif key == "item_ids":
        body = {**ep.body, key: [value]}
    elif key == "items":
        body = {**ep.body, "items": [{**ep.body["items"][0], "amount": value}]}
    else:
        body = {**ep.body, key: value}
    r, wrote = _send(client, ep, body)
    _check(r, wrote, (name, key, value), key=key if r.status_code == 422 else None)


@pytest.mark.parametrize("key", ["kind", "title", "field_id", "subject", "person_name",
                                 "person_position", "description"])
def test_a_null_for_a_correction_that_cannot_be_empty(key, endpoints, client_as):
    """PATCH /registrations/{id} with `"subject": null` reached the database (PostgreSQL:
    "null value in column subject violates not-null constraint", a server error): 422
    naming the field; leaving the field out keeps it unchanged."""
    ep = endpoints["edit"]()
    client = client_as(ep.user)
    client.raise_request_exception = False
    r, wrote = _send(client, ep, {"expected_version": ep.body["expected_version"], key: None})
    assert r.status_code == 422 and not wrote, r.content[:300]
    assert f"«{key}»" in r.json()["message"] and VIETNAMESE.search(r.json()["message"])


@pytest.mark.parametrize("name", ENDPOINTS)
def test_null_or_nul_in_every_field(name, endpoints, client_as):
    """Every top-level and nested field of every write route set to null, then to a NUL
    byte: the two values that broke payloads, tried on each field rather than by chance."""
    ep = endpoints[name]()
    client = client_as(ep.user)
    client.raise_request_exception = False
    if ep.multipart:
        return  # its form field is fuzzed with NUL above; multipart has no null
    tried = []
    for value in (None, "a\x00b"):
        for key in ep.keys:
            tried.append(({**ep.body, key: value}, key))
        for where, (index, keys) in ep.nested.items():
            for inner in keys:
                body = json.loads(json.dumps(ep.body))
                (body[where] if index is None else body[where][index])[inner] = value
                tried.append((body, None))
    for body, key in tried:
        r, wrote = _send(client, ep, body)
        _check(r, wrote, (name, key, repr(body)[:100]), key=key if r.status_code == 422
               else None)


@pytest.mark.parametrize("changes", [{"decision_number": "0" * 60, "certificate_prefix": ""},
                                     {"certificate_prefix": "GCN-" * 20}])
def test_certificate_numbers_longer_than_their_column(changes, endpoints, client_as):
    """The certificate number is the prefix (by default "<decision number>/") and 4 digits:
    over 64 characters it was a server error on PostgreSQL. Refused (400) naming the fields;
    nothing written."""
    ep = endpoints["decide"]()
    client = client_as(ep.user)
    client.raise_request_exception = False
    r, wrote = _send(client, ep, {**ep.body, **changes})
    assert r.status_code == 400 and not wrote, r.content[:300]
    assert "số giấy chứng nhận" in r.json()["detail"] and "64" in r.json()["detail"]
