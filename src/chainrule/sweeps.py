"""Node-by-node forward and reverse sweeps over a recorded graph, for teaching.

The transforms (:mod:`chainrule.transforms`) only return final derivatives; the
explain tables need every intermediate tangent and every adjoint update. This
module replays the recorded tape with the same rule tables
(:func:`~chainrule.interpreters.replay.equation_jvp`,
:func:`~chainrule.interpreters.replay.equation_vjp`) and keeps what the
transforms throw away. It sits beside :mod:`chainrule.transforms` (layer 3).

>>> import chainrule.numpy as cnp
>>> import chainrule as cr
>>> from chainrule.sweeps import forward_sweep, reverse_sweep
>>> g = cr.make_graph(lambda x, y: (x + y) * cnp.sin(y))(1.0, cnp.pi / 2)
>>> {k: round(float(v), 3) for k, v in forward_sweep(g, "x").items()}
{'x': 1.0, 'y': 0.0, 'w1': 1.0, 'w2': 0.0, 'w3': 1.0}
>>> [(u.target, u.source, round(float(u.total), 3)) for u in reverse_sweep(g)]
[('w1', 'w3', 1.0), ('w2', 'w3', 2.571), ('x', 'w1', 1.0), ('y', 'w1', 1.0), ('y', 'w2', 1.0)]
"""

from collections import namedtuple

import numpy as np

from .core.primitive import full_lower
from .core.vspace import zeros_like
from .interpreters.replay import forward_replay, equation_jvp, equation_vjp

__all__ = ["tape_of", "forward_sweep", "reverse_sweep", "local_partials",
           "AdjointUpdate"]

AdjointUpdate = namedtuple(
    "AdjointUpdate", "target source adjoint partial contribution total first")
AdjointUpdate.__doc__ = """One reverse-mode update ``target̄ += sourcē · ∂source/∂target``.

``partial`` is the local derivative (a number for scalar nodes, else None),
``contribution`` the cotangent added, ``total`` the target's adjoint after the
update and ``first`` whether it is the target's first contribution."""


def tape_of(graph):
    """The recorded equations behind ``graph``.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> g = cr.make_graph(lambda x, y: (x + y) * cnp.sin(y))(1.0, 2.0)
    >>> [eqn.prim.name for eqn in tape_of(g)]
    ['add', 'sin', 'multiply']
    """
    return graph.tape


def _outs(eqn):
    return eqn.out if isinstance(eqn.out, tuple) else (eqn.out,)


def _seed_tangents(graph, seed):
    """{input var id: tangent} from a seed: name, 'x[k]', index, dict or sequence."""
    inputs = graph.inputs
    by_name = {n.name: n for n in inputs}

    def basis(node, k=None):
        v = np.asarray(full_lower(node.value))
        t = np.zeros(v.shape, _tangent_dtype(node))
        if t.ndim == 0:
            return t.dtype.type(1.0)
        t.reshape(-1)[0 if k is None else k] = 1.0
        return t

    if seed is None:
        seed = 0
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        if not -len(inputs) <= seed < len(inputs):
            raise ValueError(f"seed {seed} is out of range: the graph has {len(inputs)} "
                             f"input(s), {list(by_name)}; give an index below {len(inputs)} "
                             f"or a name")
        return {inputs[seed].id: basis(inputs[seed])}
    if isinstance(seed, str):
        if seed in by_name:
            return {by_name[seed].id: basis(by_name[seed])}
        if seed.endswith("]") and "[" in seed:  # x[2], x[1, 0], p['W1'][3]
            base, k = seed[:-1].rsplit("[", 1)
            parts = [s.strip() for s in k.split(",")]
            if base in by_name and all(s.isdigit() for s in parts):
                shape = np.shape(full_lower(by_name[base].value))
                idx = int(parts[0]) if len(parts) == 1 else \
                    np.ravel_multi_index(tuple(map(int, parts)), shape)
                if not 0 <= idx < max(1, int(np.prod(shape))):
                    raise ValueError(f"seed {seed!r} is outside {base}, of shape {shape}")
                return {by_name[base].id: basis(by_name[base], idx)}
        raise ValueError(f"unknown seed {seed!r}; inputs are {list(by_name)}")
    if isinstance(seed, dict):
        unknown = set(seed) - set(by_name)
        if unknown:
            raise ValueError(f"unknown seed name(s) {sorted(unknown)}; inputs are {list(by_name)}")
        return {by_name[k].id: np.asarray(v, dtype=_tangent_dtype(by_name[k]))[()]
                for k, v in seed.items()}
    seq = list(seed)
    if len(seq) != len(inputs):
        raise ValueError(f"the seed has {len(seq)} entries but the graph has {len(inputs)} inputs")
    return {n.id: np.asarray(v, dtype=_tangent_dtype(n))[()] for n, v in zip(inputs, seq)}


def _tangent_dtype(node):
    """complex128 for a complex input (its tangents are complex), float64 otherwise."""
    return complex if np.iscomplexobj(full_lower(node.value)) else float


def forward_sweep(graph, seed=None):
    """Tangent of every node for one seed direction: ``{node name: tangent}``.

    ``seed`` is an input name (``"x"``, or ``"x[2]"`` for one component of an
    array), an input index, ``{name: tangent}``, or one tangent per input; the
    default seeds the first component of the first input. Unreached nodes get 0.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> g = cr.make_graph(lambda x, y: x * y + y)(2.0, 3.0)
    >>> {name: float(t) for name, t in forward_sweep(g, "y").items()}
    {'x': 0.0, 'y': 1.0, 'w1': 2.0, 'w2': 3.0}
    """
    tans = forward_replay(tape_of(graph), _seed_tangents(graph, seed))
    out = {}
    for n in graph.nodes:
        t = tans.get(n.id)
        out[n.name] = zeros_like(n.value, float) if t is None else full_lower(t)
    return out


def _scalar(v):
    return np.ndim(full_lower(v)) == 0


def local_partials(graph):
    """``{node name: [(input name, ∂node/∂input)]}`` for traced inputs of scalar nodes.

    Computed with the JVP rules and a unit tangent; array nodes get None.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> g = cr.make_graph(lambda x, y: x * y + y)(2.0, 3.0)
    >>> {k: [(u, float(d)) for u, d in v] for k, v in local_partials(g).items()}
    {'w1': [('x', 3.0), ('y', 2.0)], 'w2': [('w1', 1.0), ('y', 1.0)]}
    """
    res = {}
    for eqn in tape_of(graph):
        outs = _outs(eqn)
        for k, vid in enumerate(outs):
            node = graph.by_id[vid]
            items = []
            for i, pid in enumerate(eqn.parents):
                if pid is None:
                    continue
                pname = graph.by_id[pid].name
                if not (_scalar(node.value) and _scalar(eqn.vals[i])):
                    items.append((pname, None))
                    continue
                ts = [None] * len(eqn.vals)
                ts[i] = np.float64(1.0)
                items.append((pname, _jvp_one(eqn, ts, k)))
            res[node.name] = items
    return res


def _jvp_one(eqn, ts, k):
    out = equation_jvp(eqn, ts)
    if out is not None and isinstance(eqn.out, tuple):
        out = out[k]
    return 0.0 if out is None else _number(full_lower(out))


def _number(v):
    """A 0-d value as a Python float, or complex when it is complex (never a lossy cast)."""
    return complex(v) if np.iscomplexobj(v) else float(v)


def _as_out_ct(eqn, k, c):
    if not isinstance(eqn.out, tuple):
        return c
    return tuple(c if j == k else zeros_like(a, float) for j, a in enumerate(eqn.ans))


def _cotangents(graph, outs, given):
    """The output seeds, each checked against its output's shape (and kept complex only
    for a complex output: a real output's seed is real)."""
    if len(given) != len(outs):
        raise ValueError(f"cotangent: the function has {len(outs)} outputs, {outs}; give one "
                         f"cotangent per output")
    cts = []
    for name, c in zip(outs, given):
        value = np.asarray(full_lower(graph.node(name).value))
        c = np.asarray(c)
        if c.dtype.kind == "c" and value.dtype.kind != "c":
            raise TypeError(f"cotangent for {name} is complex but the output is real; pass a "
                            f"real cotangent")
        if c.shape != value.shape:
            raise ValueError(f"cotangent for {name} has shape {c.shape} but the output has "
                             f"shape {value.shape}; pass one shaped like the output")
        cts.append(c.astype(value.dtype if value.dtype.kind in "fc" else float)[()])
    return cts


def reverse_sweep(graph, cotangent=None):
    """Every adjoint update of the backward pass, as a list of :class:`AdjointUpdate`.

    Adjoints are completed in reverse topological order, breadth first from
    the output (a node comes only after every node it feeds); the updates of
    one target are listed together, one per node it feeds, so the rows read
    like the notes: ``ȳ += w̄1·∂w1/∂y``, then ``ȳ += w̄2·∂w2/∂y``.
    ``cotangent`` seeds the output (default 1, or ones for an array output;
    a sequence gives one per output).

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> g = cr.make_graph(lambda x, y: x * y + y)(2.0, 3.0)
    >>> [(u.target, u.source, float(u.partial), float(u.total)) for u in reverse_sweep(g)]
    [('w1', 'w2', 1.0, 1.0), ('x', 'w1', 3.0, 3.0), ('y', 'w1', 2.0, 2.0), ('y', 'w2', 1.0, 3.0)]
    """
    tape = tape_of(graph)
    producer = {}
    for eqn in tape:
        for k, vid in enumerate(_outs(eqn)):
            producer[graph.by_id[vid].name] = (eqn, k)
    outs = graph.outputs
    if cotangent is None:
        cts = [np.ones(np.shape(full_lower(graph.node(o).value)))[()] for o in outs]
    else:
        cts = _cotangents(graph, outs, [cotangent] if len(outs) == 1 else list(cotangent))
    adj = dict(zip(outs, cts))

    # consumers[t] = [(consumer name, argument index)] in evaluation order
    consumers = {n.name: [] for n in graph.nodes}
    for eqn in tape:
        for vid in _outs(eqn):
            for i, pid in enumerate(eqn.parents):
                if pid is not None:
                    consumers[graph.by_id[pid].name].append((graph.by_id[vid].name, i))
    # Only nodes the outputs depend on take part (dead code gets no adjoint).
    live, stack = set(outs), list(outs)
    while stack:
        name = stack.pop()
        if name in producer:
            for pid in producer[name][0].parents:
                if pid is not None and graph.by_id[pid].name not in live:
                    live.add(graph.by_id[pid].name)
                    stack.append(graph.by_id[pid].name)
    # Kahn's algorithm from the outputs: a target is ready once all its consumers are.
    waiting = {n: len({c for c, _ in cs if c in live}) for n, cs in consumers.items()}
    order, queue = [], list(outs)
    while queue:
        name = queue.pop(0)
        order.append(name)
        if name not in producer:
            continue
        parents = [graph.by_id[p].name for p in producer[name][0].parents if p is not None]
        for p in dict.fromkeys(parents):  # x * x: one consumer, counted once
            waiting[p] -= 1
            if waiting[p] == 0:
                queue.append(p)

    updates = []
    for target in order:
        if target in outs and not consumers[target]:
            continue
        for src, i in consumers[target]:
            if src not in live or adj.get(src) is None:
                continue
            eqn, k = producer[src]
            g = adj[src]
            c = equation_vjp(eqn, _as_out_ct(eqn, k, g))[i]
            if c is None:
                continue
            c = full_lower(c)
            partial = None
            if _scalar(g) and _scalar(eqn.vals[i]):
                unit = _as_out_ct(eqn, k, np.float64(1.0))
                partial = _number(full_lower(equation_vjp(eqn, unit)[i]))
            first = adj.get(target) is None
            adj[target] = c if first else adj[target] + c
            updates.append(AdjointUpdate(target, src, g, partial, c, adj[target], first))
    return updates

