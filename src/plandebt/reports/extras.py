"""The optional packages the reports and plots need, and the error that names the
extra to install when one is missing."""

from __future__ import annotations

from plandebt.errors import PlandebtError


class MissingExtraError(PlandebtError):
    """An optional package is not installed; `extra` is plandebt's extra that brings
    it (the CLI exits 3: the environment, not the input, is at fault)."""

    def __init__(self, package: str, extra: str, what: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(
            f"{what} needs {package}, which is not installed: "
            f"pip install 'plandebt[{extra}]'"
        )
