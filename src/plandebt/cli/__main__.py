"""`python -m plandebt.cli`, the same as the `plandebt` command."""

from plandebt.cli import main

raise SystemExit(main())
