"""Stories: photos made in the test (with Pillow), and the media folder of each test its own."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825


def jpeg_with_gps(size=(2400, 1200), name="foto.jpg") -> SimpleUploadedFile:
    """A JPEG whose EXIF says where it was taken (Slagelse) and with which camera."""
    image = Image.new("RGB", size, (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "Kamerafabrikken"  # Make
    exif[0x0110] = "Model 7"  # Model
    exif[GPS_IFD] = {1: "N", 2: (55.0, 24.0, 0.0), 3: "E", 4: (11.0, 21.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"secret comment")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png(size=(40, 30), name="foto.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGBA", size, (200, 10, 10, 128)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
