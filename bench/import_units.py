"""Time `dvk import_units` on the configured database (DATABASE_URL). Not a test.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/dvk migrate
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/import_units.py 100000

Generates a province → districts → communes → organisations tree of N units with fresh
codes (prefix BENCH<time>), imports it, imports it again (all unchanged), prints rows/s.
Units it creates stay in the database: use a throwaway one.
"""
import csv
import os
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvk.settings")


def write_units_csv(path, n: int, prefix: str = "B", districts: int = 100) -> int:
    """A CSV of exactly n units: 1 province, `districts` districts, communes of 20 units.
    Children come before their parents within each district, as real files often do."""
    per_district = max(1, (n - 1 - districts) // districts)
    rows = [(prefix, f"Tỉnh {prefix}", "", "Tỉnh", "")]
    for d in range(districts):
        dcode = f"{prefix}-{d:03d}"
        below = []
        for i in range(per_district):
            if i % 20 == 0:
                ccode = f"{dcode}-{i // 20:04d}"
                below.append((ccode, f"Xã {d}.{i // 20}", dcode, "Cơ sở", "Chính quyền"))
            else:
                below.append((f"{ccode}-{i % 20:02d}", f"Chi hội {i % 20} xã {d}.{i // 20}",
                              ccode, "Dưới cơ sở", "Mặt trận - Đoàn thể"))
        rows.extend(reversed(below))
        rows.append((dcode, f"Huyện {d}", prefix, "Huyện", ""))
    i = 0
    while len(rows) < n:  # top up to exactly n under the province
        rows.append((f"{prefix}-X{i}", f"Đơn vị {i}", prefix, "Cơ sở", "Khác"))
        i += 1
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Loại", "Khối"])
        w.writerows(rows[:n])
    return min(n, len(rows))


def main():
    import django

    django.setup()
    from dvk.orgs.importing import import_units

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    prefix = f"BENCH{int(time.time())}"
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "units.csv")
        rows = write_units_csv(path, n, prefix)
        for label in ("first import", "re-import"):
            t, cpu = time.perf_counter(), time.process_time()
            result = import_units(path)
            elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
            print(f"{label}: {rows} rows in {elapsed:.1f} s (this process's CPU {cpu:.1f} s) "
                  f"= {rows / elapsed:,.0f} rows/s ({result.summary()})")


if __name__ == "__main__":
    main()
