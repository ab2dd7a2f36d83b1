"""What the import commands share: the FILE argument, checked as usage (CONTRACTS §2)."""
from pathlib import Path

from django.core.management.base import CommandError

from .tabular import SUFFIXES


def existing_file(value: str) -> Path:
    """The FILE argument as a readable file, else exit status 2: a path that names no file
    is wrong usage, like a missing argument, for every command (exit 1 is for a file that
    was read and refused)."""
    path = Path(value)
    if not path.exists():
        raise CommandError(f"Không tìm thấy tệp «{value}».", returncode=2)
    if not path.is_file():
        raise CommandError(f"«{value}» không phải là một tệp.", returncode=2)
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise CommandError(f"Không đọc được tệp «{value}»: {exc.strerror or exc}.",
                           returncode=2) from None
    return path


def input_file(value: str) -> Path:
    """The FILE argument as a readable spreadsheet path (.xlsx or .csv), else exit status 2."""
    path = existing_file(value)
    if path.suffix.lower() not in SUFFIXES:
        raise CommandError(f"Định dạng tệp «{path.suffix or path.name}» không được hỗ trợ; "
                           "dùng .xlsx hoặc .csv.", returncode=2)
    return path


def refused_file(command, path: Path, refused) -> CommandError:
    """Write each problem of an ImportRefused to stderr; the error to raise (exit 1)."""
    for problem in refused.problems:
        command.stderr.write(str(problem))
    return CommandError(f"Tệp «{path.name}» bị từ chối ({len(refused.problems)} lỗi); "
                        "không có dữ liệu nào được ghi.", returncode=1)
