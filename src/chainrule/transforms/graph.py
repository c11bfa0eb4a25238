"""Seeing the computation: :func:`make_graph` records a function once and returns
its tape as a :class:`~chainrule.Graph` (named nodes, edges, values), which the
explain layer draws and walks node by node.

>>> import chainrule as cr
>>> print(cr.make_graph(lambda x: x * x + 1.0)(3.0))
     x = input                     3
    w1 = multiply(x, x)            9
    w2 = add(w1, 1)                10
output: w2
"""

import inspect
import os
import sys

import numpy as np

from ..core import tree
from ..core.graph import Graph
from .recording import Recording
from .args import check_callable

__all__ = ["make_graph"]


def make_graph(f):
    """Return a function that runs ``f`` and returns its recorded :class:`Graph`.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> g = cr.make_graph(lambda x, y: (x + y) * cnp.sin(y))(1.0, cnp.pi / 2)
    >>> [(n.name, n.op, n.inputs) for n in g.nodes[2:]]
    [('w1', 'add', ['x', 'y']), ('w2', 'sin', ['y']), ('w3', 'multiply', ['w1', 'w2'])]

    Inputs are named by their pytree path, and each node knows the line of
    the user's code that computed it (``node.where``: file, function, line):

    >>> def loss(p, x):
    ...     return cnp.sum(cnp.tanh(x * p["w"]) + p["b"])
    >>> g = cr.make_graph(loss)({"w": 2.0, "b": 1.0}, 0.5)
    >>> [n.name for n in g.inputs], g.nodes[3].where[1:]
    (["p['b']", "p['w']", 'x'], ('loss', 2))
    """
    check_callable(f, "make_graph")
    def graph_f(*args):
        names = _input_names(f, args)
        tape = _SourceTape()
        rec = Recording(f, args, "make_graph", tape=tape)
        return Graph(rec.in_ids, names, rec.inputs, list(tape),
                     [i for i in rec.out_ids if i is not None], sources=tape.sources)

    return graph_f


# chainrule's and NumPy's own frames, and Python's frozen start-up code (`python -m`)
_SKIP = tuple(os.path.dirname(m.__file__) + os.sep
              for m in (sys.modules[__package__.rsplit(".", 1)[0]], np)) + ("<frozen ",)


class _SourceTape(list):
    """A tape that also notes, per equation, the first caller outside chainrule and
    NumPy: the user's (file, function, line), which large pictures group by."""

    def __init__(self):
        super().__init__()
        self.sources = []

    def append(self, eqn):
        super().append(eqn)
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename.startswith(_SKIP):
            frame = frame.f_back
        self.sources.append(None if frame is None else
                            (frame.f_code.co_filename, frame.f_code.co_name, frame.f_lineno))


def _input_names(f, args):
    try:
        params = list(inspect.signature(f).parameters)
    except (TypeError, ValueError):
        params = []
    names = []
    for i, a in enumerate(args):
        base = params[i] if i < len(params) else f"arg{i}"
        pairs, _ = tree.flatten_with_path(a)
        names.extend(base + tree.keystr(path) for path, _ in pairs)
    return names
