"""Write the API's OpenAPI spec to docs/api/openapi.json (committed; a test compares)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation


def render() -> str:
    from tuijin.api.api import api

    with translation.override(settings.LANGUAGE_CODE):
        spec = api.get_openapi_schema(path_prefix="/api/v1")
    return json.dumps(spec, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "写出接口的 OpenAPI 说明到 docs/api/openapi.json"

    def handle(self, *args, **options):
        path = Path(settings.BASE_DIR) / "docs" / "api" / "openapi.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(), encoding="utf-8")
        self.stdout.write(f"已写出 {path}")
