"""The house's shape, checked from the code's own imports (grimp builds the graph; import-linter's contracts in
pyproject.toml check the floors): no import cycles between the project's modules, and the foundation stands on
Django and the standard library only."""

import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "meetings", "codex", "agreements", "dialog_portal")
# core may use these beyond Django and the standard library, and only where named: its Celery tasks.
CORE_EXTRAS = {"celery": {"core.tasks"}}


@pytest.fixture(scope="module")
def graph():
    sys.path.insert(0, str(ROOT))
    try:
        return grimp.build_graph(*PACKAGES, include_external_packages=True, cache_dir=None)
    finally:
        sys.path.remove(str(ROOT))


def _cycles(graph) -> list[list[str]]:
    """The strongly connected components of more than one module among the project's modules (Tarjan's
    algorithm, iterative): each is a set of modules that import each other, directly or round a circle."""
    nodes = sorted(m for m in graph.modules if m.split(".")[0] in PACKAGES)
    edges = {
        m: sorted(t for t in graph.find_modules_directly_imported_by(m) if t.split(".")[0] in PACKAGES) for m in nodes
    }
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _describe(graph, component: list[str]) -> str:
    members = set(component)
    lines = []
    for importer in component:
        for imported in sorted(graph.find_modules_directly_imported_by(importer) & members):
            where = ", ".join(
                str(d["line_number"]) for d in graph.get_import_details(importer=importer, imported=imported)
            )
            lines.append(f"    {importer} -> {imported} (line {where})")
    return "\n".join(lines)


def test_no_two_modules_import_each_other_directly_or_round_a_circle(graph):
    cycles = _cycles(graph)
    assert not cycles, "Import cycles between the project's modules:\n" + "\n\n".join(
        f"  {' <-> '.join(c)}:\n{_describe(graph, c)}" for c in cycles
    )


def test_the_cycle_finder_finds_a_circle_of_three():
    graph = grimp.ImportGraph()
    for module in ("core.a", "core.b", "core.c", "core.d"):
        graph.add_module(module)
    graph.add_import(importer="core.a", imported="core.b")
    graph.add_import(importer="core.b", imported="core.c")
    graph.add_import(importer="core.c", imported="core.a")
    graph.add_import(importer="core.d", imported="core.a")
    assert _cycles(graph) == [["core.a", "core.b", "core.c"]]


def test_core_imports_only_django_and_the_standard_library(graph):
    outside = []
    for module in sorted(m for m in graph.modules if m == "core" or m.startswith("core.")):
        for imported in graph.find_modules_directly_imported_by(module):
            top = imported.split(".")[0]
            if top == "core" or top == "django" or top in sys.stdlib_module_names:
                continue
            if module in CORE_EXTRAS.get(top, ()):
                continue
            outside.append(f"{module} -> {imported}")
    assert not outside, "core stands on Django and the standard library only:\n" + "\n".join(outside)
