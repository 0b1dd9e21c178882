"""Drawn stand-ins for phone photos, for the demo data: a site (sky, ground, buildings) with the
capture time and place in EXIF as a phone writes them, passed through the upload pipeline as a
form would pass it, so the demo's photos show, thumbnail and check like real ones."""

import datetime as dt
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tuijin.core.uploads import PHOTO, CheckedFile, check_upload


def site_photo(
    seed: int, taken: dt.datetime, latitude=None, longitude=None, name: str = "现场照片"
) -> CheckedFile:
    from PIL import ExifTags, Image, ImageDraw

    rnd = random.Random(seed)
    image = Image.new("RGB", (800, 600))
    draw = ImageDraw.Draw(image)
    for y in range(300):  # sky, lighter towards the horizon
        draw.line([(0, y), (800, y)], fill=(110 + y // 4, 160 + y // 6, 225))
    draw.rectangle([0, 300, 800, 600], fill=(150 + rnd.randint(-25, 25), 125, 90))
    for _ in range(4):  # buildings, sheds, a crane's mast
        x, w, h = rnd.randint(0, 700), rnd.randint(60, 200), rnd.randint(50, 230)
        grey = rnd.randint(150, 225)
        draw.rectangle([x, 300 - h, x + w, 300], fill=(grey, grey, grey - 10), outline=(80, 80, 80))
    mast = rnd.randint(80, 720)
    draw.rectangle([mast, 40, mast + 8, 300], fill=(230, 180, 30))
    draw.rectangle([mast - 120, 40, mast + 160, 50], fill=(230, 180, 30))
    exif = Image.Exif()
    local = timezone.localtime(taken)
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = f"{local:%Y:%m:%d %H:%M:%S}"
    if latitude is not None and longitude is not None:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        for ref, tag, value in [("N", 1, latitude), ("E", 3, longitude)]:
            degrees = abs(float(value))
            minutes = (degrees % 1) * 60
            gps[tag] = ref
            gps[tag + 1] = (int(degrees), int(minutes), round((minutes % 1) * 60, 2))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, exif=exif)
    upload = SimpleUploadedFile(f"{name}-{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")
    return check_upload(upload, PHOTO)
