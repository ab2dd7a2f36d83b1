"""Helpers for the dashboard and export tests: planting data problems, reading exports."""
from __future__ import annotations

import csv
import io

from openpyxl import load_workbook


def strip_ids(rows):
    """LEVELROWs without the dashboard's extra keys, comparable with build_summary's."""
    keys = ("level", "registered", "recognized", "not_recognized", "exceptional",
            "recognition_rate")
    return [{k: r[k] for k in keys} for r in rows]


def plant_registration(unit_code, phase_code="2021-2025", *, level_order=1, year=None,
                       title="Khéo vận động trồng cây xanh", subject=None, **fields):
    """A new initiative of `unit_code` registered at a level of a phase."""
    from dvk.initiatives.enums import State
    from dvk.initiatives.models import Field, Initiative, Registration
    from dvk.orgs.models import Unit
    from dvk.phases.models import Phase

    unit = Unit.objects.get(code=unit_code)
    phase = Phase.objects.get(code=phase_code)
    level = phase.levels.get(order=level_order)
    field = Field.objects.order_by("order").first()
    ini = Initiative.objects.create(title=title, unit=unit, sector=unit.sector, field=field,
                                    subject=subject or unit.name)
    fields.setdefault("state", State.SUBMITTED)
    return Registration.objects.create(initiative=ini, phase=phase, level=level,
                                       year=year or phase.start_year, unit=unit,
                                       sector=unit.sector, field=field, **fields)


def read_xlsx(content: bytes):
    """(header, rows, worksheet) of the first sheet."""
    ws = load_workbook(io.BytesIO(content)).active
    rows = list(ws.iter_rows(values_only=True))
    return list(rows[0]), [list(r) for r in rows[1:]], ws


def read_csv(content: bytes):
    assert content.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return rows[0], rows[1:]


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
