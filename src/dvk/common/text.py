"""Vietnamese text helpers: accent-insensitive search keys and collation keys.

`fold` and `sort_key` are called for every title of an import (hundreds of thousands), so
both translate the text character by character through tables learnt from the reference
algorithms (`fold_reference`, `vn_collate.collate_key`), one C-level `str.translate` per
level. That is exact because both algorithms are character-local once the characters that
are not are set aside: a lone combining mark (it joins the previous character), a character
whose decomposition holds several letters, a weight that doesn't fit two hex digits, and
capital sigma (its lower case depends on the next letter). A text with any of those takes
the reference algorithm. tests/common/test_text.py compares both on tricky samples.
"""
import re
import unicodedata

from vn_collate import collate_key

_SPACES = re.compile(r"\s+")


def fold_reference(text: str | None) -> str:
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


def sort_key_reference(text: str | None) -> str:
    return collate_key((text or "").strip())


# Per character: its folded text, and its sort-key weights (two hex digits per level).
_FOLD: dict[int, str] = {}
_PRIMARY: dict[int, str] = {}
_SECONDARY: dict[int, str] = {}
_TERTIARY: dict[int, str] = {}
_KNOWN: set[str] = set()        # characters in all four tables
_SLOW: set[str] = set()         # characters that need the reference algorithms


def _learn(text: str) -> bool:
    """Add the text's new characters to the tables; False if one needs the slow path."""
    ok = True
    for ch in set(text) - _KNOWN:
        if ch in _SLOW:
            ok = False
            continue
        nfd = unicodedata.normalize("NFD", ch)
        key = collate_key(ch)
        if (unicodedata.combining(nfd[0]) or ch == "\u03a3"
                or any(not unicodedata.combining(c) for c in nfd[1:])
                or len(key) != 12 or key[2:4] != "00" or key[6:8] != "00" or key[10:] != "00"):
            _SLOW.add(ch)
            ok = False
            continue
        code = ord(ch)
        # Whitespace folds to a space; fold() collapses runs afterwards, like the reference.
        _FOLD[code] = " " if ch.isspace() else "".join(
            c for c in unicodedata.normalize("NFD", ch.replace("đ", "d").replace("Đ", "D"))
            if not unicodedata.combining(c)).lower()
        _PRIMARY[code], _SECONDARY[code], _TERTIARY[code] = key[0:2], key[4:6], key[8:10]
        _KNOWN.add(ch)
    return ok


def fold(text: str | None) -> str:
    """Lower-case, strip tone and vowel marks, map đ→d, collapse spaces.

    "Hội Nông dân" -> "hoi nong dan". Same result as `fold_reference`, faster.
    """
    if not text:
        return ""
    if not _KNOWN.issuperset(text) and not _learn(text):
        return fold_reference(text)
    out = text.translate(_FOLD)
    if "  " in out or out[:1] == " " or out[-1:] == " ":
        out = _SPACES.sub(" ", out).strip()
    return out


#: A search uses at most this many words: each is one condition of the query, and a
#: 10,000-word paste would otherwise build an expression the database refuses.
SEARCH_WORDS = 8


def search_words(query: str | None) -> list[str]:
    """The folded, distinct words of a search box, at most SEARCH_WORDS of them."""
    return list(dict.fromkeys(fold((query or "")[:2000]).split()))[:SEARCH_WORDS]


def sort_key(text: str | None) -> str:
    """A string that sorts in Vietnamese alphabetical order (a ă â b c d đ …) with plain
    ORDER BY (levels: base letters, then tones, then case). Same as `sort_key_reference`."""
    text = (text or "").strip()
    if not _KNOWN.issuperset(text) and not _learn(text):
        return sort_key_reference(text)
    return (text.translate(_PRIMARY) + "00" + text.translate(_SECONDARY) + "00"
            + text.translate(_TERTIARY) + "00")


class _SlowWord(Exception):
    """A word holds a character the tables set aside."""


class _Words(dict):
    """Per call of folds_and_sort_keys: word -> its folded text; a new word's sort-key
    weights at the three levels (`primary`…: word -> weights) are filled in with it."""

    def __init__(self):
        super().__init__()
        self.primary, self.secondary, self.tertiary = {}, {}, {}

    def __missing__(self, word: str) -> str:
        if not _KNOWN.issuperset(word) and not _learn(word):
            raise _SlowWord
        self.primary[word] = word.translate(_PRIMARY)
        self.secondary[word] = word.translate(_SECONDARY)
        self.tertiary[word] = word.translate(_TERTIARY)
        res = self[word] = word.translate(_FOLD)
        return res


def folds_and_sort_keys(texts) -> list[tuple[str, str]]:
    """`[(fold(t), sort_key(t)) for t in texts]`, for the titles of an import. Both are
    character-local translations, so a text's is the space-joined translations of its
    words (split on " "): a word is translated once per call, however many texts share it
    (titles do: the cost of a translation is per character). A text with surrounding
    whitespace, or with a character the tables set aside, is translated alone."""
    if not (_KNOWN.issuperset(" ") or _learn(" ")):
        return [(fold(t), sort_key(t)) for t in texts]
    f = _Words()
    p, s, t = f.primary, f.secondary, f.tertiary
    f_sp, p_sp, s_sp, t_sp = (table[32] for table in (_FOLD, _PRIMARY, _SECONDARY, _TERTIARY))
    out = []
    append = out.append
    for text in texts:
        if not text or text[0].isspace() or text[-1].isspace():
            append((fold(text), sort_key(text)))
            continue
        words = text.split(" ")
        try:  # the folded words first: that fills in the weights of new words
            folded = f_sp.join(map(f.__getitem__, words))
        except _SlowWord:
            append((fold(text), sort_key(text)))
            continue
        key = (p_sp.join(map(p.__getitem__, words)) + "00"
               + s_sp.join(map(s.__getitem__, words)) + "00"
               + t_sp.join(map(t.__getitem__, words)) + "00")
        if "  " in folded or folded[:1] == " " or folded[-1:] == " ":
            folded = _SPACES.sub(" ", folded).strip()
        append((folded, key))
    return out


def clean(text) -> str:
    """Trim and collapse internal whitespace of a user-supplied value (NFC normalised)."""
    if text is None:
        return ""
    # str.split() splits on exactly the characters regex \s matches (str.isspace()).
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


# --- names inside a sentence --------------------------------------------------------------------

#: Names that keep their capital inside a sentence (institutions and proper names that may
#: open a catalogue label).
PROPER_STARTS = ("Đảng", "Nhà nước", "Mặt trận", "Quốc hội", "Chính phủ", "Ủy ban", "Ủy Ban",
                 "Hội đồng", "Việt Nam", "Hồ Chí Minh", "Bác Hồ", "Ban Chỉ đạo", "Bộ Chính trị",
                 "Trung ương", "Tỉnh ủy", "Thành ủy", "Huyện ủy", "Chủ tịch", "Thủ tướng")
_SEGMENT = re.compile(r"(^|\s[-–]\s|,\s|;\s|\s/\s)(\S+)")


def in_sentence(name: str | None) -> str:
    """A heading-style name (a field, a genre, a kind, a level) as written inside a
    Vietnamese sentence: the capital opening each part goes ("Văn hóa - Xã hội" → "văn hóa -
    xã hội", "Quốc phòng - An ninh" → "quốc phòng - an ninh"); capitals inside a part stay
    ("Bằng khen của Chủ tịch UBND tỉnh" → "bằng khen của Chủ tịch UBND tỉnh"), and so do
    acronyms (UBND, MTTQ) and the institutions and proper names of PROPER_STARTS."""
    if not name:
        return ""

    def lower(m: re.Match) -> str:
        sep, word = m.group(1), m.group(2)
        rest = name[m.start(2):]
        if rest.startswith(PROPER_STARTS) or (len(word) > 1 and word.isupper()):
            return sep + word
        return sep + word[:1].lower() + word[1:]

    return _SEGMENT.sub(lower, name)


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Vietnamese phone numbers as people write them: 0912 345 678, 0912.345.678, +84 912-345-678,
# (0297) 3862 123. Nine or more digits with single separators; years and counts stay.
_PHONE = re.compile(r"(?:\+\s?84[\s.\-]?|\(?0)\d{1,4}\)?(?:[\s.\-]?\d){6,10}")


def redact_contacts(text: str | None, names=(), mask: str = "[…]") -> str:
    """Text for the public: e-mail addresses, phone numbers and the given people's `names`
    (any case) replaced by `mask`.

    Public pages show a model's own story (its description), which its clerk typed for the
    committee and may hold a contact line; the public gallery never shows contact data."""
    if not text:
        return ""
    text = _PHONE.sub(mask, _EMAIL.sub(mask, text))
    for name in sorted({clean(n) for n in names if n and len(clean(n)) > 2}, key=len,
                       reverse=True):
        text = re.sub(re.escape(name), mask, text, flags=re.IGNORECASE)
    return text


_SMALL_INT = re.compile(r"-?[0-9]{1,18}")


def small_int(value, low: int = -(2**62), high: int = 2**62) -> int | None:
    """An integer typed in a query string or form, or None: ASCII digits only (not '²' or
    5,000 digits, which int() refuses), within [low, high] (what the database can hold).

    The one parser of numbers from the outside: ids, years, pages, offsets and limits in
    query strings and posted lists all go through it (or `small_ints`), so a huge, negative
    or non-numeric value is ignored, never a server error."""
    text = str(value if value is not None else "").strip()
    if not _SMALL_INT.fullmatch(text):
        return None
    number = int(text)
    return number if low <= number <= high else None


def window(offset: int, limit: int, most: int) -> slice:
    """The rows an API list returns for `offset` and `limit` (already integers): offset at
    least 0 and at most what a database's OFFSET takes, limit between 1 and `most`."""
    offset = min(max(0, offset), 2**62)
    return slice(offset, offset + max(1, min(limit, most)))


def small_ints(values, low: int = 1, high: int = 2**62) -> list[int]:
    """The valid ids among posted values (checkboxes `ids`, `items`), the others dropped."""
    return [n for n in (small_int(v, low, high) for v in values or ()) if n is not None]
