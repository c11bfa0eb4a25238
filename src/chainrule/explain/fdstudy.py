"""The step-size study behind the notes' warning on finite differences.

Forward differences err by O(h) + O(ε/h), central ones by O(h²) + O(ε/h):
the error is U-shaped in h, smallest near ε^(1/2) and ε^(1/3). The study
measures it against the AD derivative, in float64 and float32.

>>> from chainrule.explain.expr import parse
>>> s = fd_study(parse("(x + y) * sin(y)"), {"x": 1.0, "y": 1.5707963267948966}, "y")
>>> s["best"]["float64"]["central"]["h"] > 1e-8, len(s["steps"])
(True, 14)
"""

import sys

import numpy as np

import chainrule as cr

from .tables import table, fmt

__all__ = ["fd_study", "format_study", "plot_study", "STEPS"]

STEPS = [10.0 ** -k for k in range(1, 15)]
DTYPES = {"float64": np.float64, "float32": np.float32}


def ad_derivative(expr, point, wrt):
    """∂expr/∂wrt at ``point`` by reverse mode (float64)."""
    vals = [float(point[v]) for v in expr.variables]
    return float(cr.grad(expr, argnums=expr.variables.index(wrt))(*vals))


def fd_study(expr, point, wrt=None, verbose=False):
    """Errors of forward and central differences for each h in :data:`STEPS`.

    With ``verbose=True`` one progress line per precision goes to stderr.

    Returns a dict: ``steps``, ``ad`` (the reference derivative),
    ``errors[dtype][scheme]`` (lists), ``best[dtype][scheme]`` ({h, error}),
    ``theory[dtype][scheme]`` ({h}: ε^(1/2) forward, ε^(1/3) central).
    """
    wrt = wrt or expr.variables[0]
    i = expr.variables.index(wrt)
    ad = ad_derivative(expr, point, wrt)
    out = {"expression": expr.text, "wrt": wrt, "at": dict(point), "ad": ad,
           "steps": STEPS, "errors": {}, "best": {}, "theory": {}}
    for name, dt in DTYPES.items():
        base = [dt(point[v]) for v in expr.variables]

        def f(xi):
            vals = list(base)
            vals[i] = xi
            return expr.numpy(*vals, dtype=dt)

        x0 = base[i]
        f0 = f(x0)
        errs = {"forward": [], "central": []}
        with np.errstate(all="ignore"):
            for h in STEPS:
                hh = dt(h)  # the step as this precision stores it
                fwd = (f(dt(x0 + hh)) - f0) / hh
                cen = (f(dt(x0 + hh)) - f(dt(x0 - hh))) / (dt(2) * hh)
                errs["forward"].append(abs(float(fwd) - ad))
                errs["central"].append(abs(float(cen) - ad))
        eps = float(np.finfo(dt).eps)
        if verbose:
            print(f"fdcheck: {name}: forward and central differences at {len(STEPS)} step "
                  f"sizes done", file=sys.stderr, flush=True)
        out["errors"][name] = errs
        out["best"][name] = {}
        for s, e in errs.items():
            k = int(np.nanargmin(np.where(np.isfinite(e), e, np.inf)))
            out["best"][name][s] = {"h": STEPS[k], "error": e[k]}
        out["theory"][name] = {"forward": {"h": eps ** 0.5}, "central": {"h": eps ** (1 / 3)},
                               "eps": eps}
    return out


def format_study(s):
    """The study as aligned text: one row per h, then the best h beside the theory."""
    head = ["h", "fwd f64", "central f64", "fwd f32", "central f32"]
    rows = []
    for k, h in enumerate(s["steps"]):
        rows.append([f"{h:.0e}"] + [f"{s['errors'][d][sc][k]:.2e}"
                                    for d in DTYPES for sc in ("forward", "central")])
    lines = [f"Finite differences of {s['expression']} in {s['wrt']} at "
             + ", ".join(f"{k}={fmt(v)}" for k, v in s["at"].items())
             + f"; AD derivative = {s['ad']:.17g}",
             "absolute error |FD - AD|:", table(head, rows), ""]
    rows = []
    for d in DTYPES:
        for sc, power in (("forward", "1/2"), ("central", "1/3")):
            b, t = s["best"][d][sc], s["theory"][d][sc]
            rows.append([d, sc, f"{b['h']:.0e}", f"{b['error']:.2e}", f"ε^({power}) = {t['h']:.1e}"])
    lines.append(table(["dtype", "scheme", "best h", "error there", "theory"], rows))
    return "\n".join(lines)


def plot_study(s, path):
    """Log-log plot of the U-shaped error curves (needs the viz extra)."""
    from .picture import MissingExtraError  # noqa: PLC0415
    try:
        from matplotlib.figure import Figure  # noqa: PLC0415
        from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
    except ImportError:
        raise MissingExtraError("the step-size plot needs matplotlib: "
                                "pip install 'chainrule[viz]'") from None
    fig = Figure(figsize=(7, 4.6), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    colors = {"float64": "tab:blue", "float32": "tab:orange"}
    tiny = 1e-18  # an exact hit (error 0) would vanish from a log plot
    for d in DTYPES:
        for sc, style in (("forward", "--"), ("central", "-")):
            e = [max(v, tiny) for v in s["errors"][d][sc]]
            ax.loglog(s["steps"], e, style, marker="o", ms=3, color=colors[d], label=f"{sc}, {d}")
            ax.axvline(s["theory"][d][sc]["h"], color=colors[d], ls=":" if sc == "central" else "-.",
                       lw=0.8, alpha=0.7)
    ax.set_xlabel("step h")
    ax.set_ylabel("|FD − AD|")
    ax.invert_xaxis()
    ax.set_title(f"d/d{s['wrt']} of {s['expression']}: truncation vs rounding (dotted: ε^(1/3), "
                 f"dash-dot: ε^(1/2))", fontsize=8)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, format="svg" if str(path).lower().endswith(".svg") else "png")
    return str(path)
