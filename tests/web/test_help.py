"""In-app help: a short guide per role, reachable from every page, in both languages."""
import pytest

pytestmark = pytest.mark.django_db

ROLES = ["clerk", "secretariat", "appraiser", "leader", "admin"]


def test_every_page_links_to_the_help(client, client_as):
    for c, url in ((client, "/dang-nhap/"), (client, "/mo-hinh-tieu-bieu/"),
                   (client_as("dinhhoa.vanthu"), "/"), (client_as("gq.thuky"), "/mo-hinh/"),
                   (client_as("tinh.lanhdao"), "/khong-co-trang-nay/")):
        html = c.get(url).content.decode()
        assert 'href="/huong-dan/"' in html and "Hướng dẫn" in html, url


def test_each_role_has_its_guide_in_vietnamese_and_english(client):
    headings = {"clerk": ("Văn thư đơn vị", "Unit clerk"),
                "secretariat": ("Thư ký Ban Chỉ đạo", "Committee secretariat"),
                "appraiser": ("Thành viên tổ thẩm định", "Appraiser"),
                "leader": ("Lãnh đạo", "Leader"),
                "admin": ("Quản trị hệ thống", "System administrator")}
    for role in ROLES:
        vi = client.get(f"/huong-dan/{role}/").content.decode()
        en = client.get(f"/huong-dan/{role}/", headers={"Accept-Language": "en"}).content.decode()
        assert f"<h1>{headings[role][0]}</h1>" in vi, role
        assert f"<h1>{headings[role][1]}</h1>" in en, role
        for other in ROLES:  # every guide links to the others
            assert f'href="/huong-dan/{other}/"' in vi
    index = client.get("/huong-dan/").content.decode()
    assert "10/12" in index or "10 tháng 12" in index  # the annual cycle, report by 10/12
    assert client.get("/huong-dan/khong-co/").status_code == 404


def test_the_acting_role_is_marked(client_as):
    html = client_as("gq.thamdinh").get("/huong-dan/").content.decode()
    marked = html.split('href="/huong-dan/appraiser/"', 1)[1].split("</li>", 1)[0]
    assert "vai trò của bạn" in marked
