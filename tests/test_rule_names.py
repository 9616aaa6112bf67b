"""Every rule name the code refers to is defined in one place: the rule tables (tasks/rules/*.tsv)
or the structural rules of tasks/rules.py (EXTRA_RULE_CATEGORIES), all listed by
rules.line_rule_categories(). A renamed rule in a TSV whose old name the code still compares against
fails here, not silently in the output."""

from __future__ import annotations

import ast
from pathlib import Path

from tasks import rules

TASKS = Path(__file__).resolve().parents[1] / "tasks"
RULE_FIELDS = {"rule", "prule", "boilerplate_rule", "_rule"}


def _is_rule(node: ast.AST) -> bool:
    """An expression that holds a rule name: a variable or attribute called *rule, or
    pl.col("boilerplate_rule")."""
    if isinstance(node, ast.Name):
        return node.id in RULE_FIELDS or node.id.endswith("_rule")
    if isinstance(node, ast.Attribute):
        return node.attr in RULE_FIELDS or node.attr.endswith("_rule")
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "col"
    ):
        return any(isinstance(a, ast.Constant) and a.value in RULE_FIELDS for a in node.args)
    return False


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [s for e in node.elts for s in _strings(e)]
    return []


def rule_names_in_code() -> dict[str, set[str]]:
    """Rule names the stage code compares a rule against or sets as a rule: name -> files."""
    found: dict[str, set[str]] = {}
    for path in sorted(TASKS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            values: list[str] = []
            if isinstance(node, ast.Compare) and _is_rule(node.left):
                values = [s for c in node.comparators for s in _strings(c)]
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "is_in"
                and _is_rule(node.func.value)
            ):
                values = [s for a in node.args for s in _strings(a)]
            elif (
                isinstance(node, ast.keyword)
                and node.arg
                and (node.arg in RULE_FIELDS or node.arg.endswith("_rule"))
            ):
                values = _strings(node.value)
            elif isinstance(node, ast.Assign) and any(_is_rule(t) for t in node.targets):
                values = _strings(node.value)
            for v in values:
                found.setdefault(v, set()).add(path.relative_to(TASKS).as_posix())
    return found


def test_every_rule_name_the_code_uses_is_defined_in_a_rule_table_or_the_structural_rules():
    defined = rules.line_rule_categories()
    used = rule_names_in_code()
    assert len(used) >= 10  # the scan finds the comparisons (title, publish_date, caption, ...)
    assert {name: sorted(files) for name, files in used.items() if name not in defined} == {}


def test_rule_names_are_unique_across_the_rule_tables():
    names = [r.name for r in rules.line_rules()] + [r.name for r in rules.tail_rules()]
    names += [p.name for p in rules.related_prefixes()] + [p.name for p in rules.datelines()]
    names += [r["name"] for r in rules.read_table("bylines.tsv")]
    repeated = {n for n in names if names.count(n) > 1}
    assert repeated == set()
