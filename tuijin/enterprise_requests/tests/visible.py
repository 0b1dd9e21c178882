"""How each request record is made, for tests/test_every_record_visible.py (``MAKERS``): through
its service, as each role that may, and the page that shows it."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tuijin.core.uploads import PHOTO, check_upload
from tuijin.enterprise_requests import services
from tuijin.enterprise_requests.tests.factories import make_enterprise, raise_one, unit, user

# A 1×1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c49444154789c63382127070002b6010534a675aa0000000049454e44ae426082"
)
ASSIGNERS = ("leader", "duban", "admin")


def request_as(name: str):
    return raise_one(make_enterprise(), text=f"{name}提出的用电诉求")


def photo_as(name: str):
    upload = check_upload(SimpleUploadedFile("现场.png", PNG, content_type="image/png"), PHOTO)
    return raise_one(make_enterprise(), text="附照片的诉求", photos=[upload]).photos.get()


def step_as(name: str):
    """The assignment's step (交办), by who assigns."""
    request = raise_one(make_enterprise(), text="待交办的诉求")
    request = services.assign(user(name), request.pk, request.version, unit("经济发展局"))
    return request.steps.get(verb="assign")


def detail(record) -> str:
    return reverse("enterprise_requests:request_detail", args=[record.pk])


def parent(record) -> str:
    return reverse("enterprise_requests:request_detail", args=[record.request_id])


def makers(made) -> dict:
    return {
        "enterprise_requests.enterpriserequest": [
            made(("qiye",), request_as, detail, lambda r: r.description)
        ],
        "enterprise_requests.requestphoto": [
            made(
                ("qiye",),
                photo_as,
                parent,
                lambda p: f"/files/enterprise_requests.requestphoto/{p.pk}/",
            )
        ],
        "enterprise_requests.requeststep": [
            made(("qiye",), lambda name: request_as(name).steps.get(), parent, lambda s: s.text),
            made(ASSIGNERS, step_as, parent, lambda s: s.text),
        ],
    }
