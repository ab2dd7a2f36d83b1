"""Benchmark `dvk import_registrations`: generate a CSV over the units of the configured
database (e.g. after `dvk seed_demo`) and time the import, then the idempotent re-import.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dvk_cycle_bench SECRET_KEY=x \
        .venv/bin/python bench/import_registrations.py [--rows 200000] [--phase 2011-2015]

Prints rows/s. The phase is created by the import if it doesn't exist. The file is that
of `make bench`'s io section (bench/import_export.py), which also measures the import
against a bare COPY and its peak memory.
"""
import argparse
import os
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
    from dvk.orgs.scope import Scope

    CLI = Scope.system("the benchmark imports as the command line does")

    import import_export  # bench/: the CSV of make bench's io section

    units = import_export.import_units()
    if not units:
        sys.exit("Không có đơn vị nào: chạy `dvk seed_demo` trước.")
    fd, path = tempfile.mkstemp(suffix=".csv")
    os.close(fd)
    t0 = time.perf_counter()
    n = import_export.write_registrations_csv(path, units, args.rows, args.phase)
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
