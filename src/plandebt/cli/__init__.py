"""The `plandebt` command.

`parser` reads the command line, `commands` runs one subcommand, `tables` draws
views for people. Exit codes: 0 ok; 1 refused input (or, for checks, findings);
2 usage errors.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import IO

from plandebt.cli.commands import COMMANDS, WITHOUT_STORE, UsageError
from plandebt.cli.parser import DEFAULT_DB, build_parser
from plandebt.errors import InvalidInputError, PlandebtError
from plandebt.ledger import Ledger

__all__ = ["DEFAULT_DB", "build_parser", "main"]


def main(argv: Sequence[str] | None = None, out: IO[str] | None = None) -> int:
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    try:
        with Ledger.open(args.db) as ledger:
            storeless = WITHOUT_STORE.get(args.command)
            if storeless is not None:
                return storeless(args, out)
            return COMMANDS[args.command](ledger, args, out)
    except BrokenPipeError:  # the reader (e.g. `| head`) stopped reading
        sys.stderr.close()
        return 0
    except UsageError as e:
        print(f"plandebt: {e}", file=sys.stderr)
        return 2
    except InvalidInputError as e:
        print(f"plandebt: refused: {e}", file=sys.stderr)
        return 1
    except PlandebtError as e:
        print(f"plandebt: {e}", file=sys.stderr)
        return 1
