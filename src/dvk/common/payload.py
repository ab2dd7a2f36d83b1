"""Text fields of API payloads checked at the edge, as the import checks cells: a length the
database column holds and no character it cannot store (NUL and other control characters,
lone surrogates — PostgreSQL refuses them with a server error). Messages are Vietnamese and
name the field: `title: Text[500]` in a Ninja schema."""
from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, ValidationInfo

ALLOWED_CONTROLS = "\t\n\r"


def text_problem(value: str, limit: int | None, name: str) -> str | None:
    if limit is not None and len(value) > limit:
        return f"«{name}»: dài {len(value)} ký tự, vượt giới hạn {limit} ký tự."
    for i, ch in enumerate(value, start=1):
        if ch not in ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Cs"):
            return (f"«{name}»: có ký tự không hợp lệ U+{ord(ch):04X} ở vị trí {i}; "
                    "hãy xóa ký tự này.")
    return None


class _Bounded:
    def __class_getitem__(cls, limit: int | None):
        def check(value: str, info: ValidationInfo) -> str:
            problem = text_problem(value, limit, info.field_name or "")
            if problem:
                raise ValueError(problem)
            return value
        return Annotated[str, AfterValidator(check)]


Text = _Bounded
