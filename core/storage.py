"""Private file storage that encrypts every file's contents at rest.

Every private file (filing attachments, registration documents, rosters, generated documents
and certificates) goes through Django's default storage, configured in ``config/settings.py``
as :class:`EncryptedFileSystemStorage`. On disk each file is::

    ZCENC1 <12-digit plaintext length> \\n <Fernet token>

The Fernet keys are ``core.crypto``'s (``FIELD_ENCRYPTION_KEYS``, newest first): a new key is
prepended, ``manage.py rotate_file_keys`` re-encrypts every file with it, then the old key is
dropped. Files written before encryption was switched on (no header) are still read and are
encrypted by the same command. Files are never served from a URL: downloads go through the
permission-checked views, which read them with ``field.open("rb")``.

For S3-compatible object storage, set ``ZC_PRIVATE_STORAGE_BACKEND`` to
``core.storage.EncryptedS3Storage`` (requires ``django-storages[s3]``; the bucket options come
from the ``AWS_*`` settings). Contents are encrypted by the application before they leave it, so
the bucket's own encryption is a second layer, not the only one.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator

from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage

from core import crypto

MAGIC = b"ZCENC1"
HEADER_LENGTH = len(MAGIC) + 12 + 1


def seal(plaintext: bytes) -> bytes:
    return MAGIC + b"%012d\n" % len(plaintext) + crypto.encrypt_bytes(plaintext)


def is_sealed(raw: bytes) -> bool:
    return raw.startswith(MAGIC)


def unseal(raw: bytes) -> bytes:
    """Plaintext of a stored file (files written before encryption are returned as they are)."""
    if not is_sealed(raw):
        return raw
    return crypto.decrypt_bytes(raw[HEADER_LENGTH:])


def reseal(raw: bytes) -> bytes:
    """The same file encrypted with the newest key (and unencrypted legacy files encrypted)."""
    if not is_sealed(raw):
        return seal(raw)
    return raw[:HEADER_LENGTH] + crypto.rotate_bytes(raw[HEADER_LENGTH:])


class EncryptedStorageMixin:
    """Encrypts on save, decrypts on open; ``size`` is the plaintext size."""

    def _open(self, name: str, mode: str = "rb") -> File:
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("Encrypted storage files are opened read-only; save a new file instead.")
        with super()._open(name, "rb") as handle:  # type: ignore[misc]
            raw = handle.read()
        file = File(io.BytesIO(unseal(raw)), name=name)
        file.mode = "rb"
        return file

    def _save(self, name: str, content: File) -> str:
        if hasattr(content, "seek"):
            content.seek(0)
        data = content.read()
        if isinstance(data, str):
            data = data.encode()
        return super()._save(name, ContentFile(seal(data)))  # type: ignore[misc]

    def size(self, name: str) -> int:
        with super()._open(name, "rb") as handle:  # type: ignore[misc]
            head = handle.read(HEADER_LENGTH)
            if is_sealed(head):
                return int(head[len(MAGIC) : len(MAGIC) + 12])
        return super().size(name)  # type: ignore[misc]

    def raw_bytes(self, name: str) -> bytes:
        """The bytes as stored (ciphertext); for tests and the rotation command."""
        with super()._open(name, "rb") as handle:  # type: ignore[misc]
            return handle.read()

    def rotate(self, name: str) -> bool:
        """Re-encrypt one file with the newest key; True if its bytes changed."""
        raw = self.raw_bytes(name)
        new = reseal(raw)
        if new == raw:
            return False
        self._replace(name, new)
        return True

    def _replace(self, name: str, data: bytes) -> None:  # pragma: no cover - object storage overwrites
        self.delete(name)  # type: ignore[attr-defined]
        super()._save(name, ContentFile(data))  # type: ignore[misc]

    def walk(self, path: str = "") -> Iterator[str]:
        directories, files = self.listdir(path)  # type: ignore[attr-defined]
        for file in files:
            yield f"{path}/{file}" if path else file
        for directory in directories:
            yield from self.walk(f"{path}/{directory}" if path else directory)


class EncryptedFileSystemStorage(EncryptedStorageMixin, FileSystemStorage):
    """The default storage: a private local root (no URL), contents encrypted."""

    def _replace(self, name: str, data: bytes) -> None:
        """Atomic on one file system: a crash mid-rotation leaves the old or the new file, never none."""
        path = self.path(name)
        temporary = f"{path}.rotating"
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)


def _s3_storage_class():  # pragma: no cover - needs django-storages and a bucket
    from storages.backends.s3 import S3Storage

    class EncryptedS3Storage(EncryptedStorageMixin, S3Storage):
        pass

    return EncryptedS3Storage


def __getattr__(name: str):  # pragma: no cover - see module docstring
    if name == "EncryptedS3Storage":
        return _s3_storage_class()
    raise AttributeError(name)
