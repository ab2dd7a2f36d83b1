"""The upper unit's own annual report, assembled from the reports that arrived from below:
frozen figures as sent, live ones for the units that have not sent, the totals of what
arrived, the late corrections, the spreadsheet."""
import io

import pytest
from tests.initiatives.conftest import (at_state, dinhhoa_org, draft,  # noqa: F401
                                        field_econ, levels, new_initiative, phase26)

pytestmark = pytest.mark.django_db

PARAMS = {"phase": "2026-2030", "year": "2026"}
REGISTERED = ("registered", "Cơ sở")


def _send(c, note="Báo cáo kết quả năm 2026."):
    return c.post("/bao-cao-nam/gui/", {**PARAMS, "note": note})


@pytest.fixture
def formula_commune(unit, phase26, levels):
    """A commune of Gò Quao that has not sent, whose name looks like a formula."""
    from dvk.orgs.models import Unit
    from dvk.phases.models import SteeringCommittee

    commune = Unit.objects.create(code="KG-GQ-95", name="=HYPERLINK(\"http://x\",\"Xã\")",
                                  kind="grassroots", parent=unit("KG-GQ"))
    SteeringCommittee.objects.create(unit=commune, phase=phase26, level=levels[0],
                                     name="BCĐ xã thử công thức")
    return commune


def test_frozen_figures_stay_as_sent_and_the_late_correction_is_listed(client_as, draft,
                                                                      formula_commune):
    from python_calamine import CalamineWorkbook

    from dvk.initiatives import services
    from dvk.reminders.models import AnnualReport
    from tests.acting import acting

    services.submit(draft("Khéo vận động trước khi gửi"), scope=acting("dinhhoa.vanthu"))
    assert _send(client_as("dinhhoa.thuky")).status_code == 302
    report = AnnualReport._unguarded.get(unit__code="KG-GQ-02", year=2026)
    frozen = next(r["registered"] for r in report.figures["levels"] if r["level"] == "Cơ sở")
    assert frozen >= 1
    # A late correction below after sending: one more registration in the commune.
    services.submit(draft("Khéo vận động sau khi gửi"), scope=acting("dinhhoa.vanthu"))

    gq = client_as("gq.thuky")
    resp = gq.get("/bao-cao-nam/tong-hop/", PARAMS)
    assert resp.status_code == 200
    a = resp.context["assembled"]
    row = next(r for r in a.arrived if r.unit.code == "KG-GQ-02")
    col = [c.key for c in a.columns].index(REGISTERED)
    assert row.cells[col] == frozen  # as sent, not as now
    assert a.totals[col] == sum(r.cells[col] for r in a.arrived) == frozen
    assert [(c.label, c.frozen, c.live) for c in row.corrections] == [
        ("Cơ sở: đăng ký", frozen, frozen + 1)]
    page = resp.content.decode()
    corrections = page[page.index('id="corrections"'):]
    assert "Cơ sở: đăng ký" in corrections
    assert f'href="/bao-cao-nam/{report.pk}/#differences"' in page  # the count is a link
    assert '<a class="btn" href="#corrections">1 điều chỉnh sau khi gửi</a>' in page
    # The report's own page, where the count leads, names the figure in Vietnamese too.
    detail = gq.get(f"/bao-cao-nam/{report.pk}/").content.decode()
    assert "Theo cấp › Cơ sở › đăng ký" in detail[detail.index('id="differences"'):]
    # The units that have not sent: listed, marked, with their live figures.
    not_sent = page[page.index('id="not-sent"'):page.index('id="corrections"')]
    assert "Chưa gửi" in not_sent and "Xã Định An" in not_sent
    assert all(r.report is None or r.report.state == "returned" for r in a.missing)
    assert "Xã Định Hòa" not in not_sent

    # The spreadsheet: the same table, names as text (never formulas), the corrections.
    xl = gq.get("/bao-cao-nam/tong-hop/tai-ve/", PARAMS)
    assert xl.status_code == 200 and ".xlsx" in xl["Content-Disposition"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(xl.content))
    table = book.get_sheet_by_index(0).to_python()
    head = table[3]
    mine = next(r for r in table if r[0] == "Xã Định Hòa")
    assert mine[head.index("Cơ sở: đăng ký")] == frozen
    assert any(r[0] == formula_commune.name and r[1].startswith("Chưa gửi") for r in table)
    fixes = book.get_sheet_by_index(1).to_python()
    assert ["Xã Định Hòa", "Cơ sở: đăng ký", frozen, frozen + 1] in fixes


@pytest.mark.parametrize("deeper", [False, True], ids=["districts", "a district and communes"])
@pytest.mark.parametrize("moved", [False, True], ids=["no move", "a commune moved in 2025"])
def test_live_figures_of_the_units_equal_their_own_summaries(unit, tmp_path, moved, deeper):
    """The batched live figures (a few grouped queries) count as each unit's summary, under
    the structure of the time when a commune has moved since (CONTRACTS §6)."""
    from dvk.initiatives.models import Registration
    from dvk.orgs.models import Unit
    from dvk.phases.models import Phase
    from dvk.reminders.assembled import headline, live_headlines
    from dvk.reports.summary import build_summary

    phase = Phase.objects.get(code="2021-2025")
    top = unit("KG")
    if moved:
        from tests.reports.test_summary_reform import import_structure

        gq = unit("KG-GQ")
        path = (Registration.objects.unscoped("tests").filter(
            phase=phase, year=2024, unit__path__startswith=gq.path)
            .exclude(unit=gq).values_list("unit__path", flat=True).order_by("unit__path").first())
        commune = Unit.objects.get(path=path[:len(gq.path)] + path[len(gq.path):].split("/")[0]
                                   + "/").code
        import_structure(tmp_path, [["01/07/2025", "Chuyển", commune, "", "", "KG-RG", "", ""]])
        assert unit(commune).parent == unit("KG-RG")
    districts = list(Unit.objects.filter(parent=top, code__in=["KG-GQ", "KG-RG", "KG-HT"])
                     .order_by("path"))
    assert len(districts) == 3
    if deeper:  # followed units at two depths: a district, and communes of another
        districts = districts[:1] + list(
            Unit.objects.filter(parent=districts[1]).order_by("path")[:3])
    live = live_headlines(phase, 2024, top, districts, list(phase.ordered_levels()))
    assert any(live[d.pk][("registered", "Cơ sở")] for d in districts)  # real data
    for d in districts:
        expected = headline(build_summary(phase, d, year=2024))
        assert {k: v for k, v in live[d.pk].items() if v} == \
            {k: v for k, v in expected.items() if v}, d.code


def test_the_province_assembles_from_the_districts(client_as):
    _send(client_as("gq.thuky"))
    resp = client_as("tinh.thuky").get("/bao-cao-nam/tong-hop/", PARAMS)
    a = resp.context["assembled"]
    assert [r.unit.code for r in a.arrived] == ["KG-GQ"]
    # The province follows the committees just below it, not the communes under Gò Quao.
    codes = [r.unit.code for r in a.rows]
    assert a.missing and "KG-GQ-02" not in codes
    assert not any(c.startswith("KG-GQ-") for c in codes)


def test_a_clerk_sees_neither_the_assembled_report_nor_its_download(client_as):
    c = client_as("dinhhoa.vanthu")
    assert c.get("/bao-cao-nam/tong-hop/", PARAMS).status_code == 403
    assert c.get("/bao-cao-nam/tong-hop/tai-ve/", PARAMS).status_code == 403


def test_a_committee_with_nobody_below_says_so(client_as):
    page = client_as("dinhhoa.thuky").get("/bao-cao-nam/tong-hop/", PARAMS).content.decode()
    assert 'id="nobody-below"' in page and "Chưa nhận được báo cáo nào" not in page
