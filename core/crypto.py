"""Field-level encryption and keyed hashing of personal identifiers.

Keys come from the environment (``FIELD_ENCRYPTION_KEYS``: Fernet keys, newest first, so a
new key can be prepended and old ciphertexts re-encrypted; ``ID_HASH_KEY`` for the search
digest). In the embedded default both derive from ``SECRET_KEY`` so no variable is needed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _derived_key(purpose: str) -> bytes:
    return hashlib.sha256(f"{purpose}:{settings.SECRET_KEY}".encode()).digest()


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    keys = list(settings.FIELD_ENCRYPTION_KEYS) or [base64.urlsafe_b64encode(_derived_key("field-encryption")).decode()]
    return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    """Re-encrypt with the newest key (used when a key is rotated)."""
    return _fernet().rotate(token.encode()).decode()


def digest(value: str) -> str:
    """Keyed hash used to find a row by an encrypted identifier without decrypting."""
    key = settings.ID_HASH_KEY.encode() if settings.ID_HASH_KEY else _derived_key("id-hash")
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()


def reset_caches() -> None:
    _fernet.cache_clear()


def encrypt_bytes(plaintext: bytes) -> bytes:
    """Encrypt file contents with the newest key (private storage, see ``core.storage``)."""
    return _fernet().encrypt(plaintext)


def decrypt_bytes(token: bytes) -> bytes:
    return _fernet().decrypt(token)


def rotate_bytes(token: bytes) -> bytes:
    return _fernet().rotate(token)
