"""The `plandebt` command.

`parser` reads the command line, `store` opens the store it names, `commands` runs
one subcommand, `tables` draws views for people in the words of `labels` (French or
English), `envelope` and `shapes` print them for machines (docs/json.md), `exits`
says what each exit code means: 0 ok, 1 compliance errors found (`check`), 2 usage
or refused input, 3 store or environment problem, 70 internal error. Whatever
happens, a failure is one line on standard error, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import IO

from plandebt.cli import exits
from plandebt.cli.commands import COMMANDS, CREATE_STORE, WITHOUT_STORE
from plandebt.cli.labels import Style, styled, terminal_width
from plandebt.cli.parser import DEFAULT_DB, build_parser, store_target
from plandebt.cli.store import open_store, redacted

__all__ = ["DEFAULT_DB", "build_parser", "main"]


def main(argv: Sequence[str] | None = None, out: IO[str] | None = None) -> int:
    """Runs the command line `argv` (default: the process's) writing to `out`
    (default: standard output); returns the exit code."""
    out = out or sys.stdout
    target: str | None = None
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as e:  # --help, or a usage error already printed
            return e.code if isinstance(e.code, int) else exits.USAGE
        target = args.db = store_target(args.db)
        chosen = Style(args.lang, terminal_width(out, args.wide))
        with styled(chosen):
            storeless = WITHOUT_STORE.get(args.command)
            if storeless is not None:
                return storeless(args, out)
            with open_store(
                target, create=args.command in CREATE_STORE, key_file=args.key_file
            ) as ledger:
                return COMMANDS[args.command](ledger, args, out)
    except BrokenPipeError:  # the reader (e.g. `| head`) stopped reading
        sys.stderr.close()
        return exits.OK
    except KeyboardInterrupt:
        _say("interrupted")
        return exits.INTERRUPTED
    except Exception as e:
        code = exits.exit_code(e)
        if code is None:
            _say(
                f"internal error: {type(e).__name__}: {exits.one_line(str(e))}; "
                "please report"
            )
            return exits.INTERNAL
        text = exits.message(e)
        if target is not None:
            text = text.replace(target, redacted(target))
        _say(text)
        return code


def _say(text: str) -> None:
    print(f"plandebt: {text}", file=sys.stderr)
