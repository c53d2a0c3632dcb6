"""File fingerprints and tamper checks, shared by every app that publishes or stores files.

A published file's SHA-256 is recorded when it is frozen (an approved report's PDF, a
disclosure attachment); every later read is checked against it, so a file changed on disk is
never served or republished silently.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from django.core.exceptions import ValidationError

CHUNK_BYTES = 1024 * 1024


class TamperedFileError(ValidationError):
    """A stored file no longer matches the SHA-256 recorded when it was frozen."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_chunks(chunks: Iterable[bytes]) -> str:
    """The SHA-256 of a stream read piece by piece (uploads, large files)."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def sha256_file(path: Path) -> str:
    with path.open("rb") as handle:
        return sha256_chunks(iter(lambda: handle.read(CHUNK_BYTES), b""))


def read_verified(field_file, expected_sha256: str, message: str, *, code: str) -> bytes:
    """The content of a stored file, refused with `message` when it no longer matches
    `expected_sha256` (no check when nothing was recorded)."""
    with field_file.open("rb") as handle:
        data = handle.read()
    if expected_sha256 and sha256_hex(data) != expected_sha256:
        raise TamperedFileError(message, code=code)
    return data
