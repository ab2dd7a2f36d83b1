"""Vietnamese text helpers: accent-insensitive search keys and collation keys."""
import re
import unicodedata

from vn_collate import collate_key

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case, strip tone and vowel marks, map đ→d, collapse spaces.

    NFD alone keeps "đ" (it is a letter, not d + mark), so it is mapped explicitly.
    "Hội Nông dân" -> "hoi nong dan".
    """
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped).strip().lower()


def sort_key(text: str | None) -> str:
    """A string that sorts in Vietnamese alphabetical order (a ă â b c d đ …) with plain ORDER BY."""
    return collate_key((text or "").strip())


def clean(text) -> str:
    """Trim and collapse internal whitespace of a user-supplied value (NFC normalised)."""
    if text is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip()
