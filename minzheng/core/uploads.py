"""What an uploaded file is, decided by its first bytes (never by its name), and the size
limit every upload shares (≤ 5 MB: the national assistance system's rule for attachments)."""

from __future__ import annotations

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

# kind → (magic bytes, content type, extension)
FILE_SIGNATURES: dict[str, tuple[bytes, str, str]] = {
    "pdf": (b"%PDF-", "application/pdf", "pdf"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    "jpg": (b"\xff\xd8\xff", "image/jpeg", "jpg"),
}
DOCUMENT_KINDS = ("pdf", "png", "jpg")
PHOTO_KINDS = ("png", "jpg")


def sniff_file_type(head: bytes, allowed: tuple[str, ...] = DOCUMENT_KINDS) -> tuple[str, str] | None:
    """(content type, extension) when the bytes start like one of the allowed kinds, else None."""
    for kind in allowed:
        magic, content_type, extension = FILE_SIGNATURES[kind]
        if head.startswith(magic):
            return content_type, extension
    return None
