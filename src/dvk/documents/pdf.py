"""DOCX → PDF through LibreOffice headless (Debian `libreoffice-writer`), so the printed
file matches the Word one; PDFs joined with poppler's `pdfunite`.

Every run gets a private LibreOffice profile in its own temporary directory
(`-env:UserInstallation`): two conversions at once (two requests, a worker) would otherwise
fight over one profile's lock and one of them would silently produce nothing. A run that
hangs is killed with its whole process group after the timeout.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

MISSING = ("Máy chủ chưa cài LibreOffice (gói libreoffice-writer) nên chưa tạo được tệp PDF. "
           "Vui lòng báo quản trị hệ thống; bản Word (DOCX) vẫn tải được.")
FAILED = "LibreOffice không chuyển được tệp sang PDF ({reason})."
TIMED_OUT = "LibreOffice chuyển tệp sang PDF quá {seconds} giây nên đã bị dừng."


class ConversionError(Exception):
    """The PDF could not be made; `message` is Vietnamese, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def soffice() -> str | None:
    configured = getattr(settings, "DVK_SOFFICE", "")
    if configured:
        return configured if shutil.which(configured) or os.path.exists(configured) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice() is not None


def timeout_for(pages: int) -> int:
    """Start-up plus a generous second per page."""
    return int(getattr(settings, "DVK_PDF_TIMEOUT", 60)) + pages


def docx_to_pdf(content: bytes, *, pages: int = 1) -> bytes:
    exe = soffice()
    if exe is None:
        raise ConversionError(MISSING)
    with tempfile.TemporaryDirectory(prefix="dvk-pdf-") as tmp:
        work = Path(tmp)
        src = work / "document.docx"
        src.write_bytes(content)
        cmd = [exe, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
               "--norestore", "--nologo", "--nolockcheck", "--nodefault",
               "--convert-to", "pdf", "--outdir", str(work), str(src)]
        env = dict(os.environ, HOME=str(work))  # nothing written to the service's home
        seconds = timeout_for(pages)
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                start_new_session=True)
        try:
            _out, err = proc.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise ConversionError(TIMED_OUT.format(seconds=seconds)) from None
        pdf = work / "document.pdf"
        if proc.returncode != 0 or not pdf.exists():
            reason = (err or b"").decode("utf-8", "replace").strip().splitlines()
            raise ConversionError(FAILED.format(
                reason=reason[-1] if reason else f"mã lỗi {proc.returncode}"))
        return pdf.read_bytes()


def merge_pdfs(parts: list[bytes]) -> bytes:
    """One PDF of several, in order (poppler-utils' pdfunite)."""
    if len(parts) == 1:
        return parts[0]
    exe = shutil.which("pdfunite")
    if exe is None:
        raise ConversionError("Máy chủ chưa cài poppler-utils (pdfunite) nên chưa ghép được "
                              "các tệp PDF.")
    with tempfile.TemporaryDirectory(prefix="dvk-pdf-") as tmp:
        names = []
        for i, part in enumerate(parts):
            path = Path(tmp) / f"part-{i:04d}.pdf"
            path.write_bytes(part)
            names.append(str(path))
        out = Path(tmp) / "all.pdf"
        subprocess.run([exe, *names, str(out)], check=True, capture_output=True, timeout=300)
        return out.read_bytes()
