"""Writes the schema files and the key tables of docs/json.md from
`plandebt.schemas.views`: `python -m plandebt.schemas [docs/json.md]`."""

from __future__ import annotations

import sys
from pathlib import Path

from plandebt.schemas.generate import write_all

if __name__ == "__main__":
    write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/json.md"))
