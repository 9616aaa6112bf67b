"""Which files version a stage's code: its package's modules, every tasks module they import
(followed through imports, read from the source, nothing imported), and the rule tables those
modules read.

A rule table is read by a module when the module names it ("promo_words.tsv") or calls a loader of
tasks/rules.py that reads it (`rules.line_rules()` -> line_rules.tsv, followed through the loaders
that call each other). So editing a rule table or module reruns exactly the stages whose code
reaches it.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent  # tasks/
RULES_DIR = ROOT / "rules"
_TSV = re.compile(r"\b([a-z_]+\.tsv)\b")


def module_path(name: str) -> Path | None:
    """The source file of a tasks module or package (None for anything else)."""
    parts = name.split(".")
    if parts[0] != "tasks":
        return None
    base = ROOT.joinpath(*parts[1:])
    if (base / "__init__.py").exists():
        return base / "__init__.py"
    f = base.with_suffix(".py")
    return f if f.exists() else None


@cache
def _imports(path: Path) -> tuple[str, ...]:
    """The tasks modules a source file imports (at any depth: lazy imports inside functions
    count)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names if a.name.startswith("tasks")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tasks"):
            out.append(node.module)
            for a in node.names:  # `from tasks.clean import clean`: the submodule, when it is one
                if module_path(f"{node.module}.{a.name}") is not None:
                    out.append(f"{node.module}.{a.name}")
    return tuple(out)


def modules(package: str) -> list[Path]:
    """Source files of the package's modules and of every tasks module they import, transitively; a
    module's package __init__ counts too (it runs on import)."""
    pkg_dir = ROOT.joinpath(*package.split(".")[1:])
    todo = sorted(pkg_dir.glob("*.py"))
    seen: set[Path] = set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        for name in _imports(p):
            parts = name.split(".")
            # tasks.clean.clean -> tasks.clean (its __init__) and itself
            for k in range(2, len(parts) + 1):
                q = module_path(".".join(parts[:k]))
                if q is not None and q not in seen:
                    todo.append(q)
    return sorted(seen)


@cache
def _loader_tables() -> dict[str, frozenset[str]]:
    """Each loader function of tasks/rules.py -> the rule tables it reads (through the loaders it
    calls)."""
    tree = ast.parse((ROOT / "rules.py").read_text(encoding="utf-8"))
    direct: dict[str, set[str]] = {}
    calls: dict[str, set[str]] = {}
    for fn in tree.body:
        if isinstance(fn, ast.FunctionDef):
            src = ast.get_source_segment((ROOT / "rules.py").read_text(encoding="utf-8"), fn) or ""
            direct[fn.name] = set(_TSV.findall(src))
            calls[fn.name] = {n.func.id for n in ast.walk(fn)
                              if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    out: dict[str, frozenset[str]] = {}
    for name in direct:
        tables, todo, seen = set(), [name], set()
        while todo:
            f = todo.pop()
            if f in seen or f not in direct:
                continue
            seen.add(f)
            tables |= direct[f]
            todo += calls[f]
        out[name] = frozenset(tables)
    return out


def rule_tables(files: list[Path]) -> list[Path]:
    """The rule tables the given modules read: named in their source, or read by a tasks/rules.py
    loader they call (rules.X or a name imported from tasks.rules)."""
    loaders = _loader_tables()
    names: set[str] = set()
    for p in files:
        src = p.read_text(encoding="utf-8")
        if p == ROOT / "rules.py":
            continue
        names |= set(_TSV.findall(src))
        for node in ast.walk(ast.parse(src)):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "rules"
            ):
                names |= loaders.get(node.attr, frozenset())
            elif isinstance(node, ast.ImportFrom) and node.module == "tasks.rules":
                for a in node.names:
                    names |= loaders.get(a.name, frozenset())
    return sorted(RULES_DIR / n for n in names if (RULES_DIR / n).exists())


def stage_files(package: str) -> list[Path]:
    """Every file whose content versions the stage's code: its modules (modules()) and rule
    tables."""
    files = modules(package)
    return files + rule_tables(files)
