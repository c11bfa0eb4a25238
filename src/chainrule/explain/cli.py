"""The ``chainrule`` command: demo, explain, fdcheck, compare.

Every subcommand prints aligned tables, or JSON with ``--json``; a bad
expression or value is one line on stderr and exit status 2; a missing
optional extra (matplotlib, SymPy) costs a picture or a column, never the run.
"""

import argparse
import json
import os
import re
import sys

import numpy as np

from .expr import parse, parse_assignments, ExprError, FUNCTIONS, CONSTANTS
from .tables import to_jsonable

__all__ = ["main", "build_parser"]

DEMO_EXPR = "(x + y) * sin(y)"
DEMO_AT = ["x=1", "y=pi/2"]


class UsageError(Exception):
    """A problem with the command line input: one line, exit status 2."""


def _parser_with(sub, name, help_, example, expr=True):
    p = sub.add_parser(name, help=help_, description=help_,
                       epilog=f"example:\n  {example}",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    if expr:
        p.add_argument("expression", help="an expression of named variables, e.g. "
                       f"\"{DEMO_EXPR}\"; functions: {', '.join(FUNCTIONS)}; constants: "
                       f"{', '.join(CONSTANTS)}")
        p.add_argument("--at", nargs="+", required=True, metavar="NAME=VALUE",
                       help="the point, one NAME=VALUE per variable (values may use pi, e)")
    p.add_argument("--json", action="store_true", help="print machine-readable JSON instead")
    return p


def build_parser():
    """The ``argparse`` parser of the ``chainrule`` command (its four subcommands).

    >>> args = build_parser().parse_args(["explain", "sin(x)", "--at", "x=1", "--mode", "reverse"])
    >>> args.command, args.expression, args.at, args.mode
    ('explain', 'sin(x)', ['x=1'], 'reverse')
    """
    p = argparse.ArgumentParser(
        prog="chainrule", description="Automatic differentiation explained: the notes' "
        "tables, pictures and comparisons for any expression.",
        epilog="example:\n  chainrule demo\n  chainrule explain \"(x + y) * sin(y)\" --at x=1 y=pi/2",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"chainrule {_version()}")
    sub = p.add_subparsers(dest="command", metavar="{demo,explain,fdcheck,compare}")
    d = _parser_with(sub, "demo", "the notes' worked example f = (x + y)·sin y at (1, π/2), "
                     "end to end", "chainrule demo --graph notes-graph.svg", expr=False)
    d.add_argument("--graph", metavar="PATH", help="also draw the graph into PATH (.svg, "
                   ".dot, or .png with chainrule[viz]); without it no file is written")
    e = _parser_with(sub, "explain", "forward table, backward table and cost of each mode",
                     "chainrule explain \"(x + y) * sin(y)\" --at x=1 y=pi/2 --mode both "
                     "--seed x --graph out.svg")
    e.add_argument("--mode", choices=["forward", "reverse", "both"], default="both",
                   help="which table to print: forward (tangents, one seed), reverse "
                   "(adjoints, all inputs at once) or both (default)")
    e.add_argument("--seed", help="forward-mode seed variable (default: the first)")
    e.add_argument("--graph", metavar="PATH", help="also draw the graph (.svg, .png, .dot)")
    for q in (d, e):
        q.add_argument("--html", metavar="PATH", help="also write one self-contained HTML page: "
                       "the graph, both tables and a step-by-step walk of both sweeps")
    add_code_option(e)
    f = _parser_with(sub, "fdcheck", "step-size study: finite-difference error against AD, "
                     "h = 1e-1 ... 1e-14, float64 and float32",
                     "chainrule fdcheck \"(x + y) * sin(y)\" --at x=1 y=pi/2 --wrt y")
    f.add_argument("--wrt", help="the variable to differentiate by (default: the first)")
    f.add_argument("--plot", metavar="PATH", default=None,
                   help="also draw the log-log plot into PATH (.png or .svg, needs "
                   "chainrule[viz]); without it no file is written")
    f.add_argument("--no-plot", action="store_true",
                   help="no plot file even with --plot (the default writes none)")
    f.add_argument("--verbose", action="store_true",
                   help="report progress on stderr, one line per precision and scheme")
    c = _parser_with(sub, "compare", "Symbolic / Numerical / AD forward / AD reverse, measured",
                     "chainrule compare \"sin(x) * exp(x)\" --at x=1 --k 5")
    c.add_argument("--wrt", help="the variable to differentiate by (default: the first)")
    c.add_argument("--k", type=int, default=5, help="nest the expression up to k times (swell)")
    c.add_argument("--symbolic-timeout", type=float, default=None, metavar="SECONDS",
                   help="time limit of the symbolic (SymPy) step, run in a child process "
                   "(default 10)")
    return p


def _point(args):
    point = parse_assignments(args.at)
    expr = parse(args.expression, variables=list(point))
    return expr, point


def _check_var(expr, name, what):
    if name is not None and name not in expr.variables:
        raise UsageError(f"unknown {what} {name!r}; the variables are {', '.join(expr.variables)}")
    return name or expr.variables[0]


def _picture(graph, path, tangents, adjoints, title, notes):
    """Write the picture; PNG without matplotlib falls back to SVG beside it."""
    from .picture import render, MissingExtraError  # noqa: PLC0415
    try:
        return render(graph, path, tangents, adjoints, title)
    except MissingExtraError:
        svg = os.path.splitext(path)[0] + ".svg"
        notes.append(f"PNG needs matplotlib (pip install 'chainrule[viz]'); wrote SVG instead")
        return render(graph, svg, tangents, adjoints, title)
    except ValueError as err:
        raise UsageError(str(err)) from None


def _explain(expr, point, mode, seed, graph_path, title, as_json, html=None):
    from .explanation import explain  # noqa: PLC0415
    seed = _check_var(expr, seed, "seed")
    vals = [point[v] for v in expr.variables]
    e = explain(expr, *vals, mode=mode, seed=seed, quiet=True)
    notes, path = [], None
    if graph_path:
        path = _picture(e.graph, graph_path, e.tangents, e.adjoints,
                        f"f = {expr.text} at " + ", ".join(f"{k} = {v:.4g}" for k, v in point.items())
                        + (f", seed {seed}" if e.tangents else ""), notes)
    if html:
        if not html.lower().endswith((".html", ".htm")):
            raise UsageError(f"--html must name a .html file, got {html!r}")
        e.to_html(html)
        notes.append(f"HTML page written to {os.path.abspath(html)}")
    data = e.to_dict()
    data.update(expression=expr.text, at=point, graph_file=path, html_file=html)
    return e, data, notes, path


def cmd_demo(args):
    expr = parse(DEMO_EXPR)
    point = parse_assignments(DEMO_AT)
    e, data, notes, path = _explain(expr, point, "both", "x", args.graph, None, args.json,
                                    args.html)
    if args.json:
        return data
    print(f"The notes' worked example: f(x, y) = {DEMO_EXPR} at x = 1, y = pi/2\n")
    print(e)
    grad = ", ".join(f"{v:.6g}" for v in map(float, e.gradient))
    print(f"\ngradient (∂f/∂x, ∂f/∂y) = ({grad})   notes: (1, 1) = (sin(π/2), sin(π/2) + (1+π/2)·cos(π/2))")
    for n in notes:
        print(n)
    if path:
        print(f"graph picture written to {os.path.abspath(path)}")
    else:
        print("(add --graph PATH to draw the graph: .svg, .dot, or .png with chainrule[viz])")


def cmd_explain(args):
    expr, point = _point(args)
    if args.code:
        ignored = [opt for opt, given in (("--graph", args.graph), ("--html", args.html),
                                          ("--seed", args.seed),
                                          ("--mode", args.mode != "both")) if given]
        if ignored:
            raise UsageError(f"--code prints only the adjoint program; {', '.join(ignored)} "
                             f"would be ignored: run without --code for the tables and "
                             f"pictures")
        return adjoint_program(expr, point, args.json)
    e, data, notes, path = _explain(expr, point, args.mode, args.seed, args.graph, None, args.json,
                                    args.html)
    if args.json:
        return data
    print(e)
    for n in notes:
        print(n)
    if path:
        print(f"graph picture written to {os.path.abspath(path)}")


# ---- explain --code: the staged adjoint program (cr.jit) ------------------------------------
def add_code_option(parser):
    parser.add_argument("--code", action="store_true",
                        help="print the adjoint program instead: the gradient as the straight-"
                        "line NumPy code cr.jit(cr.grad(f)) generates")


def adjoint_program(expr, point, as_json):
    """Print (or return, for --json) the program cr.jit stages for the gradient of ``expr``."""
    import re  # noqa: PLC0415
    import chainrule as cr  # noqa: PLC0415

    def f(*values):
        return expr(*values)
    f.__signature__ = expr.__signature__
    values = [point[v] for v in expr.variables]
    grad = cr.grad(f, argnums=tuple(range(len(values))))
    low = cr.jit(grad).lower(*values)
    # The comments name Python lines, here the expression interpreter's: leave them out.
    source = "\n".join(re.sub(r"\s+# (?!c\d|k\d).*$", "", line)
                       for line in low.source.splitlines())
    gradient = [float(g) for g in grad(*values)]
    if as_json:
        return {"expression": expr.text, "at": point, "source": source, "gradient": gradient}
    print(f"# the adjoint program of f = {expr.text}: cr.jit(cr.grad(f)).lower(...).source")
    print(source)
    print("# at " + ", ".join(f"{k} = {v:.6g}" for k, v in point.items()) + ": gradient = ("
          + ", ".join(f"{g:.6g}" for g in gradient) + ")")


def cmd_fdcheck(args):
    from .fdstudy import fd_study, format_study, plot_study  # noqa: PLC0415
    from .picture import MissingExtraError  # noqa: PLC0415
    expr, point = _point(args)
    wrt = _check_var(expr, args.wrt, "variable for --wrt")
    if args.plot is not None and not args.plot.lower().endswith((".png", ".svg")):
        raise UsageError(f"--plot must name a .png or .svg file, got {args.plot!r}")
    s = fd_study(expr, point, wrt, verbose=args.verbose)
    note, plot = None, None
    try:
        if args.plot is not None and not args.no_plot:
            plot = plot_study(s, args.plot)
    except MissingExtraError:
        note = "the log-log plot needs matplotlib: pip install 'chainrule[viz]'"
    if args.json:
        s = dict(s, plot_file=plot)
        return s
    print(format_study(s))
    if note:
        print(note)
    elif plot:
        print(f"plot written to {os.path.abspath(plot)}")
    elif not args.no_plot:
        print("(add --plot PATH.png or PATH.svg to draw the log-log plot; needs chainrule[viz])")


def cmd_compare(args):
    from .compare import compare, format_compare  # noqa: PLC0415
    expr, point = _point(args)
    wrt = _check_var(expr, args.wrt, "variable for --wrt")
    if not 1 <= args.k <= 8:
        raise UsageError(f"--k must be between 1 and 8 (symbolic swell grows fast), got {args.k}")
    timeout = args.symbolic_timeout
    if timeout is not None and not 0 < timeout <= 3600:
        raise UsageError(f"--symbolic-timeout must be between 0 and 3600 seconds, got {timeout:g}")
    c = compare(expr, point, wrt, swell_k=args.k,
                **({} if timeout is None else {"symbolic_timeout": timeout}))
    if args.json:
        return c
    print(format_compare(c))


COMMANDS = {"demo": cmd_demo, "explain": cmd_explain, "fdcheck": cmd_fdcheck,
            "compare": cmd_compare}


def _version():
    import chainrule  # noqa: PLC0415  (the package above; only --version needs it)
    return chainrule.__version__


def _expressions_as_operands(argv):
    """``argv`` with a word like ``-x`` or ``-sin(x)`` (an expression that starts with a
    minus) prefixed by a space: argparse would take it for an unknown option, and the
    parser strips the space. The only one-dash option is ``-h``; what argparse itself reads
    as a negative number (``-1``, ``-.5``) is unchanged."""
    return [" " + a if a.startswith("-") and not a.startswith("--") and a != "-h"
            and not _NEGATIVE_NUMBER.match(a) else a for a in argv]


_NEGATIVE_NUMBER = re.compile(r"^-\d+$|^-\d*\.\d+$")  # argparse's own test


def main(argv=None):
    """Entry point of ``chainrule`` and ``python -m chainrule``; returns the exit status.

    >>> main(["explain", "exp(x) * y", "--at", "x=0", "y=3", "--code"])
    # the adjoint program of f = exp(x) * y: cr.jit(cr.grad(f)).lower(...).source
    # c1 = np.float64(1.0)
    def f(x, y):
        t1 = exp(x)
        t2 = c1 * y
        t3 = nan_safe_multiply(t2, t1)
        return (t3, t1, )
    # at x = 0, y = 3: gradient = (3, 1)
    0
    """
    parser = build_parser()
    args = parser.parse_args(_expressions_as_operands(sys.argv[1:] if argv is None else argv))
    if args.command is None:
        parser.print_help()
        return 2
    try:
        with np.errstate(all="ignore"):  # log(-1) is a nan in the table, not a traceback
            data = COMMANDS[args.command](args)
        if args.json:
            print(json.dumps(to_jsonable(data), indent=2, ensure_ascii=False, default=str,
                             allow_nan=False))
    except (ExprError, UsageError) as err:
        print(f"chainrule {args.command}: error: {err}", file=sys.stderr)
        return 2
    except (ArithmeticError, TypeError) as err:
        # A value or an expression that cannot be evaluated (1/0, 10**400, sin(x, y)):
        # bad input, so the same status as a parse error.
        print(f"chainrule {args.command}: error: cannot evaluate the input: "
              f"{type(err).__name__}: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `chainrule ... | head` closed the pipe early
        return 0
    except OSError as err:  # --graph/--html/--plot naming a folder that does not exist
        where = f" {err.filename!r}" if err.filename else ""
        print(f"chainrule {args.command}: error: cannot write{where}: {err.strerror or err}; "
              f"give a path in a folder that exists and is writable", file=sys.stderr)
        return 2
    except Exception as err:  # noqa: BLE001  (one line, not a traceback, for a CLI user)
        print(f"chainrule {args.command}: error: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    return 0
