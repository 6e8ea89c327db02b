"""A story's photo is made safe before it is stored: no metadata out (EXIF GPS above all), at most 1600 pixels,
and what is not a photo, too large or a decompression bomb is refused with a clear message."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from meetings.stories.errors import StoryError
from meetings.stories.photos import MAX_SIDE, photo_clean

from .conftest import GPS_IFD, jpeg_with_gps, png


def test_a_jpeg_with_gps_comes_out_without_any_metadata():
    upload = jpeg_with_gps()
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif().get_ifd(GPS_IFD)  # the test photo does carry a position
    upload.seek(0)
    cleaned = photo_clean(upload)
    with Image.open(io.BytesIO(cleaned.read())) as out:
        assert out.format == "JPEG"
        assert not out.getexif()
        assert "exif" not in out.info and "comment" not in out.info and "icc_profile" not in out.info
        assert max(out.size) == MAX_SIDE and out.size == (1600, 800)


def test_a_png_with_transparency_becomes_a_small_jpeg():
    cleaned = photo_clean(png())
    with Image.open(io.BytesIO(cleaned.read())) as out:
        assert out.format == "JPEG" and out.size == (40, 30)


def test_a_file_that_is_not_an_image_is_refused():
    fake = SimpleUploadedFile("foto.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    with pytest.raises(StoryError, match="ikke et foto"):
        photo_clean(fake)


def test_a_pdf_named_as_a_photo_is_refused():
    with pytest.raises(StoryError):
        photo_clean(SimpleUploadedFile("foto.png", b"%PDF-1.4\n%%EOF", content_type="image/png"))


def test_a_photo_over_the_size_limit_is_refused(settings):
    settings.DIALOG_STORY_PHOTO_MAX_MB = 1
    big = SimpleUploadedFile("foto.jpg", b"\xff\xd8" + b"0" * (1024 * 1024 + 1), content_type="image/jpeg")
    with pytest.raises(StoryError, match="1 MB"):
        photo_clean(big)


def test_a_decompression_bomb_is_refused():
    """A tiny PNG that claims to be 30,000 × 30,000 pixels is refused before it is decoded."""
    out = io.BytesIO()
    Image.new("1", (30000, 30000)).save(out, "PNG")
    assert out.tell() < 1024 * 1024
    with pytest.raises(StoryError, match="for mange pixels"):
        photo_clean(SimpleUploadedFile("bombe.png", out.getvalue(), content_type="image/png"))
