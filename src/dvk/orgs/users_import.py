"""Accounts in bulk from a users file (CONTRACTS §8), all or nothing.

One row = one person acting for one unit with one role. A username seen again (in the file
or in the database) is the same account: its name and email are updated, the row's
membership is added, and memberships the file does not name are left as they are. Every
row is checked against the file and the database first (a few set-wise queries, no query
per row); any problem refuses the whole file with a Vietnamese message naming its row and
column. A new account gets no usable password: `invitations()` makes the one-time link to
set it (Django's password-reset token: it stops working once a password is set), and
`send_invitations()` mails it to those who have an email.

`Quản trị` at a root unit is the system administrator (orgs/rules.py `system_admin`);
below the root it administers that unit's subtree (orgs/admin_scope.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from dvk.common.models import HistoryEntry
from dvk.common.tabular import Column, Problems, as_text, read_table
from dvk.common.text import fold

from .enums import ROLE_FILE_LABELS, Role
from .models import Membership, Unit

USERNAME, FULL_NAME, EMAIL, UNIT, ROLE = ("Tên đăng nhập", "Họ và tên", "Email", "Mã đơn vị",
                                          "Vai trò")
USERNAME_MAX = 150  # django.contrib.auth's columns
NAME_MAX = 150
EMAIL_MAX = 254
UNIT_MAX = Unit._meta.get_field("code").max_length
COLUMNS = [Column(USERNAME, required=True, max_length=USERNAME_MAX),
           Column(FULL_NAME, required=True, aliases=("Họ tên",), max_length=2 * NAME_MAX),
           Column(EMAIL, aliases=("Thư điện tử", "E-mail"), max_length=EMAIL_MAX),
           Column(UNIT, required=True, max_length=UNIT_MAX),
           Column(ROLE, required=True)]
ROLE_LABEL = {role: label for label, role in ROLE_FILE_LABELS.items()}
CHUNK = 500  # ids per IN (…) list: SQLite limits the parameters of one statement


@dataclass
class Row:
    line: int
    username: str
    full_name: str
    email: str
    unit_code: str
    role: str


@dataclass
class Account:
    """One username of the file and what the import does to it."""

    username: str
    line: int  # its first row
    full_name: str
    email: str  # "" = the file gives none (an existing email is kept)
    user: object | None = None  # the existing account
    changes: dict = field(default_factory=dict)  # {field: [old, new]} of an existing one
    added: list[tuple[Unit, str]] = field(default_factory=list)  # memberships to create
    kept: list[tuple[Unit, str]] = field(default_factory=list)  # already there
    inactive: int = 0  # of `kept`: switched off in the administration, left so

    @property
    def is_new(self) -> bool:
        return self.user is None

    @property
    def names(self) -> tuple[str, str]:
        """(last_name, first_name): Vietnamese names are family name first, given name last
        (User.get_full_name puts them back in that order, dvk.common.apps)."""
        head, _, last = self.full_name.rpartition(" ")
        return head, last

    @property
    def status(self) -> str:
        if self.is_new:
            return "new"
        return "updated" if self.changes or self.added else "unchanged"


@dataclass
class UsersImport:
    rows: int
    accounts: list[Account]

    @property
    def created(self) -> int:
        return sum(a.is_new for a in self.accounts)

    @property
    def updated(self) -> int:
        return sum(a.status == "updated" for a in self.accounts)

    @property
    def unchanged(self) -> int:
        return sum(a.status == "unchanged" for a in self.accounts)

    @property
    def memberships_added(self) -> int:
        return sum(len(a.added) for a in self.accounts)

    @property
    def inactive(self) -> int:
        return sum(a.inactive for a in self.accounts)

    def summary(self, *, preview: bool = False) -> str:
        verb = "Sẽ nhập" if preview else "Đã nhập"
        text = (f"{verb} {self.rows} dòng: {self.created} tài khoản tạo mới, {self.updated} "
                f"cập nhật, {self.unchanged} không đổi; {self.memberships_added} vai trò "
                "thêm mới.")
        if self.inactive:
            text += (f" {self.inactive} vai trò trong tệp đã bị ngừng trong trang quản trị; "
                     "giữ nguyên (mở lại ở trang quản trị nếu cần).")
        return text

    def to_invite(self, *, resend: bool = False) -> list:
        """The accounts to send a one-time link: the new ones; with `resend`, also those of
        the file that have not set a password yet. Never a deactivated account."""
        names = [a.username for a in self.accounts if a.is_new or resend]
        User = get_user_model()
        users = []
        for i in range(0, len(names), CHUNK):
            users += User.objects.filter(username__in=names[i:i + CHUNK], is_active=True)
        return sorted((u for u in users if not u.has_usable_password()),
                      key=lambda u: u.username)


def _accepted(labels) -> str:
    return ", ".join(f"«{x}»" for x in labels)


def _read_rows(path, problems: Problems) -> list[Row]:
    table = read_table(path, COLUMNS)
    role_of = {fold(label): role for label, role in ROLE_FILE_LABELS.items()}
    validator = get_user_model().username_validator
    rows: list[Row] = []
    for line, raw in table:
        username = as_text(raw.get(USERNAME))
        full_name = as_text(raw.get(FULL_NAME))
        email = as_text(raw.get(EMAIL))
        unit_code = as_text(raw.get(UNIT))
        role_text = as_text(raw.get(ROLE))
        ok = True
        if not username:
            problems.add(line, USERNAME, "thiếu tên đăng nhập.")
            ok = False
        elif len(username) > USERNAME_MAX:
            problems.add(line, USERNAME, f"tên đăng nhập dài quá {USERNAME_MAX} ký tự.")
            ok = False
        else:
            try:
                validator(username)
            except ValidationError:
                problems.add(line, USERNAME, f"«{username}» không dùng được làm tên đăng nhập: "
                                             "chỉ gồm chữ, số và các ký tự @ . + - _, không có "
                                             "khoảng trắng.")
                ok = False
        head, _, last = full_name.rpartition(" ")
        if not full_name:
            problems.add(line, FULL_NAME, "thiếu họ và tên.")
        elif len(head) > NAME_MAX or len(last) > NAME_MAX:
            problems.add(line, FULL_NAME, f"họ và tên dài quá {NAME_MAX} ký tự.")
        if email:
            email = BaseUserManager.normalize_email(email)
            try:
                validate_email(email)
            except ValidationError:
                problems.add(line, EMAIL, f"«{email}» không phải địa chỉ thư điện tử hợp lệ.")
        if not unit_code:
            problems.add(line, UNIT, "thiếu mã đơn vị.")
        role = role_of.get(fold(role_text)) if role_text else None
        if not role_text:
            problems.add(line, ROLE, f"thiếu vai trò; chọn một trong "
                                     f"{_accepted(ROLE_FILE_LABELS)}.")
        elif role is None:
            problems.add(line, ROLE, f"«{role_text}» không phải vai trò hợp lệ; chọn một trong "
                                     f"{_accepted(ROLE_FILE_LABELS)}.")
        if ok:
            rows.append(Row(line, username, full_name, email, unit_code, role or ""))
    return rows


def _in_chunks(queryset_for, values: list) -> list:
    found = []
    for i in range(0, len(values), CHUNK):
        found += queryset_for(values[i:i + CHUNK])
    return found


def plan_users(path) -> UsersImport:
    """Read and check a users file against the database; write nothing. Raises
    ImportRefused with every problem found."""
    problems = Problems()
    rows = _read_rows(path, problems)
    User = get_user_model()

    # The accounts of the file, one per username (case ignored: "GQ.ThuKy" and "gq.thuky"
    # would sign in as two people nobody can tell apart).
    accounts: dict[str, Account] = {}
    for r in rows:
        key = r.username.lower()
        a = accounts.get(key)
        if a is None:
            accounts[key] = Account(r.username, r.line, r.full_name, r.email)
            continue
        if r.username != a.username:
            problems.add(r.line, USERNAME, f"«{r.username}» chỉ khác «{a.username}» (dòng "
                                           f"{a.line}) ở chữ hoa, chữ thường; hãy viết giống "
                                           "nhau.")
        if r.full_name != a.full_name:
            problems.add(r.line, FULL_NAME, f"khác với họ và tên của «{a.username}» ở dòng "
                                            f"{a.line} («{a.full_name}»).")
        if r.email and a.email and r.email.lower() != a.email.lower():
            problems.add(r.line, EMAIL, f"khác với email của «{a.username}» ở dòng {a.line} "
                                        f"(«{a.email}»).")
        elif r.email and not a.email:
            a.email = r.email

    existing = _in_chunks(lambda names: User.objects.annotate(lowered=Lower("username"))
                          .filter(lowered__in=names), list(accounts))
    for user in existing:
        a = accounts[user.username.lower()]
        if user.username != a.username:
            problems.add(a.line, USERNAME, f"đã có tài khoản «{user.username}», chỉ khác ở chữ "
                                           "hoa, chữ thường; hãy viết đúng như tài khoản đó.")
            continue
        a.user = user

    # One address, one person: a password reset by email reaches every account holding it.
    owner_of: dict[str, Account] = {}
    for a in accounts.values():
        if a.email:
            other = owner_of.setdefault(a.email.lower(), a)
            if other is not a:
                problems.add(a.line, EMAIL, f"email «{a.email}» đã dùng cho «{other.username}» "
                                            f"ở dòng {other.line}.")
    if owner_of:
        for user in _in_chunks(lambda emails: User.objects.annotate(lowered=Lower("email"))
                               .filter(lowered__in=emails), list(owner_of)):
            a = owner_of[user.email.lower()]
            if user.username.lower() != a.username.lower():
                problems.add(a.line, EMAIL, f"email «{a.email}» đã thuộc về tài khoản "
                                            f"«{user.username}».")

    codes = sorted({r.unit_code for r in rows if r.unit_code})
    units = {u.code: u for u in _in_chunks(lambda c: Unit.objects.filter(code__in=c).only(
        "id", "code", "name", "parent_id", "valid_from", "valid_until"), codes)}
    user_ids = [a.user.pk for a in accounts.values() if a.user is not None]
    memberships = {(m.user_id, m.unit_id, m.role): m for m in _in_chunks(
        lambda ids: Membership.objects.filter(user_id__in=ids), user_ids)}

    seen: set[tuple[str, str, str]] = set()
    for r in rows:
        a = accounts[r.username.lower()]
        unit = units.get(r.unit_code)
        if r.unit_code and unit is None:
            problems.add(r.line, UNIT, f"không có đơn vị mã «{r.unit_code}».")
            continue
        if unit is None or not r.role or (a.username, r.unit_code, r.role) in seen:
            continue  # reported above, or the same membership twice in the file
        seen.add((a.username, r.unit_code, r.role))
        held = memberships.get((a.user.pk, unit.pk, r.role)) if a.user is not None else None
        if held is not None:
            a.kept.append((unit, r.role))
            a.inactive += not held.is_active
            continue
        if not unit.is_current:
            when = (f"đã ngừng hoạt động từ ngày {unit.valid_until:%d/%m/%Y}"
                    if unit.valid_until is not None
                    else f"chỉ hoạt động từ ngày {unit.valid_from:%d/%m/%Y}")
            problems.add(r.line, UNIT, f"đơn vị «{r.unit_code}» {when}: không giao vai trò mới "
                                       "ở đơn vị này.")
            continue
        a.added.append((unit, r.role))

    for a in accounts.values():
        if a.user is None:
            continue
        last_name, first_name = a.names
        for attr, value in (("last_name", last_name), ("first_name", first_name),
                            ("email", a.email or a.user.email)):
            if getattr(a.user, attr) != value:
                a.changes[attr] = [getattr(a.user, attr), value]

    problems.items.sort(key=lambda p: (p.row or 0))  # in file order, as officials read it
    problems.raise_if_any()
    return UsersImport(rows=len(rows), accounts=list(accounts.values()))


def _label(unit: Unit, role: str) -> str:
    return f"{ROLE_LABEL[role]} · {unit.code}"


def import_users(path, *, actor=None, source_name: str = "") -> UsersImport:
    """Create or update the accounts of a users file and add its memberships, all or
    nothing (ImportRefused: nothing written). New accounts have no usable password."""
    plan = plan_users(path)
    with transaction.atomic():
        _write(plan, actor=actor, source_name=source_name)
    return plan


def _write(plan: UsersImport, *, actor, source_name: str) -> None:
    User = get_user_model()
    actor = actor if (actor is not None and actor.is_authenticated) else None
    new = []
    for a in plan.accounts:
        if a.is_new:
            last_name, first_name = a.names
            user = User(username=a.username, first_name=first_name, last_name=last_name,
                        email=a.email)
            user.set_unusable_password()
            new.append(user)
    User.objects.bulk_create(new, batch_size=1000)
    # bulk_create does not give ids back on every database: read them by username.
    ids = {u.username: u.pk for u in _in_chunks(
        lambda names: User.objects.filter(username__in=names).only("id", "username"),
        [u.username for u in new])}
    changed = []
    for a in plan.accounts:
        if a.changes:
            for attr, (_, value) in a.changes.items():
                setattr(a.user, attr, value)
            changed.append(a.user)
    if changed:
        User.objects.bulk_update(changed, ["first_name", "last_name", "email"], batch_size=1000)
    Membership.objects.bulk_create(
        [Membership(user_id=a.user.pk if a.user is not None else ids[a.username],
                    unit_id=unit.pk, role=role)
         for a in plan.accounts for unit, role in a.added], batch_size=2000)

    ct = ContentType.objects.get_for_model(User)
    entries = []
    for a in plan.accounts:
        if a.status == "unchanged":
            continue
        changes = dict(a.changes)
        if a.is_new:
            changes = {"username": [None, a.username], "full_name": [None, a.full_name],
                       "email": [None, a.email]}
        if a.added:
            changes["memberships"] = [None, [_label(u, role) for u, role in a.added]]
        entries.append(HistoryEntry(
            content_type=ct, object_id=str(a.user.pk if a.user is not None else ids[a.username]),
            action="user_import_create" if a.is_new else "user_import_update", actor=actor,
            comment=source_name, changes=changes))
    HistoryEntry.objects.bulk_create(entries, batch_size=2000)


# --- one-time links ---------------------------------------------------------------------------

@dataclass
class Invitation:
    user: object
    link: str
    mailed: bool = False
    error: str = ""


def set_password_link(user, base_url: str) -> str:
    """The one-time link to set (or reset) the account's password: Django's token, which
    stops working once the password changes or the user signs in, or after
    PASSWORD_RESET_TIMEOUT."""
    path = reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user)})
    return base_url.rstrip("/") + path


def invitations(users, base_url: str | None = None) -> list[Invitation]:
    base_url = base_url or settings.DVK_BASE_URL
    return [Invitation(u, set_password_link(u, base_url)) for u in users]


def send_invitations(invites: list[Invitation]) -> list[Invitation]:
    """Mail each link to its account's email (Django's email framework; the console backend
    unless EMAIL_BACKEND says otherwise). A failure is noted on the invitation; the link
    stays valid and can be handed over another way."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    with translation.override(settings.LANGUAGE_CODE):  # commands run without a language
        for inv in invites:
            if not inv.user.email:
                continue
            context = {"user": inv.user, "link": inv.link, "hours": hours}
            subject = render_to_string("orgs/email/invitation_subject.txt", context).strip()
            body = render_to_string("orgs/email/invitation.txt", context)
            try:
                send_mail(subject, body, None, [inv.user.email])
                inv.mailed = True
            except Exception as exc:  # SMTP down, refused address…: the link still works
                inv.error = str(exc) or exc.__class__.__name__
    return invites
