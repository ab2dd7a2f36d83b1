"""`dvk import_users FILE` (CONTRACTS §8; issue 14, item 6): accounts and their roles from a
file, all or nothing, re-import updates and never duplicates, new accounts get a one-time
link to set their password (printed, and mailed when they have an email)."""
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command

from dvk.common.models import HistoryEntry
from dvk.common.rules import allowed
from dvk.orgs.enums import Role
from dvk.orgs.models import Membership
from dvk.orgs.scope import scope_for

from .conftest import write_csv, write_xlsx

pytestmark = pytest.mark.django_db
HEADER = ["Tên đăng nhập", "Họ và tên", "Email", "Mã đơn vị", "Vai trò"]
GOOD = [
    ["gq.moi", "Nguyễn Văn Mới", "moi@example.vn", "KG-GQ", "Thư ký"],
    ["gq.moi", "Nguyễn Văn Mới", "", "KG-GQ-02", "Thẩm định"],
    ["dh.vanthu2", "Trần Thị Hai", "", "KG-GQ-02", "văn thư"],
    ["tinh.quantri2", "Lê Văn Quản", "", "KG", " Quản trị "],
]
LINK = re.compile(r"http://testserver\.example/tai-khoan/dat-mat-khau/[^/\s]+/[^/\s]+/")


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.DVK_BASE_URL = "http://testserver.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_users", *map(str, args), stdout=out, stderr=err)
        return 0, out.getvalue(), err.getvalue()
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)


def footprint():
    User = get_user_model()
    return (User.objects.count(), Membership.objects.count(), HistoryEntry.objects.count(),
            sorted(User.objects.values_list("username", "first_name", "last_name", "email")))


def test_create_then_reimport_changes_nothing(tmp_path):
    path = write_csv(tmp_path / "nguoi_dung.csv", GOOD, header=HEADER)
    status, out, err = run(path)
    assert status == 0, err
    assert "3 tài khoản tạo mới, 0 cập nhật, 0 không đổi; 4 vai trò thêm mới" in out
    User = get_user_model()
    moi = User.objects.get(username="gq.moi")
    assert moi.get_full_name() == "Nguyễn Văn Mới" and moi.first_name == "Mới"
    assert moi.email == "moi@example.vn" and not moi.has_usable_password()
    assert set(Membership.objects.filter(user=moi).values_list("unit__code", "role")) == {
        ("KG-GQ", Role.SECRETARIAT), ("KG-GQ-02", Role.APPRAISER)}
    assert Membership.objects.get(user__username="dh.vanthu2").role == Role.CLERK
    # A link per new account, on stdout; mailed to the one with an email, in Vietnamese.
    links = dict(re.findall(r"^(\S+): (http\S+)", out, re.M))
    assert set(links) == {"gq.moi", "dh.vanthu2", "tinh.quantri2"}
    assert all(LINK.fullmatch(link) for link in links.values())
    assert [m.to for m in mail.outbox] == [["moi@example.vn"]]
    assert links["gq.moi"] in mail.outbox[0].body and "Tên đăng nhập" in mail.outbox[0].body
    assert "đã gửi thư tới moi@example.vn" in out
    assert HistoryEntry.objects.filter(action="user_import_create", object_id=str(moi.pk),
                                       comment="nguoi_dung.csv").exists()

    before = footprint()
    mail.outbox.clear()
    status, out, _ = run(path)
    assert status == 0
    assert "0 tài khoản tạo mới, 0 cập nhật, 3 không đổi; 0 vai trò thêm mới" in out
    assert footprint() == before
    assert not LINK.search(out) and not mail.outbox  # no new link unless --resend


def test_quan_tri_at_the_root_is_the_system_administrator(tmp_path):
    run(write_csv(tmp_path / "a.csv", GOOD, header=HEADER))
    User = get_user_model()
    root_admin = scope_for(User.objects.get(username="tinh.quantri2"))
    assert root_admin.role == Role.ADMIN and root_admin.unit.parent_id is None
    assert allowed("structure.change", root_admin) and allowed("users.import", root_admin)
    assert not root_admin.is_superuser  # the rule book's system administrator, not Django's
    # Quản trị below the root administers its subtree only.
    run(write_csv(tmp_path / "b.csv", [["gq.quantri2", "Võ Văn Trị", "", "KG-GQ", "Quản trị"]],
                  header=HEADER))
    unit_admin = scope_for(User.objects.get(username="gq.quantri2"))
    assert unit_admin.role == Role.ADMIN and not allowed("users.import", unit_admin)


def test_a_username_again_adds_that_membership_and_keeps_the_others(tmp_path, user):
    """gq.thuky (demo: Thư ký of KG-GQ) gets a second role; nothing else of theirs changes;
    an xlsx file with its columns in another order and an extra column."""
    thuky = user("gq.thuky")
    held = set(Membership.objects.filter(user=thuky).values_list("unit__code", "role"))
    header = ["Ghi chú", "vai TRÒ", "  mã đơn vị ", "Họ và tên", "Tên đăng nhập", "Email"]
    path = write_xlsx(tmp_path / "them.xlsx", [["bổ sung", "Lãnh đạo", "KG-GQ-02", "Phạm Thị Lan",
                                                "gq.thuky", "lan@example.vn"]], header=header)
    status, out, _ = run(path)
    assert status == 0
    assert "0 tài khoản tạo mới, 1 cập nhật, 0 không đổi; 1 vai trò thêm mới" in out
    thuky.refresh_from_db()
    assert thuky.email == "lan@example.vn" and thuky.check_password("dvk-demo-2026")
    assert set(Membership.objects.filter(user=thuky).values_list("unit__code", "role")) == \
        held | {("KG-GQ-02", Role.LEADER)}
    assert not LINK.search(out)  # an existing account gets no link
    entry = HistoryEntry.objects.get(action="user_import_update", object_id=str(thuky.pk))
    assert entry.changes["email"] == ["", "lan@example.vn"]
    assert entry.changes["memberships"] == [None, ["Lãnh đạo · KG-GQ-02"]]


def test_a_refused_file_names_each_row_and_column_and_writes_nothing(tmp_path):
    before = footprint()
    rows = [
        ["gq.moi", "Nguyễn Văn Mới", "moi@example.vn", "KG-GQ", "Thư ký"],
        ["gq moi", "Nguyễn Văn Mới", "", "KG-GQ", "Thư ký"],  # space in a username
        ["gq.hai", "", "khong-phai-email", "KG-XX", "Bí thư"],
        ["gq.moi", "Nguyễn Văn Khác", "", "KG-GQ-02", "Thư ký"],  # another name, same user
        ["GQ.THUKY", "Phạm Thị Lan", "", "KG-GQ", "Thư ký"],  # only the case differs
        ["gq.ba", "Lê Ba", "moi@example.vn", "KG-GQ", "Thư ký"],  # someone else's address
    ]
    status, out, err = run(write_csv(tmp_path / "loi.csv", rows, header=HEADER))
    assert status == 1
    assert "Dòng 3, cột «Tên đăng nhập»" in err
    assert "Dòng 4, cột «Họ và tên»: thiếu họ và tên." in err
    assert "Dòng 4, cột «Email»: «khong-phai-email» không phải địa chỉ thư điện tử" in err
    assert "Dòng 4, cột «Mã đơn vị»: không có đơn vị mã «KG-XX»." in err
    assert "Dòng 4, cột «Vai trò»: «Bí thư» không phải vai trò hợp lệ" in err
    assert "Dòng 5, cột «Họ và tên»: khác với họ và tên của «gq.moi» ở dòng 2" in err
    assert "Dòng 6, cột «Tên đăng nhập»: đã có tài khoản «gq.thuky»" in err
    assert "Dòng 7, cột «Email»: email «moi@example.vn» đã dùng cho «gq.moi» ở dòng 2." in err
    assert "không có dữ liệu nào được ghi" in err
    assert footprint() == before and not mail.outbox


def test_missing_columns_and_a_retired_unit_are_refused(tmp_path, unit):
    import datetime as dt

    status, _, err = run(write_csv(tmp_path / "thieu.csv", [["gq.moi", "KG-GQ"]],
                                   header=["Tên đăng nhập", "Mã đơn vị"]))
    assert status == 1
    assert "Dòng 1, cột «Họ và tên»: thiếu cột bắt buộc." in err
    assert "Dòng 1, cột «Vai trò»: thiếu cột bắt buộc." in err
    retired = unit("KG-GQ-03")
    retired.valid_until = dt.date(2025, 7, 1)
    retired.save()
    status, _, err = run(write_csv(tmp_path / "cu.csv", [["gq.moi", "Nguyễn Văn Mới", "",
                                                           "KG-GQ-03", "Văn thư"]], header=HEADER))
    assert status == 1 and "đã ngừng hoạt động từ ngày 01/07/2025" in err


@pytest.mark.parametrize("args", [["/no/such/file.csv"], []])
def test_wrong_usage_exits_2(args):
    before = footprint()
    status, _, err = run(*args)
    assert status == 2 or (not args and status != 0)
    if args:
        assert "Không tìm thấy tệp" in err
    assert footprint() == before


def test_missing_file_exits_2_from_the_shell(tmp_path):
    import os
    import subprocess
    import sys

    dvk = os.path.join(os.path.dirname(sys.executable), "dvk")
    done = subprocess.run([dvk, "import_users", str(tmp_path / "khong-co.xlsx")],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "Không tìm thấy tệp" in done.stderr


def test_resend_gives_new_links_to_accounts_without_a_password_only(tmp_path, user):
    path = write_csv(tmp_path / "a.csv", GOOD + [["gq.thuky", "Phạm Thị Lan", "", "KG-GQ",
                                                   "Thư ký"]], header=HEADER)
    run(path)
    get_user_model().objects.filter(username="dh.vanthu2").update(is_active=False)
    mail.outbox.clear()
    status, out, _ = run(path, "--resend")
    assert status == 0
    links = dict(re.findall(r"^(\S+): (http\S+)", out, re.M))
    # Not gq.thuky (has a password), not a deactivated account.
    assert set(links) == {"gq.moi", "tinh.quantri2"}
    assert [m.to for m in mail.outbox] == [["moi@example.vn"]]


def test_a_mail_that_cannot_be_sent_still_prints_the_link(tmp_path, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    status, out, err = run(write_csv(tmp_path / "a.csv", GOOD[:1], header=HEADER))
    assert status == 0 and LINK.search(out)
    assert "Không gửi được thư tới moi@example.vn cho «gq.moi»" in err
