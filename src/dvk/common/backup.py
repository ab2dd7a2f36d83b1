"""One file holding the whole database and the uploaded files (CONTRACTS §10).

The file is a zip, the same on SQLite and PostgreSQL:

    manifest.json          format, version, creation time, the applied migrations, and per
                           table its columns, row count and last issued id (its sequence)
    data/NNN-<table>.jsonl one JSON array per row, columns as in the manifest, tables in
                           dependency order (a row's foreign keys point at tables before it)
    media/<path>           every file under MEDIA_ROOT

Values are written as Django reads them (aware datetimes in ISO form, decimals as text,
JSON as JSON) and written back through the same model fields, so primary keys, timestamps
and JSON come back exactly. Rows are streamed in both directions, never held in memory.

Left out: sessions (everyone signs in again) and the background task queue
(`django_tasks_db`); everything else of every installed app is in the file.
"""
from __future__ import annotations

import base64
import datetime as dt
import decimal
import importlib
import json
import os
import shutil
import tempfile
import uuid
import zipfile
from dataclasses import dataclass, field as dc_field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from .formatting import vn_int

FORMAT = "dvk-backup"
VERSION = 1
LEFT_OUT = {"sessions.session", "django_tasks_database.dbtaskresult"}
CHUNK = 2000


class BackupRefused(Exception):
    """The file cannot be restored here; the message says why, in Vietnamese."""


# --- which tables, in which order --------------------------------------------------------

def _label(model) -> str:
    return model._meta.label_lower


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete table of every installed app except LEFT_OUT, a table after the
    tables its foreign keys point at (self-references and cycles are fine: foreign keys
    are checked at commit)."""
    candidates = [
        m for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and _label(m) not in LEFT_OUT
    ]
    candidates.sort(key=lambda m: m._meta.db_table)
    by_label = {_label(m): m for m in candidates}
    ordered, seen = [], set()

    def visit(model, path=()):
        label = _label(model)
        if label in seen or label in path:
            return
        for f in model._meta.local_concrete_fields:
            target = f.related_model if f.is_relation and (f.many_to_one or f.one_to_one) else None
            if target is not None and _label(target) in by_label:
                visit(target._meta.concrete_model, path + (label,))
        seen.add(label)
        ordered.append(model)

    for m in candidates:
        visit(m)
    return ordered


def _columns(model) -> list[models.Field]:
    return list(model._meta.local_concrete_fields)


# --- values ------------------------------------------------------------------------------

def _encode(value):
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _decode(field: models.Field, value):
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(field, models.DurationField):
        return dt.timedelta(seconds=value)
    return field.to_python(value)


# --- the state of a database -------------------------------------------------------------

def applied_migrations(using=DEFAULT_DB_ALIAS) -> list[str]:
    recorder = MigrationRecorder(connections[using])
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _sequence_of(connection, table: str, column: str):
    """The last id issued for the table (its sequence), or None."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)",
                           [connection.ops.quote_name(table), column])
            name = cursor.fetchone()[0]
            if not name:
                return None
            cursor.execute(f"SELECT last_value, is_called FROM {name}")
            last, called = cursor.fetchone()
            return last if called else None
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            return row[0] if row else None
    return None


def _set_sequence(connection, table: str, column: str, last):
    """After the rows are back: the next id is the one the backed-up database would have
    issued (never one already taken)."""
    qt, qc = connection.ops.quote_name(table), connection.ops.quote_name(column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({qc}) FROM {qt}")
        top = cursor.fetchone()[0]
        value = max(last or 0, top or 0)
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [qt, column])
            name = cursor.fetchone()[0]
            if name:
                # setval(…, false) when nothing was ever issued: the next id is 1.
                cursor.execute("SELECT setval(%s, %s, %s)", [name, max(value, 1), value > 0])
        elif connection.vendor == "sqlite":
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
            if last is not None or top is not None:
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                               [table, value])


def _integer_pk(model):
    pk = model._meta.pk
    return pk if isinstance(pk, (models.AutoField, models.BigAutoField,
                                 models.SmallAutoField)) else None


# --- backup ------------------------------------------------------------------------------

def _media_files(root: Path):
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            yield path, path.relative_to(root).as_posix()


def backup(target: Path, *, progress=lambda message: None, using=DEFAULT_DB_ALIAS) -> dict:
    """Write the backup file; return its manifest. The file appears only when complete."""
    connection = connections[using]
    target = Path(target)
    fd, tmp = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.")
    os.close(fd)
    manifest = {"format": FORMAT, "version": VERSION,
                "created_at": timezone.now().isoformat(), "engine": connection.vendor,
                "left_out": sorted(LEFT_OUT), "tables": [], "media": 0}
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf, \
                transaction.atomic(using=using):
            if connection.vendor == "postgresql":
                # One snapshot for every table.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            manifest["migrations"] = applied_migrations(using)
            for number, model in enumerate(backed_up_models(), start=1):
                manifest["tables"].append(_dump_table(zf, number, model, using, progress))
            root = Path(settings.MEDIA_ROOT)
            for path, rel in _media_files(root):
                zf.write(path, "media/" + rel)
                manifest["media"] += 1
            progress(f"Tệp tải lên: {vn_int(manifest['media'])} tệp")
            zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return manifest


def _dump_table(zf, number, model, using, progress) -> dict:
    meta = model._meta
    columns = _columns(model)
    member = f"data/{number:03d}-{meta.db_table}.jsonl"
    count = 0
    with zf.open(member, "w", force_zip64=True) as out:
        rows = (model._base_manager.using(using).order_by("pk")
                .values_list(*[f.attname for f in columns]).iterator(chunk_size=CHUNK))
        for row in rows:
            out.write(json.dumps([_encode(v) for v in row], ensure_ascii=False,
                                 separators=(",", ":")).encode() + b"\n")
            count += 1
            if count % 20000 == 0:
                progress(f"  {meta.db_table}: {vn_int(count)} dòng…")
    pk = _integer_pk(model)
    sequence = _sequence_of(connections[using], meta.db_table, pk.column) if pk else None
    progress(f"Bảng {meta.db_table}: {vn_int(count)} dòng")
    return {"model": _label(model), "table": meta.db_table, "member": member,
            "columns": [f.column for f in columns], "rows": count, "sequence": sequence}


# --- restore -----------------------------------------------------------------------------

@dataclass
class Plan:
    """A checked backup file, ready to restore."""

    zf: zipfile.ZipFile
    manifest: dict
    tables: list = dc_field(default_factory=list)  # (model, manifest entry)


def open_backup(path: Path) -> Plan:
    """Open and check the file: a DVK backup, intact, of this schema. Raises BackupRefused."""
    name = Path(path).name
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise BackupRefused(f"Tệp «{name}» không phải là bản sao lưu DVK "
                            "(không đọc được dạng nén zip).") from None
    try:
        manifest = json.loads(zf.read("manifest.json"))
        if not isinstance(manifest, dict):
            raise ValueError
    except (KeyError, ValueError, zipfile.BadZipFile, OSError):
        zf.close()
        raise BackupRefused(f"Tệp «{name}» không phải là bản sao lưu DVK "
                            "(thiếu hoặc hỏng manifest.json).") from None
    try:
        return _check(zf, manifest, name)
    except BaseException:
        zf.close()
        raise


def _check(zf, manifest, name) -> Plan:
    if manifest.get("format") != FORMAT:
        raise BackupRefused(f"Tệp «{name}» không phải là bản sao lưu DVK.")
    if manifest.get("version") != VERSION:
        raise BackupRefused(f"Bản sao lưu «{name}» có phiên bản định dạng "
                            f"{manifest.get('version')!r}; phiên bản này chỉ đọc {VERSION}.")
    here = set(applied_migrations())
    there = set(manifest.get("migrations") or [])
    if not here:
        raise BackupRefused("Cơ sở dữ liệu chưa được tạo bảng: chạy «dvk migrate» trước "
                            "rồi khôi phục.")
    if here != there:
        missing, extra = sorted(there - here), sorted(here - there)
        parts = []
        if missing:
            parts.append("có trong bản sao lưu nhưng chưa áp dụng ở đây: "
                         + ", ".join(missing[:5]) + (" …" if len(missing) > 5 else ""))
        if extra:
            parts.append("đã áp dụng ở đây nhưng bản sao lưu không có: "
                         + ", ".join(extra[:5]) + (" …" if len(extra) > 5 else ""))
        raise BackupRefused(f"Bản sao lưu «{name}» thuộc lược đồ dữ liệu khác với phần mềm "
                            f"đang chạy ({'; '.join(parts)}). Hãy khôi phục bằng phiên bản "
                            "DVK đã tạo ra bản sao lưu.")
    models_here = {_label(m): m for m in backed_up_models()}
    plan = Plan(zf, manifest)
    names = set(zf.namelist())
    listed = manifest.get("tables") or []
    for entry in listed:
        model = models_here.get(entry.get("model"))
        if model is None:
            raise BackupRefused(f"Bản sao lưu «{name}» có bảng «{entry.get('table')}» mà "
                                "phần mềm đang chạy không có.")
        if entry.get("columns") != [f.column for f in _columns(model)]:
            raise BackupRefused(f"Bảng «{model._meta.db_table}» trong bản sao lưu «{name}» "
                                "có các cột khác với lược đồ đang chạy.")
        if entry.get("member") not in names:
            raise BackupRefused(f"Bản sao lưu «{name}» thiếu dữ liệu của bảng "
                                f"«{model._meta.db_table}».")
        plan.tables.append((model, entry))
    absent = set(models_here) - {e.get("model") for e in listed}
    if absent:
        raise BackupRefused(f"Bản sao lưu «{name}» thiếu các bảng: "
                            + ", ".join(sorted(models_here[a]._meta.db_table for a in absent)))
    for member in names:
        if member.startswith("media/") and not _safe_member(member):
            raise BackupRefused(f"Bản sao lưu «{name}» có tệp với đường dẫn không hợp lệ: "
                                f"«{member}».")
    bad = zf.testzip()  # reads every member once: a damaged file is refused before writing
    if bad is not None:
        raise BackupRefused(f"Bản sao lưu «{name}» bị hỏng (phần «{bad}» sai mã kiểm tra).")
    return plan


def _safe_member(member: str) -> bool:
    rel = PurePosixPath(member[len("media/"):])
    return bool(rel.parts) and not rel.is_absolute() and ".." not in rel.parts \
        and "\\" not in member and ":" not in rel.parts[0]


def _seeded_expectations() -> dict:
    """What migrations write into their tables, as sets of rows compared without ids."""
    from django.contrib.auth.management import _get_all_permissions

    def migration(module, constant):
        return getattr(importlib.import_module(module), constant)

    content_types = {(m._meta.app_label, m._meta.model_name) for m in apps.get_models()}
    permissions = {(m._meta.app_label, m._meta.model_name, codename)
                   for m in apps.get_models() for codename, _ in _get_all_permissions(m._meta)}
    return {
        "contenttypes.contenttype": (("app_label", "model"), content_types),
        "auth.permission": (("content_type__app_label", "content_type__model", "codename"),
                            permissions),
        "orgs.sector": (("code", "name"), {(c, n) for c, n, _ in migration(
            "dvk.orgs.migrations.0002_catalogs_and_search", "SECTORS")}),
        "initiatives.field": (("code", "name"), set(migration(
            "dvk.initiatives.migrations.0002_catalogs_and_search", "FIELDS"))),
        "awards.awardkind": (("code", "name"), set(migration(
            "dvk.awards.migrations.0002_award_kinds", "KINDS"))),
    }


def beyond_migrations(media_root: Path | None = None) -> list[str]:
    """What the database (and media folder) hold beyond a fresh `dvk migrate`: empty when
    restoring is safe. Catalog rows the migrations write count as empty as long as they are
    unchanged."""
    seeded = _seeded_expectations()
    found = []
    for model in backed_up_models():
        label = _label(model)
        rows = model._base_manager.all()
        if label in seeded:
            fields, expected = seeded[label]
            extra = sum(1 for row in rows.values_list(*fields).iterator() if row not in expected)
            if extra:
                found.append(f"{model._meta.db_table}: {extra} dòng khác với khi mới tạo")
        elif rows.exists():
            found.append(f"{model._meta.db_table}: {rows.count()} dòng")
    root = Path(media_root or settings.MEDIA_ROOT)
    files = sum(1 for _ in _media_files(root))
    if files:
        found.append(f"thư mục tệp tải lên {root}: {files} tệp")
    return found


def restore(plan: Plan, *, progress=lambda message: None, using=DEFAULT_DB_ALIAS) -> None:
    """Replace every backed-up table with the file's rows, then put the files back. One
    transaction: a failure leaves the database as it was."""
    connection = connections[using]
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for model, _ in reversed(plan.tables):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
            for label in LEFT_OUT & {"sessions.session"}:
                try:
                    table = apps.get_model(label)._meta.db_table
                except LookupError:
                    continue
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
        for model, entry in plan.tables:
            _load_table(plan.zf, model, entry, connection, progress)
        for model, entry in plan.tables:
            pk = _integer_pk(model)
            if pk is not None:
                _set_sequence(connection, model._meta.db_table, pk.column, entry.get("sequence"))
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA foreign_key_check")
                broken = cursor.fetchall()
            if broken:
                raise BackupRefused(f"Bản sao lưu có {len(broken)} liên kết tới dòng không "
                                    f"tồn tại (ví dụ bảng «{broken[0][0]}»).")
    _restore_media(plan, progress)


def _load_table(zf, model, entry, connection, progress):
    columns = _columns(model)
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    count, batch = 0, []
    with zf.open(entry["member"]) as lines, connection.cursor() as cursor:
        for line in lines:
            values = json.loads(line)
            if len(values) != len(columns):
                raise BackupRefused(f"Bảng «{model._meta.db_table}», dòng {count + 1} của bản "
                                    "sao lưu có số cột sai.")
            batch.append([f.get_db_prep_save(_decode(f, v), connection)
                          for f, v in zip(columns, values)])
            count += 1
            if len(batch) >= CHUNK:
                cursor.executemany(sql, batch)
                batch.clear()
            if count % 20000 == 0:
                progress(f"  {model._meta.db_table}: {vn_int(count)} dòng…")
        if batch:
            cursor.executemany(sql, batch)
    if count != entry.get("rows"):
        raise BackupRefused(f"Bảng «{model._meta.db_table}»: bản sao lưu ghi {entry.get('rows')} "
                            f"dòng nhưng chứa {count}.")
    progress(f"Bảng {model._meta.db_table}: {vn_int(count)} dòng")


def _restore_media(plan: Plan, progress):
    root = Path(settings.MEDIA_ROOT)
    count = 0
    for info in plan.zf.infolist():
        if not info.filename.startswith("media/") or info.is_dir():
            continue
        target = root / info.filename[len("media/"):]
        target.parent.mkdir(parents=True, exist_ok=True)
        with plan.zf.open(info) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst)
        stamp = dt.datetime(*info.date_time).timestamp()  # keeps clean_uploads' notion of age
        os.utime(target, (stamp, stamp))
        count += 1
    progress(f"Tệp tải lên: {vn_int(count)} tệp")
