"""Build the demo province: tree, phases, committees, registrations, awards, users.

At scale 1 the 2016–2020 figures equal those of the final report 552-BC/TU (seed 004):
7.995 / 6.360 grassroots, 2.692 / 2.158 district, 976 (+8 exceptional) / 825 province,
police 374 / 130 / 130, awards 1.802 + 894 giấy khen and 230 bằng khen.
"""
from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from dvk.awards.models import Award, AwardKind, mark_awarded
from dvk.initiatives.enums import ExceptionalStatus, InitiativeKind, State
from dvk.initiatives import workflow
from dvk.initiatives.models import Field, Initiative, Registration, RegistrationTarget
from dvk.phases.models import (AppraisalTeam, AppraisalTeamMember, CommitteeMember, CommitteeRole,
                               PilotUnit, SteeringCommittee)
from dvk.phases.rules import level_for_kind
from dvk.phases.services import get_or_create_phase

from dvk.orgs.enums import Role, UnitKind
from dvk.orgs.models import Membership, Sector, Unit
from dvk.orgs.tree import bulk_insert_units
from . import places

DEMO_PASSWORD = "dvk-demo-2026"
# The file of the demo's directives: a one-page PDF (the real ones are uploaded).
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")

# Today's structure (after 01/07/2025): username, full name, unit code, role.
DEMO_USERS = [
    ("quantri", "Quản trị hệ thống", "AGN", Role.ADMIN),
    ("tinh.thuky", "Trần Thị Tuyết Nhung", "AGN", Role.SECRETARIAT),
    ("tinh.lanhdao", "Nguyễn Văn Lãnh", "AGN", Role.LEADER),
    ("tinh.thamdinh", "Lê Minh Thẩm", "AGN", Role.APPRAISER),
    ("dinhhoa.vanthu", "Huỳnh Thị Mỹ", "AGN-GQ-01", Role.CLERK),
    # The new Xã Định Hòa (Định Hòa and Định An merged) recognises its models at Cơ sở.
    ("dinhhoa.thuky", "Nguyễn Thị Thu", "AGN-GQ-01", Role.SECRETARIAT),
    ("dinhhoa.thamdinh", "Trần Văn Xét", "AGN-GQ-01", Role.APPRAISER),
    ("rachgia.vanthu", "Lâm Thị Hồng", "AGN-RG-01", Role.CLERK),
]
# Accounts of units retired by the reform: they read their history, start no new work.
HISTORY_USERS = [
    ("kg.thuky", "Đỗ Thị Kim Anh", "KG", Role.SECRETARIAT),
    ("kg.lanhdao", "Lý Văn Khánh", "KG", Role.LEADER),
    ("gq.thuky", "Phạm Thị Lan", "KG-GQ", Role.SECRETARIAT),
    ("gq.thamdinh", "Võ Minh Tâm", "KG-GQ", Role.APPRAISER),
]

# The demo without the reform (Kiên Giang with its districts through 2026, three levels in
# every phase): the test suite's fixture, which exercises the rules on a three-level tree.
BEFORE_REFORM_USERS = [
    ("quantri", "Quản trị hệ thống", "KG", Role.ADMIN),
    ("tinh.thuky", "Trần Thị Tuyết Nhung", "KG", Role.SECRETARIAT),
    ("tinh.lanhdao", "Nguyễn Văn Lãnh", "KG", Role.LEADER),
    ("tinh.thamdinh", "Lê Minh Thẩm", "KG", Role.APPRAISER),
    ("gq.thuky", "Phạm Thị Lan", "KG-GQ", Role.SECRETARIAT),
    ("gq.thamdinh", "Võ Minh Tâm", "KG-GQ", Role.APPRAISER),
    ("dinhhoa.vanthu", "Huỳnh Thị Mỹ", "KG-GQ-02", Role.CLERK),
    # Xã Định Hòa's own steering committee recognises the commune's models (Cơ sở level).
    ("dinhhoa.thuky", "Nguyễn Thị Thu", "KG-GQ-02", Role.SECRETARIAT),
    ("dinhhoa.thamdinh", "Trần Văn Xét", "KG-GQ-02", Role.APPRAISER),
    ("rachgia.vanthu", "Lâm Thị Hồng", "KG-RG-01", Role.CLERK),
]

# 2016–2020 per seed 004; 2021–2025 invented but of the same order.
PHASE_FIGURES = {
    "2016-2020": dict(g=(7995, 6360), d=(2692, 2158), p=(976, 825), exceptional=8,
                      police=(374, 130, 130), police_recognized=(330, 130, 120),
                      awards=(1802, 894, 230)),
    "2021-2025": dict(g=(8420, 6950), d=(2810, 2302), p=(1012, 871), exceptional=14,
                      police=(402, 141, 138), police_recognized=(368, 139, 129),
                      awards=(1915, 930, 246)),
}
FIELD_WEIGHTS = {"kinh-te": 28, "van-hoa-xa-hoi": 38, "quoc-phong-an-ninh": 12,
                 "xay-dung-he-thong-chinh-tri": 22}


# The smaller An Giang before the reform (invented, about a tenth of Kiên Giang).
AN_GIANG_FIGURES = {
    "2016-2020": dict(g=(812, 655), d=(268, 214), p=(97, 82), exceptional=1,
                      police=(38, 13, 13), police_recognized=(34, 13, 12), awards=(180, 90, 23)),
    "2021-2025": dict(g=(860, 702), d=(281, 230), p=(101, 87), exceptional=2,
                      police=(41, 14, 14), police_recognized=(37, 14, 13), awards=(191, 93, 25)),
}


class _Tree:
    """One province's units as built, and the organisations its models are registered by."""

    def __init__(self, province: Unit, units: list[Unit]):
        self.province, self.units = province, units
        self.district_level = [u for u in units if u.kind == UnitKind.DISTRICT]
        self.district_ids = {u.pk for u in self.district_level}
        carriers = [u for u in units
                    if u.sector_id and u.kind in (UnitKind.GRASSROOTS, UnitKind.BELOW)]
        self.police = [u for u in carriers if u.sector.code == "cong-an"]
        self.others = [u for u in carriers if u.sector.code != "cong-an"]


def _n(x: int, scale: float) -> int:
    return max(0, round(x * scale))


class DemoBuilder:
    def __init__(self, scale: float = 1.0, seed: int = 2020, stdout=None, reform: bool = True):
        self.scale = scale
        self.reform = reform
        self.rng = random.Random(seed)
        self.out = stdout
        self.sectors = {s.code: s for s in Sector.objects.all()}
        self.fields = {f.code: f for f in Field.objects.all()}
        self.award_kinds = {k.code: k for k in AwardKind.objects.all()}

    def log(self, msg):
        if self.out:
            self.out.write(msg)

    @transaction.atomic
    def build(self):
        self.build_tree()
        for code in ("2016-2020", "2021-2025") + (() if self.reform else ("2026-2030",)):
            phase, _ = get_or_create_phase(code)
            self.build_committees(phase)
        self.build_users()
        for code, figures in PHASE_FIGURES.items():
            self.build_decided_phase(code, figures, self.kg)
        if self.reform:
            for code, figures in AN_GIANG_FIGURES.items():
                self.build_decided_phase(code, figures, self.ag)
            self.build_reform()
        self.build_current_year()
        self.build_directives()
        from dvk.initiatives.codes import fill_codes

        fill_codes(Initiative.objects.unscoped("the demo builds the whole province"))

    # --- tree -----------------------------------------------------------------------------
    def build_tree(self):
        self.kg = self.build_province(places.PROVINCE, places.DISTRICTS, places.DIRECT_COMMITTEES)
        # The old phases' committees, users and the pre-reform tree are Kiên Giang's.
        self.province, self.units = self.kg.province, self.kg.units
        self.district_level, self.district_ids = self.kg.district_level, self.kg.district_ids
        self.others = self.kg.others
        if self.reform:
            self.ag = self.build_province(places.AN_GIANG_BEFORE, places.AN_GIANG_DISTRICTS, [])

    def build_province(self, province_place, districts, direct_committees) -> "_Tree":
        code, name = province_place
        new: list[Unit] = []
        province = Unit(code=code, name=name, kind=UnitKind.PROVINCE, parent=None)
        new.append(province)

        def add(code, name, kind, parent, sector=None):
            u = Unit(code=code, name=name, kind=kind, parent=parent,
                     sector=self.sectors.get(sector) if sector else None)
            new.append(u)
            return u

        for dcode, dname, communes in districts:
            district = add(f"{code}-{dcode}", dname, UnitKind.DISTRICT, province)
            short = dname.replace("Thành phố ", "").replace("Huyện ", "")
            for ocode, oname, sector in places.DISTRICT_ORGS:
                add(f"{code}-{dcode}-{ocode}", f"{oname} {short}", UnitKind.GRASSROOTS, district,
                    sector)
            add(f"{code}-{dcode}-CA", f"Công an {dname[0].lower()}{dname[1:]}",
                UnitKind.GRASSROOTS, district, "cong-an")
            for i, cname in enumerate(communes, start=1):
                ccode = f"{code}-{dcode}-{i:02d}"
                commune = add(ccode, cname, UnitKind.GRASSROOTS, district)
                lower = cname[:1].lower() + cname[1:]  # "Hội Nông dân xã Định Hòa"
                for ocode, oname, kind, sector in places.COMMUNE_ORGS:
                    add(f"{ccode}-{ocode}", f"{oname} {lower}", kind, commune, sector)
                for j, hamlet in enumerate(self.rng.sample(places.HAMLETS, 2), start=1):
                    add(f"{ccode}-A{j}", f"{hamlet}, {lower}", UnitKind.BELOW, commune,
                        "mat-tran-doan-the")
        for dcode, dname, sector, members in direct_committees:
            committee = add(f"{code}-{dcode}", dname, UnitKind.DISTRICT, province, sector)
            for i, (mname, msector) in enumerate(members, start=1):
                add(f"{code}-{dcode}-{i:02d}", mname, UnitKind.GRASSROOTS, committee, msector)
        bulk_insert_units(new)
        self.log(f"  {name}: {len(new)} đơn vị")
        return _Tree(province, new)

    # --- committees --------------------------------------------------------------------------
    def build_committees(self, phase):
        seats = [("Nguyễn Văn Lãnh", "Phó Bí thư Thường trực", CommitteeRole.CHAIR),
                 ("Trần Văn Dân", "Trưởng Ban Dân vận", CommitteeRole.STANDING_DEPUTY),
                 ("Lê Thị Hòa", "Phó Chủ tịch Ủy ban nhân dân", CommitteeRole.DEPUTY),
                 ("Phạm Minh Trí", "Chủ tịch Ủy ban MTTQ", CommitteeRole.MEMBER),
                 ("Võ Thị Hạnh", "Chủ tịch Hội LHPN", CommitteeRole.MEMBER),
                 ("Đặng Quốc Bảo", "Phó Giám đốc Công an", CommitteeRole.MEMBER),
                 ("Trần Thị Tuyết Nhung", "Chuyên viên Ban Dân vận", CommitteeRole.SECRETARIAT)]
        first = phase.start_year
        levels = list(phase.ordered_levels())
        units = [self.province] + self.district_level
        if phase.code == "2026-2030":
            units = [u for u in units if u.code != "KG-KH"]  # a visible gap for the dashboard
        users = {u.username: u for u in get_user_model().objects.all()}
        for n, unit in enumerate(units, start=1):
            is_province = unit.pk == self.province.pk
            c = SteeringCommittee.objects.create(
                unit=unit, phase=phase, level=level_for_kind(phase, unit.kind, levels),
                name=f"Ban Chỉ đạo Phong trào thi đua “Dân vận khéo” {unit.name} ({phase.start_year}-{phase.end_year})",
                decision_number=f"{(278 if is_province else 40 + n)}-QĐ/{'TU' if is_province else 'HU'}",
                decision_date=dt.date(first, 3 if not is_province else 2, 10 + n % 15),
                decision_signer="Phó Bí thư Thường trực",
                standing_agency=("Ban Tuyên giáo và Dân vận" if first >= 2026 else "Ban Dân vận") +
                                (" Tỉnh ủy" if is_province else " " + unit.name),
            )
            CommitteeMember.objects.bulk_create([
                CommitteeMember(committee=c, full_name=name, position=pos, role=role, order=i,
                                user=users.get("tinh.thuky") if (is_province and role == CommitteeRole.SECRETARIAT) else None)
                for i, (name, pos, role) in enumerate(seats)])
            team = AppraisalTeam.objects.create(committee=c, name=f"Tổ thẩm định số 1 – {unit.name}")
            AppraisalTeamMember.objects.bulk_create([
                AppraisalTeamMember(team=team, full_name="Lê Minh Thẩm" if is_province else "Võ Minh Tâm",
                                    position="Phó Trưởng Ban Dân vận", is_leader=True),
                AppraisalTeamMember(team=team, full_name="Huỳnh Văn Định", position="Chuyên viên"),
            ])
        self.build_grassroots_committees(phase, levels)
        pilot = {"2016-2020": "KG-GQ", "2021-2025": "KG-CT", "2026-2030": "KG-TH"}[phase.code]
        PilotUnit.objects.create(phase=phase, unit=Unit.objects.get(code=pilot))

    def build_grassroots_committees(self, phase, levels):
        """Every grassroots unit under a district (commune, agency) has its own Tổ chỉ đạo,
        which recognises at the lowest level; organisations below it register with it.
        Xã Định Hòa's has a team with accounts, for the demo journeys."""
        heads = [u for u in self.units if u.kind == UnitKind.GRASSROOTS
                 and u.parent_id in self.district_ids]
        committees = SteeringCommittee.objects.bulk_create([
            SteeringCommittee(
                unit=u, phase=phase, level=levels[0],
                name=f"Tổ chỉ đạo Phong trào thi đua “Dân vận khéo” {u.name} "
                     f"({phase.start_year}-{phase.end_year})",
                decision_signer="Bí thư Đảng ủy", standing_agency="Khối Dân vận " + u.name)
            for u in heads], batch_size=2000)
        home = next(c for c in committees if c.unit.code == "KG-GQ-02")
        CommitteeMember.objects.bulk_create([
            CommitteeMember(committee=home, full_name=name, position=pos, role=role, order=i)
            for i, (name, pos, role) in enumerate([
                ("Lê Văn Bình", "Phó Bí thư Thường trực Đảng ủy xã", CommitteeRole.CHAIR),
                ("Nguyễn Thị Thu", "Cán bộ Khối Dân vận xã", CommitteeRole.SECRETARIAT)])])
        team = AppraisalTeam.objects.create(committee=home,
                                            name=f"Tổ thẩm định – {home.unit.name}")
        AppraisalTeamMember.objects.bulk_create([
            AppraisalTeamMember(team=team, full_name="Trần Văn Xét", is_leader=True,
                                position="Chủ tịch Ủy ban MTTQ xã"),
            AppraisalTeamMember(team=team, full_name="Phạm Thị Hiền",
                                position="Chủ tịch Hội Liên hiệp Phụ nữ xã"),
        ])

    # --- users --------------------------------------------------------------------------------
    def build_users(self):
        users = DEMO_USERS + HISTORY_USERS if self.reform else BEFORE_REFORM_USERS
        from django.contrib.auth.hashers import make_password

        User = get_user_model()
        password = make_password(DEMO_PASSWORD)  # one slow hash for all the demo accounts
        for username, full_name, unit_code, role in users:
            last, first = full_name.rsplit(" ", 1)
            user, _ = User.objects.get_or_create(username=username, defaults={
                "first_name": first, "last_name": last, "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN})
            user.password = password
            user.save()
            unit = Unit.objects.filter(code=unit_code).first()
            if unit is not None:  # today's units exist once the reform is applied
                Membership.objects.get_or_create(user=user, unit=unit, role=role)
        self.link_accounts()

    def link_accounts(self):
        """Committee and appraisal team seats held by a demo account."""
        User = get_user_model()
        accounts = {"Lê Minh Thẩm": "tinh.thamdinh", "Võ Minh Tâm": "gq.thamdinh",
                    "Trần Văn Xét": "dinhhoa.thamdinh"}
        found = {u.username: u for u in User.objects.filter(username__in=[
            *accounts.values(), "dinhhoa.thuky", "tinh.thuky"])}
        for team_member in AppraisalTeamMember.objects.filter(full_name__in=list(accounts),
                                                              user__isnull=True):
            team_member.user = found.get(accounts[team_member.full_name])
            team_member.save(update_fields=["user"])
        for full_name, username in (("Nguyễn Thị Thu", "dinhhoa.thuky"),
                                    ("Trần Thị Tuyết Nhung", "tinh.thuky")):
            CommitteeMember.objects.filter(full_name=full_name, user__isnull=True).update(
                user=found.get(username))

    # --- the 2025 reform and today's phase ------------------------------------------------------
    def build_reform(self):
        """Apply the reform through the structure engine, then build the 2026–2030 phase on
        the new province with its two levels (DVK_NEW_PHASE_LEVELS) and its committees."""
        from django.conf import settings

        from dvk.phases.services import create_phase

        from .reform import ReformPlan, apply_reform

        children: dict[int, list[Unit]] = {}
        for u in self.kg.units + self.ag.units:
            children.setdefault(u.parent_id, []).append(u)
        plan = ReformPlan([self.kg.province, self.ag.province], self.sectors)
        result = apply_reform(plan.build(children))
        self.log(f"  Sắp xếp 01/07/2025: {result.changed} thay đổi")
        self.new_province = Unit.objects.get(code=places.NEW_PROVINCE[0])
        new_units = list(Unit.objects.filter(path__startswith=self.new_province.path,
                                             valid_until__isnull=True)
                         .select_related("sector").order_by("path"))
        self.today = _Tree(self.new_province, new_units)
        self.others = self.today.others
        phase = create_phase(code="2026-2030", levels=settings.DVK_NEW_PHASE_LEVELS,
                             name="Giai đoạn 2026–2030")
        self.build_today_committees(phase)
        self.build_users()  # today's accounts, now that their units exist

    def build_today_committees(self, phase):
        levels = list(phase.ordered_levels())
        province = self.new_province
        heads = [u for u in self.today.units if u.parent_id == province.pk]
        gap = "AGN-KH-01"  # a commune without its committee yet: a visible gap
        seats = [("Nguyễn Văn Lãnh", "Phó Bí thư Thường trực Tỉnh ủy", CommitteeRole.CHAIR),
                 ("Trần Văn Dân", "Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy",
                  CommitteeRole.STANDING_DEPUTY),
                 ("Lê Thị Hòa", "Phó Chủ tịch Ủy ban nhân dân tỉnh", CommitteeRole.DEPUTY),
                 ("Phạm Minh Trí", "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh", CommitteeRole.MEMBER),
                 ("Đặng Quốc Bảo", "Phó Giám đốc Công an tỉnh", CommitteeRole.MEMBER),
                 ("Trần Thị Tuyết Nhung", "Phó Trưởng phòng Dân vận, Ban Tuyên giáo và Dân vận "
                  "Tỉnh ủy", CommitteeRole.SECRETARIAT)]
        period = f"({phase.start_year}-{phase.end_year})"
        top = SteeringCommittee.objects.create(
            unit=province, phase=phase, level=level_for_kind(phase, province.kind, levels),
            name=f"Ban Chỉ đạo Phong trào thi đua “Dân vận khéo” {province.name} {period}",
            decision_number="15-QĐ/TU", decision_date=dt.date(2026, 2, 12),
            decision_signer="Phó Bí thư Thường trực Tỉnh ủy",
            standing_agency="Ban Tuyên giáo và Dân vận Tỉnh ủy")
        CommitteeMember.objects.bulk_create([
            CommitteeMember(committee=top, full_name=name, position=pos, role=role, order=i)
            for i, (name, pos, role) in enumerate(seats)])
        team = AppraisalTeam.objects.create(committee=top, name=f"Tổ thẩm định số 1 – {province.name}")
        AppraisalTeamMember.objects.bulk_create([
            AppraisalTeamMember(team=team, full_name="Lê Minh Thẩm", is_leader=True,
                                position="Phó Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy"),
            AppraisalTeamMember(team=team, full_name="Huỳnh Văn Định", position="Chuyên viên")])
        committees = SteeringCommittee.objects.bulk_create([
            SteeringCommittee(
                unit=u, phase=phase, level=level_for_kind(phase, u.kind, levels),
                name=f"Ban Chỉ đạo Phong trào thi đua “Dân vận khéo” {u.name} {period}",
                decision_signer="Bí thư Đảng ủy",
                standing_agency=("Ban Xây dựng Đảng Đảng ủy " + u.name[:1].lower() + u.name[1:]))
            for u in heads if u.code != gap], batch_size=2000)
        home = next(c for c in committees if c.unit.code == "AGN-GQ-01")
        CommitteeMember.objects.bulk_create([
            CommitteeMember(committee=home, full_name=name, position=pos, role=role, order=i)
            for i, (name, pos, role) in enumerate([
                ("Lê Văn Bình", "Phó Bí thư Thường trực Đảng ủy xã", CommitteeRole.CHAIR),
                ("Nguyễn Thị Thu", "Chuyên viên Ban Xây dựng Đảng xã", CommitteeRole.SECRETARIAT)])])
        team = AppraisalTeam.objects.create(committee=home, name=f"Tổ thẩm định – {home.unit.name}")
        AppraisalTeamMember.objects.bulk_create([
            AppraisalTeamMember(team=team, full_name="Trần Văn Xét", is_leader=True,
                                position="Chủ tịch Ủy ban MTTQ Việt Nam xã"),
            AppraisalTeamMember(team=team, full_name="Phạm Thị Hiền",
                                position="Chủ tịch Hội Liên hiệp Phụ nữ xã")])
        PilotUnit.objects.create(phase=phase, unit=Unit.objects.get(code="AGN-TH-01"))

    # --- directives downward (seed 004 §II.1) ------------------------------------------------
    def build_directives(self):
        """The 2026–2030 province committee's working rules, plan 02-KH/BCĐ and guidance
        03-HD/BCĐ of 15/04/2026, acknowledged by about two thirds of the committees below (the
        first of them filing its implementing plan); Xã Định Hòa's (the demo secretariat's
        commune) has not acknowledged yet, for the demo journey."""
        from django.core.files.base import ContentFile

        from dvk.directives.models import Acknowledgement, Directive, DirectiveKind
        from dvk.directives.queries import followed_committees
        from dvk.phases.models import Phase

        phase = Phase.objects.get(code="2026-2030")
        province = self.new_province if self.reform else self.province
        top = SteeringCommittee.objects.select_related("unit", "phase").get(unit=province,
                                                                           phase=phase)
        secretariat = get_user_model().objects.filter(username="tinh.thuky").first()
        when = timezone.make_aware(dt.datetime(2026, 4, 16, 8, 0))
        day = dt.date(2026, 4, 15)
        docs = [(DirectiveKind.RULES, "01-QC/BCĐ", "Quy chế làm việc của Ban Chỉ đạo Phong trào "
                 "thi đua “Dân vận khéo” tỉnh, giai đoạn 2026-2030"),
                (DirectiveKind.PLAN, "02-KH/BCĐ", "Kế hoạch thực hiện Phong trào thi đua “Dân vận "
                 "khéo” giai đoạn 2026-2030"),
                (DirectiveKind.GUIDANCE, "03-HD/BCĐ", "Hướng dẫn tiêu chí, quy trình đăng ký, "
                 "thẩm định và công nhận mô hình, điển hình “Dân vận khéo”")]

        def publish(committee, kind, number, title, issued_on, responds_to=None, by=None):
            d = Directive(committee=committee, unit=committee.unit, phase=phase, kind=kind,
                          number=number, issued_on=issued_on, signer="Phó Trưởng Ban Thường trực",
                          title=title, original_name=f"{number.replace('/', '-')}.pdf",
                          content_type="application/pdf", size=len(DEMO_PDF),
                          responds_to=responds_to, published_at=when, published_by=by)
            d.file.save(d.original_name, ContentFile(DEMO_PDF), save=False)
            d.save()
            return d

        published = [publish(top, kind, number, title, day, by=secretariat)
                     for kind, number, title in docs]
        below = [c for c in followed_committees(top)
                 if c.unit.code not in ("AGN-GQ-01", "KG-GQ-02")]
        acks = []
        for i, c in enumerate(below):
            if i % 3 == 2:
                continue  # a third have not acknowledged: the upper level sees who
            acks += [Acknowledgement(directive=d, unit=c.unit, at=when + dt.timedelta(days=1 + i % 9))
                     for d in published[1:]]
        Acknowledgement.objects.bulk_create(acks, batch_size=2000)
        if below:
            first = below[0]
            publish(first, DirectiveKind.PLAN, "05-KH/BCĐ",
                    f"Kế hoạch thực hiện Kế hoạch số 02-KH/BCĐ của Ban Chỉ đạo tỉnh tại "
                    f"{first.unit.name}", dt.date(2026, 5, 4), responds_to=published[1])
        self.log(f"  Văn bản chỉ đạo: {len(published)} văn bản, {len(acks)} lượt xác nhận")

    # --- registrations ------------------------------------------------------------------------
    def _field_for(self, unit):
        if unit.sector.code in ("cong-an", "quan-su", "bien-phong"):
            return self.fields["quoc-phong-an-ninh"] if self.rng.random() < .8 else self.fields["van-hoa-xa-hoi"]
        codes, weights = zip(*FIELD_WEIGHTS.items())
        return self.fields[self.rng.choices(codes, weights)[0]]

    def _initiative(self, unit, year, title=None):
        individual = self.rng.random() < 0.12
        person = self.rng.choice(places.PEOPLE) if individual else ""
        title = title or self.rng.choice(places.TITLES)
        return Initiative(
            kind=InitiativeKind.INDIVIDUAL if individual else InitiativeKind.COLLECTIVE,
            title=f"{title} của {unit.name}" if not individual else f"{person} – {title.lower()}",
            subject=person or unit.name, person_name=person,
            person_position="Trưởng Ban Công tác Mặt trận ấp" if individual else "",
            unit=unit, sector=unit.sector, field=self._field_for(unit), start_year=year)

    def build_decided_phase(self, code, f, tree: _Tree):
        from dvk.phases.models import Phase

        phase = Phase.objects.get(code=code)
        levels = list(phase.ordered_levels())
        s = self.scale
        years = list(phase.years)
        (ng, rg), (nd, rd), (np_, rp) = [(_n(a, s), _n(b, s)) for a, b in (f["g"], f["d"], f["p"])]
        pg, pd, pp = (_n(x, s) for x in f["police"])
        prg, prd, prp = (_n(x, s) for x in f["police_recognized"])
        ne = _n(f["exceptional"], s)

        # Grassroots: police first, then the others.
        rows = []  # (initiative, unit, year, is_police)
        for i in range(ng):
            unit = self.rng.choice(tree.police if i < pg else tree.others)
            rows.append((unit, self.rng.choice(years), i < pg))
        initiatives = [self._initiative(u, y) for u, y, _ in rows]
        for ini in initiatives:
            ini.refresh_derived()
        Initiative.objects.bulk_create(initiatives, batch_size=2000)

        def decide(indices_police, indices_other, n_rec_police, n_rec_total):
            rec = set(indices_police[:n_rec_police])
            rest = n_rec_total - len(rec)
            rec.update(indices_other[:max(0, rest)])
            return rec

        police_idx = list(range(pg))
        other_idx = list(range(pg, ng))
        self.rng.shuffle(other_idx)
        rec_g = decide(police_idx, other_idx, prg, rg)

        regs = []
        level_g, level_d, level_p = levels[0], levels[1], levels[-1]

        def reg(ini, level, year, recognized, **extra):
            return Registration(
                initiative=ini, phase=phase, level=level, year=year, unit=ini.unit,
                sector=ini.sector, field=ini.field,
                state=State.RECOGNIZED if recognized else State.NOT_RECOGNIZED,
                imported=True, submitted_at=timezone.make_aware(dt.datetime(year, 1, 20)),
                decided_at=timezone.make_aware(dt.datetime(year, 10, 12)),
                certificate_number=f"{len(regs) + 1:05d}/{year}" if recognized else "", **extra)

        for i, ini in enumerate(initiatives):
            regs.append(reg(ini, level_g, rows[i][1], i in rec_g))

        # District: promoted from recognised grassroots.
        rec_police = [i for i in police_idx if i in rec_g]
        rec_other = [i for i in other_idx if i in rec_g]
        self.rng.shuffle(rec_other)
        d_idx = rec_police[:pd] + rec_other[:max(0, nd - min(pd, len(rec_police)))]
        d_police = [i for i in d_idx if i < pg]
        d_other = [i for i in d_idx if i >= pg]
        rec_d = decide(d_police, d_other, prd, rd)
        d_regs = {}
        for i in d_idx:
            year = min(years[-1], rows[i][1] + self.rng.choice([0, 0, 1]))
            r = reg(initiatives[i], level_d, year, i in rec_d)
            d_regs[i] = r
            regs.append(r)

        # Province: promoted from recognised district registrations, plus exceptional ones.
        rd_police = [i for i in d_police if i in rec_d]
        rd_other = [i for i in d_other if i in rec_d]
        p_idx = rd_police[:pp] + rd_other[:max(0, np_ - min(pp, len(rd_police)))]
        p_police = [i for i in p_idx if i < pg]
        p_other = [i for i in p_idx if i >= pg]
        n_exc_rec = round(ne * 0.75)
        rec_p = decide(p_police, p_other, prp, rp - n_exc_rec)
        for i in p_idx:
            year = min(years[-1], d_regs[i].year + self.rng.choice([0, 1]))
            regs.append(reg(initiatives[i], level_p, year, i in rec_p))

        exc_inis = []
        for k in range(ne):
            unit = self.rng.choice(tree.others)
            exc_inis.append(self._initiative(unit, years[-1], "Khéo vận động phòng, chống dịch Covid-19"))
        for ini in exc_inis:
            ini.refresh_derived()
        Initiative.objects.bulk_create(exc_inis)
        for k, ini in enumerate(exc_inis):
            regs.append(reg(ini, level_p, years[-1], k < n_exc_rec, is_exceptional=True,
                            exceptional_reason="Mô hình tham gia phòng, chống dịch Covid-19 (đột xuất)",
                            exceptional_status=ExceptionalStatus.APPROVED))
        Registration.objects.bulk_create(regs, batch_size=2000)
        # Through the workflow's door, as an import would record them: one step each.
        workflow.born(regs, comment="Dữ liệu lịch sử của giai đoạn")

        # Awards to recognised models, per level.
        kinds = (self.award_kinds["giay-khen"], self.award_kinds["giay-khen"], self.award_kinds["bang-khen"])
        counts = [_n(x, s) for x in f["awards"]]
        awards = []
        for level, kind, count in zip((level_g, level_d, level_p), kinds, counts):
            recognised = [r for r in regs if r.level_id == level.pk and r.state == State.RECOGNIZED]
            for r in self.rng.sample(recognised, min(count, len(recognised))):
                awards.append(Award(kind=kind, phase=phase, level=level, year=r.year, registration=r,
                                    unit=r.unit, recipient_name=r.initiative.subject))
        Award.objects.bulk_create(awards, batch_size=2000)
        mark_awarded(a.registration_id for a in awards)
        self.log(f"  {tree.province.name} {code}: {len(regs)} lượt đăng ký, "
                 f"{len(awards)} khen thưởng")

    def build_current_year(self):
        """2026: registrations at every step of the workflow, for the demo journeys."""
        from dvk.phases.models import Phase

        phase = Phase.objects.get(code="2026-2030")
        level = phase.ordered_levels().first()
        year = 2026
        deadline = phase.registration_deadline_for(year)
        User = get_user_model()
        clerk = User.objects.get(username="dinhhoa.vanthu")  # today's unit, after a reform
        secretariat = User.objects.get(username="dinhhoa.thuky")
        mix = [(State.DRAFT, 10), (State.SUBMITTED, 22), (State.RETURNED, 5), (State.ACCEPTED, 30),
               (State.REPORTED, 15), (State.APPRAISED, 6), (State.RECOGNIZED, 9),
               (State.NOT_RECOGNIZED, 3)]
        path = [State.DRAFT, State.SUBMITTED, State.ACCEPTED, State.REPORTED, State.APPRAISED]
        total = _n(420, self.scale)
        states = self.rng.choices([m[0] for m in mix], [m[1] for m in mix], k=total)
        inis = [self._initiative(self.rng.choice(self.others), year) for _ in range(total)]
        for ini in inis:
            ini.refresh_derived()
        Initiative.objects.bulk_create(inis)
        regs = []
        for ini, state in zip(inis, states):
            submitted = None
            late = False
            if state != State.DRAFT:
                day = self.rng.randint(5, 50)
                submitted = timezone.make_aware(dt.datetime(year, 1, 1) + dt.timedelta(days=day))
                late = submitted.date() > deadline
            regs.append(Registration(initiative=ini, phase=phase, level=level, year=year,
                                     unit=ini.unit, sector=ini.sector, field=ini.field, state=state,
                                     submitted_at=submitted, is_late=late, created_by=clerk,
                                     return_comment="Đề nghị bổ sung chỉ tiêu đo lường cụ thể."
                                     if state == State.RETURNED else ""))
        Registration.objects.bulk_create(regs)
        targets, steps = [], {}
        for r in regs:
            targets += [
                RegistrationTarget(registration=r, criterion="Số hộ tham gia", baseline="40",
                                   target="120", unit_of_measure="hộ", order=1,
                                   result="135" if r.state in (State.REPORTED, State.APPRAISED,
                                                               State.RECOGNIZED, State.NOT_RECOGNIZED) else ""),
                RegistrationTarget(registration=r, criterion="Kinh phí vận động", baseline="0",
                                   target="200", unit_of_measure="triệu đồng", order=2),
            ]
            steps[r.pk] = path[: path.index(r.state) + 1] if r.state in path else (
                [State.DRAFT, State.SUBMITTED, State.RETURNED] if r.state == State.RETURNED
                else path + [r.state])
        RegistrationTarget.objects.bulk_create(targets)
        unit_side = (State.DRAFT, State.SUBMITTED, State.REPORTED)
        workflow.born(regs, steps=lambda r: steps[r.pk],
                      actor=lambda r, state: clerk if state in unit_side else secretariat)
        self.log(f"  2026: {len(regs)} lượt đăng ký đang xử lý")
        if self.reform:
            self.build_promotions(phase, year, clerk, secretariat)

    def build_promotions(self, phase, year, clerk, secretariat):
        """Models the communes recognised in mid-2026 and proposed to the province: some
        recognised there already (decision of 12/10/2026, ready for the 15/10 commendation),
        the others at each step of the province's work."""
        from django.contrib.auth import get_user_model

        levels = list(phase.ordered_levels())
        grassroots, top = levels[0], levels[-1]
        province_sec = get_user_model().objects.get(username="tinh.thuky")
        total = max(8, _n(80, self.scale))
        inis = []
        while len(inis) < total:
            ini = self._initiative(self.rng.choice(self.others), year)
            if ini.kind == InitiativeKind.COLLECTIVE:  # bằng khen go to collectives
                ini.refresh_derived()
                inis.append(ini)
        Initiative.objects.bulk_create(inis)
        at = timezone.make_aware

        def reg(ini, level, state, submitted, decided=None, **extra):
            return Registration(initiative=ini, phase=phase, level=level, year=year,
                                unit=ini.unit, sector=ini.sector, field=ini.field, state=state,
                                submitted_at=at(submitted), decided_at=decided and at(decided),
                                created_by=clerk, **extra)

        below = [reg(ini, grassroots, State.RECOGNIZED, dt.datetime(year, 1, 12),
                     dt.datetime(year, 6, 15)) for ini in inis]
        Registration.objects.bulk_create(below)
        later = [State.SUBMITTED, State.ACCEPTED, State.REPORTED, State.APPRAISED]
        states = [State.RECOGNIZED if i % 2 == 0 else later[(i // 2) % len(later)]
                  for i in range(total)]
        upper = [reg(r.initiative, top, state, dt.datetime(year, 7, 1),
                     dt.datetime(year, 10, 12) if state == State.RECOGNIZED else None,
                     promoted_from=r, certificate_number=f"{i + 1:03d}/{year}/T"
                     if state == State.RECOGNIZED else "")
                 for i, (r, state) in enumerate(zip(below, states))]
        Registration.objects.bulk_create(upper)
        path = [State.SUBMITTED, State.ACCEPTED, State.REPORTED, State.APPRAISED, State.RECOGNIZED]
        workflow.born(below, steps=lambda r: [State.DRAFT, *path], actor=secretariat)
        workflow.born(upper, steps=lambda r: path[: path.index(r.state) + 1],
                      actor=province_sec)
        self.log(f"  2026: {total} mô hình đề nghị lên cấp {top.name}")
