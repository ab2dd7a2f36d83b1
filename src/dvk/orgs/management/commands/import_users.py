from django.conf import settings
from django.core.management.base import BaseCommand

from dvk.common.cli import input_file, refused_file
from dvk.common.tabular import ImportRefused
from dvk.orgs.users_import import import_users, invitations, send_invitations


class Command(BaseCommand):
    requires_system_checks = []  # a data command: start fast, whatever the web layer's state
    help = ("Tạo mới hoặc cập nhật tài khoản và vai trò từ tệp người dùng (.xlsx hoặc .csv "
            "UTF-8; cột Tên đăng nhập, Họ và tên, Email, Mã đơn vị, Vai trò). Tệp có lỗi thì "
            "không ghi gì; mỗi lỗi ghi rõ dòng, cột và lý do. Tài khoản mới chưa có mật khẩu: "
            "lệnh in (và gửi thư nếu có email) liên kết dùng một lần để người dùng tự đặt mật "
            "khẩu; địa chỉ trang web lấy từ DVK_BASE_URL.")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="tệp .xlsx hoặc .csv")
        parser.add_argument("--resend", "--gui-lai", dest="resend", action="store_true",
                            help="gửi lại liên kết đặt mật khẩu cho các tài khoản trong tệp "
                                 "chưa đặt mật khẩu (mặc định chỉ gửi cho tài khoản mới)")

    def handle(self, *args, file, resend, **options):
        path = input_file(file)
        try:
            result = import_users(path, source_name=path.name)
        except ImportRefused as refused:
            raise refused_file(self, path, refused) from None
        self.stdout.write(result.summary())
        invites = send_invitations(invitations(result.to_invite(resend=resend),
                                               settings.DVK_BASE_URL))
        if invites:
            hours = settings.PASSWORD_RESET_TIMEOUT // 3600
            self.stdout.write(f"Liên kết đặt mật khẩu (dùng được một lần, trong {hours} giờ):")
        for inv in invites:
            line = f"{inv.user.username}: {inv.link}"
            if inv.mailed:
                line += f" (đã gửi thư tới {inv.user.email})"
            self.stdout.write(line)
            if inv.error:
                self.stderr.write(f"Không gửi được thư tới {inv.user.email} cho "
                                  f"«{inv.user.username}»: {inv.error}. Hãy chuyển liên kết "
                                  "trên cho người dùng bằng cách khác.")
