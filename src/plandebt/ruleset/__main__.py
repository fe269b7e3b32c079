"""``python -m plandebt.ruleset``: the version sections of docs/ruleset.md."""

from plandebt.ruleset.docs import markdown_sections

print(markdown_sections(), end="")
