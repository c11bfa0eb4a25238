"""autograd.tracer: ``trace(start_node, fun, x)`` and ``Node``, for programs that walk the
primitives a function applies (autograd's print_trace example, const-graph caching).

autograd boxes ``x`` and builds one ``Node`` per primitive as the function runs; here the
function runs once under :func:`chainrule.make_graph` and the recorded operations are then
handed, in evaluation order, to ``start_node``'s class:
``NodeClass(value, fun, args, kwargs, parent_argnums, parents)``, where ``fun`` is the
operation (callable, with NumPy's ``__name__``: ``add``, ``sin``...), ``args`` its argument
values, ``kwargs`` its static parameters and ``parents`` the nodes of its traced arguments.
``trace`` returns ``(value, end_node)``. A function of ``grad(f)`` is traced through the
derivative: its nodes are the forward and the backward operations.

>>> class Names(Node):
...     def __init__(self, value, fun, args, kwargs, parent_argnums, parents):
...         self.text = f"{fun.__name__}({', '.join(p.text for p in parents)})"
...     def initialize_root(self):
...         self.text = "x"
>>> import chainrule.autograd.numpy as np
>>> value, node = trace(Names.new_root(), lambda x: np.sin(x * x), 2.0)
>>> node.text, round(float(value), 6)
('sin(multiply(x, x))', -0.756802)
"""
import warnings

import chainrule as cr

from .builtins import getval
from .extend import primitive, notrace_primitive

__all__ = ["trace", "Node", "getval", "isbox", "primitive", "notrace_primitive"]


def isbox(x):
    """Whether ``x`` is a traced value (autograd's box): it is being differentiated.

    >>> import chainrule.autograd as autograd
    >>> autograd.grad(lambda x: x * float(isbox(x)))(2.0), isbox(2.0)
    (np.float64(1.0), False)
    """
    return hasattr(type(x), "primal")


class Node:
    """What ``trace`` builds one of per operation; subclass it and define ``__init__(value,
    fun, args, kwargs, parent_argnums, parents)`` and ``initialize_root(*args)``.

    >>> class Count(Node):
    ...     def __init__(self, value, fun, args, kwargs, parent_argnums, parents):
    ...         self.depth = 1 + max(p.depth for p in parents)
    ...     def initialize_root(self):
    ...         self.depth = 0
    >>> trace(Count.new_root(), lambda x: (x + 1.0) * 2.0, 1.0)[1].depth
    2
    """

    __slots__ = []

    def __init__(self, value, fun, args, kwargs, parent_argnums, parents):
        raise NotImplementedError("subclass Node and define __init__ and initialize_root")

    def initialize_root(self, *args, **kwargs):
        raise NotImplementedError("subclass Node and define __init__ and initialize_root")

    @classmethod
    def new_root(cls, *args, **kwargs):
        """A root node: ``initialize_root(*args, **kwargs)`` on an instance made without
        ``__init__``."""
        root = cls.__new__(cls)
        root.initialize_root(*args, **kwargs)
        return root


_OPS = {}


def _operation(prim):
    # A callable under the operation's NumPy name, so fun.__name__ reads as in autograd.
    op = _OPS.get(prim)
    if op is None:
        def op(*args, **kwargs):
            return prim(*args, **kwargs)
        op.__name__ = op.__qualname__ = prim.name
        _OPS[prim] = op
    return op


def trace(start_node, fun, x):
    """Run ``fun(x)`` and build a node of ``start_node``'s class per operation on ``x``;
    return ``(value of fun(x), the output's node)`` (tuples of both for several traced
    outputs), or ``(value, None)`` with a warning when the output does not depend on ``x``.

    >>> class Ops(Node):
    ...     def __init__(self, value, fun, args, kwargs, parent_argnums, parents):
    ...         self.ops = parents[0].ops + [fun.__name__]
    ...     def initialize_root(self):
    ...         self.ops = []
    >>> import chainrule.autograd.numpy as np
    >>> trace(Ops.new_root(), lambda x: np.exp(np.sum(x)), np.ones(2))[1].ops
    ['sum', 'exp']
    """
    graph = cr.make_graph(fun)(x)
    node_type = type(start_node)
    nodes = {n.id: start_node for n in graph.inputs}
    values = {n.id: n.value for n in graph.nodes}
    for eqn in graph.tape:
        argnums = tuple(i for i, p in enumerate(eqn.parents) if p is not None)
        args = tuple(values[p] if p is not None else v for p, v in zip(eqn.parents, eqn.vals))
        node = node_type(eqn.ans, _operation(eqn.prim), args, dict(eqn.params), argnums,
                         tuple(nodes[eqn.parents[i]] for i in argnums))
        for out in (eqn.out if isinstance(eqn.out, tuple) else (eqn.out,)):
            nodes[out] = node
    if not graph.outputs:
        warnings.warn("Output seems independent of input.")
        return fun(x), None
    ends = [graph.node(name) for name in graph.outputs]
    if len(ends) > 1:   # several traced outputs (autograd boxes their container): each one
        return tuple(e.value for e in ends), tuple(nodes[e.id] for e in ends)
    return ends[0].value, nodes[ends[0].id]
