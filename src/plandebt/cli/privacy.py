"""The commands of encryption and erasure: `keygen`, `forget`, and the sealed
journals `export --encrypt` writes and `record` reads back (docs/integrity.md).

The store's key comes from --key-file, else PLANDEBT_CIPHER_KEY, else the file
PLANDEBT_CIPHER_KEY_FILE names (`plandebt.crypto.store_key`). A missing or wrong key
is one line on standard error and exit 3.
"""

from __future__ import annotations

import argparse
import os
from typing import IO

from plandebt import crypto
from plandebt.cli.exits import OK, UsageError
from plandebt.errors import CipherKeyError
from plandebt.ledger import Ledger
from plandebt.personal import ERASED


def add_options(parser: argparse.ArgumentParser) -> None:
    """The option every command takes: where the store's key is."""
    parser.add_argument(
        "--key-file",
        help="file holding the store's key (default: $PLANDEBT_CIPHER_KEY, else "
        "the file $PLANDEBT_CIPHER_KEY_FILE names); see `plandebt keygen`",
    )


def keygen_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        help="key file to create, readable by you only (default: print)",
    )


def forget_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("person", help="the creditor's id (within its case)")
    parser.add_argument("--case", help="case reference (default: every case)")


def add_export_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--encrypt",
        action="store_true",
        help="seal the journal with the store's key (record reads it back)",
    )


def key_of(args: argparse.Namespace) -> str | None:
    return crypto.store_key(key_file=getattr(args, "key_file", None))


def keygen(args: argparse.Namespace, out: IO[str]) -> int:
    key = crypto.new_key()
    if not args.output:
        print(key, file=out)
        return OK
    try:
        # Created for its owner only, and never over an existing key.
        fd = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise UsageError(f"{args.output} exists: a key is never overwritten") from None
    except OSError as e:
        raise UsageError(f"cannot create {args.output}: {e.strerror or e}") from None
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key + "\n")
    print(
        f"wrote a new key to {args.output}; keep a copy apart from the store", file=out
    )
    return OK


def forget(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    refs = ledger.forget(args.person, args.case)
    print(
        f"erased {args.person} in {', '.join(refs)}: their name, address and "
        f"descriptions now show {ERASED}; amounts and findings are unchanged",
        file=out,
    )
    return OK


def sealed_export(text: str, args: argparse.Namespace) -> str:
    """The export `text`, sealed when --encrypt asks for it."""
    if not getattr(args, "encrypt", False):
        return text
    key = key_of(args)
    if key is None:
        raise CipherKeyError(
            "--encrypt needs a key: --key-file, PLANDEBT_CIPHER_KEY or "
            "PLANDEBT_CIPHER_KEY_FILE (make one with `plandebt keygen`)"
        )
    return crypto.seal_text(text, key)


def opened_journal(data: bytes | str, args: argparse.Namespace) -> bytes | str:
    """A journal to record: a sealed one (an `export --encrypt`) opened with the
    key, any other as it is."""
    head = crypto.SEALED_HEADER
    if isinstance(data, bytes):
        if not data.startswith(head.encode("ascii")):
            return data
        text = data.decode("ascii", errors="replace")  # damaged: refused on opening
    elif data.startswith(head):
        text = data
    else:
        return data
    return crypto.open_text(text, key_of(args))
