"""The OC4IDS Data Review Tool's own checks (``libcoveoc4ids``, a dev dependency) run offline
against the official schema shipped in ``tuijin/public/schema`` (see its README).

libcoveoc4ids fetches its schema and codelists from the web by default. Its schema class reads
whatever ``schema_host`` its config names: a local folder (with a trailing slash) makes libcove
open ``project-package-schema.json`` from disk and resolve the package's ``$ref`` to
``project-schema.json`` by file name in the same folder. Three readers in libcove use
``requests`` whatever the folder: the project schema on its own (``schema_str``, for field
coverage), the dereferencing of an ``https`` ``$ref`` (``deref_schema``, for the field list and
the codelist paths) and the codelists; ``LocalSchema`` reads those from the shipped files
instead, by the same file-name rule. Everything else is the library's own pipeline (``common_checks_oc4ids``, as its ``api`` calls).

``offline()`` turns any network use into a failure: a DNS lookup of anything but a loopback
name or address, or a socket connecting anywhere but loopback or a Unix socket (and no proxy
from the environment meanwhile)."""

import contextlib
import csv
import ipaddress
import json
import os
import socket
import tempfile
from functools import cached_property
from pathlib import Path
from urllib.parse import urlparse

import jsonref
from libcove.lib.common import get_schema_codelist_paths
from libcoveoc4ids.common_checks import common_checks_oc4ids
from libcoveoc4ids.config import LibCoveOC4IDSConfig
from libcoveoc4ids.schema import SchemaOC4IDS

from tuijin.public import oc4ids

SCHEMA_DIR = Path(oc4ids.__file__).parent / "schema"
CODELISTS = SCHEMA_DIR / "codelists"
PROXY_VARS = {"http_proxy", "https_proxy", "all_proxy", "ftp_proxy"}


class NetworkUsed(AssertionError):
    """Something tried to reach the network while the review ran offline."""


def _loopback(host) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@contextlib.contextmanager
def offline():
    """Refuse any non-loopback DNS lookup or connection; yields the list of attempts."""
    attempts = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(sock, address):
        if sock.family != getattr(socket, "AF_UNIX", None) and not _loopback(address[0]):
            attempts.append(address)
            raise NetworkUsed(f"network access during the offline OC4IDS review: {address}")

    def connect(sock, address):
        check(sock, address)
        return real_connect(sock, address)

    def connect_ex(sock, address):
        check(sock, address)
        return real_connect_ex(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        if not _loopback(host):
            attempts.append(host)
            raise NetworkUsed(f"DNS lookup during the offline OC4IDS review: {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    # A proxy on loopback would carry a request out past the socket checks: none meanwhile.
    proxies = {key: os.environ.pop(key) for key in list(os.environ) if key.lower() in PROXY_VARS}
    socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
    socket.getaddrinfo = getaddrinfo
    try:
        yield attempts
    finally:
        socket.socket.connect, socket.socket.connect_ex = real_connect, real_connect_ex
        socket.getaddrinfo = real_getaddrinfo
        os.environ.update(proxies)


class LocalSchema(SchemaOC4IDS):
    """libcoveoc4ids' schema, read from the shipped files; codelists from the shipped CSVs."""

    def __init__(self):
        super().__init__(
            LibCoveOC4IDSConfig({"schema_host": f"{SCHEMA_DIR}/", "cache_all_requests": False})
        )
        self.codelists = f"{CODELISTS}/"

    @cached_property
    def schema_str(self):
        # libcove opens a local package schema but fetches the project schema with requests.
        return (SCHEMA_DIR / self.schema_name).read_text(encoding="utf-8")

    def deref_schema(self, schema_str):
        # libcove's jsonref loader fetches an http(s) $ref with requests even when schema_host
        # is a folder; the package's $ref is an https URL. Same rule (the $ref's file name in
        # schema_host), read from disk.
        def load(uri, **kwargs):
            name = Path(urlparse(uri).path).name
            return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"), **kwargs)

        try:
            schema = jsonref.loads(schema_str, loader=load)
            repr(schema)  # resolve every reference now, as libcove does
        except jsonref.JsonRefError as error:
            self.json_deref_error = error.message
            return {}
        return schema

    def process_codelists(self):
        """The codelists libcove checks values against: the closed ones from the schema's own
        ``enum`` (the standard builds each enum from its closed codelist, so they are the same
        codes), the open ones from the CSVs shipped in ``schema/codelists`` (those we use)."""
        paths = get_schema_codelist_paths(self, use_extensions=False)
        self.core_codelist_schema_paths = paths
        self.extended_codelist_schema_paths = paths
        codelists = closed_codelists(json.loads(self.schema_str))
        for path in sorted(CODELISTS.glob("*.csv")):
            with path.open(encoding="utf-8", newline="") as handle:
                codelists[path.name] = {row["Code"]: row["Title"] for row in csv.DictReader(handle)}
        self.core_codelists = codelists
        self.extended_codelists = dict(codelists)


def closed_codelists(schema) -> dict:
    """{codelist file: {code: None}} for every closed codelist the schema spells out."""
    found = {}

    def walk(node):
        if isinstance(node, dict):
            if node.get("codelist") and node.get("openCodelist") is False:
                enum = node.get("enum") or (node.get("items") or {}).get("enum") or ()
                found.setdefault(node["codelist"], {}).update(dict.fromkeys(enum))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return found


def review(package: dict) -> dict:
    """libcoveoc4ids' review of a project package (the Data Review Tool's results), offline."""
    with tempfile.TemporaryDirectory(prefix="oc4ids-review-") as folder:
        schema = LocalSchema()
        result = common_checks_oc4ids({"file_type": "json"}, folder, package, schema, cache=False)
    result["json_deref_error"] = getattr(schema, "json_deref_error", None)
    return result


def errors(result: dict) -> list:
    """Schema validation errors as (message, path) pairs, one per place."""
    return [
        (json.loads(key)["message"], place["path"])
        for key, places in result["validation_errors"]
        for place in places
    ]
