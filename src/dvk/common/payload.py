"""Text fields of API payloads checked at the edge, as the import checks cells: a length the
database column holds and no character it cannot store (NUL and other control characters,
lone surrogates — PostgreSQL refuses them with a server error). Messages are Vietnamese and
name the field: `title: Text[500]` in a Ninja schema."""
from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, ValidationInfo

#: The characters no field may hold, for every edge (API payloads here, query strings and
#: form posts in common.middleware.CleanInputMiddleware): the control characters (Unicode
#: category Cc: U+0000–U+001F, U+007F–U+009F) except tab, line feed and carriage return,
#: and lone surrogates (category Cs). PostgreSQL refuses NUL in text with a server error,
#: spreadsheets refuse control characters, and a surrogate cannot be encoded at all.
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(value: str, limit: int | None, name: str) -> str | None:
    if limit is not None and len(value) > limit:
        return f"«{name}»: dài {len(value)} ký tự, vượt giới hạn {limit} ký tự."
    found = UNSTORABLE.search(value)
    if found:
        return (f"«{name}»: có ký tự không hợp lệ U+{ord(found.group()):04X} ở vị trí "
                f"{found.start() + 1}; hãy xóa ký tự này.")
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
