"""Client secrets at rest: AES-256-GCM under a key derived (HKDF-SHA256) from the service's
secret key. The associated data binds a ciphertext to its connection's platform, account and
client id, so a secret copied onto another row does not decrypt."""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = "v1"
_SALT = b"telementor/integrations"
_INFO = b"connection client secret v1"


class SecretUnreadable(Exception):
    """The stored secret does not decrypt: the service's secret key changed, or the row did."""


def _key(secret_key: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO).derive(secret_key.encode())


def _bound_to(platform: str, account_id: str, client_id: str) -> bytes:
    return f"{platform}\x00{account_id}\x00{client_id}".encode()


def encrypt(secret_key: str, plaintext: str, *, platform: str, account_id: str, client_id: str) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(_key(secret_key)).encrypt(nonce, plaintext.encode(), _bound_to(platform, account_id, client_id))
    return f"{VERSION}:" + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(secret_key: str, stored: str, *, platform: str, account_id: str, client_id: str) -> str:
    version, _, body = stored.partition(":")
    if version != VERSION:
        raise SecretUnreadable("unknown format")
    try:
        raw = base64.urlsafe_b64decode(body.encode())
        opened = AESGCM(_key(secret_key)).decrypt(raw[:12], raw[12:], _bound_to(platform, account_id, client_id))
    except (InvalidTag, ValueError) as exc:
        raise SecretUnreadable("does not decrypt with this service's secret key") from exc
    return opened.decode()
