"""Official documents built from the statistics (Party document format, CONVENTIONS §1)."""


def phase_report_docx(phase, unit, *, year=None, structure="time", profile=None) -> bytes:
    from .phase_report import phase_report_docx as build

    return build(phase, unit, year=year, structure=structure, profile=profile)
