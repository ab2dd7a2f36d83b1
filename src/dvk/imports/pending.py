"""An uploaded file kept between a screen's preview and its confirmation: stored in Django's
storage (several app servers may share it), named in the session under the screen's key,
deleted when confirmed, discarded or replaced. Used by the structure-changes and accounts
screens."""
from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.core.files.storage import default_storage


@contextmanager
def local_copy(name: str):
    """The stored upload as a local file (storage may be shared, not a local folder)."""
    with default_storage.open(name, "rb") as src, \
            tempfile.NamedTemporaryFile(suffix=Path(name).suffix) as tmp:
        shutil.copyfileobj(src, tmp)
        tmp.flush()
        yield Path(tmp.name)


def forget(request, key: str) -> None:
    """Drop the pending upload of the screen `key`, and its file."""
    pending = request.session.pop(key, None)
    if pending and default_storage.exists(pending["upload"]):
        default_storage.delete(pending["upload"])
