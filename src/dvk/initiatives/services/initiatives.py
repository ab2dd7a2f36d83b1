"""Models (initiatives): create and edit, tags, what they replicate."""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet

from dvk.common import history
from dvk.common.rules import check
from dvk.common.text import clean
from dvk.orgs.models import Unit
from dvk.orgs.scope import Scope

from .. import rules
from ..codes import fill_codes
from ..enums import InitiativeKind
from ..models import Field, Initiative, Tag
from ._common import _refuse, _user

INITIATIVE_FIELDS = ("kind", "title", "field", "sector", "subject", "person_name",
                     "person_position", "description", "start_year", "replicates")

# --- initiatives ---------------------------------------------------------------------------

def _validate_initiative(ini: Initiative) -> None:
    """Refuse an invalid model; an empty sector becomes the unit's (for creation and
    correction alike)."""
    if ini.sector_id is None and ini.unit_id is not None:
        ini.sector = ini.unit.sector
    if not clean(ini.title):
        _refuse("Vui lòng nhập tên mô hình.")
    if ini.kind not in InitiativeKind.values:
        _refuse("Loại mô hình không hợp lệ.")
    if ini.kind == InitiativeKind.INDIVIDUAL and not clean(ini.person_name):
        _refuse("Điển hình cá nhân phải có họ tên người thực hiện.")
    if ini.field_id is None:
        _refuse("Vui lòng chọn lĩnh vực.")
    if ini.start_year is not None and not (1945 <= int(ini.start_year) <= 2100):
        _refuse("Năm bắt đầu không hợp lệ.")
    if ini.replicates_id and ini.pk and ini.replicates_id == ini.pk:
        _refuse("Mô hình không thể nhân rộng từ chính nó.")


REPLICATES_REFUSED = rules.NOT_REPLICABLE.message


def _check_replicates(scope: Scope, model: Initiative | None) -> None:
    if model is not None:
        check("initiative.replicate", scope, model)


def _set_tags(ini: Initiative, tags) -> None:
    objs = []
    for name in tags or ():
        name = clean(name)[:64]
        if name:
            objs.append(Tag.objects.get_or_create(name=name)[0])
    ini.tags.set(objs)


def create_initiative(*, unit: Unit, kind, title: str, field: Field, sector=None,
                      subject: str = "", person_name: str = "", person_position: str = "",
                      description: str = "", start_year: int | None = None,
                      replicates: Initiative | None = None, tags=(),
                      scope: Scope, request_token: str = "") -> Initiative:
    actor = scope.user
    check("initiative.create", scope, unit)
    _check_replicates(scope, replicates)
    if request_token:
        done = _sent_before(request_token)
        if done is not None:  # the same form sent twice (a double click): nothing new
            return done
    ini = Initiative(unit=unit, kind=kind, title=clean(title), field=field,
                     sector=sector, subject=clean(subject),
                     person_name=clean(person_name), person_position=clean(person_position),
                     description=description or "", start_year=start_year,
                     replicates=replicates, created_by=_user(actor),
                     request_token=request_token or None)
    _validate_initiative(ini)
    try:
        with transaction.atomic():
            ini.save()
            if not ini.code:  # "Mã mô hình": exports and re-imports name the model by it
                fill_codes(Initiative.objects.again(ini))
                ini.refresh_from_db(fields=["code"])
            _set_tags(ini, tags)
            history.record(ini, "create", actor=actor)
    except IntegrityError:  # the twin request of a double click committed first
        done = _sent_before(request_token) if request_token else None
        if done is None:
            raise
        return done
    return ini


def _sent_before(request_token: str) -> Initiative | None:
    """The model this very form already created (its one-time token), if any."""
    return (Initiative.objects.unscoped("a form's one-time token names its own model")
            .filter(request_token=request_token).first())


def update_initiative(initiative: Initiative, *, scope: Scope,
                      **fields) -> Initiative:
    actor = scope.user
    check("initiative.create", scope, initiative.unit)
    tags = fields.pop("tags", None)
    unknown = set(fields) - set(INITIATIVE_FIELDS)
    if unknown:
        raise TypeError(f"unknown initiative fields: {sorted(unknown)}")
    if "replicates" in fields and getattr(fields["replicates"], "pk", None) != \
            initiative.replicates_id:
        _check_replicates(scope, fields["replicates"])
    before = history.snapshot(initiative, fields)
    for name, value in fields.items():
        setattr(initiative, name, clean(value) if isinstance(value, str) and name != "description"
                else value)
    _validate_initiative(initiative)
    with transaction.atomic():
        initiative.save()
        if tags is not None:
            _set_tags(initiative, tags)
        history.record(initiative, "update", actor=actor,
                       changes=history.diff(before, history.snapshot(initiative, fields)))
    return initiative


# --- replication ----------------------------------------------------------------------------

# Copies are counted across the tree; a count shows no other unit's row.
COUNTS_ONLY = "counting copies across the tree"

def replications_of(initiative: Initiative, *, queryset: QuerySet) -> QuerySet[Initiative]:
    """Initiatives that copy this one (directly), among those `queryset` may show."""
    return queryset.filter(replicates=initiative).select_related("unit")


def replication_counts(initiatives) -> dict[int, int]:
    """{initiative id: number of direct replications} in one query (for reports)."""
    ids = [getattr(i, "pk", i) for i in initiatives]
    rows = (Initiative.objects.unscoped(COUNTS_ONLY).filter(replicates_id__in=ids)
            .values("replicates_id")
            .annotate(n=Count("id")))
    return {r["replicates_id"]: r["n"] for r in rows}


def replication_count(initiative: Initiative) -> int:
    return Initiative.objects.unscoped(COUNTS_ONLY).filter(replicates=initiative).count()
