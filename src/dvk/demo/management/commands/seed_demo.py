from django.core.management.base import BaseCommand, CommandError

from dvk.demo.builder import DemoBuilder
from dvk.orgs.models import Unit


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu của một tỉnh (cây tổ chức, ban chỉ đạo, mô hình, khen thưởng, người dùng)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0,
                            help="nhân khối lượng dữ liệu (mặc định 1 = số liệu như báo cáo 552-BC/TU)")
        parser.add_argument("--if-empty", action="store_true",
                            help="chỉ tạo khi cơ sở dữ liệu chưa có đơn vị nào")
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument("--before-reform", action="store_true",
                            help="chỉ tỉnh Kiên Giang với các huyện, không sắp xếp 01/07/2025 "
                                 "(giai đoạn 2026-2030 ba cấp)")

    def handle(self, *args, scale, if_empty, seed, before_reform, **opts):
        if Unit.objects.exists():
            if if_empty:
                self.stdout.write("Cơ sở dữ liệu đã có dữ liệu; bỏ qua tạo dữ liệu mẫu.")
                return
            raise CommandError("Cơ sở dữ liệu đã có đơn vị; dữ liệu mẫu chỉ tạo trên cơ sở dữ liệu trống.")
        if scale <= 0:
            raise CommandError("--scale phải lớn hơn 0.")
        self.stdout.write(f"Đang tạo dữ liệu mẫu (hệ số {scale:g})…")
        DemoBuilder(scale=scale, seed=seed, stdout=self.stdout, reform=not before_reform).build()
        self.stdout.write(self.style.SUCCESS("Đã tạo dữ liệu mẫu."))
