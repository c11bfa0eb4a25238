"""Text helpers: number formatting, node definitions and terminal-aligned tables.

Dots and bars are combining characters (ẋ = x + U+0307), so widths are
counted without them; otherwise the columns would drift in a terminal.

>>> print(table(["node", "value"], [["x", "1"], ["w̄1", "2.571"]]))
node  value
----  -----
x     1
w̄1    2.571
"""

import unicodedata

import numpy as np

__all__ = ["fmt", "dot", "bar", "definition", "table", "width", "to_jsonable", "value_text",
           "shape_text", "full_text", "SMALL"]

SMALL = 16  # arrays up to this many entries are shown in full in the results

_DOT, _BAR = "\u0307", "\u0304"
_INFIX = {"add": "+", "subtract": "-", "multiply": "·", "divide": "/", "power": "^",
          "true_divide": "/"}


def _mark(name, mark):
    # put the mark on the letters, before any index digits: w̄1, not w1̄; and on the
    # argument of a pytree path: ṗ['W1']
    cut = min([i for i in (name.find("["), name.find(".")) if i > 0] or [len(name)])
    i = max(len(name[:cut].rstrip("0123456789")), 1)
    return name[:i] + mark + name[i:]


def dot(name):
    """``'w1'`` -> ``'ẇ1'`` (tangent).

    >>> [d.replace("\u0307", "^") for d in (dot("w12"), dot("x[2]"), dot("p['W1']"))]
    ['w^12', 'x^[2]', "p^['W1']"]
    """
    return _mark(name, _DOT)


def bar(name):
    """``'y'`` -> ``'ȳ'`` (adjoint)."""
    return _mark(name, _BAR)


def fmt(v, digits=4):
    """A short number: 4 significant digits, float noise below 1e-12 shown as 0; a complex
    number as ``1+2j`` (each part to 4 digits; a zero part left out).

    >>> fmt(1 + 3.14159 / 2), fmt(6.1e-17), fmt([1.0, 2.5])
    ('2.571', '0', '[1, 2.5]')
    >>> fmt(1 + 2j), fmt(0.123456 - 3.14159j), fmt(2.5j), fmt(3 + 1e-17j)
    ('1+2j', '0.1235-3.142j', '2.5j', '3')
    """
    if v is None:
        return "-"
    a = np.asarray(v)
    if a.ndim == 0 and a.dtype.kind == "c":
        re, im = float(a.real), float(a.imag)
        if abs(im) < 1e-12:
            return fmt(re, digits)
        if abs(re) < 1e-12:
            return f"{im:.{digits}g}j"
        return f"{re:.{digits}g}{im:+.{digits}g}j"
    if a.ndim == 0:
        x = float(a)
        if abs(x) < 1e-12:
            return "0"
        return f"{x:.{digits}g}"
    if a.size <= 6:
        return "[" + ", ".join(fmt(x, digits) for x in a.reshape(-1)) + "]"
    return f"array{a.shape}"


def shape_text(v):
    """``'scalar'`` or the shape written ``3×4``.

    >>> shape_text(1.0), shape_text(np.zeros((3, 4)))
    ('scalar', '3×4')
    """
    shape = np.shape(v)
    return "scalar" if shape == () else "×".join(map(str, shape))


def full_text(v):
    """Every entry of a (small) array, nested like NumPy prints it.

    >>> full_text(np.array([[1.0, 0.5], [2.0, 0.0]]))
    '[[1, 0.5], [2, 0]]'
    """
    a = np.asarray(getattr(v, "_value", v))
    if a.ndim == 0:
        return fmt(a)
    return "[" + ", ".join(full_text(x) for x in a) + "]"


def value_text(v):
    """A scalar or a short array in full; a longer array as its shape and 2-norm.

    >>> value_text(2.5), value_text([1.0, 2.0]), value_text(np.ones((3, 4)))
    ('2.5', '[1, 2]', '3×4 array, ‖·‖ = 3.464')
    """
    a = np.asarray(getattr(v, "_value", v))
    if a.ndim <= 1 and a.size <= 6:
        return fmt(a)
    if a.size <= 6:  # flattened in C order, so say the shape
        return f"{shape_text(a)} {fmt(a)}"
    return f"{shape_text(a)} array, ‖·‖ = {fmt(np.linalg.norm(a.reshape(-1)))}"


def definition(node):
    """``'w1 = x + y'`` for a graph node (inputs: ``'x = input'``)."""
    if node.is_input:
        return f"{node.name} = input"
    args = list(node.inputs)
    op = node.op
    if op in _INFIX and len(args) == 2:
        rhs = f"{args[0]} {_INFIX[op]} {args[1]}"
    elif op == "negative" and len(args) == 1:
        rhs = f"-{args[0]}"
    else:
        extra = [f"{k}={_short(v)}" for k, v in node.params.items()]
        rhs = f"{op}({', '.join(args + extra)})"
    return f"{node.name} = {rhs}"


def _short(v):
    r = repr(v)
    return r if len(r) <= 20 else r[:17] + "..."


def width(s):
    """Display width: combining marks take no column."""
    return sum(0 if unicodedata.combining(c) else 1 for c in str(s))


def table(header, rows):
    """Left-aligned columns separated by two spaces, with a dashed rule."""
    cols = list(zip(*([header] + [list(map(str, r)) for r in rows])))
    ws = [max(width(c) for c in col) for col in cols]

    def line(cells):
        return "  ".join(c + " " * (w - width(c)) for c, w in zip(cells, ws)).rstrip()

    out = [line(header), line(["-" * w for w in ws])]
    out += [line(list(map(str, r))) for r in rows]
    return "\n".join(out)


def to_jsonable(x):
    """NumPy scalars and arrays to floats and lists, recursively; nan and ±inf become
    null, so that the output is standard JSON any parser accepts."""
    if isinstance(x, dict):
        return {str(k): to_jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [to_jsonable(v) for v in x]
    if isinstance(x, (np.ndarray, np.generic)):
        return to_jsonable(x.tolist())
    if hasattr(x, "_value"):
        return to_jsonable(np.asarray(x._value))
    if isinstance(x, float) and not np.isfinite(x):
        return None
    return x
