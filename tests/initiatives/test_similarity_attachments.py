"""Similar titles (accents, case), replication, attachments (type sniffing, size limit)."""
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dvk.initiatives import services
from dvk.initiatives.models import Initiative
from dvk.initiatives.similarity import similar_titles
from dvk.initiatives.workflow import TransitionRefused
from dvk.initiatives.queries import initiatives_for
from tests.acting import acting


def test_similar_titles_ignore_accents_and_case(new_initiative, scope_of):
    ini = new_initiative("Khéo vận động người dân hiến máu cứu người")
    other = new_initiative("Khéo vận động làm đường giao thông nông thôn")
    found = similar_titles("KHÉO VẬN ĐỘNG HIẾN MÁU", queryset=initiatives_for(scope_of("gq.thuky")))
    ids = [i.pk for i, _ in found]
    assert ini.pk in ids  # demo data may hold closer titles ("…hiến máu tình nguyện")
    assert other.pk not in ids
    scores = [s for _, s in found]
    assert scores == sorted(scores, reverse=True)
    assert similar_titles("kheo van dong hien mau", exclude_id=ini.pk,
                          queryset=initiatives_for(scope_of("gq.thuky")))[:1] != [(ini, 1.0)]


def test_same_unit_comes_first(new_initiative, unit, dinhhoa_org):
    far = new_initiative("Khéo vận động hiến máu nhân đạo", unit=unit("KG-GQ"),
                         actor="gq.thuky")
    near = new_initiative("Khéo vận động hiến máu tình nguyện")
    found = [i.pk for i, _ in similar_titles("vận động hiến máu", unit=dinhhoa_org,
                                             queryset=Initiative.objects.all())]
    assert found.index(near.pk) < found.index(far.pk)


def test_similar_titles_respect_scope(new_initiative, scope_of):
    ini = new_initiative("Khéo vận động người dân hiến máu cứu người")
    found = similar_titles("hiến máu cứu người", queryset=initiatives_for(scope_of("rachgia.vanthu")))
    assert ini.pk not in [i.pk for i, _ in found]


def test_replications(new_initiative, user, unit):
    source = new_initiative("Khéo vận động tiết kiệm mua bảo hiểm y tế")
    copy = new_initiative("Khéo vận động tiết kiệm mua BHYT", unit=unit("KG-GQ-02"),
                          replicates=source, actor="gq.thuky")
    assert list(services.replications_of(source, queryset=Initiative.objects.all())) == [copy]
    assert services.replication_counts([source, copy]) == {source.pk: 1}
    assert services.replication_count(copy) == 0


def _docx_bytes():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize("name,data,ctype", [
    ("anh.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100, "image/jpeg"),
    ("anh.PNG", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "image/png"),
    ("baocao.pdf", b"%PDF-1.7\n" + b"0" * 100, "application/pdf"),
    ("mau1.docx", _docx_bytes(),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_attachment_types_are_sniffed(draft, user, settings, tmp_path, name, data, ctype):
    settings.MEDIA_ROOT = str(tmp_path)
    reg = draft()
    att = services.add_attachment(scope=acting(user("dinhhoa.vanthu")), registration=reg,
                                  uploaded_file=SimpleUploadedFile(name, data, "text/plain"))
    assert (att.content_type, att.size, att.original_name) == (ctype, len(data), name)
    with att.file.open("rb") as f:
        assert f.read() == data


@pytest.mark.parametrize("name,data", [
    ("virus.pdf", b"MZ\x90\x00 not a pdf"),
    ("bang.xlsx", b"PK\x03\x04" + b"x" * 50),      # a zip that is not a Word document
    ("trang.html", b"<html></html>"),
])
def test_other_types_are_refused(draft, user, settings, tmp_path, name, data):
    settings.MEDIA_ROOT = str(tmp_path)
    with pytest.raises(TransitionRefused, match="không được chấp nhận"):
        services.add_attachment(scope=acting(user("dinhhoa.vanthu")), registration=draft(),
                                uploaded_file=SimpleUploadedFile(name, data))


def test_size_limit(draft, user, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.DVK_ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(TransitionRefused, match="quá lớn"):
        services.add_attachment(scope=acting(user("dinhhoa.vanthu")), registration=draft(),
                                uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * 1000))


def test_outsider_cannot_attach(draft, user, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with pytest.raises(TransitionRefused):
        services.add_attachment(scope=acting(user("rachgia.vanthu")), registration=draft(),
                                uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF-1.4"))
