from django.core.management.base import BaseCommand

from dvk.orgs.demo.builder import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "In các tài khoản dùng thử."

    def handle(self, *args, **opts):
        self.stdout.write("\nTài khoản dùng thử (mật khẩu chung: %s)" % DEMO_PASSWORD)
        for username, full_name, unit_code, role in DEMO_USERS:
            self.stdout.write(f"  {username:<16} {role.label:<28} {unit_code}")
        self.stdout.write("Mở http://127.0.0.1:8000 trong trình duyệt.\n")
