"""Attachments: files checked by their content, kept with the model."""
from __future__ import annotations

import os

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from dvk.common import history
from dvk.common.rules import check
from dvk.orgs.scope import Scope

from ..models import Attachment, Initiative, Registration
from ._common import _refuse, _user

# --- attachments ----------------------------------------------------------------------------

ACCEPTED_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
                  ".docx"}


def sniff(head: bytes, read_all=None) -> str | None:
    """The real content type from the first bytes (never trust the name or the browser)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04") and read_all is not None:
        import io
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(read_all())) as z:
                if "word/document.xml" in z.namelist():
                    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        except zipfile.BadZipFile:
            return None
    return None


def mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB".replace(".", ",")


class FileTooLarge(Exception):
    """An upload above DVK_ATTACHMENT_MAX_BYTES; `size` is the declared size when that
    already said so (None when reading found it)."""

    def __init__(self, size: int | None, limit: int):
        super().__init__(size, limit)
        self.size, self.limit = size, limit


def read_checked(uploaded) -> tuple[bytes, str | None]:
    """(bytes, content type judged by the content) of an upload within the size limit,
    reading at most limit + 1 bytes whatever it declares; FileTooLarge otherwise. Every
    upload of a document or picture goes through here (attachments, directives)."""
    limit = settings.DVK_ATTACHMENT_MAX_BYTES
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit:
        raise FileTooLarge(size, limit)
    uploaded.seek(0)
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(None, limit)
    return data, sniff(data[:16], read_all=lambda: data)


def add_attachment(*, initiative: Initiative | None = None,
                   registration: Registration | None = None, uploaded_file,
                   scope: Scope) -> Attachment:
    actor = scope.user
    owner = registration or initiative
    if owner is None:
        raise TypeError("initiative or registration is required")
    check("attachment.add", scope, owner)
    name = os.path.basename(getattr(uploaded_file, "name", "") or "tep")
    try:
        data, ctype = read_checked(uploaded_file)
    except FileTooLarge as big:
        shown = f" ({mb(big.size)})" if big.size is not None else ""
        _refuse(f"Tệp «{name}» quá lớn{shown}; tối đa {mb(big.limit)}.")
    if ctype is None:
        _refuse(f"Tệp «{name}» không được chấp nhận: chỉ nhận ảnh JPEG, PNG, tệp PDF hoặc "
                "Word (.docx).")
    with transaction.atomic():
        att = Attachment(initiative=initiative if registration is None else None,
                         registration=registration, original_name=name[:255],
                         content_type=ctype, size=len(data), uploaded_by=_user(actor))
        stem = os.path.splitext(name)[0] or "tep"
        att.file.save(stem + ACCEPTED_TYPES[ctype], ContentFile(data), save=False)
        att.save()
        history.record(owner, "attach", actor=actor, comment=att.original_name)
    return att
