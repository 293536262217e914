"""Cryptographic primitives, national algorithms first: SM3 (GM/T 0004) where the OpenSSL under
`cryptography` offers it, SHA-256 otherwise. The algorithm is named next to every digest
("sm3:<hex>"), so a chain written with one can be checked after the other takes over."""

from __future__ import annotations

import functools
import hashlib

from cryptography.hazmat.backends import default_backend
from cryptography.hazmat.primitives import hashes

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
