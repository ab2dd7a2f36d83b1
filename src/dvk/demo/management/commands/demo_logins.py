from django.core.management.base import BaseCommand

from dvk.demo.builder import BEFORE_REFORM_USERS, DEMO_PASSWORD, DEMO_USERS, HISTORY_USERS

# Addresses a server listens on but a browser cannot open: show the loopback one instead.
WILDCARDS = {"0.0.0.0": "127.0.0.1", "[::]": "[::1]", "": "127.0.0.1"}


def browser_url(addr: str) -> str:
    """'HOST:PORT' as given to runserver (also '[::1]:8000' or just '8000') → its URL."""
    host, _, port = addr.rpartition(":")
    return f"http://{WILDCARDS.get(host, host)}:{port}/"


class Command(BaseCommand):
    help = "In các tài khoản dùng thử."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000",
                            help="HOST:PORT the development server listens on")

    def handle(self, *args, **opts):
        self.stdout.write("\nTài khoản dùng thử (mật khẩu chung: %s)" % DEMO_PASSWORD)
        from dvk.orgs.models import Unit

        listed = DEMO_USERS + HISTORY_USERS + BEFORE_REFORM_USERS
        names = dict(Unit.objects.filter(code__in={u[2] for u in listed})
                     .values_list("code", "name"))
        for title, users in (("Cơ cấu hiện nay (từ 01/07/2025):", DEMO_USERS),
                             ("Đơn vị trước sắp xếp (chỉ xem lịch sử):", HISTORY_USERS)
                             ) if Unit.objects.filter(code=DEMO_USERS[0][2]).exists() else (
                ("Tỉnh Kiên Giang (trước sắp xếp):", BEFORE_REFORM_USERS),):
            shown = [u for u in users if u[2] in names]
            if shown:
                self.stdout.write(title)
            for username, full_name, unit_code, role in shown:
                self.stdout.write(f"  {username:<16} {role.label:<28} {names[unit_code]} ({unit_code})")
        self.stdout.write(f"Mở {browser_url(opts['addr'])} trong trình duyệt.\n")
