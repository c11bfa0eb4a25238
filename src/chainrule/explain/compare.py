"""The notes' table Symbolic / Numerical / AD forward / AD reverse, measured.

For one expression: each method's derivative, its error against the exact
value (SymPy at 30 digits when the ``symbolic`` extra is installed, else the
AD value), the evaluations or passes a full gradient costs, and the growth of
the symbolic derivative when the expression is nested k times (expression
swell) beside the recorded graph size, whose cost ratio stays constant.

>>> from chainrule.explain.expr import parse
>>> c = compare(parse("(x + y) * sin(y)"), {"x": 1.0, "y": 1.5707963267948966}, "y", swell_k=2)
>>> [r["method"] for r in c["rows"]]
['Symbolic', 'Numerical (central FD)', 'AD forward', 'AD reverse']
>>> c["rows"][3]["error"] < 1e-12
True
"""

import ast
import json
import os
import subprocess
import sys

import numpy as np

import chainrule as cr

from .fdstudy import ad_derivative
from .tables import table, fmt
from .expr import FUNCTIONS, ExprError, parse

__all__ = ["compare", "format_compare", "sympy_namespace", "SymbolicLimitError",
           "SYMBOLIC_TIMEOUT", "SYMBOLIC_MEMORY_MB", "MAX_SWELL_NODES"]

# SymPy can take unbounded time and memory (40 nested exp: evalf of a tower of
# exponentials; x**x**...: a derivative that multiplies at each level), and cannot be
# interrupted from a thread. So the symbolic step runs in a child process that is
# killed at the time limit and has its address space capped.
SYMBOLIC_TIMEOUT = 10.0     # seconds for the whole symbolic step
SYMBOLIC_MEMORY_MB = 1024   # extra address space the child may use (POSIX only)
MAX_SWELL_NODES = 2000      # the swell table stops before f_k's tree gets larger


class SymbolicLimitError(ExprError):
    """The symbolic (SymPy) step went past its time or memory limit, or failed."""

_SYMPY_NAMES = {"arcsin": "asin", "arccos": "acos", "arctan": "atan", "arctan2": "atan2",
                "arcsinh": "asinh", "arccosh": "acosh", "arctanh": "atanh", "abs": "Abs",
                "maximum": "Max", "minimum": "Min"}


def sympy_namespace(sp):
    """chainrule.numpy names -> SymPy functions (only those with an exact counterpart)."""
    ns = {}
    for n in FUNCTIONS:
        m = _SYMPY_NAMES.get(n, n)
        if hasattr(sp, m):
            ns[n] = getattr(sp, m)
    ns.update({
        "square": lambda a: a ** 2, "reciprocal": lambda a: 1 / a, "power": lambda a, b: a ** b,
        "cbrt": lambda a: sp.cbrt(a), "exp2": lambda a: 2 ** a, "expm1": lambda a: sp.exp(a) - 1,
        "log1p": lambda a: sp.log(1 + a), "log2": lambda a: sp.log(a, 2),
        "log10": lambda a: sp.log(a, 10), "hypot": lambda a, b: sp.sqrt(a ** 2 + b ** 2),
        "logaddexp": lambda a, b: sp.log(sp.exp(a) + sp.exp(b)),
        "sinc": lambda a: sp.sin(sp.pi * a) / (sp.pi * a)})
    return ns


def _nested(expr, k, wrt):
    """The expression nested k times: wrt := previous level (a function of its own)."""
    def g(*vals):
        i = expr.variables.index(wrt)
        out = expr(*vals)
        for _ in range(k - 1):
            v = list(vals)
            v[i] = out
            out = expr(*v)
        return out
    return g


def compare(expr, point, wrt=None, swell_k=5, symbolic_timeout=SYMBOLIC_TIMEOUT):
    """Measure the four methods on ``expr`` at ``point``; see the module docstring.

    The symbolic column runs SymPy in a child process limited to
    ``symbolic_timeout`` seconds and :data:`SYMBOLIC_MEMORY_MB` more memory;
    past either, :class:`SymbolicLimitError` (a ``ValueError``) names the
    limit. The swell table stops before the nested expression's tree passes
    :data:`MAX_SWELL_NODES` nodes (``swell_note`` says where).
    """
    wrt = wrt or expr.variables[0]
    n = len(expr.variables)
    vals = [float(point[v]) for v in expr.variables]
    i = expr.variables.index(wrt)
    sp = _sympy_available()
    res = {"expression": expr.text, "wrt": wrt, "at": dict(point), "symbolic_available": sp}

    ad_rev = ad_derivative(expr, point, wrt)
    tangents = [0.0] * n
    tangents[i] = 1.0
    ad_fwd = float(cr.jvp(expr, tuple(vals), tuple(tangents))[1])
    h = float(np.finfo(np.float64).eps) ** (1 / 3)
    up, down = list(vals), list(vals)
    up[i] += h
    down[i] -= h
    fd = (float(expr.numpy(*up)) - float(expr.numpy(*down))) / (2 * h)

    sym_val = exact = None
    sym_size = None
    ks = _swell_levels(expr, wrt, swell_k)
    sym = None
    if sp:
        # evaluating the symbolic derivative is only meaningful (and only bounded in
        # time: mpmath on a tower of exponentials) where the float value exists
        sym = _symbolic(expr, vals, wrt, len(ks), evaluate=bool(np.isfinite(ad_rev)),
                        timeout=symbolic_timeout)
        exact, sym_val, sym_size = sym["exact"], sym["value"], sym["size"]
    ref = exact if exact is not None else ad_rev
    res["reference"] = ("SymPy, 30 digits" if exact is not None else
                        "AD reverse (SymPy not installed)" if not sp else
                        "AD reverse (the value is out of float range)")
    res["exact"] = ref
    res["rows"] = [
        {"method": "Symbolic", "derivative": sym_val,
         "error": None if sym_val is None else abs(sym_val - ref),
         "cost": (f"formula of {sym_size} operations" if sym_size is not None
                  else "needs pip install 'chainrule[symbolic]'")},
        {"method": "Numerical (central FD)", "derivative": fd, "error": abs(fd - ref),
         "cost": f"{2 * n} evaluations for the gradient (2 per input), h = ε^(1/3)"},
        {"method": "AD forward", "derivative": ad_fwd, "error": abs(ad_fwd - ref),
         "cost": f"{n} forward pass(es) for the gradient (1 per input)"},
        {"method": "AD reverse", "derivative": ad_rev, "error": abs(ad_rev - ref),
         "cost": "1 reverse pass for the gradient"},
    ]
    res["swell"] = _swell(expr, vals, wrt, ks, sym)
    res["swell_note"] = None
    if sym is not None and sym["swell_stopped"]:
        done = len(res["swell"])
        res["swell_note"] = (f"k = {done + 1}..{swell_k} left out: SymPy "
                             f"{sym['swell_stopped']} at k = {done + 1}")
    elif len(ks) < swell_k:
        res["swell_note"] = (f"k = {len(ks) + 1}..{swell_k} left out: f_{len(ks) + 1} would be "
                             f"a tree of {_tree_size(expr, wrt, len(ks) + 1)} nodes, over the "
                             f"limit of {MAX_SWELL_NODES} (that growth is the swell)")
    return res


def _tree_size(expr, wrt, k):
    """Nodes of f_k's syntax tree (wrt replaced by f_{k-1} at each occurrence)."""
    nodes = [n for n in ast.walk(expr.tree)
             if not isinstance(n, (ast.expr_context, ast.operator, ast.unaryop))]
    occ = sum(isinstance(n, ast.Name) and n.id == wrt for n in nodes)
    size = len(nodes)
    for _ in range(k - 1):
        size = len(nodes) - occ + occ * size
    return size


def _swell_levels(expr, wrt, kmax):
    """The k of the swell table: 1..kmax, stopping before the tree passes the bound."""
    ks = [1]
    while len(ks) < kmax and _tree_size(expr, wrt, len(ks) + 1) <= MAX_SWELL_NODES:
        ks.append(len(ks) + 1)
    return ks


def _swell(expr, vals, wrt, ks, sym):
    from ..transforms import make_graph  # noqa: PLC0415
    rows = []
    if sym is not None:
        ks = ks[:len(sym["swell"])]
    for k in ks:
        g = _nested(expr, k, wrt)
        with np.errstate(all="ignore"):  # nested values may overflow; only the size matters
            nodes = len(make_graph(g)(*[float(v) for v in vals])) - len(vals)
        row = {"k": k, "graph_nodes": nodes, "ad_reverse_passes": 1}
        if sym is not None:
            row.update(sym["swell"][k - 1])
        rows.append(row)
    return rows


def _sympy_available():
    """Whether SymPy can be imported (without importing it here: the child does)."""
    import importlib.util  # noqa: PLC0415
    if "sympy" in sys.modules:
        return sys.modules["sympy"] is not None
    try:
        return importlib.util.find_spec("sympy") is not None
    except (ImportError, ValueError):
        return False


def _symbolic(expr, vals, wrt, kmax, evaluate, timeout):
    """Run the SymPy step in a child process, bounded in time and memory.

    The child prints one JSON line as each part is done (the derivative, then
    each swell level), so a limit reached during the swell keeps what was
    done and says where it stopped; a limit reached before the derivative
    itself is a :class:`SymbolicLimitError`.
    """
    job = {"text": expr.text, "variables": list(expr.variables), "values": vals, "wrt": wrt,
           "kmax": kmax, "evaluate": evaluate, "memory_mb": SYMBOLIC_MEMORY_MB}
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               PYTHONPATH=os.pathsep.join([root] + [p for p in
                                                    [os.environ.get("PYTHONPATH")] if p]))
    code = "from chainrule.explain.compare import _symbolic_child; _symbolic_child()"
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    timed_out = False
    try:
        out, err = proc.communicate(json.dumps(job), timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        proc.kill()
        out, err = proc.communicate()   # what the child printed before, then EOF
    main, swell, error = None, [], None
    for line in out.splitlines():
        try:
            item = json.loads(line)
        except ValueError:
            continue
        main = item.get("main", main)
        if "swell" in item:
            swell.append(item["swell"])
        error = item.get("error", error)
    if timed_out:
        why = (f"did not finish within {timeout:g} s (SymPy's formulas can grow much faster "
               f"than AD's graph)")
    elif error:
        why = error if error.startswith("ran out") else f"failed: {error}"
    elif proc.returncode != 0:
        why = (f"ran out of its {SYMBOLIC_MEMORY_MB} MB memory budget"
               if "MemoryError" in err or proc.returncode < 0 else
               "failed: " + (err.strip().splitlines() or [f"exit status {proc.returncode}"])[-1])
    else:
        why = None
    if main is None:
        raise SymbolicLimitError(
            f"the symbolic step (SymPy) {why or 'gave no result'}; use a smaller or less "
            f"deeply nested expression" + (", or raise --symbolic-timeout" if timed_out else ""))
    main["swell"] = swell
    main["swell_stopped"] = None if len(swell) >= kmax else (why or "stopped")
    return main


def _limit_memory(mb):
    """Cap the address space at what is used now plus ``mb`` MB (POSIX; else nothing)."""
    try:
        import resource  # noqa: PLC0415
        with open("/proc/self/statm") as f:
            used = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError):
        return
    limit = used + mb * 2 ** 20
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _symbolic_child():
    """The child's side of :func:`_symbolic`: JSON job on stdin, JSON result on stdout."""
    job = json.loads(sys.stdin.read())
    import sympy as sp  # noqa: PLC0415
    _limit_memory(job["memory_mb"])
    try:
        expr = parse(job["text"], variables=job["variables"])
        vals, wrt = job["values"], job["wrt"]
        syms = sp.symbols(expr.variables)
        i = expr.variables.index(wrt)
        fs = expr.with_functions(sympy_namespace(sp), *syms, constants={"pi": sp.pi, "e": sp.E})
        d = sp.diff(fs, syms[i])
        main = {"exact": None, "value": None, "size": int(sp.count_ops(d))}
        if job["evaluate"]:
            exact = float(d.evalf(30, subs=dict(zip(syms, [sp.Float(v, 30) for v in vals]))))
            value = float(d.evalf(subs={s: sp.Float(v) for s, v in zip(syms, vals)}))
            if np.isfinite(exact) and np.isfinite(value):
                main["exact"], main["value"] = exact, value
        print(json.dumps({"main": main}), flush=True)
        for k in range(1, job["kmax"] + 1):
            fk = _nested_sym(expr, k, wrt, syms, sp)
            row = {"expr_size": int(sp.count_ops(fk)),
                   "derivative_size": int(sp.count_ops(sp.diff(fk, syms[i])))}
            print(json.dumps({"swell": row}), flush=True)
    except (MemoryError, SystemError):  # SystemError: CPython's own allocation failures
        print(json.dumps({"error": f"ran out of its {job['memory_mb']} MB memory budget"}))
    except RecursionError:
        print(json.dumps({"error": "the formula is nested too deeply for SymPy "
                                   "(RecursionError)"}))
    except Exception as err:  # noqa: BLE001  (reported as one line by the parent)
        print(json.dumps({"error": f"{type(err).__name__}: {err}"}))


def _nested_sym(expr, k, wrt, syms, sp):
    ns, consts = sympy_namespace(sp), {"pi": sp.pi, "e": sp.E}
    i = expr.variables.index(wrt)
    out = expr.with_functions(ns, *syms, constants=consts)
    for _ in range(k - 1):
        v = list(syms)
        v[i] = out
        out = expr.with_functions(ns, *v, constants=consts)
    return out


def format_compare(c):
    """Both tables as aligned text, plus a line naming the extra when SymPy is missing."""
    lines = [f"∂/∂{c['wrt']} of {c['expression']} at "
             + ", ".join(f"{k}={fmt(v)}" for k, v in c["at"].items())
             + f"; exact value {c['exact']:.17g} ({c['reference']})"]
    rows = [[r["method"], "-" if r["derivative"] is None else f"{r['derivative']:.17g}",
             "-" if r["error"] is None else f"{r['error']:.1e}", r["cost"]] for r in c["rows"]]
    lines += [table(["method", "derivative", "error", "cost"], rows), ""]
    lines.append(f"Expression swell: the expression nested k times ({c['wrt']} := previous level)")
    if c["symbolic_available"]:
        head = ["k", "ops in f_k", "ops in symbolic df_k", "AD graph nodes", "AD cost"]
        rows = [[r["k"], r["expr_size"], r["derivative_size"], r["graph_nodes"],
                 "1 reverse pass ≈ constant × evaluation"] for r in c["swell"]]
    else:
        head = ["k", "AD graph nodes", "AD cost"]
        rows = [[r["k"], r["graph_nodes"], "1 reverse pass ≈ constant × evaluation"]
                for r in c["swell"]]
    lines.append(table(head, rows))
    if c.get("swell_note"):
        lines.append(f"({c['swell_note']})")
    if not c["symbolic_available"]:
        lines.append("(the symbolic column needs SymPy: pip install 'chainrule[symbolic]')")
    return "\n".join(lines)
