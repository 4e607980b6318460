"""Visit photos: type by magic bytes, at most 5 MB, re-encoded without EXIF (no GPS position,
no device, no timestamp leaves the phone's file), oriented as the phone showed it."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from minzheng.core.uploads import MAX_UPLOAD_BYTES, PHOTO_KINDS, sniff_file_type

MAX_BYTES = MAX_UPLOAD_BYTES
MAX_PHOTOS = 6
MAX_SIDE = 2560  # longer side after re-encoding; a phone's 4000-pixel photo is scaled down
_PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
MAX_PIXELS = 50_000_000  # a larger image is refused before it is decoded (decompression bomb)


class PhotoRejected(ValueError):
    """The Chinese reason a photo is refused."""


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    content_type: str
    extension: str
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def sniff(head: bytes) -> tuple[str, str, str] | None:
    """(content type, extension, Pillow format) of a JPG or PNG, else None."""
    sniffed = sniff_file_type(head, PHOTO_KINDS)
    if sniffed is None:
        return None
    content_type, extension = sniffed
    return content_type, "." + extension, _PIL_FORMATS[content_type]


def clean_photo(name: str, content: bytes) -> CleanPhoto:
    label = (name or "照片")[:40]
    if len(content) > MAX_BYTES:
        raise PhotoRejected(f"“{label}”超过5MB，请压缩后上传")
    kind = sniff(content[:8])
    if kind is None:
        raise PhotoRejected(f"“{label}”不是 JPG 或 PNG 图片")
    content_type, extension, pil_format = kind
    try:
        with Image.open(io.BytesIO(content)) as probe:
            if probe.format != pil_format:
                raise PhotoRejected(f"“{label}”的文件内容与图片类型不符")
            if probe.size[0] * probe.size[1] > MAX_PIXELS:
                raise PhotoRejected(f"“{label}”像素过大，请压缩后上传")
            probe.verify()
        with Image.open(io.BytesIO(content)) as image:
            image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF asked for
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            if pil_format == "JPEG":
                image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)  # no exif= → none written
            else:
                image.save(out, "PNG", optimize=True)  # no pnginfo → text chunks dropped
            width, height = image.size
    except PhotoRejected:
        raise
    except Image.DecompressionBombError:
        raise PhotoRejected(f"“{label}”像素过大，请压缩后上传") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise PhotoRejected(f"“{label}”已损坏，无法读取") from None
    return CleanPhoto(out.getvalue(), content_type, extension, width, height)


__all__ = ["CleanPhoto", "MAX_BYTES", "MAX_PHOTOS", "PhotoRejected", "clean_photo", "sniff"]
