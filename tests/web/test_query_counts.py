"""Every list page, search page, dashboard, tree node and API list runs the same exact
number of queries with 1 row and with 3 rows of its data (see tests/querycount.py): paged
lists by their page size, the rest (dashboard, summary, tree node, phases) by growing the
data itself. The exact count also catches a page that starts querying more for all rows."""
import pytest
from tests.initiatives.conftest import (dinhhoa_org, field_econ,  # noqa: F401
                                        new_initiative)

from dvk.activities.figures import ACTIVITY_QUERIES  # the summary's §9 block: a fixed number
from tests.querycount import same_count_for_1_and_3_rows

pytestmark = pytest.mark.django_db


def paged(module, const):
    """Rows shown by a paginated HTML list: its page size set to n."""
    def setup(monkeypatch, n):
        monkeypatch.setattr(f"{module}.{const}", n)
        return {}
    return setup


def limit(monkeypatch, n):
    return {"limit": n}


INITIATIVES = paged("dvk.initiatives.views._common", "PAGE_SIZE")


def assigned_to_province_appraiser(monkeypatch, n):
    """Three registrations appraised by tinh.thamdinh (the demo assigns none)."""
    from django.contrib.auth import get_user_model

    from dvk.initiatives.models import Appraisal, Registration
    from dvk.phases.models import AppraisalTeam

    appraiser = get_user_model().objects.get(username="tinh.thamdinh")
    if not Appraisal.objects.filter(appraiser=appraiser).exists():
        team = AppraisalTeam.objects.filter(committee__unit__code="KG").first()
        regs = Registration.objects.filter(state="recognized", unit__code__startswith="KG-GQ")[:3]
        for reg in regs:
            Appraisal.objects.create(registration=reg, team=team, appraiser=appraiser)
    return INITIATIVES(monkeypatch, n)
def _activity_data():
    """Three of each activity in Gò Quao (2026–2030), and three follow-up visits (the demo
    records none)."""
    import datetime as dt

    from dvk.activities.models import (BudgetLine, FollowUpVisit, InspectionRound,
                                       InspectionVisit, PressEntry, Review, TrainingClass)
    from dvk.initiatives.models import Registration
    from dvk.orgs.models import Unit
    from dvk.phases.models import Phase

    if TrainingClass.objects.unscoped("tests").filter(name__startswith="Lớp đếm").exists():
        return
    phase = Phase.objects.get(code="2026-2030")
    gq = Unit.objects.get(code="KG-GQ")
    communes = list(Unit.objects.filter(parent=gq).order_by("path")[:3])
    regs = list(Registration.objects.unscoped("tests").filter(
        unit__path__startswith=gq.path).order_by("pk")[:3])
    for i, commune in enumerate(communes):
        TrainingClass.objects.create(phase=phase, unit=gq, date=dt.date(2026, 3, 1 + i),
                                     name=f"Lớp đếm {i}", attendances=0 if i else 50)
        r = InspectionRound.objects.create(phase=phase, unit=gq, code=f"KT-ĐẾM-{i}",
                                           form="inspection", start_date=dt.date(2026, 5, 1),
                                           end_date=dt.date(2026, 5, 30))
        InspectionVisit.objects.create(round=r, unit=commune, date=dt.date(2026, 5, 2 + i))
        PressEntry.objects.create(phase=phase, unit=gq, title=f"Tác phẩm đếm {i}", author="A",
                                  genre="print", year=2026, national_finalist=bool(i))
        Review.objects.create(phase=phase, unit=commune, kind="interim",
                              planned_date=dt.date(2028, 10, 1))
        BudgetLine.objects.create(phase=phase, unit=gq, kind="spending", amount=1000 * (i + 1),
                                  date=dt.date(2026, 4, 1), purpose=f"Chi {i}")
        FollowUpVisit.objects.create(registration=regs[i], date=dt.date(2026, 11, 1),
                                     visitor="Lê Văn Bình", findings="x")


def activity_list(monkeypatch, n):
    _activity_data()
    monkeypatch.setattr("dvk.activities.views.base.PAGE_SIZE", n)
    return {}


def activity_api(monkeypatch, n):
    _activity_data()
    return {"limit": n}


def history_entries(monkeypatch, n):
    """Three entries of the system-wide trail, by a province user (the demo writes none)."""
    from django.contrib.auth import get_user_model

    from dvk.common.history import record
    from dvk.orgs.models import Unit

    actor = get_user_model().objects.get(username="tinh.thuky")
    unit = Unit.objects.get(code="KG")
    for i in range(3):
        record(unit, "unit.changed", actor=actor, changes={"name": ["a", f"b{i}"]})
    monkeypatch.setattr("dvk.web.audit.TRAIL_PAGE", n)
    return {"unit": "KG", "since": "2000-01-01"}


def notifications(monkeypatch, n):
    """Three notifications of the commune clerk, the page size set to n."""
    from django.contrib.auth import get_user_model

    from dvk.reminders.models import Notification

    clerk = get_user_model().objects.get(username="dinhhoa.vanthu")
    unit = clerk.memberships.get().unit
    while Notification._unguarded.filter(user=clerk).count() < 3:
        Notification.objects.create(user=clerk, unit=unit, kind="returned", object_key="x",
                                    text="Hồ sơ bị trả lại", url="/mo-hinh/")
    return paged("dvk.reminders.views", "PAGE_SIZE")(monkeypatch, n)


# (case, persona, url, fixed params, how to show n rows, exact queries)
# Every page counts the unread notifications once for the bell in its header.
# A user of a root unit (tinh.*) also asks once whether it is the only root (orgs.scope).
CASES = [
    ("notifications", "dinhhoa.vanthu", "/thong-bao/", {}, notifications, 6),
    # The list's rows and their catalogues: phase, level, field, sector by prefetch.
    ("registrations", "gq.thuky", "/mo-hinh/", {"phase": "2016-2020"}, INITIATIVES, 16),
    # Keyset pages (common/pagination): the position in the list (`after`/`before` a row's
    # year and id), the search and a bounded count cost the same queries as the first page.
    ("registrations search", "gq.thuky", "/mo-hinh/", {"phase": "2016-2020", "q": "kheo"},
     INITIATIVES, 16),
    ("registrations after", "gq.thuky", "/mo-hinh/", {"phase": "2016-2020",
                                                       "after": "3000.1"}, INITIATIVES, 16),
    ("registrations before", "gq.thuky", "/mo-hinh/", {"phase": "2016-2020", "before": "1000.1"},
     INITIATIVES, 16),
    # The queue's late cards come from their own URL (initiatives:queue_overdue).
    ("queue", "gq.thuky", "/mo-hinh/hang-doi/", {"phase": "2016-2020", "tab": "recognized"},
     INITIATIVES, 14),
    ("queue after", "gq.thuky", "/mo-hinh/hang-doi/", {"phase": "2016-2020", "q": "kheo",
                                                       "tab": "recognized", "after": "3000.1"},
     INITIATIVES, 14),
    ("unit search", "tinh.thuky", "/don-vi/", {"q": "hoi"},
     paged("dvk.web.units", "SEARCH_PAGE_SIZE"), 8),
    ("committees", "tinh.thuky", "/giai-doan/ban-chi-dao/", {},
     paged("dvk.phases.views", "COMMITTEES_PAGE_SIZE"), 8),
    ("api registrations", "gq.thuky", "/api/v1/registrations", {"phase": "2016-2020"},
     limit, 6),
    ("api registrations after", "gq.thuky", "/api/v1/registrations",
     {"q": "kheo", "after": "3000.1"}, limit, 5),
    ("api registrations offset", "gq.thuky", "/api/v1/registrations",
     {"phase": "2016-2020", "offset": "2"}, limit, 6),
    ("api units", "tinh.thuky", "/api/v1/units", {}, limit, 5),
    ("assigned appraisals", "tinh.thamdinh", "/mo-hinh/tham-dinh/", {},
     assigned_to_province_appraiser, 7),
    *[(f"activities {path}", "gq.thuky", f"/hoat-dong/{path}/", {}, activity_list, count)
      for path, count in (("tap-huan", 8), ("kiem-tra", 8), ("bao-chi", 8),
                          ("so-ket", 11), ("kinh-phi", 8))],
    *[(f"api activities {name}", "gq.thuky", f"/api/v1/activities/{name}", {}, activity_api,
       count) for name, count in (("training", 5), ("inspections", 6), ("press", 5),
                                  ("reviews", 5), ("budget", 5), ("follow-up-visits", 5))],
    # The public gallery, anonymous (None): ETag (recognitions, photos), count, rows, their
    # recognitions, covers, the filters' years/levels, fields and units.
    ("public gallery", None, "/mo-hinh-tieu-bieu/", {"year": "2025"},
     paged("dvk.gallery.views", "PAGE_SIZE"), 9),
    ("public gallery search", None, "/mo-hinh-tieu-bieu/", {"q": "kheo", "level": "Cơ sở"},
     paged("dvk.gallery.views", "PAGE_SIZE"), 9),
    ("audit trail", "quantri", "/nhat-ky/", {}, history_entries, 6),
]


@pytest.mark.parametrize("case,persona,url,params,rows,expected", CASES,
                         ids=[c[0] for c in CASES])
def test_same_exact_query_count_for_1_and_3_rows(client_as, monkeypatch, case, persona, url,
                                                 params, rows, expected):
    from django.test import Client

    c = client_as(persona) if persona else Client()
    one, three = same_count_for_1_and_3_rows(c, url, lambda n: rows(monkeypatch, n), params)
    print(f"{case}: {one} / {three}")
    assert one == three, f"{case}: {one} queries with 1 row, {three} with 3 (N+1)"
    assert one == expected, f"{case}: {one} queries, expected {expected}"


# --- pages whose rows are the data itself (no page size): grow the data ---------------------

def _branch(n):
    """A new district under the province with n communes, each with one registration in
    2021-2025: n rows in a dashboard's or summary's by-unit table and in a tree node."""
    from dvk.orgs.models import Unit
    from tests.reports.dash_helpers import plant_registration

    parent = Unit.objects.create(code=f"KG-QC{n}", name=f"Đảng bộ thử {n}", kind="district",
                                 parent=Unit.objects.get(code="KG"))
    for i in range(n):
        child = Unit.objects.create(code=f"KG-QC{n}-{i}", name=f"Xã thử {i}", kind="grassroots",
                                    parent=parent)
        plant_registration(child.code, title=f"Khéo vận động thử {n}-{i}")
    return parent.code


def _phases(n):
    from dvk.phases.services import get_or_create_phase

    for i in range(n):
        get_or_create_phase(f"{2041 + 5 * i}-{2045 + 5 * i}")
    return None


def _profiles(n):
    import datetime as dt

    from dvk.reports.models import DocumentProfile

    for i in range(n):
        DocumentProfile.objects.create(code="party-decision", version=10 + i,
                                       valid_from=dt.date(2020 + i, 1, 1),
                                       overrides={"signature_title": f"PHÓ TRƯỞNG BAN {i}"})
    return None


def _api_keys(n):
    """n personal API keys of gq.thuky, listed on their page with their role and unit."""
    from django.contrib.auth import get_user_model

    from dvk.api import tokens
    from dvk.orgs.scope import scope_for

    scope = scope_for(get_user_model().objects.get(username="gq.thuky"))
    for i in range(n):
        tokens.create_token(scope, name=f"khóa {i}", membership=scope.membership)


def _directive(committee, number, responds_to=None):
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from dvk.directives import services
    from dvk.orgs.scope import Scope

    return services.publish(scope=Scope.system("tests: directives to count"), committee=committee,
                            kind="plan", number=number, issued_on=dt.date(2026, 4, 15),
                            signer="Phó Trưởng Ban", title=f"Kế hoạch {number}",
                            uploaded_file=SimpleUploadedFile("kh.pdf", b"%PDF-1.4 x"),
                            responds_to=responds_to)


def _directives(n):
    """n plans the province sent Gò Quao in 2021–2025 (the demo has none then), and n plans
    of Gò Quao's committee: the index's two lists, each directive with its tally."""
    from dvk.phases.models import SteeringCommittee

    kg = SteeringCommittee.objects.get(unit__code="KG", phase__code="2021-2025")
    gq = SteeringCommittee.objects.get(unit__code="KG-GQ", phase__code="2021-2025")
    for i in range(n):
        _directive(kg, f"{20 + i}-KH/BCĐ")
        _directive(gq, f"{30 + i}-KH/HU")
    return None


def _directive_below(n):
    """A new district's committee (2026–2030) with n commune committees below, each of them
    acknowledging its plan and filing an implementing plan: n rows on the plan's page."""
    from dvk.orgs.models import Unit
    from dvk.phases.models import Phase, SteeringCommittee

    phase = Phase.objects.get(code="2026-2030")
    district = Unit.objects.create(code=f"KG-VB{n}", name=f"Huyện thử {n}", kind="district",
                                   parent=Unit.objects.get(code="KG"))
    top = SteeringCommittee.objects.create(unit=district, phase=phase, name=f"BCĐ thử {n}")
    plan = _directive(top, "01-KH/HU")
    for i in range(n):
        commune = Unit.objects.create(code=f"KG-VB{n}-{i}", name=f"Xã thử {i}",
                                      kind="grassroots", parent=district)
        c = SteeringCommittee.objects.create(unit=commune, phase=phase, name=f"BCĐ xã {i}")
        _directive(c, "01-KH/ĐU", responds_to=plan)  # which acknowledges the plan too
    return plan.pk


def _areas(n):
    """A new district's committee with n members, each following one of its communes."""
    from dvk.directives.models import MemberArea
    from dvk.orgs.models import Unit
    from dvk.phases.models import CommitteeMember, Phase, SteeringCommittee

    phase = Phase.objects.get(code="2026-2030")
    district = Unit.objects.create(code=f"KG-DB{n}", name=f"Huyện thử {n}", kind="district",
                                   parent=Unit.objects.get(code="KG"))
    top = SteeringCommittee.objects.create(unit=district, phase=phase, name=f"BCĐ thử {n}")
    for i in range(n):
        commune = Unit.objects.create(code=f"KG-DB{n}-{i}", name=f"Xã thử {i}",
                                      kind="grassroots", parent=district)
        member = CommitteeMember.objects.create(committee=top, full_name=f"Thành viên {i}")
        MemberArea.objects.create(member=member, unit=commune)
    return top.pk


def _annual_reports(n):
    """n communes of Gò Quao whose 2026 annual report arrived, figures frozen at sending."""
    from django.utils import timezone

    from dvk.phases.models import Phase, SteeringCommittee
    from dvk.reminders.models import AnnualReport
    from dvk.reports.summary import build_summary

    phase = Phase.objects.get(code="2026-2030")
    for c in (SteeringCommittee.objects.filter(phase=phase, unit__parent__code="KG-GQ")
              .select_related("unit").order_by("unit__path")[:n]):
        AnnualReport.objects.create(unit=c.unit, phase=phase, year=2026,
                                    figures=build_summary(phase, c.unit, year=2026),
                                    sent_at=timezone.now())


def _rows_in_context(key):
    return lambda resp: len(resp.context[key])


# (case, persona, url(made), params(made), make(n), rows shown(resp), exact queries)
GROWN = [
    ("dashboard", "tinh.lanhdao", lambda code: "/bao-cao/tong-quan/",
     lambda code: {"phase": "2021-2025", "unit": code}, _branch,
     lambda resp: len(resp.context["figs"].by_unit), 19),
    # The district and its n communes have no committee: n + 1 units listed.
    ("dashboard checks", "tinh.lanhdao", lambda code: "/bao-cao/tong-quan/kiem-tra/",
     lambda code: {"phase": "2021-2025", "unit": code}, _branch,
     lambda resp: len(next(p for p in resp.context["problems"]
                           if p.code == "no_committee").items) - 1, 19),
    ("api summary", "tinh.lanhdao", lambda code: "/api/v1/summary",
     lambda code: {"phase": "2021-2025", "unit": code}, _branch,
     lambda resp: len(resp.json()["by_unit"]), 15 + ACTIVITY_QUERIES),
    ("tree node", "tinh.thuky", lambda code: f"/don-vi/{code}/con/", lambda code: {}, _branch,
     _rows_in_context("children"), 6),
    ("phases", "tinh.thuky", lambda made: "/giai-doan/", lambda made: {}, _phases,
     lambda resp: len(resp.context["phases"]) - 3, 6),
    ("document profiles", "quantri", lambda made: "/mau-van-ban/", lambda made: {}, _profiles,
     lambda resp: sum(len(k["rows"]) for k in resp.context["kinds"]), 10),
    # Live figures of every unit below in a fixed number of grouped queries.
    # Its live figures: the summary's tally for the followed units (levels, the tree of
    # the time, the subtree's units, the grouped scan) and one query per other record,
    # placed by the tally's own tree of the time.
    ("assembled annual report", "gq.thuky", lambda made: "/bao-cao-nam/tong-hop/",
     lambda made: {"phase": "2026-2030", "year": "2026"}, _annual_reports,
     lambda resp: len(resp.context["assembled"].arrived), 21),
    ("api keys", "gq.thuky", lambda made: "/tai-khoan/khoa-api/", lambda made: {}, _api_keys,
     _rows_in_context("tokens"), 6),
    ("directives", "gq.thuky", lambda made: "/van-ban-chi-dao/",
     lambda made: {"phase": "2021-2025"}, _directives,
     lambda resp: len(resp.context["received"]) if len(resp.context["received"]) ==
     len(resp.context["issued"]) else -1, 13),
    ("directive's committees below", "tinh.thuky", lambda pk: f"/van-ban-chi-dao/{pk}/",
     lambda pk: {}, _directive_below, _rows_in_context("follows"), 11),
    ("areas followed", "quantri", lambda pk: f"/van-ban-chi-dao/ban-chi-dao/{pk}/dia-ban/",
     lambda pk: {}, _areas, _rows_in_context("rows"), 10),
]


@pytest.mark.parametrize("case,persona,url,params,make,rows,expected", GROWN,
                         ids=[c[0] for c in GROWN])
def test_same_exact_query_count_for_1_and_3_rows_of_data(client_as, case, persona, url, params,
                                                         make, rows, expected):
    from django.db import transaction

    from tests.querycount import queries_for

    c = client_as(persona)
    counts = {}
    for n in (1, 3):
        sid = transaction.savepoint()
        made = make(n)
        c.get(url(made), params(made))  # warm session, caches
        counts[n], resp = queries_for(c, url(made), params(made))
        assert rows(resp) == n, (case, n, rows(resp))
        transaction.savepoint_rollback(sid)
    print(f"{case}: {counts[1]} / {counts[3]}")
    assert counts[1] == counts[3], f"{case}: {counts[1]} queries with 1 row, {counts[3]} with 3"
    assert counts[1] == expected, f"{case}: {counts[1]} queries, expected {expected}"


def test_home_worklist_runs_the_same_queries_for_1_and_3_items(client_as, monkeypatch,
                                                              new_initiative):
    """The clerk's home: its worklist (here three drafts of the current phase) costs one
    query whatever its length; the calendar and the state counts one each."""
    from django.utils import timezone

    from dvk.initiatives import services
    from dvk.phases.models import Phase
    from tests.acting import acting
    from tests.initiatives.conftest import TARGETS
    from tests.querycount import queries_for

    year = timezone.localdate().year
    phase = Phase.objects.filter(start_year__lte=year, end_year__gte=year).first()
    if phase is None:
        pytest.skip("no phase covers this year")
    for i in range(3):
        ini = new_initiative(f"Khéo vận động thử danh sách việc {i}")
        services.register(scope=acting("dinhhoa.vanthu"), initiative=ini, phase=phase,
                          level=phase.ordered_levels().first(), year=year, targets=TARGETS)
    c = client_as("dinhhoa.vanthu")
    counts = {}
    for n in (1, 3):
        monkeypatch.setattr("dvk.web.queries.WORKLIST_SIZE", n)
        c.get("/")
        counts[n], resp = queries_for(c, "/")
        assert len(resp.context["work"]) == n
    assert counts[1] == counts[3], counts
    assert counts[1] == 8, counts[1]
