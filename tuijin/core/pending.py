"""An uploaded file waiting for its preview to be confirmed (the ledger's and the organisation's
.xlsx imports). The file is kept, not its parsed rows: confirming parses it again against the
data as it is then. It lives under a random name in storage (never served) and its token in
the session, so a confirmation answers only the preview this user was shown last."""

import re
import uuid

from django.core.files.storage import default_storage

TOKEN = re.compile(r"[0-9a-f]{32}")  # what keep() hands out: uuid4().hex


def posted_token(data) -> str:
    """The token a confirmation form posted, or "" when the value is not one: it is looked up
    in a job's parameters (a NUL in it was a 500 on PostgreSQL)."""
    value = data.get("token") or ""
    return value if TOKEN.fullmatch(value) else ""


class PendingUpload:
    def __init__(self, request, key: str):
        self.session, self.key = request.session, key

    @property
    def token(self) -> str | None:
        return (self.session.get(self.key) or {}).get("token")

    def keep(self, upload, prefix: str = "") -> str:
        """Store the upload in place of any earlier one; returns its token for the form."""
        self.discard()
        token = uuid.uuid4().hex
        upload.seek(0)
        path = default_storage.save(f"imports/{prefix}{token}.xlsx", upload)
        self.session[self.key] = {"token": token, "path": path}
        return token

    def open(self, token: str | None):
        """The kept file, or None when that preview is gone (a newer upload, a lost file)."""
        pending = self.session.get(self.key)
        if not pending or not token or token != pending["token"]:
            return None
        try:
            return default_storage.open(pending["path"], "rb")
        except FileNotFoundError:
            self.session.pop(self.key, None)
            return None

    def hand_over(self, token: str | None) -> str | None:
        """The kept file's storage path, for work that reads it later (a background job,
        which deletes it when done); the session forgets it. None when that preview is gone."""
        pending = self.session.get(self.key)
        if not pending or not token or token != pending["token"]:
            return None
        self.session.pop(self.key)
        return pending["path"] if default_storage.exists(pending["path"]) else None

    def discard(self) -> None:
        pending = self.session.pop(self.key, None)
        if pending and default_storage.exists(pending["path"]):
            default_storage.delete(pending["path"])
