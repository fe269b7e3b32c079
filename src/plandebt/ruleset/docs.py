"""The ruleset's tables in docs/ruleset.md, generated from the data files:
``python -m plandebt.ruleset`` prints them, and a test fails when the page is stale."""

from __future__ import annotations

from plandebt.ruleset.rule import Rule
from plandebt.ruleset.ruleset import Ruleset
from plandebt.ruleset.versions import POST_REFORM, PRE_REFORM, ruleset_version

#: Each version's section heading on the page, newest first.
HEADINGS = {
    POST_REFORM: "## Version `2021-10-01` (proceedings opened on or after 1 Oct 2021)",
    PRE_REFORM: "## Version `pre-2021-10-01` (proceedings opened before 1 Oct 2021)",
}


def markdown_row(rule: Rule) -> str:
    """One rule as a row: key, value, unit, article, tag, note."""
    cells = [
        f"`{rule.key}`",
        rule.value_text(),
        rule.unit,
        rule.article,
        rule.confidence,
        rule.note,
    ]
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def markdown_table(ruleset: Ruleset) -> str:
    """Every rule of `ruleset`, in catalogue order, as a Markdown table."""
    lines = [
        "| Key | Value | Unit | Article | Conf. | Note |",
        "|---|---|---|---|---|---|",
        *(markdown_row(rule) for rule in ruleset.rules),
    ]
    return "\n".join(lines) + "\n"


def markdown_sections() -> str:
    """The page's version sections: each heading and its table."""
    return "\n".join(
        f"{heading}\n\n{markdown_table(ruleset_version(version))}"
        for version, heading in HEADINGS.items()
    )
