"""No two of the project's modules import each other, directly or through others.

A cycle means one concern split badly across modules (STYLE.md), and it works only as long as
the imports happen in a lucky order. Only imports that run when a module is loaded count: an
import inside a function runs later, when every module is loaded.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Folders that are not the site's code: tests import whatever they test.
NOT_APP_CODE = {"tests", "node_modules", "build", "staticfiles"}


def project_modules(root: Path) -> dict[str, Path]:
    """Every module of the project's packages (the folders at the root with an __init__.py), by dotted name."""
    modules = {}
    for package in sorted(root.iterdir()):
        if package.name in NOT_APP_CODE or package.name.startswith(".") or not (package / "__init__.py").exists():
            continue
        for path in package.rglob("*.py"):
            if any(part in NOT_APP_CODE for part in path.relative_to(root).parts):
                continue
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def load_time_imports(tree: ast.Module):
    """The import statements that run when the module is loaded: at the top level and in class
    bodies, but not in functions, nor under `if TYPE_CHECKING:`."""
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            pending.extend(node.orelse)
        else:
            pending.extend(child for child in ast.iter_child_nodes(node) if isinstance(child, ast.stmt))


def imported_modules(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules that `name` imports when it is loaded."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in load_time_imports(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from package import module` imports the module; `from module import name` the module.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        found.update(target for target in targets if target in modules and target != name)
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    modules = project_modules(root)
    return {name: imported_modules(name, path, modules) for name, path in modules.items()}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each group of modules that import one another (Tarjan's strongly connected components),
    as one cycle through the group, e.g. ['a', 'b', 'a']."""
    index, low, on_stack, stack, groups = {}, {}, set(), [], []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [cycle_through(graph, group) for group in groups]


def cycle_through(graph, group) -> list[str]:
    """One cycle inside a strongly connected group, found by walking from its first member."""
    start = min(group)
    path, seen = [start], {start}
    while True:
        following = sorted(graph[path[-1]] & group)
        back = start if start in following else None
        if back:
            return [*path, start]
        nxt = next((n for n in following if n not in seen), following[0])
        if nxt in seen:
            return [*path[path.index(nxt) :], nxt]
        path.append(nxt)
        seen.add(nxt)


def test_no_module_level_import_cycle():
    graph = import_graph(ROOT)
    assert {"techniques.models", "routines.models", "backrelief.urls"} <= set(graph)
    cycles = import_cycles(graph)
    assert not cycles, "Modules that import each other when loaded:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_routines_depend_on_guides_and_never_the_reverse():
    graph = import_graph(ROOT)
    assert "techniques.models" in graph["routines.models"]
    # The content loader fills both apps; nothing else in techniques knows routines exist.
    # (Migration 0008, from before the move, names a validator that moved with them.)
    knows_routines = sorted(
        name
        for name, targets in graph.items()
        if name.startswith("techniques.")
        and ".migrations." not in name
        and any(t.split(".")[0] == "routines" for t in targets)
    )
    assert knows_routines in ([], ["techniques.seeding"]), knows_routines


def write(root: Path, files: dict[str, str]):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_the_check_finds_cycles_and_ignores_imports_that_run_later(tmp_path):
    write(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/models.py": "from shop.admin import Register\n",
            "shop/admin.py": "class Register:\n    from shop import views\n",
            "shop/views.py": "from .models import *\n",
            # Not cycles: an import inside a function, and one for type checkers only.
            "shop/forms.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from shop import feeds\n",
            "shop/feeds.py": "def later():\n    from shop import forms\nimport shop.forms\n",
            "tests/__init__.py": "",
            "tests/test_shop.py": "import shop.models\n",
        },
    )
    graph = import_graph(tmp_path)
    assert "tests.test_shop" not in graph
    assert graph["shop.forms"] == set()
    assert graph["shop.feeds"] == {"shop.forms"}
    assert graph["shop.views"] == {"shop.models"}
    assert import_cycles(graph) == [["shop.admin", "shop.views", "shop.models", "shop.admin"]]
