"""Back-load a committee's activities from a file (CONTRACTS §7): training classes,
inspection and survey rounds, press-contest entries.

All or nothing: every row is checked and every problem reported (row, column, reason, in
Vietnamese) before anything is written; then one transaction writes it all. Idempotent:
a row is found again by the identity §7 gives it (import_rows.py), so a second import of
the same file changes nothing and leaves no trace. What an import creates points to one
ImportBatch with one history entry; each row it changes gets an entry of its own.

`scope` is who imports: from the app, the uploader's subtree (a unit outside it is
answered like an unknown code); from the command line `Scope.system(...)`.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from dvk.common import history
from dvk.common.tabular import ImportRefused, Problem, Problems, read_table
from dvk.initiatives.models import ImportBatch
from dvk.phases.services import PhaseOverlap, get_or_create_phase

from . import import_rows

KINDS = {"training": import_rows.Training, "inspections": import_rows.Inspections,
         "press": import_rows.Press}
KIND_LABEL = {"training": "lớp tập huấn", "inspections": "lượt kiểm tra, khảo sát",
              "press": "tác phẩm dự thi"}


@dataclass
class Result:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    phase_created: bool = False

    def summary(self) -> str:
        what = KIND_LABEL[self.kind]
        return (f"Đã nhập {self.rows} dòng: {self.created} {what} mới, {self.updated} cập nhật, "
                f"{self.rows - self.created - self.updated} không thay đổi.")


def sha256_of(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_activities(path, *, phase_code: str, kind: str, scope, progress=None,
                      file_name: str | None = None) -> Result:
    """Check then write. Raises ImportRefused (nothing written), ValueError (a malformed
    phase code or kind: wrong usage)."""
    if kind not in KINDS:
        raise ValueError(f"Loại dữ liệu «{kind}» không hợp lệ; dùng training, inspections "
                         "hoặc press.")
    importer_class = KINDS[kind]
    table = read_table(path, importer_class.COLUMNS)
    name = file_name or Path(path).name
    with transaction.atomic():
        try:
            phase, phase_created = get_or_create_phase(phase_code)
        except PhaseOverlap as exc:  # a well-formed code the data refuses: exit 1
            raise ImportRefused([Problem(None, None, str(exc))]) from None
        problems = Problems()
        importer = importer_class(phase, scope, problems)
        rows = list(table)
        checked = []
        for i, (line, raw) in enumerate(rows, start=1):
            row = importer.check(line, raw)
            if row is not None:
                checked.append(row)
            if progress is not None and (i % 500 == 0 or i == len(rows)):
                progress(i, len(rows))
        importer.check_file(checked)
        problems.raise_if_any()

        res = Result(kind=kind, rows=len(rows), phase_created=phase_created)
        user = scope.user if getattr(scope.user, "is_authenticated", False) else None
        batch = ImportBatch.objects.create(phase=phase, file_name=name[:255],
                                           sha256=sha256_of(path), actor=user,
                                           at=timezone.now(), rows=len(rows))
        comment = f"Nhập {KIND_LABEL[kind]} giai đoạn {phase.code} từ tệp {name}"
        res.created, changed = importer.write(checked, batch=batch, user=user)
        for obj, changes in changed:
            history.record(obj, "import_update", actor=user, changes=changes, comment=comment)
        res.updated = len(changed)
        if not (res.created or res.updated):
            batch.delete()  # a re-import that changed nothing leaves no trace
        else:
            history.record(batch, "import", actor=user, comment=f"{comment}. {res.summary()}")
    return res
