from django.core.management.base import BaseCommand

from dvk.demo.builder import DEMO_PASSWORD, DEMO_USERS

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
        for username, full_name, unit_code, role in DEMO_USERS:
            self.stdout.write(f"  {username:<16} {role.label:<28} {unit_code}")
        self.stdout.write(f"Mở {browser_url(opts['addr'])} trong trình duyệt.\n")
