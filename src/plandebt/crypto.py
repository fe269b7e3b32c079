"""Encryption at rest: the store's key, where it comes from, and the cipher settings
eventsourcing's application reads.

The key is 32 random bytes written in base64 (`new_key()`, `plandebt keygen`), given in
the PLANDEBT_CIPHER_KEY environment variable, or in a file named by
PLANDEBT_CIPHER_KEY_FILE (or `--key-file`). With a key, every stored event and
snapshot is sealed by eventsourcing's AES-GCM cipher (`eventsourcing.cryptography`,
on the `cryptography` package: the `plandebt[crypto]` extra), and the per-person keys
of `plandebt.personal` are sealed with it too. What stays in clear is said in
docs/integrity.md.

A store is one thing or the other: opening it with a key it was not written with, or
without the key it was, is refused (`CipherKeyError`, exit 3 in the CLI) before
anything is read or written.
"""

from __future__ import annotations

import base64
import binascii
import importlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from plandebt.errors import CipherKeyError

#: The store's key, in base64.
PLANDEBT_CIPHER_KEY = "PLANDEBT_CIPHER_KEY"
#: A file holding the store's key (its first line, in base64).
PLANDEBT_CIPHER_KEY_FILE = "PLANDEBT_CIPHER_KEY_FILE"
#: eventsourcing's AES-GCM cipher on the `cryptography` package (its other one,
#: `eventsourcing.cipher`, needs pycryptodome).
CIPHER_TOPIC = "eventsourcing.cryptography:AESCipher"
#: The key sizes AES takes, in bytes; `new_key` makes the largest.
KEY_SIZES = (16, 24, 32)
_INSTALL = "pip install 'plandebt[crypto]'"


def new_key() -> str:
    """A new random store key (256 bits), in base64: keep it apart from the store."""
    return base64.b64encode(os.urandom(32)).decode("ascii")


def key_bytes(key: str, where: str) -> bytes:
    """The bytes of a base64 key, refused (naming `where` it came from) unless it is
    16, 24 or 32 bytes."""
    try:
        raw = base64.b64decode(key.strip().encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise CipherKeyError(
            f"the key in {where} is not base64 (make one with `plandebt keygen`)"
        ) from None
    if len(raw) not in KEY_SIZES:
        raise CipherKeyError(
            f"the key in {where} is {len(raw)} bytes; AES takes 16, 24 or 32 "
            "(make one with `plandebt keygen`)"
        )
    return raw


def read_key_file(path: str | os.PathLike[str]) -> str:
    """The key written in a file (its first line)."""
    try:
        text = Path(path).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else "unreadable"
        raise CipherKeyError(f"cannot read the key file {path}: {reason}") from None
    lines = text.strip().splitlines()
    key = lines[0] if lines else ""
    key_bytes(key, f"the key file {path}")
    return key.strip()


def store_key(
    key: str | None = None,
    key_file: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> str | None:
    """The store's key: `key`, else the file `key_file`, else PLANDEBT_CIPHER_KEY,
    else the file PLANDEBT_CIPHER_KEY_FILE names; None when none is given."""
    environ = os.environ if environ is None else environ
    if key is not None:
        key_bytes(key, "the key given")
        return key.strip()
    if key_file is not None:
        return read_key_file(key_file)
    if environ.get(PLANDEBT_CIPHER_KEY):
        key = environ[PLANDEBT_CIPHER_KEY]
        key_bytes(key, PLANDEBT_CIPHER_KEY)
        return key.strip()
    if environ.get(PLANDEBT_CIPHER_KEY_FILE):
        return read_key_file(environ[PLANDEBT_CIPHER_KEY_FILE])
    return None


def cipher_environment(key: str | None) -> dict[str, str]:
    """The settings that make eventsourcing's application seal what it stores with
    `key` (none without a key)."""
    if key is None:
        return {}
    try:
        importlib.import_module("cryptography.hazmat.primitives.ciphers.aead")
    except ImportError:
        raise CipherKeyError(
            f"an encrypted store needs the cryptography package: {_INSTALL}"
        ) from None
    return {"CIPHER_TOPIC": CIPHER_TOPIC, "CIPHER_KEY": key}


def check_store_key(app: Any) -> None:
    """Refuses a store opened with a key its events were not sealed with, or without
    the key they were: the first stored events are read back (a few rows) and one
    must open. A wrong key opens none (AES-GCM authenticates each); a single event
    damaged in the store is not taken for a wrong key, so that `plandebt verify`
    can open the store and report it. An empty store takes whatever it is first
    written with."""
    recorder = app.recorder
    try:
        first = recorder.select_notifications(start=1, limit=_KEY_PROBES)
    except Exception:  # a store that cannot be read says so on first use
        return
    refusal: Exception | None = None
    for stored in first:
        try:
            app.mapper.to_domain_event(stored)
        except (ValueError, UnicodeDecodeError) as e:
            refusal = e
            continue
        return
    if refusal is not None:
        raise key_refused(app.mapper.cipher) from refusal


#: How many of the first stored events the key is tried on.
_KEY_PROBES = 8


def key_refused(cipher: Any) -> CipherKeyError:
    """The error for stored data a cipher (or None, no cipher) cannot open."""
    if cipher is None:
        return CipherKeyError(
            "the store is encrypted: give its key (PLANDEBT_CIPHER_KEY, "
            "PLANDEBT_CIPHER_KEY_FILE or --key-file)"
        )
    return CipherKeyError(
        "the key does not open this store (a wrong key, or a store written "
        "without encryption)"
    )


# --- sealed files (an encrypted export) --------------------------------------------

#: The first line of an encrypted export; the rest is base64 of AES-GCM
#: nonce (12 bytes) + ciphertext with its tag.
SEALED_HEADER = "plandebt-sealed-journal v1"


def seal_text(text: str, key: str) -> str:
    """`text` sealed with the store key: SEALED_HEADER, then one base64 line."""
    aead = _aead(key, "the key given")
    nonce = os.urandom(12)
    sealed = nonce + aead.encrypt(nonce, text.encode("utf8"), SEALED_HEADER.encode())
    return f"{SEALED_HEADER}\n{base64.b64encode(sealed).decode('ascii')}\n"


def is_sealed(text: str) -> bool:
    return text.startswith(SEALED_HEADER)


def open_text(text: str, key: str | None) -> str:
    """The journal a sealed export holds; a missing or wrong key, or a damaged
    file, is a CipherKeyError."""
    if key is None:
        raise CipherKeyError(
            "the journal is encrypted: give its key (PLANDEBT_CIPHER_KEY, "
            "PLANDEBT_CIPHER_KEY_FILE or --key-file)"
        )
    aead = _aead(key, "the key given")
    body = text[len(SEALED_HEADER) :].strip()
    try:
        sealed = base64.b64decode(body.encode("ascii"), validate=True)
        plain: bytes = aead.decrypt(sealed[:12], sealed[12:], SEALED_HEADER.encode())
        return plain.decode("utf8")
    except Exception:  # InvalidTag, bad base64, a cut file: one answer
        raise CipherKeyError(
            "the key does not open this encrypted journal (a wrong key, or a "
            "damaged file)"
        ) from None


def _aead(key: str, where: str) -> Any:
    raw = key_bytes(key, where)
    try:
        aead_module = importlib.import_module(
            "cryptography.hazmat.primitives.ciphers.aead"
        )
    except ImportError:
        raise CipherKeyError(
            f"encryption needs the cryptography package: {_INSTALL}"
        ) from None
    return aead_module.AESGCM(raw)
