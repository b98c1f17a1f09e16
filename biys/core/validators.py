"""Upload checks: the bytes must be what the name says, and not too large."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
    b"%PDF-": "pdf",
}


def sniff(upload: Any) -> str | None:
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    for signature, kind in _SIGNATURES.items():
        if head.startswith(signature):
            return kind
    return None


def validate_size(upload: Any) -> None:
    limit = settings.BIYS_MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": settings.BIYS_MAX_UPLOAD_MB})


def validate_image_upload(upload: Any) -> None:
    validate_size(upload)
    if sniff(upload) not in ("png", "jpeg"):
        raise ValidationError(_("The file is not a PNG or JPEG image."))


def validate_pdf_upload(upload: Any) -> None:
    validate_size(upload)
    if sniff(upload) != "pdf":
        raise ValidationError(_("The file is not a PDF document."))
