"""Refuse spreadsheet archives that would exhaust memory when parsed (zip bombs).

An .xlsx (or .ods) is a zip archive, and the parser inflates the first sheet and keeps every
cell of it: a 2.6 MB file holding a sheet of one repeated character took a worker to 3 GB.
So, before parsing, the archive's central directory is read (no inflating):

- the declared uncompressed sizes must add up to at most DVK_IMPORT_MAX_UNCOMPRESSED_BYTES.
  The parser stops at a member larger than it declares, so these sizes bound what it reads;
- a member over RATIO_GRACE bytes must not inflate more than DVK_IMPORT_MAX_COMPRESSION_RATIO
  times (real sheets inflate 5–20 times; a bomb, hundreds or thousands);
- the first sheet's used range, as its <dimension> declares it, must hold at most
  DVK_IMPORT_MAX_CELLS cells: the parser allocates the whole rectangle, so a single value in
  cell XFD1048576 of a 5 kB file would ask for 550 GB and abort the process.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from django.conf import settings

from .tabular import ImportRefused, Problem

MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_CELLS = 20_000_000
RATIO_GRACE = 1024 * 1024  # small members may compress well (repeated styles): harmless
HEAD = 64 * 1024  # the <dimension> element comes before any cell

_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\b(?:\w+:)?id="([^"]+)"')
_TARGET = re.compile(rb'<Relationship\b[^>]*>')
_ATTR = re.compile(rb'\b(Id|Target)="([^"]*)"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _refuse(message: str):
    raise ImportRefused([Problem(None, None, message)])


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def check_archive(path: Path) -> None:
    """Raise ImportRefused when the archive at `path` would inflate beyond the limits.
    A file that is not a zip (.xls, or a damaged file) is left to the parser."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return
    with archive:
        infos = archive.infolist()
        max_total = limit("DVK_IMPORT_MAX_UNCOMPRESSED_BYTES", MAX_UNCOMPRESSED_BYTES)
        total = sum(i.file_size for i in infos)
        if total > max_total:
            _refuse(f"Tệp Excel khi giải nén lớn {_mb(total)}, vượt giới hạn {_mb(max_total)}; "
                    "hãy chia dữ liệu thành nhiều tệp nhỏ hơn.")
        max_ratio = limit("DVK_IMPORT_MAX_COMPRESSION_RATIO", MAX_COMPRESSION_RATIO)
        for info in infos:
            if info.file_size > RATIO_GRACE and info.file_size > max_ratio * info.compress_size:
                _refuse(f"Tệp Excel có phần «{info.filename}» nén bất thường (giải nén lớn gấp "
                        f"{info.file_size // max(info.compress_size, 1)} lần, giới hạn "
                        f"{max_ratio} lần): tệp hỏng hoặc được tạo để làm treo máy chủ; "
                        "không nhập. Hãy mở tệp trong Excel và lưu lại thành tệp mới.")
        _check_dimension(archive)


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The archive member of the workbook's first sheet (the one imported), if any."""
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None  # not an .xlsx (.ods has no such parts)
    first = _SHEET.search(workbook)
    if first is None:
        return None
    for rel in _TARGET.findall(rels):
        attrs = dict(_ATTR.findall(rel))
        if attrs.get(b"Id") == first[1] and b"Target" in attrs:
            target = attrs[b"Target"].decode()
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _column_number(letters: bytes) -> int:
    n = 0
    for c in letters:
        n = n * 26 + c - 64
    return n


def _check_dimension(archive: zipfile.ZipFile) -> None:
    name = _first_sheet(archive)
    if name is None:
        return
    try:
        with archive.open(name) as sheet:
            head = sheet.read(HEAD)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError):
        return  # the parser reports a damaged file in its own words
    m = _DIMENSION.search(head)
    if m is None or m[3] is None:
        return  # no range declared, or a single cell
    rows = abs(int(m[4]) - int(m[2])) + 1
    cols = abs(_column_number(m[3]) - _column_number(m[1])) + 1
    max_cells = limit("DVK_IMPORT_MAX_CELLS", MAX_CELLS)
    if rows * cols > max_cells:
        ref = f"{m[1].decode()}{m[2].decode()}:{m[3].decode()}{m[4].decode()}"
        _refuse(f"Trang tính đầu tiên trải trên vùng {ref} ({rows} dòng × {cols} cột), vượt "
                f"giới hạn {max_cells} ô; hãy xóa các dòng, cột thừa ở cuối trang tính (hoặc "
                "chép phần dữ liệu sang một tệp mới) rồi nhập lại.")
