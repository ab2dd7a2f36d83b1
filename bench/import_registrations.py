"""Benchmark `dvk import_registrations`: generate a CSV over the units of the configured
database (e.g. after `dvk seed_demo`) and time the import, then the idempotent re-import.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dvk_cycle_bench SECRET_KEY=x \
        .venv/bin/python bench/import_registrations.py [--rows 200000] [--phase 2011-2015]

Prints rows/s. The phase is created by the import if it doesn't exist.
"""
import argparse
import csv
import os
import random
import sys
import tempfile
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--phase", default="2011-2015")
    ap.add_argument("--keep", action="store_true", help="keep the generated CSV")
    args = ap.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvk.settings")
    import django

    django.setup()
    from django.db import connection

    from dvk.common.bulk import _may_set_replication_role
    from dvk.imports.registrations import import_registrations
    from dvk.orgs.models import Unit
    from dvk.orgs.scope import Scope

    CLI = Scope.system("the benchmark imports as the command line does")

    units = list(Unit.objects.filter(sector__isnull=False, kind__in=("grassroots", "below"))
                 .values_list("code", flat=True))
    if not units:
        sys.exit("Không có đơn vị nào: chạy `dvk seed_demo` trước.")
    start, end = (int(x) for x in args.phase.split("-"))
    rng = random.Random(7)
    fields = ["Kinh tế", "Văn hóa - Xã hội", "Quốc phòng - An ninh", "Xây dựng hệ thống chính trị"]
    verbs = ["hiến máu", "làm đường", "thắp sáng đường quê", "mua bảo hiểm y tế", "hòa giải",
             "xây nhà đại đoàn kết", "giữ gìn an ninh trật tự", "bảo vệ môi trường"]
    fd, path = tempfile.mkstemp(suffix=".csv")
    n = 0
    t0 = time.perf_counter()
    with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Mã mô hình", "Tên mô hình", "Loại", "Chủ thể", "Mã đơn vị", "Khối",
                    "Lĩnh vực", "Cấp", "Năm", "Kết quả", "Đặc cách", "Khen thưởng"])
        i = 0
        while n < args.rows:
            i += 1
            unit = rng.choice(units)
            year = rng.randint(start, end)
            code = f"BM-{args.phase}-{i:07d}"
            title = f"Khéo vận động {rng.choice(verbs)} số {i}"
            field = rng.choice(fields)
            # ~30% registered again at the district level (same code), ~8% at the province.
            for level, y in (("Cơ sở", year), ("Huyện và tương đương", min(end, year + 1)),
                             ("Tỉnh", end)):
                result = rng.choices(["Công nhận", "Không công nhận", ""], [78, 20, 2])[0]
                award = "Giấy khen" if result == "Công nhận" and rng.random() < 0.25 else ""
                w.writerow([code, title, "Mô hình", "", unit, "", field, level, y, result,
                            "x" if rng.random() < 0.002 else "", award])
                n += 1
                if n >= args.rows or result != "Công nhận" or rng.random() > 0.35:
                    break
    print(f"Tạo tệp {n} dòng trong {time.perf_counter() - t0:.1f} s: {path}")
    if connection.vendor == "postgresql":
        print("Khóa ngoại: " + ("kiểm tra theo tập hợp (session_replication_role)"
                                if _may_set_replication_role(connection)
                                else "trigger từng dòng (vai trò không được đổi "
                                     "session_replication_role)"))

    t0 = time.perf_counter()
    first = import_registrations(path, phase_code=args.phase, scope=CLI)
    t1 = time.perf_counter() - t0
    print(f"Lần 1: {first.summary()}")
    print(f"Lần 1: {n} dòng trong {t1:.2f} s = {n / t1:,.0f} dòng/giây")
    t0 = time.perf_counter()
    second = import_registrations(path, phase_code=args.phase, scope=CLI)
    t2 = time.perf_counter() - t0
    print(f"Lần 2 (nhập lại): {second.summary()}")
    print(f"Lần 2: {n} dòng trong {t2:.2f} s = {n / t2:,.0f} dòng/giây")
    if not args.keep:
        os.unlink(path)


if __name__ == "__main__":
    main()
