"""The layers stay honest: no module imports from a layer above its own, and the
applications (layer 4) use only the public API.

Layers, bottom to top:
  0 core/          primitives, tracers, bind, pytrees, the graph (NumPy + stdlib)
  1 interpreters/  forward mode, reverse mode, tape replay, batching
  2 primitives/    each primitive with its rules; composites; tracer methods
  3 transforms and namespaces: api, custom, vmap, sweeps, numpy/, scipy/, coverage
  4 applications:  testing, solvers/, ntk, explain/, checkpointing, schedule, __main__
"""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1] / "src" / "chainrule"

LAYER_OF_TOP = {
    "core": 0, "interpreters": 1, "primitives": 2,
    "api": 3, "custom": 3, "vmap": 3, "sweeps": 3, "numpy": 3, "scipy": 3,
    "testing": 4, "solvers": 4, "ntk": 4, "explain": 4, "checkpointing": 4,
    "schedule": 4, "__main__": 4,
    # The coverage report reads the rule tables, so it sits with the namespaces.
    "coverage": 3,
}
# What an application may import: the public API (layer 3 and the package itself),
# the pytree utilities, and other applications.
PUBLIC_FOR_APPS = {"api", "custom", "vmap", "sweeps", "numpy", "scipy", "core.tree"}


# Imports inside a function that go upward, allowed one by one: they run at call time, after
# every module is loaded. Graph.to_dot()/render() hand the graph to the explain layer.
LAZY_UPWARD_ALLOWED = {("core.graph", "explain")}


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield path, parts


def _imports(path, parts):
    """Yield chainrule-internal imports of a module as dotted paths below ``chainrule``."""
    tree = ast.parse(path.read_text())
    package = parts if path.name == "__init__.py" else parts[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                mod = base + (node.module.split(".") if node.module else [])
            elif node.module and node.module.split(".")[0] == "chainrule":
                mod = node.module.split(".")[1:]
            else:
                continue
            for alias in node.names:  # the imported name may itself be a submodule
                yield ".".join(mod + [alias.name])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "chainrule":
                    yield ".".join(alias.name.split(".")[1:])


def _layer(dotted):
    top = dotted.split(".")[0] if dotted else ""
    return LAYER_OF_TOP.get(top)


def test_every_module_has_a_layer():
    for path, parts in _modules():
        if not parts:
            continue  # the package __init__ sits above everything
        assert parts[0] in LAYER_OF_TOP, f"{path}: add '{parts[0]}' to LAYER_OF_TOP"


@pytest.mark.parametrize("path,parts", [(p, m) for p, m in _modules() if m],
                         ids=lambda v: "/".join(v) if isinstance(v, list) else None)
def test_no_upward_imports(path, parts):
    own = LAYER_OF_TOP[parts[0]]
    for dotted in _imports(path, parts):
        if own == 4:
            top = dotted.split(".")[0]
            ok = (top in PUBLIC_FOR_APPS or LAYER_OF_TOP.get(top) == 4
                  or any(dotted == p or dotted.startswith(p + ".") for p in PUBLIC_FOR_APPS)
                  or dotted not in LAYER_OF_TOP and "." not in dotted)  # e.g. chainrule.grad
            assert ok, f"{path}: application imports internal module chainrule.{dotted}"
            continue
        if (".".join(parts), dotted.split(".")[0]) in LAZY_UPWARD_ALLOWED:
            continue
        layer = _layer(dotted)
        assert layer is not None, f"{path}: import of unknown module chainrule.{dotted}"
        assert layer <= own, (f"{path} (layer {own}) imports chainrule.{dotted} "
                              f"(layer {layer}): upward import")


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
