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

from ..core import tree
from ..core.graph import Graph
from .recording import Recording

__all__ = ["make_graph"]


def make_graph(f):
    """Return a function that runs ``f`` and returns its recorded :class:`Graph`.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> g = cr.make_graph(lambda x, y: (x + y) * cnp.sin(y))(1.0, cnp.pi / 2)
    >>> [(n.name, n.op, n.inputs) for n in g.nodes[2:]]
    [('w1', 'add', ['x', 'y']), ('w2', 'sin', ['y']), ('w3', 'multiply', ['w1', 'w2'])]
    """
    def graph_f(*args):
        names = _input_names(f, args)
        rec = Recording(f, args, "make_graph")
        return Graph(rec.in_ids, names, rec.inputs, rec.trace.tape,
                     [i for i in rec.out_ids if i is not None])

    return graph_f


def _input_names(f, args):
    try:
        params = list(inspect.signature(f).parameters)
    except (TypeError, ValueError):
        params = []
    names = []
    for i, a in enumerate(args):
        base = params[i] if i < len(params) else f"arg{i}"
        leaves, tdef = tree.flatten(a)
        if tdef.kind == "leaf":
            names.append(base)
        else:
            names.extend(f"{base}[{k}]" for k in range(len(leaves)))
    return names
