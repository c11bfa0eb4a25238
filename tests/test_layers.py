"""The layers stay honest: no module imports from a layer above its own, the
applications (layer 4) use only the public API, no two modules import each
other (directly or round a longer loop), and no private name (``_x``) is taken
from another package.

Layers, bottom to top:
  0 core/          primitives, tracers, bind, pytrees, the graph, vector-space helpers
  1 interpreters/  forward mode, reverse mode, tape replay, batching
  2 primitives/    each primitive with its rules; composites; tracer methods
  3 transforms/ (grad ... vmap, jacobians, custom rules, checkpoint, stop_gradient),
    sweeps, numpy/, scipy/, coverage
  4 applications:  testing, solvers/, ntk, explain/, checkpointing, schedule, __main__,
                   autograd/ (HIPS autograd's API over the public one)

A "package" below is the first name under chainrule (``core``, ``interpreters``,
``transforms``, ``numpy``...); ``""`` is chainrule itself.

Imports inside functions count, for cycles as for layers: a lazy import only
hides a cycle until the function runs. The exceptions are listed one by one in
LAZY_UPWARD_ALLOWED. The package ``chainrule/__init__.py`` is left out of the
cycle check: it is the façade that imports everything, and the applications
import it on purpose (``import chainrule as cr``).
"""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1] / "src" / "chainrule"

LAYER_OF_TOP = {
    "core": 0, "interpreters": 1, "primitives": 2,
    "transforms": 3, "sweeps": 3, "namespaces": 3, "numpy": 3, "scipy": 3, "flatten": 3,
    "testing": 4, "solvers": 4, "ntk": 4, "explain": 4, "checkpointing": 4,
    "schedule": 4, "__main__": 4, "autograd": 4,
    # The coverage report reads the rule tables, so it sits with the namespaces.
    "coverage": 3,
}
# What an application may import: the public API (layer 3 and the package itself),
# the pytree utilities, and other applications.
PUBLIC_FOR_APPS = {"transforms", "sweeps", "numpy", "scipy", "core.tree", "flatten"}

# Imports inside a function that go upward, allowed one by one (importer, imported package):
# they run at call time, after every module is loaded. Graph.to_dot()/render() hand the
# graph to the explain layer, which draws it.
LAZY_UPWARD_ALLOWED = {("core.graph", "explain")}

# Known offences, allowed one by one. The test fails on a stale entry, so the list can only
# shrink. (The primitives' cycle util -> structural -> elementwise -> util is gone: the
# primitives every rule needs live in primitives/basic.py, below the rest.)
KNOWN_PRIMITIVES_OFFENDERS = set()


# ---- reading the imports -------------------------------------------------------------------
def modules(root):
    """``{dotted name below the package: path}`` for every module under ``root``."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(path, name, package_name="chainrule"):
    """Yield ``(module, imported name or None, lazy)`` for each package-internal import.

    ``module`` is dotted below the package (``""`` for the package itself); ``lazy`` says
    whether the import statement sits inside a function.
    """
    syntax = ast.parse(path.read_text())
    parts = name.split(".") if name else []
    package = parts if path.name == "__init__.py" else parts[:-1]
    lazy_nodes = set()
    for node in ast.walk(syntax):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lazy_nodes.update(id(n) for n in ast.walk(node) if n is not node)
    for node in ast.walk(syntax):
        lazy = id(node) in lazy_nodes
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                mod = base + (node.module.split(".") if node.module else [])
            elif node.module and node.module.split(".")[0] == package_name:
                mod = node.module.split(".")[1:]
            else:
                continue
            for alias in node.names:
                yield ".".join(mod), alias.name, lazy
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == package_name:
                    yield ".".join(alias.name.split(".")[1:]), None, lazy


def _target(mod, imported, known):
    """The module an import loads: ``mod.imported`` when that is a submodule, else ``mod``."""
    sub = f"{mod}.{imported}" if mod else imported
    return sub if imported is not None and sub in known else mod


def module_graph(root, package_name="chainrule", skip=frozenset()):
    """``{module: {modules it imports}}`` (lazy imports included, ``skip`` edges left out)."""
    known = modules(root)
    graph = {}
    for name, path in known.items():
        edges = graph.setdefault(name, set())
        for mod, imported, lazy in imports(path, name, package_name):
            target = _target(mod, imported, known)
            if lazy and (name, _top(target)) in skip:
                continue
            if target in known and target != name:
                edges.add(target)
    return graph


def _top(dotted):
    return dotted.split(".")[0] if dotted else ""


# ---- the checks ----------------------------------------------------------------------------
def find_cycles(graph, ignore=("",)):
    """Every import cycle: one ``"cycle: a -> b -> c"`` per strongly connected component of
    more than one module (modules sorted), by Tarjan's algorithm without recursion."""
    graph = {m: {t for t in ts if t not in ignore} for m, ts in graph.items() if m not in ignore}
    index, low, on_stack, stack, sccs = {}, {}, set(), [], []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                scc = []
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    scc.append(m)
                    if m == node:
                        break
                if len(scc) > 1:
                    sccs.append("cycle: " + " -> ".join(sorted(scc)))
    return sorted(sccs)


def _is_private(name):
    return name.startswith("_") and not name.startswith("__")


def private_imports(root, package_name="chainrule"):
    """Every private name taken from another package, as ``"private: importer imports
    module.name"``: ``from pkg.mod import _x``, ``from chainrule import _x``, and
    ``mod._x`` on a name bound to another package's module by an import."""
    known = modules(root)
    found = []
    for name, path in known.items():
        own = _top(name)
        bound = {}  # local name -> module it is bound to
        for mod, imported, _ in imports(path, name, package_name):
            target = _target(mod, imported, known)
            if target == mod and imported is not None and _is_private(imported) \
                    and _top(mod) != own or (mod == "" and imported and _is_private(imported)):
                found.append(f"private: {name or package_name} imports "
                             f"{'.'.join(p for p in (mod, imported) if p)}")
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom):
                parts = name.split(".") if name else []
                package = parts if path.name == "__init__.py" else parts[:-1]
                if node.level:
                    base = package[: len(package) - (node.level - 1)]
                    mod = ".".join(base + (node.module.split(".") if node.module else []))
                elif node.module and node.module.split(".")[0] == package_name:
                    mod = ".".join(node.module.split(".")[1:])
                else:
                    continue
                names = [(a.asname or a.name, _target(mod, a.name, known)) for a in node.names]
            elif isinstance(node, ast.Import):
                names = [(a.asname, ".".join(a.name.split(".")[1:])) for a in node.names
                         if a.asname and a.name.split(".")[0] == package_name]
                names += [(package_name, "") for a in node.names
                          if not a.asname and a.name.split(".")[0] == package_name]
            for local, target in names:
                if target in known:
                    bound[local] = target
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in bound and _is_private(node.attr):
                target = bound[node.value.id]
                if _top(target) != own or target == "":
                    found.append(f"private: {name or package_name} uses "
                                 f"{target or package_name}.{node.attr}")
    return sorted(set(found))


# ---- the checks on chainrule ---------------------------------------------------------------
def test_every_module_has_a_layer():
    for name, path in modules(ROOT).items():
        if not name:
            continue  # the package __init__ sits above everything
        assert _top(name) in LAYER_OF_TOP, f"{path}: add '{_top(name)}' to LAYER_OF_TOP"


def _layer(dotted):
    return LAYER_OF_TOP.get(_top(dotted))


@pytest.mark.parametrize("name", [m for m in modules(ROOT) if m])
def test_no_upward_imports(name):
    path = modules(ROOT)[name]
    own = LAYER_OF_TOP[_top(name)]
    for mod, imported, lazy in imports(path, name):
        dotted = ".".join(p for p in (mod, imported) if p)
        if lazy and (name, _top(dotted)) in LAZY_UPWARD_ALLOWED:
            continue
        if own == 4:
            top = _top(dotted)
            ok = (top in PUBLIC_FOR_APPS or LAYER_OF_TOP.get(top) == 4
                  or any(dotted == p or dotted.startswith(p + ".") for p in PUBLIC_FOR_APPS)
                  or mod == "")  # e.g. from chainrule import grad
            assert ok, f"{path}: application imports internal module chainrule.{dotted}"
            continue
        layer = _layer(dotted)
        assert layer is not None, f"{path}: import of unknown module chainrule.{dotted}"
        assert layer <= own, (f"{path} (layer {own}) imports chainrule.{dotted} "
                              f"(layer {layer}): upward import")


def test_no_import_cycles():
    cycles = set(find_cycles(module_graph(ROOT, skip=LAZY_UPWARD_ALLOWED)))
    assert cycles - KNOWN_PRIMITIVES_OFFENDERS == set()


def test_no_private_names_across_packages():
    assert set(private_imports(ROOT)) - KNOWN_PRIMITIVES_OFFENDERS == set()


def test_known_offenders_are_in_primitives_and_still_there():
    found = set(find_cycles(module_graph(ROOT, skip=LAZY_UPWARD_ALLOWED))) | \
        set(private_imports(ROOT))
    for offence in KNOWN_PRIMITIVES_OFFENDERS:
        modules_named = offence.split(": ", 1)[1].replace(" -> ", " ").split()
        assert all(m.startswith("primitives.") for m in modules_named if "." in m), offence
        assert offence in found, f"fixed? then remove it from KNOWN_PRIMITIVES_OFFENDERS: {offence}"


def test_core_needs_numpy_and_stdlib_only():
    import sys
    allowed = set(sys.stdlib_module_names) | {"numpy", "chainrule"}
    for path in (ROOT / "core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            for n in names:
                assert n.split(".")[0] in allowed, f"{path} imports {n}"


# ---- the checkers catch what they should: a planted package -----------------------------
def _plant(tmp_path, files):
    root = tmp_path / "pkg"
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return root


CLEAN = {
    "__init__.py": "from .low import helper\n",
    "low/__init__.py": "",
    "low/base.py": "def helper():\n    return _own()\n\n\ndef _own():\n    return 1\n",
    "low/more.py": "from .base import _own  # same package: allowed\n",
    "high.py": "from .low.base import helper\nfrom .low import base\nbase.helper()\n",
}


def test_checkers_pass_a_clean_package(tmp_path):
    root = _plant(tmp_path, CLEAN)
    assert find_cycles(module_graph(root, "pkg")) == []
    assert private_imports(root, "pkg") == []


def test_checker_finds_a_planted_cycle(tmp_path):
    root = _plant(tmp_path, dict(CLEAN, **{
        "low/base.py": "def helper():\n    from ..high import x  # lazy, still a cycle\n",
        "high.py": "from .low.base import helper\nx = 1\n"}))
    assert find_cycles(module_graph(root, "pkg")) == ["cycle: high -> low.base"]
    # the same edge, explicitly allowed as a lazy import, is no cycle
    assert find_cycles(module_graph(root, "pkg", skip={("low.base", "high")})) == []


def test_checker_finds_a_longer_cycle(tmp_path):
    root = _plant(tmp_path, dict(CLEAN, **{
        "a.py": "from . import b\n", "b.py": "from .c import y\n", "c.py": "import pkg.a\n"}))
    assert find_cycles(module_graph(root, "pkg")) == ["cycle: a -> b -> c"]


def test_checker_finds_planted_private_imports(tmp_path):
    root = _plant(tmp_path, dict(CLEAN, **{
        "high.py": ("from .low.base import _own\n"
                    "from .low import base as b\n"
                    "from pkg import _secret\n"
                    "b._own()\n"),
        "__init__.py": "_secret = 1\n"}))
    assert private_imports(root, "pkg") == [
        "private: high imports _secret",
        "private: high imports low.base._own",
        "private: high uses low.base._own",
    ]
