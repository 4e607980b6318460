"""The stored form of a cleaned photo (core.photos: re-encoded, no EXIF), shared by every line that
keeps photos (discovery's visits, the rescue station's intake). A line's model inherits this and
adds its owner key, its ``file`` field (with its own folder) and its scoping manager."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import models

from minzheng.core.photos import CleanPhoto


class StoredPhoto(models.Model):
    division_code = models.CharField("区划代码", max_length=12)
    content_type = models.CharField("类型", max_length=20)
    extension = models.CharField("扩展名", max_length=6)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    width = models.PositiveIntegerField("宽", default=0)
    height = models.PositiveIntegerField("高", default=0)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        abstract = True

    @classmethod
    def store(cls, photo: CleanPhoto, *, division_code: str, **owner):
        """One row and its file, named by the content's hash."""
        row = cls(
            division_code=division_code, content_type=photo.content_type, extension=photo.extension,
            size=len(photo.content), sha256=photo.sha256, width=photo.width, height=photo.height, **owner,
        )  # fmt: skip
        row.file.save(f"{photo.sha256[:16]}{photo.extension}", ContentFile(photo.content), save=False)
        row.save()
        return row
