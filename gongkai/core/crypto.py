"""Cryptographic primitives, national algorithms first: SM3 (GM/T 0004) where the OpenSSL under
`cryptography` offers it, SHA-256 otherwise. The algorithm is named next to every digest
("sm3:<hex>"), so a chain written with one can be checked after the other takes over."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import os
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.backends import default_backend
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SM3 = "sm3"
SHA256 = "sha256"


@functools.cache
def preferred_hash() -> str:
    """SM3 when this OpenSSL has it (tested at run time: distributions build it out), else SHA-256."""
    try:
        supported = default_backend().hash_supported(hashes.SM3())
        if supported:
            digest(SM3, b"")
    except Exception:
        supported = False
    return SM3 if supported else SHA256


def digest(algorithm: str, data: bytes) -> str:
    """Hex digest of `data` with `algorithm` ("sm3" or "sha256")."""
    if algorithm == SHA256:
        return hashlib.sha256(data).hexdigest()
    if algorithm == SM3:
        h = hashes.Hash(hashes.SM3())
        h.update(data)
        return h.finalize().hex()
    raise ValueError(f"unknown hash algorithm {algorithm!r}")


# --- Personal data at rest -------------------------------------------------------------------
# Values are sealed with SM4-GCM (GB/T 32907) where OpenSSL has it, else AES-256-GCM, under a key
# that never enters the database: GONGKAI_DATA_KEYS in the environment, or the key file
# `$GONGKAI_DATA_DIR/data_keys.json` (0600, made on first use like the secret key). A sealed value
# names its algorithm and key id ("enc1$sm4gcm$k1$<nonce|ciphertext|tag>"), so after a rotation
# (`gongkai rotate_data_key`) old values still open until they are re-sealed. Exact searches use a
# keyed blind index (HMAC-SHA256 of the NFKC-normalised value) under a separate index key, which a
# rotation keeps.

SEALED_PREFIX = "enc1$"
SM4GCM = "sm4gcm"
AESGCM_NAME = "aes256gcm"


class KeyError_(Exception):
    """The data key is missing, unreadable, or does not open a value."""


@dataclass(frozen=True)
class Keyring:
    current: str
    keys: dict[str, bytes]
    index_key: bytes


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode())


def key_file() -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR) / "data_keys.json"


def _write_key_file(path: Path, ring: Keyring) -> None:
    data = {
        "current": ring.current,
        "keys": {k: _b64(v) for k, v in ring.keys.items()},
        "index_key": _b64(ring.index_key),
    }
    partial = path.with_suffix(".tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(data, f)
    partial.replace(path)


def _create_key_file(path: Path) -> None:
    """The first key ring, made once: of two processes starting together one file wins (a link
    never replaces), and both then read that one."""
    fresh = path.with_name(f"{path.name}.{os.getpid()}.new")
    _write_key_file(fresh, Keyring("k1", {"k1": secrets.token_bytes(32)}, secrets.token_bytes(32)))
    try:
        os.link(fresh, path)
    except FileExistsError:
        pass
    finally:
        fresh.unlink()


def _parse(data: dict[str, object]) -> Keyring:
    keys = {str(k): _unb64(str(v)) for k, v in dict(data["keys"]).items()}  # type: ignore[call-overload]
    current = str(data["current"])
    if current not in keys or any(len(k) != 32 for k in keys.values()):
        raise KeyError_("data keys: the current key is missing or a key is not 32 bytes")
    return Keyring(current, keys, _unb64(str(data["index_key"])))


_cached: dict[str, Keyring] = {}


def keyring() -> Keyring:
    """The keys: GONGKAI_DATA_KEYS (the key file's JSON) if set, else the key file (made if absent)."""
    source = os.environ.get("GONGKAI_DATA_KEYS", "")
    path = key_file()
    cache_key = source or str(path)
    if cache_key in _cached:
        return _cached[cache_key]
    try:
        if source:
            ring = _parse(json.loads(source))
        else:
            if not path.exists():
                _create_key_file(path)
            ring = _parse(json.loads(path.read_text()))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KeyError_(f"data keys unreadable: {exc}") from exc
    _cached[cache_key] = ring
    return ring


def forget_keys() -> None:
    _cached.clear()


@functools.cache
def preferred_cipher() -> str:
    try:
        seal_with(SM4GCM, b"\0" * 32, "t", "probe")
    except Exception:
        return AESGCM_NAME
    return SM4GCM


def _sm4_key(key: bytes) -> bytes:
    return hashlib.sha256(b"gongkai-sm4\0" + key).digest()[:16]


def seal_with(algorithm: str, key: bytes, key_id: str, text: str) -> str:
    nonce = secrets.token_bytes(12)
    aad = f"{algorithm}${key_id}".encode()
    if algorithm == SM4GCM:
        encryptor = Cipher(algorithms.SM4(_sm4_key(key)), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(aad)
        body = encryptor.update(text.encode()) + encryptor.finalize() + encryptor.tag
    elif algorithm == AESGCM_NAME:
        body = AESGCM(key).encrypt(nonce, text.encode(), aad)
    else:
        raise KeyError_(f"unknown cipher {algorithm!r}")
    return f"{SEALED_PREFIX}{algorithm}${key_id}${_b64(nonce + body)}"


def seal(text: str) -> str:
    """`text` sealed under the current key ("" stays "": nothing to hide, and blank stays blank)."""
    if not text:
        return text
    ring = keyring()
    return seal_with(preferred_cipher(), ring.keys[ring.current], ring.current, text)


def is_sealed(value: str) -> bool:
    return value.startswith(SEALED_PREFIX)


def sealed_key_id(value: str) -> str:
    return value.split("$", 3)[2] if is_sealed(value) else ""


def unseal(value: str) -> str:
    """The text of a sealed value (a value written before encryption is returned as it is)."""
    if not is_sealed(value):
        return value
    try:
        _prefix, algorithm, key_id, payload = value.split("$", 3)
        key = keyring().keys[key_id]
        raw = _unb64(payload)
        nonce, body = raw[:12], raw[12:]
        aad = f"{algorithm}${key_id}".encode()
        if algorithm == SM4GCM:
            decryptor = Cipher(algorithms.SM4(_sm4_key(key)), modes.GCM(nonce, body[-16:])).decryptor()
            decryptor.authenticate_additional_data(aad)
            return (decryptor.update(body[:-16]) + decryptor.finalize()).decode()
        if algorithm == AESGCM_NAME:
            return AESGCM(key).decrypt(nonce, body, aad).decode()
    except KeyError as exc:
        raise KeyError_(f"data key {exc} is not in the keyring") from exc
    except Exception as exc:
        raise KeyError_(f"a sealed value does not open: {type(exc).__name__}") from exc
    raise KeyError_(f"unknown cipher {algorithm!r}")


def normalise_identity(value: str) -> str:
    """What counts as the same identity: NFKC (full-width digits), no spaces, upper case."""
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


def blind_index(value: str) -> str:
    """HMAC-SHA256 of the normalised value under the index key ("" for a blank value)."""
    normalised = normalise_identity(value)
    if not normalised:
        return ""
    return hmac.new(keyring().index_key, normalised.encode(), hashlib.sha256).hexdigest()


def rotate() -> Keyring:
    """Add a new current key to the key file (old ones kept: values under them still open)."""
    if os.environ.get("GONGKAI_DATA_KEYS"):
        raise KeyError_("the keys come from GONGKAI_DATA_KEYS: add the new key there (and make it current)")
    ring = keyring()
    number = max(int(k[1:]) for k in ring.keys if k[1:].isdigit()) + 1 if ring.keys else 1
    new_id = f"k{number}"
    updated = Keyring(new_id, {**ring.keys, new_id: secrets.token_bytes(32)}, ring.index_key)
    _write_key_file(key_file(), updated)
    forget_keys()
    return updated


# --- Model fields ------------------------------------------------------------------------------
from django.db import models  # noqa: E402 - Django only for the fields below; the primitives stand alone


class SealedCharField(models.CharField):  # type: ignore[type-arg]
    """A CharField stored sealed (a text column: the sealed form is longer than `max_length`,
    which still limits what is typed). Exact lookups cannot match a sealed value: search through
    a BlindIndexField instead."""

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value: str | None, expression: object, connection: object) -> str | None:
        return value if value is None else unseal(value)

    def get_prep_value(self, value: object) -> object:
        value = super().get_prep_value(value)
        if isinstance(value, str) and value and not is_sealed(value):
            return seal(value)
        return value


class BlindIndexField(models.CharField):  # type: ignore[type-arg]
    """The blind index of another field of the same row, set on every save (and bulk_create)."""

    def __init__(self, *args: object, source: str = "", **kwargs: object) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def deconstruct(self) -> tuple[str, str, list[object], dict[str, object]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (("max_length", 64), ("blank", True), ("editable", False), ("db_index", True)):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        return name, path, list(args), dict(kwargs)

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = blind_index(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value
