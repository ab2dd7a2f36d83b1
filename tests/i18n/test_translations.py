"""The UI speaks Vietnamese: every message of every app has a Vietnamese translation,
and the compiled catalogues shipped in the repo match their sources."""
import gettext
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "dvk"
PO_FILES = sorted(SRC.glob("*/locale/vi/LC_MESSAGES/django.po"))


def parse_po(path: Path) -> list[tuple[str, str, str, bool]]:
    """(context, msgid, msgstr, fuzzy) for each entry; plural forms use msgstr[0]."""
    entries, block = [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.strip():
            block.append(line)
            continue
        if block:
            entries.append(block)
            block = []
    result = []
    for lines in entries:
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields, current = {}, None
        for line in lines:
            if line.startswith("#"):
                continue
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if m:
                current = m.group(1)
                fields[current] = m.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if "msgid" not in fields:
            continue
        msgstr = fields.get("msgstr", fields.get("msgstr[0]", ""))
        unescape = lambda s: s.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        if "msgid_plural" in fields:
            fuzzy = fuzzy or not all(v.strip() for k, v in fields.items() if k.startswith("msgstr"))
        result.append((unescape(fields.get("msgctxt", "")), unescape(fields["msgid"]),
                       unescape(msgstr) if "msgid_plural" not in fields else "\x00plural",
                       fuzzy))
    return result


def test_there_are_vietnamese_catalogues():
    assert PO_FILES, "no src/dvk/*/locale/vi/LC_MESSAGES/django.po found"


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.parts[-5])
def test_every_message_is_translated_and_compiled(po):
    entries = [e for e in parse_po(po) if e[1]]  # skip the header
    untranslated = [msgid for _, msgid, msgstr, _ in entries if not msgstr.strip()]
    fuzzy = [msgid for _, msgid, _, is_fuzzy in entries if is_fuzzy]
    assert not untranslated, f"{po}: untranslated: {untranslated[:10]}"
    assert not fuzzy, f"{po}: fuzzy (needs review): {fuzzy[:10]}"
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} missing: run compilemessages"
    with mo.open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    stale = []
    for ctx, msgid, msgstr, _ in entries:
        got = catalogue.pgettext(ctx, msgid) if ctx else catalogue.gettext(msgid)
        if msgstr != "\x00plural" and "%" not in msgid and got != msgstr:
            stale.append(msgid)
    assert not stale, f"{mo} is older than its .po for: {stale[:5]} — run compilemessages"


def test_the_same_message_reads_the_same_in_every_app():
    """Django merges the apps' catalogues; one English text must have one Vietnamese wording,
    or pages would change words depending on which app's catalogue wins."""
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for po in PO_FILES:
        for ctx, msgid, msgstr, _ in parse_po(po):
            if msgid and msgstr:
                seen.setdefault((ctx, msgid), {})[po.parts[-5]] = msgstr
    conflicts = {k[1]: v for k, v in seen.items() if len(set(v.values())) > 1}
    assert not conflicts, f"translated differently across apps: {conflicts}"
