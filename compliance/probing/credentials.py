"""Test accounts' passwords at rest: Fernet tokens under PROBE_CREDENTIALS_KEY.

The first key encrypts, every key decrypts (MultiFernet), so a key is rotated by putting a new
one first and running `manage.py rotate_probe_credentials`, which re-encrypts what is stored.
Without a key (development only: the system checks refuse that without DEBUG) one is derived
from SECRET_KEY. A password is never logged, shown, put in task arguments or in evidence.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class CredentialsLost(Exception):
    """The stored password cannot be decrypted (its key was removed)."""


def _keys() -> MultiFernet:
    keys = settings.PROBE_CREDENTIALS_KEY
    if not keys:
        digest = hashlib.sha256(b"probe-credentials:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(key) for key in keys])


def seal(password: str) -> bytes:
    return _keys().encrypt(password.encode())


def unseal(token: bytes | memoryview) -> str:
    try:
        return _keys().decrypt(bytes(token)).decode()
    except InvalidToken as exc:
        raise CredentialsLost(
            "The stored password cannot be decrypted with the current keys."
        ) from exc


def rotate(token: bytes | memoryview) -> bytes:
    """The same password encrypted with the first key."""
    try:
        return _keys().rotate(bytes(token))
    except InvalidToken as exc:
        raise CredentialsLost(
            "The stored password cannot be decrypted with the current keys."
        ) from exc
