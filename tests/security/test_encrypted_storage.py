"""Private files are encrypted at rest (core/storage.py) and read back through the storage."""

from __future__ import annotations

from pathlib import Path

from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from core import crypto
from core.storage import EncryptedFileSystemStorage, seal

PLAINTEXT = b"%PDF-1.4 \xe8\xba\xab\xe4\xbb\xbd\xe8\xaf\x81 diploma scan" * 20


def _on_disk(name: str) -> bytes:
    return Path(default_storage.path(name)).read_bytes()


def test_it_stores_private_files_encrypted_and_reads_them_back_equal():
    assert isinstance(default_storage, EncryptedFileSystemStorage)
    name = default_storage.save("applications/1/scan", ContentFile(PLAINTEXT))
    raw = _on_disk(name)
    assert PLAINTEXT not in raw
    assert b"%PDF" not in raw
    with default_storage.open(name, "rb") as handle:
        assert handle.read() == PLAINTEXT
    assert default_storage.size(name) == len(PLAINTEXT)


def test_it_refuses_to_open_an_encrypted_file_for_writing():
    name = default_storage.save("x/file", ContentFile(b"abc"))
    try:
        default_storage.open(name, "wb")
    except ValueError:
        pass
    else:  # pragma: no cover
        raise AssertionError("opened for writing")


def test_it_reads_legacy_plaintext_files_and_encrypts_them_on_rotation(db):
    path = Path(default_storage.path("legacy/old.pdf"))
    path.parent.mkdir(parents=True)
    path.write_bytes(PLAINTEXT)
    assert default_storage.open("legacy/old.pdf").read() == PLAINTEXT
    call_command("rotate_file_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert PLAINTEXT not in path.read_bytes()
    assert default_storage.open("legacy/old.pdf").read() == PLAINTEXT


def test_it_rotates_file_keys_so_the_old_key_can_be_dropped(db, settings):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    crypto.reset_caches()
    try:
        name = default_storage.save("certificates/c.pdf", ContentFile(PLAINTEXT))
        before = _on_disk(name)

        settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
        crypto.reset_caches()
        assert default_storage.open(name).read() == PLAINTEXT  # old ciphertext still readable
        call_command("rotate_file_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert _on_disk(name) != before

        settings.FIELD_ENCRYPTION_KEYS = [new_key]  # old key dropped
        crypto.reset_caches()
        assert default_storage.open(name).read() == PLAINTEXT
        assert default_storage.size(name) == len(PLAINTEXT)
        assert not list(Path(default_storage.location).rglob("*.rotating"))
    finally:
        settings.FIELD_ENCRYPTION_KEYS = []
        crypto.reset_caches()


def test_it_cannot_read_a_file_without_its_key(settings):
    sealed = seal(PLAINTEXT)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    crypto.reset_caches()
    try:
        from cryptography.fernet import InvalidToken

        from core.storage import unseal

        try:
            unseal(sealed)
        except InvalidToken:
            pass
        else:  # pragma: no cover
            raise AssertionError("decrypted with a foreign key")
    finally:
        settings.FIELD_ENCRYPTION_KEYS = []
        crypto.reset_caches()
