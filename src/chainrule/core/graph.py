"""The recorded computation graph: equations on a tape, and an inspectable view.

Reverse mode appends one :class:`Equation` per primitive application, in
execution order. Execution order is a topological order, so the backward pass
is a plain loop over the tape from the end: no recursion and no sort. The same
tape serves linearize (replayed forwards), checkpoint replay and graph export.

:class:`Graph` is the user-facing view of a tape: nodes named ``w1, w2, ...``
in evaluation order with their operation, inputs, shape, dtype and value.
"""

from operator import itemgetter

import numpy as np

from .primitive import full_lower
from .vspace import shape_of

__all__ = ["Equation", "Graph", "Node"]


class Equation(tuple):
    """One primitive application on a tape:
    ``(prim, params, vals, ans, parents, out, bwd)``.

    ``parents[i]`` is the variable id of argument ``i`` when it was traced by
    the recording transformation, else ``None`` (a constant). ``out`` is the
    variable id of the result (a tuple of ids for multiple results). ``vals``
    and ``ans`` are the residuals that the VJP rules read. ``bwd`` overrides the
    rule table for call primitives (custom_vjp, checkpoint).

    A tuple (built with ``Equation((prim, params, vals, ans, parents, out, bwd))``)
    because one is created per recorded operation: tuples are the cheapest
    Python objects to build and to unpack in the backward loop.
    """

    __slots__ = ()

    prim = property(itemgetter(0))
    params = property(itemgetter(1))
    vals = property(itemgetter(2))
    ans = property(itemgetter(3))
    parents = property(itemgetter(4))
    out = property(itemgetter(5))
    bwd = property(itemgetter(6))

    def __repr__(self):
        return f"Equation({self.prim.name}, parents={self.parents}, out={self.out})"


class Node:
    """One value of the computation: an input, an intermediate or an output."""

    __slots__ = ("name", "op", "inputs", "value", "params", "is_input", "is_output", "id",
                 "where")

    def __init__(self, name, op, inputs, value, params=None, is_input=False, var_id=None,
                 where=None):
        self.name = name
        self.op = op
        self.inputs = inputs
        self.value = value
        self.params = params or {}
        self.is_input = is_input
        self.is_output = False
        self.id = var_id  # the variable id on the tape
        self.where = where  # (file, function, line) of the user's call, when recorded

    @property
    def shape(self):
        return shape_of(self.value)

    @property
    def dtype(self):
        return np.asarray(full_lower(self.value)).dtype

    def __repr__(self):
        if self.is_input:
            return f"Node({self.name}: input, shape={self.shape})"
        return f"Node({self.name} = {self.op}({', '.join(self.inputs)}), shape={self.shape})"


class Graph:
    """An inspectable computation graph built from a tape.

    ``nodes`` lists inputs first, then one node per recorded operation in
    evaluation order; ``edges`` lists ``(from_name, to_name)`` pairs;
    ``outputs`` names the output nodes. Constants feeding an operation appear
    in a node's ``inputs`` as their printed value.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> g = cr.make_graph(lambda x, y: (x + y) * cnp.sin(y))(1.0, cnp.pi / 2)
    >>> [n.op for n in g.nodes]
    ['input', 'input', 'add', 'sin', 'multiply']
    """

    def __init__(self, input_ids, input_names, input_values, tape, output_ids, sources=None):
        # The equations stay with the graph, so that it can be replayed node by node
        # (chainrule.sweeps) for the forward and adjoint tables. ``sources`` (one per
        # equation) say where in the user's code each was called.
        sources = [None] * len(tape) if sources is None else sources
        kept = [(e, s) for e, s in zip(tape, sources) if e is not None]
        self.tape = [Equation(e) for e, _ in kept]
        where = [s for _, s in kept]
        self.nodes = []
        self.by_id = {}
        for vid, name, val in zip(input_ids, input_names, input_values):
            node = Node(name, "input", [], val, is_input=True, var_id=vid)
            self.nodes.append(node)
            self.by_id[vid] = node
        count = 0
        for eqn, src in zip(self.tape, where):
            inputs = []
            for p, v in zip(eqn.parents, eqn.vals):
                if p is None:
                    inputs.append(_const_name(v))
                else:
                    inputs.append(self.by_id[p].name)
            outs = eqn.out if isinstance(eqn.out, tuple) else (eqn.out,)
            answers = eqn.ans if isinstance(eqn.out, tuple) else (eqn.ans,)
            for k, (vid, val) in enumerate(zip(outs, answers)):
                count += 1
                node = Node(f"w{count}", eqn.prim.name, inputs, val,
                            params=dict(eqn.params), var_id=vid, where=src)
                if isinstance(eqn.out, tuple):
                    node.params["output"] = k
                self.nodes.append(node)
                self.by_id[vid] = node
        self.outputs = []
        for vid in output_ids:
            if vid in self.by_id:
                self.by_id[vid].is_output = True
                self.outputs.append(self.by_id[vid].name)

    @property
    def edges(self):
        names = {n.name for n in self.nodes}
        return [(src, n.name) for n in self.nodes for src in n.inputs if src in names]

    @property
    def inputs(self):
        return [n for n in self.nodes if n.is_input]

    # Drawing is the explain layer's job (layer 4): chainrule.explain.to_dot(graph) and
    # render(graph, path). These two conveniences import it when called, never at import
    # time, so the core does not depend on it (the one lazy upward import that
    # tests/test_layers.py allows).
    def to_dot(self, tangents=None, adjoints=None):
        """Graphviz DOT text of the graph (optionally with tangents or adjoints per node);
        the same as ``chainrule.explain.to_dot(graph)``.

        >>> import chainrule as cr
        >>> cr.make_graph(lambda x: x * x)(3.0).to_dot().startswith("digraph")
        True
        """
        from ..explain import to_dot
        return to_dot(self, tangents, adjoints)

    def render(self, path, tangents=None, adjoints=None, title=None, **options):
        """Write a picture: ``.svg`` (no dependency), ``.png`` (extra ``viz``) or ``.dot``;
        the same as ``chainrule.explain.render(graph, path)`` (``options``:
        ``edge_labels``, ``group``)."""
        from ..explain import render
        return render(self, path, tangents, adjoints, title, **options)

    def _repr_svg_(self):
        """Jupyter shows a graph as its picture (``chainrule.explain.to_svg``)."""
        from ..explain import to_svg
        return to_svg(self)

    def node(self, name):
        """The node called ``name``."""
        for n in self.nodes:
            if n.name == name:
                return n
        raise KeyError(f"no node named {name!r}; nodes are {[n.name for n in self.nodes]}")

    def __len__(self):
        return len(self.nodes)

    def __iter__(self):
        return iter(self.nodes)

    def __str__(self):
        lines = []
        for n in self.nodes:
            val = _short(n.value)
            if n.is_input:
                lines.append(f"{n.name:>6} = input{'':<20} {val}")
            else:
                lines.append(f"{n.name:>6} = {n.op}({', '.join(n.inputs)})".ljust(34) + f" {val}")
        lines.append(f"output: {', '.join(self.outputs)}")
        return "\n".join(lines)

    __repr__ = __str__


def _const_name(v):
    v = full_lower(v)
    if np.ndim(v) == 0:
        try:
            return f"{float(v):.6g}"
        except (TypeError, ValueError):
            return repr(v)
    return f"const{np.shape(v)}"


def _short(v):
    v = full_lower(v)
    if np.ndim(v) == 0:
        try:
            return f"{float(v):.6g}"
        except (TypeError, ValueError):
            return repr(v)
    a = np.asarray(v)
    return f"array{a.shape} {a.dtype}"
