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


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB".replace(".", ",")


def add_attachment(*, initiative: Initiative | None = None,
                   registration: Registration | None = None, uploaded_file,
                   scope: Scope) -> Attachment:
    actor = scope.user
    owner = registration or initiative
    if owner is None:
        raise TypeError("initiative or registration is required")
    check("attachment.add", scope, owner)
    limit = settings.DVK_ATTACHMENT_MAX_BYTES
    name = os.path.basename(getattr(uploaded_file, "name", "") or "tep")
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        _refuse(f"Tệp «{name}» quá lớn ({_mb(size)}); tối đa {_mb(limit)}.")
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        _refuse(f"Tệp «{name}» quá lớn; tối đa {_mb(limit)}.")
    ctype = sniff(data[:16], read_all=lambda: data)
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
