"""Checks for uploaded files: size, extension and what the bytes really are."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Leading bytes of the formats we accept.
SIGNATURES = {
    "pdf": [b"%PDF-"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "xlsx": [b"PK\x03\x04"],
    "docx": [b"PK\x03\x04"],
    "xls": [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"],
}
TEXT_EXTENSIONS = {"csv"}


def check_upload(upload, *, allowed: list[str], max_bytes: int | None = None) -> str:
    """Refuse a file that is too big, has another extension, or whose content does not match
    its extension. Returns the (lower-case) extension."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in allowed:
        raise ValidationError(
            _("Files of this type are not accepted. Use one of: %(types)s.")
            % {"types": ", ".join(allowed)}
        )
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (at most %(mb)s MB).") % {"mb": max_bytes // (1024 * 1024)}
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    head = upload.read(16)
    upload.seek(0)
    if extension in TEXT_EXTENSIONS:
        if b"\x00" in head:
            raise ValidationError(_("The file's content does not match its type."))
    elif not any(head.startswith(sig) for sig in SIGNATURES.get(extension, [])):
        raise ValidationError(_("The file's content does not match its type."))
    return extension
