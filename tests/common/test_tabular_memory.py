"""Reading an import file costs its rows, not several copies of its text: the file is
read whole, so this is an import's peak memory (the bar is < 500 MB at 200,000 rows)."""
import csv
import tracemalloc

from dvk.common.tabular import read_table
from dvk.imports.registration_checks import COLUMNS


def test_reading_a_csv_holds_its_rows_and_about_one_copy_of_its_text(tmp_path):
    path = tmp_path / "dang-ky.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow([c.name for c in COLUMNS])
        for i in range(20_000):
            w.writerow([f"BM-{i:07d}", f"Khéo vận động xây nhà đại đoàn kết số {i}", "Mô hình",
                        "", f"KG-{i % 97:03d}", "", "Văn hóa - Xã hội", "Cơ sở", 2018,
                        "Công nhận", "", "Giấy khen" if i % 4 == 0 else ""][:len(COLUMNS)])
    size = path.stat().st_size
    tracemalloc.start()
    try:
        table = read_table(path, COLUMNS)
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(table.rows) == 20_000
    # Above what the rows keep: the file's bytes and its decoded text (~1.6 × the file for
    # Vietnamese text); a second copy of the text (io.StringIO keeps 4 bytes a character)
    # and the split lines came to 6 × the file.
    assert peak - kept < 3 * size, (peak - kept) / size
