"""A country-sized data set for the benchmarks, built once and reused.

A root "VN" with 34 provinces × 98 communes × 8 organisations (30,023 units), N
registrations of phase 2021-2025 (one initiative each) spread over the communes and
organisations, awards for a quarter of the recognised ones, a steering committee per
province and for the root, and two accounts: `bench.quocgia` (secretariat of the root,
the whole country) and `bench.tinh` (secretariat of province P07).

Rows are written by INSERT … SELECT over a generated series (PostgreSQL's
generate_series, a recursive CTE on SQLite), so a million registrations take about a
minute. `ensure(n)` keeps what is there when the registrations already number n.
"""
from __future__ import annotations

import time

from django.db import connection, transaction

PROVINCES, COMMUNES, ORGS = 34, 98, 8
PHASE = "2021-2025"
PROVINCE = "P07"
PASSWORD = "Bench-2026-dvk!"
USERS = {"bench.quocgia": "VN", "bench.tinh": PROVINCE}


def log(msg):
    print(msg, flush=True)


def _series(n: int) -> str:
    n = int(n)  # written into the SQL: the statements take no parameters (so % is modulo)
    if connection.vendor == "postgresql":
        return f"generate_series(1, {n}) AS s(g)"
    return (f"(WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s "
            f"WHERE g < {n}) SELECT g FROM s) AS s")


def _pick(values, index_expr: str) -> str:
    """The value at 0-based `index_expr` of a list, as portable SQL (no arrays on SQLite)."""
    whens = " ".join(f"WHEN {i} THEN {v}" for i, v in enumerate(values))
    return f"(CASE ({index_expr}) {whens} END)"


def _insert_select(model, exprs, source, joins=""):
    """INSERT INTO model (every concrete column) SELECT … with `exprs` for some columns and
    a neutral value for the others ('' / false / NULL / now)."""
    cols, values = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        cols.append(f'"{f.column}"')
        kind = f.get_internal_type()
        if f.column in exprs:
            values.append(exprs[f.column])
        elif f.null:
            values.append("NULL")
        elif kind == "DateTimeField":
            values.append("CURRENT_TIMESTAMP")
        elif kind == "BooleanField":
            values.append("false")
        elif kind in ("PositiveIntegerField", "IntegerField", "PositiveSmallIntegerField",
                      "BigIntegerField"):
            values.append("1")
        else:
            values.append("''")
    sql = (f'INSERT INTO "{model._meta.db_table}" ({", ".join(cols)}) '
           f'SELECT {", ".join(values)} FROM {source} {joins}')
    with connection.cursor() as cur:
        cur.execute(sql)


def build_tree():
    from dvk.orgs.models import Sector, Unit
    from dvk.orgs.tree import bulk_insert_units

    root = Unit.objects.filter(code="VN").first()
    if root:
        return root
    t = time.perf_counter()
    sectors = list(Sector.objects.order_by("order"))
    root = Unit(code="VN", name="Toàn quốc", kind="province")
    units = [root]
    for p in range(1, PROVINCES + 1):
        prov = Unit(code=f"P{p:02d}", name=f"Tỉnh {p:02d}", kind="province", parent=root)
        units.append(prov)
        for c in range(1, COMMUNES + 1):
            com = Unit(code=f"P{p:02d}-{c:03d}", name=f"Xã {p:02d}-{c:03d}", kind="grassroots",
                       parent=prov, sector=sectors[1])
            units.append(com)
            for o in range(1, ORGS + 1):
                units.append(Unit(code=f"P{p:02d}-{c:03d}-{o}", name=f"Tổ chức {o} xã {p}-{c}",
                                  kind="below", parent=com, sector=sectors[o % len(sectors)]))
    bulk_insert_units(units)
    log(f"  {len(units):,} units in {time.perf_counter() - t:.1f} s")
    return root


def registration_count(phase) -> int:
    from dvk.initiatives.models import Registration

    return Registration.objects.unscoped("benchmark data").filter(phase=phase).count()


def build_registrations(root, n, code=PHASE):
    """Registrations until the phase has n (appended in one INSERT … SELECT)."""
    from dvk.awards.models import Award, AwardKind
    from dvk.initiatives.models import Field, Initiative, Registration
    from dvk.phases.services import get_or_create_phase

    phase, _ = get_or_create_phase(code)
    have = registration_count(phase)
    if have >= n:
        return phase
    add = n - have
    t = time.perf_counter()
    levels = list(phase.ordered_levels().values_list("pk", flat=True))
    fields = list(Field.objects.order_by("order").values_list("pk", flat=True))
    kinds = list(AwardKind.objects.order_by("order").values_list("pk", flat=True))
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_carrier")
        cur.execute("CREATE TEMP TABLE bench_carrier AS SELECT row_number() OVER (ORDER BY id) - 1 "
                    "AS idx, id AS unit_id, sector_id FROM orgs_unit WHERE kind IN "
                    "('grassroots', 'below') AND path LIKE %s", [root.path + "%"])
        cur.execute("CREATE INDEX bench_carrier_idx ON bench_carrier (idx)")
        cur.execute("SELECT count(*) FROM bench_carrier")
        carriers = cur.fetchone()[0]
        cur.execute("SELECT coalesce(max(id), 0) FROM initiatives_initiative")
        first_ini = cur.fetchone()[0]
        # g continues the numbering of earlier runs; codes carry the phase, so they stay unique.
        g = f"(s.g + {have})"
        tag = "" if code == PHASE else f"{phase.start_year}-"
        _insert_select(Initiative, {
            "kind": "'collective'", "title": f"'Khéo vận động mô hình số ' || {g}",
            "unit_id": "c.unit_id", "sector_id": "c.sector_id",
            "field_id": _pick(fields, f"{g} % {len(fields)}"),
            "search_text": f"'kheo van dong mo hinh so ' || {g}",
            "sort_key": f"'k{tag}' || {g}", "code": f"'B{tag}' || {g}",
        }, _series(add), joins=f"JOIN bench_carrier c ON c.idx = (CAST({g} AS BIGINT) * 7919) % {carriers}")
        # One initiative per registration keeps (initiative, level, year) unique.
        _insert_select(Registration, {
            "initiative_id": "i.id", "phase_id": str(phase.pk),
            # 70 % grassroots, 23 % district, 7 % province
            "level_id": _pick(levels, f"CASE WHEN {g} % 100 < 70 THEN 0 WHEN {g} % 100 < 93 "
                                      f"THEN 1 ELSE 2 END") if len(levels) >= 3
            else _pick(levels, f"{g} % {len(levels)}"),
            "year": f"{phase.start_year} + ({g} % 5)",
            "unit_id": "i.unit_id", "sector_id": "i.sector_id", "field_id": "i.field_id",
            "state": f"CASE WHEN ({g} * 31) % 100 < 78 THEN 'recognized' WHEN ({g} * 31) % 100 "
                     f"< 93 THEN 'not_recognized' WHEN ({g} * 31) % 100 < 96 THEN 'accepted' "
                     f"WHEN ({g} * 31) % 100 < 97 THEN 'submitted' "
                     f"WHEN ({g} * 31) % 100 < 99 THEN 'draft' ELSE 'withdrawn' END",
            "is_exceptional": f"({g} % 97 = 0)",
            "exceptional_status": "''", "version": "1", "imported": "true",
        }, _series(add), joins=f"JOIN initiatives_initiative i ON i.id = {first_ini} + s.g")
        _insert_select(Award, {
            "kind_id": _pick(kinds, f"r.id % {len(kinds)}"),
            "phase_id": "r.phase_id", "level_id": "r.level_id", "year": "r.year",
            "registration_id": "r.id", "unit_id": "r.unit_id", "recipient_name": "'x'",
        }, "initiatives_registration r",
            joins=f"WHERE r.phase_id = {phase.pk} AND r.state = 'recognized' AND r.id % 4 = 0 "
                  f"AND r.initiative_id > {first_ini}")
        cur.execute("UPDATE initiatives_registration SET has_award = true WHERE id IN "
                    "(SELECT registration_id FROM awards_award WHERE phase_id = %s)", [phase.pk])
        cur.execute("DROP TABLE bench_carrier")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    log(f"  {add:,} registrations in {time.perf_counter() - t:.1f} s")
    return phase


def ensure_people(root, phase):
    """The two benchmark accounts and a committee at the root and at P07 (the queue needs one)."""
    from django.contrib.auth import get_user_model

    from dvk.orgs.enums import Role
    from dvk.orgs.models import Membership, Unit
    from dvk.phases.models import SteeringCommittee

    levels = list(phase.ordered_levels())
    for code, level in (("VN", levels[-1]), (PROVINCE, levels[-1])):
        unit = Unit.objects.get(code=code)
        SteeringCommittee.objects.get_or_create(
            unit=unit, phase=phase, defaults={"name": f"BCĐ {unit.name}", "level": level})
    User = get_user_model()
    for username, code in USERS.items():
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, unit=Unit.objects.get(code=code),
                                         role=Role.SECRETARIAT)


def ensure(n: int):
    """(root, phase) with n registrations in the phase, building what is missing."""
    from dvk.common.scoping import unscoped

    with unscoped("the benchmark builds and counts its own data"):
        root = build_tree()
        phase = build_registrations(root, n)
        ensure_people(root, phase)
        return root, phase


def ensure_phase(n: int, code: str):
    """(root, phase) of a phase of its own with n registrations (the growth measurements)."""
    from dvk.common.scoping import unscoped

    with unscoped("the benchmark builds and counts its own data"):
        root = build_tree()
        return root, build_registrations(root, n, code)


def session_cookie(username: str) -> str:
    """A signed-in session of `username` in the session store, as a browser would have
    after logging in (the load harness sends it as the `sessionid` cookie)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY,
                                     get_user_model)

    user = get_user_model().objects.get(username=username)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    # The backend that loads users (the lockout backend in front of it only checks logins).
    from django.contrib.auth import load_backend

    session[BACKEND_SESSION_KEY] = next(b for b in settings.AUTHENTICATION_BACKENDS
                                        if hasattr(load_backend(b), "get_user"))
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key
