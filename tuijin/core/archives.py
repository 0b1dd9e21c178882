"""Opening a zip (.docx, .xlsx) without trusting what it says about itself.

A .docx or .xlsx is a zip; a 1 MB zip can unpack to gigabytes (a "zip bomb"), and the sizes
its directory declares are written by whoever made the file. Before any parser sees a part:

* the number of entries (``ARCHIVE_MAX_ENTRIES``) is checked against the end-of-directory
  record, and the directory's size is bounded, before ``zipfile`` reads the directory into memory;
* every entry is decompressed in chunks of ``CHUNK`` bytes, counting the bytes that really come
  out (never the declared size): reading stops as soon as all entries together pass
  ``ARCHIVE_MAX_UNCOMPRESSED_MB`` or one entry unpacks to more than ``ARCHIVE_MAX_RATIO`` times
  its compressed size (past a grace of ``RATIO_GRACE`` bytes, so small parts that compress
  well are not refused);
* only stored and deflated entries, unencrypted, are opened (bzip2 and lzma decompress
  without a bound in ``zipfile``).

A refusal is an ``ArchiveRefused`` whose message names the file and the limit (in Chinese,
translated for the user's language).
``check_archive`` reads every entry once (before openpyxl opens a workbook, or before a
document is stored); ``read_member`` and ``member_chunks`` read one part under the same limits.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

from django.conf import settings
from django.utils.translation import gettext as _

CHUNK = 64 * 1024
RATIO_GRACE = 1024 * 1024  # an entry this small is never refused for its ratio
# A directory entry is 46 bytes plus its name; OOXML names are short. A directory larger than
# this many bytes per allowed entry is refused before zipfile parses it.
DIRECTORY_BYTES_PER_ENTRY = 1024
SAFE_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
MB = 1024 * 1024


class ArchiveRefused(ValueError):
    """The file is not a zip we will open; the message (Chinese) names the file and why."""


def _limits() -> tuple[int, int, int]:
    return (
        settings.ARCHIVE_MAX_ENTRIES,
        settings.ARCHIVE_MAX_UNCOMPRESSED_MB * MB,
        settings.ARCHIVE_MAX_RATIO,
    )


def not_a_zip(name: str) -> str:
    return _("“%(name)s”不是有效的压缩文件,无法读取。") % {"name": name}


def too_many_entries(name: str, limit: int) -> str:
    return _("“%(name)s”包含的文件条目过多,超过 %(limit)s 个的上限。") % {
        "name": name,
        "limit": limit,
    }


def open_zip(file, name: str) -> zipfile.ZipFile:
    """The zip, its directory checked (entry count, encryption, methods) but nothing unpacked."""
    max_entries, _total, _ratio = _limits()
    try:
        file.seek(0)
        # The end-of-directory record (and its zip64 twin), read before the directory itself.
        end = zipfile._EndRecData(file)
    except Exception as exc:  # zipfile and struct raise many kinds on hostile bytes
        raise ArchiveRefused(not_a_zip(name)) from exc
    if end is None:
        raise ArchiveRefused(not_a_zip(name))
    declared, directory = end[zipfile._ECD_ENTRIES_TOTAL], end[zipfile._ECD_SIZE]
    if declared > max_entries or directory > max_entries * DIRECTORY_BYTES_PER_ENTRY:
        raise ArchiveRefused(too_many_entries(name, max_entries))
    try:
        archive = zipfile.ZipFile(file)
    except Exception as exc:  # BadZipFile, struct.error, UnicodeDecodeError, OverflowError …
        raise ArchiveRefused(not_a_zip(name)) from exc
    entries = archive.infolist()
    if len(entries) > max_entries:
        archive.close()
        raise ArchiveRefused(too_many_entries(name, max_entries))
    for info in entries:
        if info.flag_bits & 0x1:
            archive.close()
            raise ArchiveRefused(_("“%(name)s”已加密,请去掉密码后重新上传。") % {"name": name})
        if info.compress_type not in SAFE_METHODS:
            archive.close()
            raise ArchiveRefused(
                _("“%(name)s”使用了不支持的压缩方式,请用 Office 或 WPS 另存后上传。")
                % {"name": name}
            )
    return archive


class Budget:
    """Bytes unpacked so far from one file, against ``ARCHIVE_MAX_UNCOMPRESSED_MB``."""

    def __init__(self, name: str):
        self.name = name
        self.used = 0
        _entries, self.limit, self.ratio = _limits()

    def member_chunks(self, archive: zipfile.ZipFile, member: str | zipfile.ZipInfo):
        """The entry's bytes in chunks of at most ``CHUNK``, refused at the first byte past a
        limit (total or ratio): never more than one chunk beyond the limit is held."""
        info = member if isinstance(member, zipfile.ZipInfo) else archive.getinfo(member)
        ceiling = max(RATIO_GRACE, self.ratio * max(info.compress_size, 1))
        produced = 0
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    produced += len(chunk)
                    self.used += len(chunk)
                    if self.used > self.limit:
                        raise ArchiveRefused(
                            _(
                                "“%(name)s”解压后超过 %(limit)s MB 的上限(可能是压缩炸弹),请检查文件。"
                            )
                            % {"name": self.name, "limit": self.limit // MB}
                        )
                    if produced > ceiling:
                        raise ArchiveRefused(
                            _(
                                "“%(name)s”中的“%(member)s”压缩比超过 %(ratio)s:1 的上限"
                                "(可能是压缩炸弹),请检查文件。"
                            )
                            % {
                                "name": self.name,
                                "member": info.filename[:80],
                                "ratio": self.ratio,
                            }
                        )
                    yield chunk
        except ArchiveRefused:
            raise
        except Exception as exc:  # BadZipFile (a wrong CRC), zlib.error, EOFError …
            raise ArchiveRefused(_("“%(name)s”已损坏,无法读取。") % {"name": self.name}) from exc

    def read(self, archive: zipfile.ZipFile, member: str, max_bytes: int | None = None) -> bytes:
        """One entry's bytes (a small part such as ``[Content_Types].xml``)."""
        parts, size = [], 0
        for chunk in self.member_chunks(archive, member):
            size += len(chunk)
            if max_bytes is not None and size > max_bytes:
                raise ArchiveRefused(
                    _("“%(name)s”中的“%(member)s”超过 %(limit)s KB,不是正常的文件。")
                    % {"name": self.name, "member": member, "limit": max_bytes // 1024}
                )
            parts.append(chunk)
        return b"".join(parts)


def check_archive(file, name: str) -> None:
    """Unpack every entry once, counting (nothing kept): refused past a limit; file at 0 after."""
    archive = open_zip(file, name)
    try:
        budget = Budget(name)
        for info in archive.infolist():
            for _chunk in budget.member_chunks(archive, info):
                pass
    finally:
        archive.close()
        file.seek(0)


def member_chunks(file, name: str, member: str) -> Iterator[bytes]:
    """One entry of the zip in ``file``, in bounded chunks (the directory checked first)."""
    archive = open_zip(file, name)
    try:
        yield from Budget(name).member_chunks(archive, member)
    finally:
        archive.close()
