"""What dvk import_registrations refuses before anything is written: files that would take
the worker down (zip bombs, a used range of billions of cells), cells the database cannot
hold (too long, control characters, wrong encodings), a file without data, a phase code
overlapping another phase, years to come, and paths that name no readable file (usage).
Every refusal is a Vietnamese message, never a traceback."""
import datetime as dt
import os
import signal
import subprocess
import sys
import types
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from dvk.common.tabular import ImportRefused
from dvk.imports import registrations as importing
from dvk.imports.registrations import import_registrations
from dvk.initiatives.models import Initiative
from dvk.phases.models import Phase

from .test_import import HEADER, ROWS, counts, run, write_csv, write_xlsx
from tests.acting import command_line

pytestmark = pytest.mark.django_db

ROW = ["", "Khéo vận động trồng cây", "Mô hình", "", "KG-GQ-02", "", "Kinh tế", "Cơ sở", 2017,
       "", "", ""]


def refused(path, phase="2016-2020") -> list[str]:
    before = counts()
    with pytest.raises(ImportRefused) as exc:
        import_registrations(path, phase_code=phase, scope=command_line())
    assert counts() == before
    return [str(p) for p in exc.value.problems]


def row(**cells) -> list:
    r = list(ROW)
    for name, value in cells.items():
        r[HEADER.index(name.replace("_", " "))] = value
    return r


@pytest.fixture
def no_parser(monkeypatch):
    """The spreadsheet parser must not even be started (it would take the memory first)."""
    def refuse(*args, **kwargs):
        raise AssertionError("the parser was started")

    fake = types.ModuleType("python_calamine")
    fake.CalamineWorkbook = types.SimpleNamespace(from_path=refuse)
    monkeypatch.setitem(sys.modules, "python_calamine", fake)


def zip_bomb(path, megabytes=8):
    """A real .xlsx whose sheet is `megabytes` MB of one character: ~8 kB on disk. Written
    in 1 MB pieces, so the test never holds the inflated sheet in memory."""
    write_xlsx(path, HEADER, [ROW])
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i) for i in src.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                z.writestr(name, data)
                continue
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            with z.open(info, "w", force_zip64=True) as sheet:
                sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://'
                            b'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                            b'<row r="1"><c r="A1" t="inlineStr"><is><t>')
                piece = b"A" * (1 << 20)
                for _ in range(megabytes):
                    sheet.write(piece)
                sheet.write(b"</t></is></c></row></sheetData></worksheet>")
    assert os.path.getsize(path) < 100_000
    return str(path)


def test_a_zip_bomb_is_refused_before_it_is_parsed(tmp_path, no_parser):
    path = zip_bomb(tmp_path / "bom.xlsx")
    [problem] = refused(path)
    assert "«xl/worksheets/sheet1.xml» nén bất thường" in problem
    assert "giới hạn 100 lần" in problem


@override_settings(DVK_IMPORT_MAX_UNCOMPRESSED_BYTES=4 * 1024 * 1024,
                   DVK_IMPORT_MAX_COMPRESSION_RATIO=1_000_000)
def test_the_declared_uncompressed_size_is_bounded(tmp_path, no_parser):
    [problem] = refused(zip_bomb(tmp_path / "bom.xlsx"))
    assert problem.startswith("Tệp Excel khi giải nén lớn 8 MB, vượt giới hạn 4 MB")


def test_a_used_range_of_billions_of_cells_is_refused_before_it_is_parsed(tmp_path, no_parser):
    """One value in the last cell of a sheet: the parser would allocate the whole range
    (550 GB) and abort the process."""
    import xlsxwriter

    path = str(tmp_path / "xa.xlsx")
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet()
    ws.write_row(0, 0, HEADER)
    ws.write_row(1, 0, ROW)
    ws.write(1048575, 16383, "x")
    wb.close()
    [problem] = refused(path)
    assert "vùng A1:XFD1048576 (1048576 dòng × 16384 cột), vượt giới hạn 20000000 ô" in problem


def test_an_ordinary_spreadsheet_passes_the_archive_checks(tmp_path):
    out, _ = run(write_xlsx(tmp_path / "ok.xlsx", HEADER, ROWS))
    assert "4 lượt đăng ký mới" in out


def test_a_cell_longer_than_the_csv_field_limit_is_named_by_row_and_column(tmp_path):
    # Python's csv module raises on fields over 131,072 characters.
    rows = [ROW, row(Tên_mô_hình="Khéo vận động " + "x" * 200_000)]
    assert refused(write_csv(tmp_path / "dai.csv", HEADER, rows)) == [
        "Dòng 3, cột «Tên mô hình»: dài 200014 ký tự, vượt giới hạn 500 ký tự."]


def test_a_long_cell_in_a_column_the_import_ignores_is_no_problem(tmp_path):
    header = HEADER + ["Ghi chú"]
    out, _ = run(write_csv(tmp_path / "ghi-chu.csv", header, [ROW + ["ghi chú " * 30_000]]))
    assert "1 lượt đăng ký mới" in out


def test_cells_are_bounded_by_what_the_database_columns_hold(tmp_path):
    rows = [row(Tên_mô_hình="T" * 501),
            row(Tên_mô_hình="Khéo vận động B", Chủ_thể="C" * 256),
            row(Tên_mô_hình="Khéo vận động C", Mã_mô_hình="M" * 65),
            row(Tên_mô_hình="Khéo vận động D", Mã_đơn_vị="K" * 65),
            row(Tên_mô_hình="  Khéo   vận động E  " + " " * 600)]  # fits once trimmed
    assert refused(write_csv(tmp_path / "dai.csv", HEADER, rows)) == [
        "Dòng 2, cột «Tên mô hình»: dài 501 ký tự, vượt giới hạn 500 ký tự.",
        "Dòng 3, cột «Chủ thể»: dài 256 ký tự, vượt giới hạn 255 ký tự.",
        "Dòng 4, cột «Mã mô hình»: dài 65 ký tự, vượt giới hạn 64 ký tự.",
        "Dòng 5, cột «Mã đơn vị»: dài 65 ký tự, vượt giới hạn 64 ký tự."]
    assert not Initiative.objects.filter(title__startswith="TTTT").exists()


def test_a_cell_spanning_lines_is_measured_whole(tmp_path):
    """A quoted line break: the longest line no longer bounds the cells."""
    rows = [row(Chủ_thể="Hội Nông dân\n" * 30)]
    assert refused(write_csv(tmp_path / "nhieu-dong.csv", HEADER, rows)) == [
        "Dòng 2, cột «Chủ thể»: dài 389 ký tự, vượt giới hạn 255 ký tự."]
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_control_characters_are_refused_by_row_and_column(tmp_path, fmt):
    """PostgreSQL refuses NUL in text (the import used to end in a traceback there)."""
    rows = [ROW,
            row(Tên_mô_hình="Khéo vận\x00 động"),
            row(Tên_mô_hình="Khéo vận động B", Chủ_thể="Hội\x1b Nông dân"),
            row(Tên_mô_hình="Khéo vận động C", Mã_đơn_vị="KG-GQ\x00-02"),
            row(Tên_mô_hình="Khéo vận động D\x0bdòng hai", Lĩnh_vực="Kinh\x00 tế")]
    path = (write_csv(tmp_path / "nul.csv", HEADER, rows) if fmt == "csv"
            else write_xlsx(tmp_path / "nul.xlsx", HEADER, rows))
    problems = refused(path)
    assert problems == [
        "Dòng 3, cột «Tên mô hình»: có ký tự không hợp lệ U+0000 ở vị trí 9 (ký tự điều "
        "khiển, thường do sao chép từ phần mềm khác); hãy xóa ký tự này.",
        "Dòng 4, cột «Chủ thể»: có ký tự không hợp lệ U+001B ở vị trí 4 (ký tự điều "
        "khiển, thường do sao chép từ phần mềm khác); hãy xóa ký tự này.",
        "Dòng 5, cột «Mã đơn vị»: có ký tự không hợp lệ U+0000 ở vị trí 6 (ký tự điều "
        "khiển, thường do sao chép từ phần mềm khác); hãy xóa ký tự này."]
    # A vertical tab (Word's line break) is whitespace, as in Lĩnh vực a NUL only fails the
    # catalogue match: row 6 comes to the row checks, whose messages never carry a NUL.
    rows = [row(Lĩnh_vực="Kinh\x00 tế")]
    problems = refused(write_csv(tmp_path / "nul2.csv", HEADER, rows))
    assert problems[0].startswith("Dòng 2, cột «Lĩnh vực»: «Kinh\ufffd tế» không hợp lệ")


def test_wrong_encodings_say_how_to_save_the_file(tmp_path):
    text = "\n".join([",".join(HEADER), ",".join(str(c) for c in ROW)]) + "\n"
    for name, data, expected in [
        ("cp1252.csv", text.encode("utf-8")[:-40] + "Tên é\n".encode("cp1252"),
         "Dòng 2: tệp CSV không phải văn bản UTF-8"),
        ("utf16.csv", text.encode("utf-16"), "Tệp CSV đang ở bảng mã UTF-16"),
        ("utf16le.csv", text.encode("utf-16-le"), "Tệp CSV đang ở bảng mã UTF-16"),
        ("surrogate.csv", text.encode("utf-8") + b"\xed\xa0\x80,x\n",
         "Dòng 3: tệp CSV không phải văn bản UTF-8"),
    ]:
        (tmp_path / name).write_bytes(data)
        [problem] = refused(str(tmp_path / name))
        assert problem.startswith(expected), (name, problem)
        assert "hãy lưu tệp dưới dạng CSV UTF-8" in problem


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_with_a_header_and_no_data_is_refused(tmp_path, fmt):
    blank = [[""] * len(HEADER)] * 3
    path = (write_csv(tmp_path / "trong.csv", HEADER, blank) if fmt == "csv"
            else write_xlsx(tmp_path / "trong.xlsx", HEADER, blank))
    with pytest.raises(SystemExit) as exc:
        run(path)
    assert exc.value.code == 1
    assert refused(path) == ["Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào để nhập."]


def test_a_new_phase_overlapping_an_existing_one_is_refused(tmp_path):
    path = write_csv(tmp_path / "a.csv", HEADER, ROWS)
    before = counts()
    err = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("import_registrations", path, "--phase", "2016-2019", stderr=err)
    assert exc.value.code == 1  # the input is refused, not the usage
    assert ("Giai đoạn 2016-2019 trùng thời gian với giai đoạn 2016-2020 đã có (2016–2020); "
            "hãy nhập vào giai đoạn 2016-2020") in err.getvalue()
    assert counts() == before and not Phase.objects.filter(code="2016-2019").exists()
    for code in ("2014-2016", "2020-2024", "2010-2030"):
        assert refused(path, phase=code)[0].startswith(f"Giai đoạn {code} trùng thời gian")


def test_years_to_come_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(importing.timezone, "localdate", lambda: dt.date(2018, 6, 1))
    rows = [row(Năm=2018), row(Tên_mô_hình="Khéo vận động B", Năm=2019)]
    assert refused(write_csv(tmp_path / "sau.csv", HEADER, rows)) == [
        "Dòng 3, cột «Năm»: năm 2019 chưa tới (nay là năm 2018)."]


def test_a_new_phase_is_created_in_the_transaction_that_writes_the_rows(tmp_path, monkeypatch):
    """A process killed after the phase was created must leave no phase behind: the phase
    is created inside the import's transaction, not committed before it."""
    stacks = {}
    create, write = importing.get_or_create_phase, importing._import

    def spy_create(code):
        stacks["create"] = list(connection.atomic_blocks)
        return create(code)

    def spy_write(*args, **kwargs):
        stacks["write"] = list(connection.atomic_blocks)
        return write(*args, **kwargs)

    monkeypatch.setattr(importing, "get_or_create_phase", spy_create)
    monkeypatch.setattr(importing, "_import", spy_write)
    base = len(connection.atomic_blocks)  # the test's own transaction
    rows = [row(Năm=2003)]
    import_registrations(write_csv(tmp_path / "x.csv", HEADER, rows), phase_code="2001-2005",
                         scope=command_line())
    assert len(stacks["create"]) > base, "the phase was created outside the import's transaction"
    assert stacks["write"][base] is stacks["create"][base]


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="another process must see the test database (SQLite's is in memory)")
def test_a_killed_import_leaves_no_new_phase(tmp_path):
    """The import is killed (SIGKILL: no except, no finally) just after its phase exists."""
    path = write_csv(tmp_path / "x.csv", HEADER, [row(Năm=2003)])
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    script = ("import os, signal, django; django.setup()\n"
              "from dvk.imports import registrations as importing\n"
              "from dvk.orgs.scope import Scope\n"
              "importing._import = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
              f"importing.import_registrations({path!r}, phase_code='2001-2005', "
              "scope=Scope.system('test'))\n")
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="dvk.settings",
               SECRET_KEY="x")
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    try:
        assert not Phase.objects.filter(code="2001-2005").exists()
    finally:  # what a failing run committed, removed on a connection of its own
        own = connection.get_new_connection(connection.get_connection_params())
        own.autocommit = True
        own.execute("DELETE FROM phases_level WHERE phase_id IN "
                    "(SELECT id FROM phases_phase WHERE code = '2001-2005')")
        own.execute("DELETE FROM phases_phase WHERE code = '2001-2005'")
        own.close()


def test_a_path_that_names_no_readable_file_is_wrong_usage(tmp_path, monkeypatch):
    """Exit 2 for both importers (it was 1 for this one): nothing was read."""
    (tmp_path / "thu-muc.csv").mkdir()
    (tmp_path / "dk.txt").write_text("x")
    cases = [(tmp_path / "khong-co.csv", "Không tìm thấy tệp"),
             (tmp_path / "thu-muc.csv", "không phải là một tệp"),
             (tmp_path / "dk.txt", "không được hỗ trợ")]
    for command, extra in (("import_registrations", ["--phase", "2016-2020"]),
                           ("import_units", [])):
        for path, message in cases:
            with pytest.raises(CommandError) as exc:
                call_command(command, str(path), *extra)
            assert exc.value.returncode == 2 and message in str(exc.value), (command, path)
    readable = write_csv(tmp_path / "khoa.csv", HEADER, ROWS)

    def denied(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(tmp_path), "open", denied)
    for command, extra in (("import_registrations", ["--phase", "2016-2020"]),
                           ("import_units", [])):
        with pytest.raises(CommandError) as exc:
            call_command(command, readable, *extra)
        assert exc.value.returncode == 2
        assert "Không đọc được tệp" in str(exc.value) and "Permission denied" in str(exc.value)


def test_a_missing_file_exits_2_from_the_shell(tmp_path):
    dvk = os.path.join(os.path.dirname(sys.executable), "dvk")
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'none.sqlite3'}", SECRET_KEY="x")
    proc = subprocess.run([dvk, "import_registrations", str(tmp_path / "khong-co.csv"),
                           "--phase", "2016-2020"], env=env, capture_output=True, text=True)
    assert proc.returncode == 2 and "Không tìm thấy tệp" in proc.stderr
    assert "Traceback" not in proc.stderr
