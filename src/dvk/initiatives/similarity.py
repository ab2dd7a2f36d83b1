"""Find initiatives whose title resembles a new one (duplicates, replications).

Titles are compared folded (no accents, lower case: dvk.common.text.fold). PostgreSQL uses
pg_trgm's word similarity on the indexed `search_text` (GIN trigram index, migration 0002),
so it stays fast with a million initiatives; SQLite prefilters on shared significant words
and ranks with difflib. Results: an identical title first, then same unit & year, then the
rest of the queryset (callers pass a scoped one: dvk.initiatives.queries.similar_models).

Both engines cut the candidates before ranking them in Python. The cut keeps identical titles
(and then the titles sharing most words) first: ordered by score alone or by the table's
default order, thousands of titles containing all the typed words would push the one the
user is about to duplicate out of the list.
"""
from __future__ import annotations

import difflib

from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from dvk.common.text import fold

from .models import Initiative

# Words too common in titles to identify anything ("Khéo vận động người dân…").
STOPWORDS = {"kheo", "van", "dong", "mo", "hinh", "dan", "nguoi", "cua", "va", "trong", "cac",
             "nhung", "cho", "voi", "tai", "xa", "phuong", "ap", "khu", "pho", "the", "de"}
MIN_SCORE = 0.35


def _significant(words: list[str]) -> list[str]:
    return [w for w in words if len(w) > 1 and w not in STOPWORDS]


def _score(a: str, b: str) -> float:
    """Blend of sequence similarity and how much of the query's words appear in `b`."""
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    aw, bw = set(_significant(a.split())) or set(a.split()), set(b.split())
    cover = len(aw & bw) / len(aw) if aw else 0.0
    return round(max(ratio, 0.5 * ratio + 0.5 * cover), 4)


def similar_titles(title: str, *, queryset: QuerySet, unit=None, year: int | None = None,
                   limit: int = 10, exclude_id: int | None = None, min_score: float = MIN_SCORE) -> list[tuple[Initiative, float]]:
    """[(initiative, score 0–1)], best first: identical titles (folded), then the same unit
    (and start year), then the others.

    `queryset` is what may be found (required: there is no whole-tree default); screens and API go through queries.similar_models, which
    passes queries.findable_models(scope) and returns public fields only.
    """
    key = fold(title)
    if not key:
        return []
    qs = queryset
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    if connection.vendor == "postgresql":
        scored = _postgres(qs, key, limit * 5, min_score)
    else:
        scored = _python(qs, key, limit * 5, min_score)

    def rank(entry):
        pos, (ini, score) = entry  # pos: the engine's own order, the last tie-break
        same_unit = unit is not None and ini.unit_id == getattr(unit, "pk", unit)
        same_year = year is not None and ini.start_year == year
        return (fold(ini.title) != key, not same_unit, not (same_unit and same_year), -score,
                pos)

    return [item for _, item in sorted(enumerate(scored), key=rank)][:limit]


def _exact(key: str) -> Case:
    """1 where the title may be identical: search_text is the folded title, then the subject
    and person (models.Initiative.refresh_derived). rank() checks the title itself."""
    return Case(When(Q(search_text=key) | Q(search_text__startswith=key + " "), then=Value(1)),
                default=Value(0), output_field=IntegerField())


def _postgres(qs: QuerySet, key: str, n: int, min_score: float):
    # word_similarity(query, text): how well the query matches some part of the text; the
    # `<%` operator uses the trigram index (threshold pg_trgm.word_similarity_threshold).
    # Every text containing all the query's words scores 1: identical titles go first, and
    # the whole-text similarity then prefers the texts closest to the query.
    qs = (qs.annotate(exact=_exact(key))
          .extra(select={"score": "word_similarity(%s, initiatives_initiative.search_text)",
                         "closeness": "similarity(%s, initiatives_initiative.search_text)"},
                 select_params=[key, key],
                 where=["%s <%% initiatives_initiative.search_text"], params=[key])
          .select_related("unit").order_by("-exact", "-score", "-closeness", "pk")[:n])
    with transaction.atomic():  # SET LOCAL lasts until the end of this transaction
        with connection.cursor() as cur:
            cur.execute("SET LOCAL pg_trgm.word_similarity_threshold = %s", [min_score])
        return [(ini, round(float(ini.score), 4)) for ini in qs]


def _python(qs: QuerySet, key: str, n: int, min_score: float):
    # A title made only of common words ("Vận động người dân") matches nearly every row:
    # the cut keeps identical titles, then those sharing most of the words.
    words = (_significant(key.split()) or key.split())[:8]
    cond = Q()
    hits = Value(0)
    for w in words:
        cond |= Q(search_text__contains=w)
        hits = hits + Case(When(search_text__contains=w, then=Value(1)), default=Value(0))
    candidates = (qs.filter(cond).annotate(exact=_exact(key), hits=hits)
                  .order_by("-exact", "-hits", "pk").select_related("unit")[:5000])
    scored = []
    for ini in candidates:
        s = _score(key, fold(ini.title))
        if s >= min_score:
            scored.append((ini, s))
    scored.sort(key=lambda x: (-x[1], x[0].pk))
    return scored[:n]
