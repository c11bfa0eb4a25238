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

import numpy as np

import chainrule as cr

from .fdstudy import ad_derivative
from .tables import table, fmt
from .expr import FUNCTIONS

__all__ = ["compare", "format_compare", "sympy_namespace"]

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


def _sympy():
    try:
        import sympy  # noqa: PLC0415  (optional extra)
        return sympy
    except ImportError:
        return None


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


def compare(expr, point, wrt=None, swell_k=5):
    """Measure the four methods on ``expr`` at ``point``; see the module docstring."""
    wrt = wrt or expr.variables[0]
    n = len(expr.variables)
    vals = [float(point[v]) for v in expr.variables]
    i = expr.variables.index(wrt)
    sp = _sympy()
    res = {"expression": expr.text, "wrt": wrt, "at": dict(point), "symbolic_available": sp is not None}

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
    if sp is not None:
        syms = sp.symbols(expr.variables)
        ns = sympy_namespace(sp)
        consts = {"pi": sp.pi, "e": sp.E}
        fs = expr.with_functions(ns, *syms, constants=consts)
        d = sp.diff(fs, syms[i])
        subs = dict(zip(syms, [sp.Float(v, 30) for v in vals]))
        exact = float(d.evalf(30, subs=subs))
        sym_val = float(d.evalf(subs={s: sp.Float(v) for s, v in zip(syms, vals)}))
        sym_size = int(sp.count_ops(d))
    ref = exact if exact is not None else ad_rev
    res["reference"] = "SymPy, 30 digits" if exact is not None else "AD reverse (SymPy not installed)"
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
    res["swell"] = _swell(expr, vals, wrt, swell_k, sp)
    return res


def _swell(expr, vals, wrt, kmax, sp):
    from ..transforms import make_graph  # noqa: PLC0415
    rows = []
    i = expr.variables.index(wrt)
    for k in range(1, kmax + 1):
        g = _nested(expr, k, wrt)
        with np.errstate(all="ignore"):  # nested values may overflow; only the size matters
            nodes = len(make_graph(g)(*[float(v) for v in vals])) - len(vals)
        row = {"k": k, "graph_nodes": nodes, "ad_reverse_passes": 1}
        if sp is not None:
            syms = sp.symbols(expr.variables)
            fk = _nested_sym(expr, k, wrt, syms, sp)
            row["expr_size"] = int(sp.count_ops(fk))
            row["derivative_size"] = int(sp.count_ops(sp.diff(fk, syms[i])))
        rows.append(row)
    return rows


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
    if not c["symbolic_available"]:
        lines.append("(the symbolic column needs SymPy: pip install 'chainrule[symbolic]')")
    return "\n".join(lines)
