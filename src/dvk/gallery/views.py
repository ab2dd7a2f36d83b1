"""The public gallery (/mo-hinh-tieu-bieu/): recognised models for everyone, no sign-in.

Pages read through initiatives.queries' public functions (recognised models only, public
fields only) and are cacheable: `Cache-Control: public`, an ETag and Last-Modified from one
aggregate over what they show, `Vary` on the language. They use no session, no CSRF token
and no user, so one copy serves every anonymous visitor. Publishing photos is the signed-in
part (/mo-hinh-tieu-bieu/quan-ly-anh/, a committee's secretariat).
"""
from __future__ import annotations

import hashlib
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, OuterRef
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import condition, require_GET, require_POST

from dvk.common.rules import check
from dvk.common.text import small_int
from dvk.initiatives import queries
from dvk.initiatives.models import Attachment, Field
from dvk.orgs.enums import UnitKind
from dvk.orgs.models import Unit
from dvk.orgs.scope import get_or_404

from . import services
from .models import GalleryPhoto
from .rules import model_of

PAGE_SIZE = 24
MAX_PAGE = 400  # deep pages are for crawlers; filters narrow faster (bounded OFFSET)
MAX_AGE = 300   # five minutes: a recognition shows up quickly, a busy day costs little
PHOTO_MAX_AGE = 24 * 3600


# --- caching ------------------------------------------------------------------------------

def _fingerprint(request, initiative_id=None):
    """(n, last change) of what a page shows, asked once per request (ETag and Last-Modified
    both read it): the recognised registrations and the published photos."""
    if initiative_id is not None and small_int(initiative_id, 1) is None:
        initiative_id = 0  # an id no column holds: nothing public (the page answers 404)
    key = ("_gallery_fp", initiative_id)
    if not hasattr(request, "_gallery_fp"):
        request._gallery_fp = {}
    if key not in request._gallery_fp:
        n, stamp = queries.public_fingerprint(initiative_id)
        photos = GalleryPhoto.objects.all()
        if initiative_id is not None:
            photos = photos.filter(initiative_id=initiative_id)
        agg = photos.order_by().aggregate(n=Count("id"), at=Max("published_at"))
        stamps = [s for s in (stamp, agg["at"]) if s is not None]
        request._gallery_fp[key] = (n, agg["n"], max(stamps) if stamps else None)
    return request._gallery_fp[key]


def _etag(request, initiative_id=None):
    n, photos, stamp = _fingerprint(request, initiative_id)
    if not n:
        return None  # nothing to show (a 404 ahead): no conditional answer
    raw = f"{get_language()}|{request.GET.urlencode()}|{n}|{photos}|{stamp}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _last_modified(request, initiative_id=None):
    n, _photos, stamp = _fingerprint(request, initiative_id)
    return stamp if n else None


def public(max_age=MAX_AGE):
    """Cacheable by anyone: conditional GET (ETag, Last-Modified), Cache-Control public,
    Vary on what picks the language (Accept-Language and the language cookie)."""
    def wrap(view):
        conditional = condition(etag_func=_etag, last_modified_func=_last_modified)(view)

        @wraps(view)
        def inner(request, *args, **kwargs):
            response = conditional(request, *args, **kwargs)
            if response.status_code in (200, 304):
                patch_cache_control(response, public=True, max_age=max_age)
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
            return response
        return require_GET(inner)
    return wrap


# --- public pages -------------------------------------------------------------------------

@public()
def index(request):
    qs = queries.public_models(request.GET)
    number = min(max(small_int(request.GET.get("page")) or 1, 1), MAX_PAGE)
    page_obj = Paginator(qs, PAGE_SIZE).get_page(number)
    cards = queries.public_cards(page_obj.object_list)
    covers = _covers([c.id for c in cards])
    facets = queries.public_facets()
    units = _unit_choices()
    return render(request, "gallery/index.html", {
        "page_obj": page_obj, "cards": [(c, covers.get(c.id)) for c in cards],
        "fields": list(Field.objects.all()), "units": units, **facets,
        "q": request.GET.get("q", ""), "chosen": {k: request.GET.get(k, "") for k in (
            "field", "unit", "year", "level", "kind")},
        "extra_unit": _extra_unit(request.GET.get("unit"), units),
        "og_url": request.build_absolute_uri(request.path),
    })


@public()
def model(request, initiative_id):
    story = queries.public_story(initiative_id)
    if story is None:
        raise Http404
    photos = list(GalleryPhoto.objects.filter(initiative_id=story.model.id)
                  .order_by("published_at", "id").values_list("id", flat=True))
    return render(request, "gallery/model.html", {
        "story": story, "m": story.model, "photos": photos,
        "og_image": request.build_absolute_uri(reverse("gallery:photo", args=[photos[0]]))
        if photos else "",
        "og_url": request.build_absolute_uri(request.path),
    })


@require_GET
def photo(request, photo_id):
    found = (GalleryPhoto.objects.filter(pk=photo_id)
             .filter(Exists(queries.recognised_registrations()
                            .filter(initiative=OuterRef("initiative"))))
             .select_related("attachment").first())
    if found is None or not found.attachment.content_type.startswith("image/"):
        raise Http404
    try:
        handle = found.attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=found.attachment.content_type)
    patch_cache_control(response, public=True, max_age=PHOTO_MAX_AGE)
    return response


def _covers(ids) -> dict[int, int]:
    """{model id: its first published photo's id} for a page of cards, in one query."""
    covers: dict[int, int] = {}
    for ini_id, pk in (GalleryPhoto.objects.filter(initiative_id__in=ids)
                       .order_by("initiative_id", "published_at", "id")
                       .values_list("initiative_id", "id")):
        covers.setdefault(ini_id, pk)
    return covers


def _unit_choices():
    """The filter's units: provinces and districts in force (communes are reached from a
    model's page, which links to its unit's other models)."""
    return list(Unit.objects.current().filter(kind__in=(UnitKind.PROVINCE, UnitKind.DISTRICT))
                .order_by("path").only("code", "name", "depth"))


def _extra_unit(code, units):
    """The chosen unit when it is not among the filter's choices (a commune, from a model's
    page), so the form shows what the list is filtered by."""
    code = (code or "").strip()[:64]
    if not code or any(u.code == code for u in units):
        return None
    return Unit.objects.filter(code=code).only("code", "name").first()


# --- publishing photos (signed in) --------------------------------------------------------

MANAGE_LIMIT = 60


@login_required
def manage(request):
    """Images attached to the recognised models of the secretariat's subtree, newest first,
    each with its publish / withdraw button."""
    scope = request.scope
    check("gallery.publish", scope)
    recognised = queries.recognised_registrations()
    images = (Attachment.objects.within(scope).filter(content_type__startswith="image/")
              .filter(Exists(recognised.filter(initiative=OuterRef("initiative")))
                      | Exists(recognised.filter(initiative=OuterRef("registration__initiative"))))
              .select_related("initiative__unit", "registration__initiative__unit")
              .annotate(published=Exists(GalleryPhoto.objects.filter(attachment=OuterRef("pk"))))
              .order_by("-uploaded_at", "-id")[:MANAGE_LIMIT])
    rows = [(att, model_of(att)) for att in images]
    return render(request, "gallery/manage.html", {"rows": rows, "limit": MANAGE_LIMIT})


@login_required
@require_POST
def publish(request, attachment_id):
    scope = request.scope
    att = get_or_404(Attachment.objects.within(scope).select_related(
        "initiative__unit", "registration__initiative__unit"), pk=attachment_id)
    if request.POST.get("publish") == "0":
        services.withdraw_photo(att, scope=scope)
    else:
        services.publish_photo(att, scope=scope)
    return redirect("gallery:manage")
