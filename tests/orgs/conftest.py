"""Fixtures for the org tree: past registrations on given units, unit files on disk."""
import csv
import datetime as dt

import pytest

REFORM = dt.date(2025, 7, 1)
HEADER = ["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Loại", "Khối"]


@pytest.fixture
def register_2018(db):
    """register_2018("KG-GQ-02-PN", n) → n recognised 2016–2020 grassroots registrations."""
    from dvk.initiatives.enums import State
    from dvk.initiatives.models import Field, Initiative, Registration
    from dvk.orgs.models import Unit
    from dvk.phases.models import Phase

    phase = Phase.objects.get(code="2016-2020")
    level = phase.ordered_levels().first()
    field = Field.objects.order_by("order").first()

    def make(code, n=2):
        unit = Unit.objects.get(code=code)
        regs = []
        for i in range(n):
            ini = Initiative.objects.create(title=f"Khéo vận động thắp sáng đường quê {code} {i}",
                                            unit=unit, sector=unit.sector, field=field)
            regs.append(Registration.objects.create(
                initiative=ini, phase=phase, level=level, year=2018, unit=unit,
                sector=unit.sector, field=field, state=State.RECOGNIZED))
        return regs

    return make


def write_csv(path, rows, header=HEADER, bom=True):
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def write_xlsx(path, rows, header=HEADER):
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Đơn vị")
    ws.write_row(0, 0, header)
    for i, row in enumerate(rows, start=1):
        ws.write_row(i, 0, row)
    wb.close()
    return path
