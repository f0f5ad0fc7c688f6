"""The floors of the house (docs/ARCHITECTURE.md), checked on the imports of every module:
model at the bottom; extract and store above it, each knowing nothing of the other; then the
crawler; then parindex. No arrow runs up a floor, and no two modules import each other, not
even through a chain or inside a function."""
import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# where each part of the installed package lives in the repository (pyproject's package-dir)
FOLDERS = {"parindex.model": "model", "parindex.extract": "extract", "parindex.store": "store",
           "parindex.crawler": "crawler", "parindex": "parindex"}
# the parts of ours each part may import (DESIGN.md, "The house")
ALLOWED = {
    "model": {"model"},
    "extract": {"model", "extract"},
    "store": {"model", "store"},
    "crawler": {"model", "store", "crawler"},
    "parindex": {"model", "extract", "store", "crawler", "parindex"},
}
OURS_AT_TOP = {"model", "extract", "store", "crawler", "patterns", "commands", "review"}


def modules() -> dict[str, Path]:
    found = {}
    for package, folder in FOLDERS.items():
        for path in sorted((REPO / folder).rglob("*.py")):
            parts = list(path.relative_to(REPO / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join([package, *parts])] = path
    return found


MODULES = modules()


def part(module: str) -> str:
    """model, extract, store, crawler, or parindex (the CLI, pipeline, review app, export...)."""
    second = module.split(".")[1] if "." in module else ""
    return second if second in ("model", "extract", "store", "crawler") else "parindex"


def imports(module: str, path: Path) -> list[tuple[str, int]]:
    """(imported module, line) for every import statement, inside functions too."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                # `from parindex.store import queue` imports the module parindex.store.queue
                out.append((f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base, node.lineno))
    return out


def ours(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def graph() -> dict[str, set]:
    return {m: {ours(name) for name, _ in imports(m, path) if ours(name) and ours(name) != m}
            for m, path in MODULES.items()}


def test_every_module_is_found():
    assert {"parindex.model.catalogue", "parindex.extract.document", "parindex.store.facts",
            "parindex.crawler.spiders.news", "parindex.cli", "parindex.review.views"} <= set(MODULES)


def test_nothing_of_ours_is_imported_by_a_top_level_name():
    for folder in ("model", "extract", "store", "crawler", "parindex", "tests", "bench"):
        for path in sorted((REPO / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                    [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
                for name in names:
                    assert name.split(".")[0] not in OURS_AT_TOP, f"{path.relative_to(REPO)}:{node.lineno} imports {name}"


def test_no_arrow_runs_up_a_floor():
    wrong = []
    for module, path in MODULES.items():
        for name, line in imports(module, path):
            target = ours(name)
            if target and part(target) not in ALLOWED[part(module)]:
                wrong.append(f"{path.relative_to(REPO)}:{line}: {part(module)} imports {target}")
    assert wrong == []


def cycles(edges: dict[str, set]) -> list[list[str]]:
    """The groups of modules that import each other, through any chain (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in edges:
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_back_through_any_chain():
    assert cycles(graph()) == []


def test_the_walk_sees_a_circle_when_there_is_one(monkeypatch, tmp_path):
    # The checks above must be able to fail: two modules importing each other are found.
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("from parindex.model import b\n")
    b.write_text("def f():\n    from parindex.model import a\n")
    monkeypatch.setitem(MODULES, "parindex.model.a", a)
    monkeypatch.setitem(MODULES, "parindex.model.b", b)
    assert ["parindex.model.a", "parindex.model.b"] in cycles(graph())
    c = tmp_path / "c.py"
    c.write_text("from parindex import store\n")
    monkeypatch.setitem(MODULES, "parindex.model.c", c)
    assert any(part(ours(n)) == "store" for n, _ in imports("parindex.model.c", c))
