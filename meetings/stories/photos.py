"""A story's photo, made safe before it is stored: only real images, not too large, no decompression bombs; turned
upright, resized to at most ``MAX_SIDE`` pixels and written anew as JPEG without any metadata (no EXIF, so no GPS
position, camera or time; no XMP, no comments, no colour profile)."""

from __future__ import annotations

import io
import uuid
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import StoryError

MAX_SIDE = 1600
# More pixels than this (e.g. 10,000 × 8,000) is refused before the image is decoded: a small file that unpacks to
# gigabytes of memory is an attack, not a photo.
MAX_PIXELS = 80_000_000
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def max_bytes() -> int:
    return settings.DIALOG_STORY_PHOTO_MAX_MB * 1024 * 1024


def photo_clean(upload) -> ContentFile:
    """The upload as a new JPEG without metadata, at most ``MAX_SIDE`` pixels on its longest side. Refuses
    (``StoryError``, a message for the author) a file that is too large, not an image or a decompression bomb."""
    if upload.size > max_bytes():
        raise StoryError(
            _("The photo is larger than %(mb)s MB. Choose a smaller photo, or make it smaller first.")
            % {"mb": settings.DIALOG_STORY_PHOTO_MAX_MB},
            field="photo",
        )
    data = upload.read()
    not_an_image = StoryError(
        _("The file is not a photo we can read. Choose a JPEG, PNG or WebP picture."), field="photo"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in FORMATS:
                    raise not_an_image
                if probe.width * probe.height > MAX_PIXELS:
                    raise _too_many_pixels()
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_an_image from None
    return ContentFile(_as_clean_jpeg(upright), name=f"{uuid.uuid4().hex}.jpg")


def _too_many_pixels() -> StoryError:
    return StoryError(_("The photo has too many pixels to be handled safely. Choose a smaller photo."), field="photo")


def _as_clean_jpeg(image: Image.Image) -> bytes:
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    elif image.mode != "RGB":
        image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    # A fresh image of the pixels only: nothing of the original's info (EXIF, XMP, ICC, comments) can come along.
    clean = Image.frombytes("RGB", image.size, image.tobytes())
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()
