"""A recognised model of Xã Định Hòa carrying every kind of personal data the system holds
(a person's name and position, a certifier, a decision's signer, the clerk's account, a
contact line in its description), and models of the same commune at unrecognised states
whose titles carry a marker the gallery must never show."""
import pytest
from tests.acting import acting
from tests.initiatives.conftest import (at_state, dinhhoa_org, draft, field_econ,  # noqa: F401
                                        levels, new_initiative, phase26)

SECRET = "Zqxbimat"  # in the titles of models that are not recognised
PERSONAL = ["Lê Thị Riêngtư", "Chủ nhiệm câu lạc bộ Riêngtư", "0912 345 678", "0912345678",
            "riengtu@example.vn", "Trần Ký Riêngtư", "Nguyễn Văn A", "Bí thư Đảng ủy xã",
            "Văn Thư Riêngtư", "vanthu.riengtu@example.vn", "Bổ sung chỉ tiêu",
            "anh-chi-rieng-tu.png"]
PNG_1PX = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00"
           b"\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00"
           b"\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


def png(name="anh.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PNG_1PX, content_type="image/png")


@pytest.fixture
def recognised(at_state, user):
    """An exemplar (a person's model) recognised at the commune's level in 2026, with
    personal data in every field that can hold some."""
    from dvk.initiatives.enums import State

    reg = at_state(State.RECOGNIZED, title="Khéo vận động hiến đất làm đường Gallerytest")
    ini = reg.initiative
    ini.kind = "individual"
    ini.subject = PERSONAL[0]
    ini.person_name = PERSONAL[0]
    ini.person_position = PERSONAL[1]
    ini.description = (f"Vận động 135 hộ hiến đất mở đường liên ấp. Liên hệ {PERSONAL[0]}: "
                       f"{PERSONAL[2]}, {PERSONAL[3]} hoặc {PERSONAL[4]}.")
    ini.save()
    reg.decision.signer = PERSONAL[5]
    reg.decision.save()
    clerk = user("dinhhoa.vanthu")
    clerk.first_name, clerk.last_name, clerk.email = "Văn Thư", "Riêngtư", PERSONAL[9]
    clerk.save()
    return reg


@pytest.fixture
def hidden(at_state):
    """Models of the same commune that are not recognised: draft, returned, submitted,
    appraised, not recognised, withdrawn."""
    from dvk.initiatives.enums import State

    return {s: at_state(s, title=f"Khéo vận động {SECRET} {s.value}")
            for s in (State.DRAFT, State.RETURNED, State.SUBMITTED, State.APPRAISED,
                      State.NOT_RECOGNIZED, State.WITHDRAWN)}


@pytest.fixture
def published(recognised):
    """A photo of the recognised model published by Định Hòa's secretariat."""
    from dvk.gallery.services import publish_photo
    from dvk.initiatives import services

    att = services.add_attachment(scope=acting("dinhhoa.vanthu"), registration=recognised,
                                  uploaded_file=png(PERSONAL[11]))
    return publish_photo(att, scope=acting("dinhhoa.thuky"))
