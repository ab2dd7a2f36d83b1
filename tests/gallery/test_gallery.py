"""The public gallery (/mo-hinh-tieu-bieu/): recognised models only, public fields only,
open to anonymous visitors, cacheable, with Open Graph tags; photos only once published."""
import re

import pytest
from django.test import Client
from tests.acting import acting

from .conftest import PERSONAL, SECRET, png

pytestmark = pytest.mark.django_db

INDEX = "/mo-hinh-tieu-bieu/"


def _page(reg):
    return f"{INDEX}{reg.initiative_id}/"


def _text(resp):
    body = b"".join(resp.streaming_content) if resp.streaming else resp.content
    return body.decode("utf-8", "replace")


def _shown(resp):
    """What a page shows of its data: its text without the search box echoing the query."""
    return re.sub(r'name="q" value="[^"]*"', 'name="q"', _text(resp))


def _every_gallery_response(client, reg, extra=()):
    """The index, its searches and filters, the model's page and its photos."""
    year, level, field = reg.year, reg.level.name, reg.field_id
    urls = [INDEX, f"{INDEX}?q=hien dat", f"{INDEX}?q=Gallerytest", f"{INDEX}?q={SECRET}",
            f"{INDEX}?q={SECRET.lower()}&year=2026", f"{INDEX}?year={year}&level={level}",
            f"{INDEX}?field={field}&kind=individual", f"{INDEX}?unit={reg.unit.code}",
            f"{INDEX}?unit=KG-GQ&year={year}", f"{INDEX}?q=riengtu", f"{INDEX}?q=0912",
            _page(reg), *extra]
    for url in urls:
        resp = client.get(url)
        yield url, resp


def test_anonymous_visitors_see_recognised_models_with_their_story(client, recognised):
    resp = client.get(INDEX, {"q": "hien dat gallerytest"})
    assert resp.status_code == 200
    html = _text(resp)
    assert recognised.initiative.title in html
    assert f'href="{_page(recognised)}"' in html
    assert "Cơ sở" in html and "2026" in html

    page = client.get(_page(recognised))
    assert page.status_code == 200
    html = _text(page)
    assert recognised.initiative.title in html
    assert "Vận động 135 hộ hiến đất mở đường liên ấp" in html  # the story
    assert "Số hộ tham gia" in html and "135" in html            # targets and results
    assert "15-QĐ/BCĐ" in html and "12/10/2026" in html          # the recognition decision
    # The layout of the public: no menu of the signed-in app, no forms, no CSRF token.
    assert 'class="mainnav"' not in html and "csrfmiddlewaretoken" not in html
    assert 'href="/dang-nhap/"' in html and 'href="/huong-dan/"' in html


def test_unrecognised_models_never_appear(client, recognised, hidden):
    for state, reg in hidden.items():
        assert client.get(_page(reg)).status_code == 404, state
    for url, resp in _every_gallery_response(client, recognised):
        assert resp.status_code == 200, url
        assert SECRET.lower() not in _shown(resp).lower(), url
    # The search box echoes the query, but nothing found carries it.
    found = client.get(INDEX, {"q": SECRET})
    assert found.context["page_obj"].paginator.count == 0


def test_no_personal_or_contact_data_in_any_response(client, recognised, published):
    photo = f"{INDEX}anh/{published.pk}/"
    for url, resp in _every_gallery_response(client, recognised, extra=[photo]):
        assert resp.status_code == 200, url
        shown = _shown(resp) if not url.startswith(f"{INDEX}anh/") else str(resp.headers)
        for value in PERSONAL:
            assert value.lower() not in shown.lower(), (url, value)
    html = _text(client.get(_page(recognised)))
    assert "Liên hệ" in html and "[…]" in html  # the contact line is masked, the rest stays
    # An exemplar's carrier is a person: the page names nobody as carrying it.
    assert "Chủ thể" not in html and "Carried by" not in html


def test_open_graph_tags_and_the_published_photo(client, recognised, published):
    html = _text(client.get(_page(recognised)))
    meta = dict(re.findall(r'<meta property="(og:[a-z_]+)" content="([^"]*)"', html))
    assert meta["og:title"] == recognised.initiative.title
    assert meta["og:type"] == "article"
    assert meta["og:description"].startswith("Vận động 135 hộ")
    assert "0912" not in meta["og:description"]
    assert meta["og:url"] == f"http://testserver{_page(recognised)}"
    assert meta["og:image"] == f"http://testserver{INDEX}anh/{published.pk}/"
    img = client.get(f"{INDEX}anh/{published.pk}/")
    assert img.status_code == 200 and img["Content-Type"] == "image/png"
    assert "public" in img["Cache-Control"]
    assert b"".join(img.streaming_content).startswith(b"\x89PNG")
    # The index shows it as the model's cover.
    assert f'src="{INDEX}anh/{published.pk}/"' in _text(client.get(INDEX, {"q": "gallerytest"}))


def test_no_og_image_without_a_published_photo(client, recognised):
    from dvk.initiatives import services

    services.add_attachment(scope=acting("dinhhoa.vanthu"), registration=recognised,
                            uploaded_file=png())
    html = _text(client.get(_page(recognised)))
    assert 'property="og:title"' in html and 'property="og:description"' in html
    assert "og:image" not in html
    assert 'id="photos"' not in html  # attached is not published


def test_pages_are_cacheable_and_answer_conditional_requests(client, recognised):
    for url in (INDEX, f"{INDEX}?q=hien", _page(recognised)):
        resp = client.get(url)
        cache = resp["Cache-Control"]
        assert "public" in cache and "max-age=300" in cache, url
        assert resp["ETag"] and resp["Last-Modified"], url
        assert "Accept-Language" in resp["Vary"], url
        assert "Set-Cookie" not in resp.headers and not resp.cookies, url
        again = client.get(url, headers={"If-None-Match": resp["ETag"]})
        assert again.status_code == 304, url
        since = client.get(url, headers={"If-Modified-Since": resp["Last-Modified"]})
        assert since.status_code == 304, url
    # Another language is another representation.
    en = client.get(INDEX, headers={"Accept-Language": "en"})
    assert en["ETag"] != client.get(INDEX)["ETag"]
    assert "Outstanding models" in _text(en)


def test_a_change_to_what_is_shown_changes_the_etag(client, recognised):
    before = client.get(_page(recognised))["ETag"]
    ini = recognised.initiative
    ini.description = "Câu chuyện mới."
    ini.save()
    after = client.get(_page(recognised), headers={"If-None-Match": before})
    assert after.status_code == 200 and "Câu chuyện mới." in _text(after)


def test_filters(client, recognised, hidden):
    def titles(**params):
        return [c.title for c, _cover in client.get(INDEX, params).context["cards"]]

    title = recognised.initiative.title
    assert title in titles(q="HIEN ĐAT gallerytest")  # accents and case do not matter
    assert title in titles(q="gallerytest", year="2026", level="Cơ sở")
    assert title not in titles(q="gallerytest", year="2025")
    assert title not in titles(q="gallerytest", level="Tỉnh")
    assert title in titles(q="gallerytest", unit="KG-GQ")     # the district's subtree
    assert title not in titles(q="gallerytest", unit="KG-RG")
    assert title not in titles(q="gallerytest", unit="NO-SUCH-UNIT")
    assert title in titles(q="gallerytest", kind="individual")
    assert title not in titles(q="gallerytest", kind="collective")
    assert title not in titles(q="gallerytest", field=str(recognised.field_id + 1000))
    for junk in ({"year": "abc"}, {"field": "x"}, {"page": "-3"}, {"page": "99999"},
                 {"level": "x" * 500}, {"unit": "x" * 500}):
        assert client.get(INDEX, junk).status_code == 200, junk


def test_model_page_query_count_does_not_grow_with_photos(client, recognised):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dvk.gallery.services import publish_photo
    from dvk.initiatives import services

    counts = []
    for n in (1, 3):
        while len(services_photos(recognised)) < n:
            att = services.add_attachment(scope=acting("dinhhoa.vanthu"),
                                          registration=recognised, uploaded_file=png())
            publish_photo(att, scope=acting("dinhhoa.thuky"))
        with CaptureQueriesContext(connection) as ctx:
            resp = client.get(_page(recognised))
        assert resp.context["photos"] and len(resp.context["photos"]) == n
        counts.append(len(ctx.captured_queries))
    # ETag (recognitions, photos), the model, its recognitions, targets, topics, photos.
    assert counts[0] == counts[1] == 7, counts


def services_photos(reg):
    from dvk.gallery.models import GalleryPhoto

    return list(GalleryPhoto.objects.filter(initiative=reg.initiative))


# --- publishing photos -----------------------------------------------------------------------

def test_photos_are_private_until_a_secretariat_publishes_them(client, client_as, recognised):
    from dvk.gallery.models import GalleryPhoto
    from dvk.initiatives import services

    att = services.add_attachment(scope=acting("dinhhoa.vanthu"), registration=recognised,
                                  uploaded_file=png())
    manage = client_as("dinhhoa.thuky").get(f"{INDEX}quan-ly-anh/")
    assert manage.status_code == 200
    assert recognised.initiative.title in _text(manage)
    # A clerk may not publish; a secretariat outside the subtree does not find it.
    assert client_as("dinhhoa.vanthu").post(f"{INDEX}quan-ly-anh/{att.pk}/").status_code == 403
    assert client_as("rachgia.vanthu").post(f"{INDEX}quan-ly-anh/{att.pk}/").status_code == 404
    assert not GalleryPhoto.objects.exists()
    resp = client_as("dinhhoa.thuky").post(f"{INDEX}quan-ly-anh/{att.pk}/", {"publish": "1"})
    assert resp.status_code == 302
    photo = GalleryPhoto.objects.get(attachment=att)
    assert client.get(f"{INDEX}anh/{photo.pk}/").status_code == 200
    assert 'id="photos"' in _text(client.get(_page(recognised)))
    client_as("gq.thuky").post(f"{INDEX}quan-ly-anh/{att.pk}/", {"publish": "0"})
    assert not GalleryPhoto.objects.exists()
    assert client.get(f"{INDEX}anh/{photo.pk}/").status_code == 404
    from dvk.common.history import history_of

    actions = [e.action for e in history_of(recognised.initiative)]
    assert "gallery_publish" in actions and "gallery_withdraw" in actions


def test_only_images_of_recognised_models_can_be_published(hidden, recognised):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dvk.common.rules import Refused
    from dvk.gallery.services import publish_photo
    from dvk.initiatives import services
    from dvk.initiatives.enums import State

    draft = hidden[State.DRAFT]
    att = services.add_attachment(scope=acting("dinhhoa.vanthu"), registration=draft,
                                  uploaded_file=png())
    with pytest.raises(Refused) as refused:
        publish_photo(att, scope=acting("dinhhoa.thuky"))
    assert refused.value.code == "not_recognised"
    pdf = services.add_attachment(
        scope=acting("dinhhoa.vanthu"), registration=recognised,
        uploaded_file=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%%EOF\n",
                                         content_type="application/pdf"))
    with pytest.raises(Refused) as refused:
        publish_photo(pdf, scope=acting("dinhhoa.thuky"))
    assert refused.value.code == "not_image"


def test_a_published_photo_of_a_model_no_longer_public_is_not_served(client, hidden):
    """Rows written around the service (an import, the admin) still cannot make an
    unrecognised model's photo public: the public reads check the recognition."""
    from dvk.gallery.models import GalleryPhoto
    from dvk.initiatives import services
    from dvk.initiatives.enums import State

    reg = hidden[State.NOT_RECOGNIZED]
    att = services.add_attachment(scope=acting("dinhhoa.vanthu"), registration=reg,
                                  uploaded_file=png())
    photo = GalleryPhoto.objects.create(attachment=att, initiative=reg.initiative)
    assert client.get(f"{INDEX}anh/{photo.pk}/").status_code == 404
    assert client.get(_page(reg)).status_code == 404
    assert f"anh/{photo.pk}/" not in _text(client.get(INDEX))


def test_a_signed_in_user_sees_the_same_public_page(client_as, recognised, hidden):
    from dvk.initiatives.enums import State

    c = client_as("dinhhoa.vanthu")  # the draft is theirs, still not public
    assert c.get(_page(hidden[State.DRAFT])).status_code == 404
    html = _text(c.get(_page(recognised)))
    assert 'class="mainnav"' not in html and PERSONAL[0] not in html
