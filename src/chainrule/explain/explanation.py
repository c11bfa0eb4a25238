"""``explain(f, *args)``: the notes' forward table, backward table and cost summary.

>>> import chainrule.numpy as cnp
>>> e = explain(lambda x, y: (x + y) * cnp.sin(y), 1.0, cnp.pi / 2, quiet=True)
>>> [(r["node"], fmt(r["value"]), fmt(r["tangent"])) for r in e.forward]
[('x', '1', '1'), ('y', '1.571', '0'), ('w1', '2.571', '1'), ('w2', '1', '0'), ('w3', '2.571', '1')]
>>> [(r["target"], r["source"], fmt(r["contribution"])) for r in e.reverse]
[('w1', 'w3', '1'), ('w2', 'w3', '2.571'), ('x', 'w1', '1'), ('y', 'w1', '1'), ('y', 'w2', '0')]
>>> [fmt(g) for g in e.gradient]
['1', '1']
"""

import numpy as np

from ..transforms import make_graph
from ..sweeps import forward_sweep, reverse_sweep, local_partials
from .tables import (fmt, dot, bar, definition, table, to_jsonable, value_text, shape_text,
                     full_text, SMALL)

__all__ = ["explain", "Explanation"]

MODES = ("forward", "reverse", "both")


class Explanation:
    """What :func:`explain` found; ``str()`` gives the printed report.

    Attributes: ``graph``, ``forward`` (rows: node, definition, value,
    tangent, rule), ``reverse`` (rows: target, source, adjoint, partial,
    contribution, total, text), ``value``, ``column`` (J·seed),
    ``gradient`` (adjoints of the inputs), ``cost`` (n, m, passes).
    """

    def __init__(self, graph, mode, seed_name):
        self.graph, self.mode, self.seed = graph, mode, seed_name
        self.seed_at = None  # (input, "[i, j]", shape) when the seed is one entry of an array
        self.forward, self.reverse = [], []
        self.column = self.gradient = self.tangents = self.adjoints = None
        outs = [graph.node(o) for o in graph.outputs]
        self.value = [o.value for o in outs]
        n = sum(int(np.size(i.value)) for i in graph.inputs)
        m = sum(int(np.size(o.value)) for o in outs)
        self.cost = {"n_inputs": n, "n_outputs": m, "forward_passes": n, "reverse_passes": m,
                     "cheaper": "reverse" if m < n else ("forward" if n < m else "either")}

    def to_dict(self):
        """A JSON-ready dict of everything shown."""
        return to_jsonable({
            "mode": self.mode, "seed": self.seed,
            "nodes": [{"name": n.name, "op": n.op, "inputs": n.inputs,
                       "shape": list(n.shape), "value": n.value} for n in self.graph.nodes],
            "edges": self.graph.edges, "outputs": self.graph.outputs,
            "value": self.value, "forward": self.forward,
            "reverse": [{k: v for k, v in r.items()} for r in self.reverse],
            "jacobian_column": self.column, "gradient": self.gradient, "cost": self.cost})

    def _arrays(self):
        return any(np.ndim(n.value) for n in self.graph.nodes)

    def forward_title(self):
        """The forward table's heading: the seed, stated (for an array, which entry)."""
        at = self.seed_at
        if at is None:
            return f"Forward mode (dual numbers), seed {dot(self.seed)} = 1, other seeds 0"
        base, index, shape = at
        return (f"Forward mode (dual numbers), seed {dot(base)} = unit vector at {base}{index} "
                f"({base} has shape {shape_text(np.zeros(shape))}), other seeds 0")

    def forward_table(self):
        """(header, rows) of the forward table, as printed."""
        g, arrays = self.graph, self._arrays()
        header = ["node", "definition"] + (["shape"] if arrays else []) + ["value", "tangent"]
        rows = []
        for r in self.forward:
            shape = [shape_text(g.node(r["node"]).value)] if arrays else []
            rows.append([r["node"], r["definition"] + ("  (f)" if r["node"] in g.outputs else "")]
                        + shape + [value_text(r["value"]), f"{dot(r['node'])} = {r['rule']}"])
        return header, rows

    def reverse_title(self):
        g = self.graph
        if self.cost["n_outputs"] == 1:
            seeds = f"{bar(g.outputs[0])} = f\u0304 = {fmt(self.adjoints[g.outputs[0]])}"
        else:
            seeds = ", ".join(f"{bar(o)} = {value_text(self.adjoints[o])}" for o in g.outputs)
        return f"Reverse mode (adjoints), seed {seeds}, reverse topological order"

    def reverse_table(self):
        """(header, rows) of the adjoint table; ``rows[i][2]`` is the update's index in
        ``self.reverse`` (None on a closing ⇒ line)."""
        rows = []
        for i, r in enumerate(self.reverse):
            rows.append([r["text"], value_text(r["total"]), i])
            if "sum" in r:  # close an accumulated adjoint as the notes do: ȳ = 1 + 0
                rows.append([f"   ⇒ {bar(r['target'])} = {r['sum']}", "", None])
        return ["adjoint update", "running total"], rows

    def result_lines(self):
        """The 'Result' lines: f, the forward column, the gradient, the cost."""
        g, out = self.graph, ["Result"]
        out.append(f"  f = {', '.join(g.outputs)} = " + ", ".join(value_text(v) for v in self.value))
        if self.column is not None:
            cols = ", ".join(value_text(c) for c in self.column)
            if self.seed_at is None:
                out.append(f"  forward: ∂f/∂{self.seed} = {cols}  (one Jacobian column per "
                           "forward pass)")
            else:  # a directional derivative: say along what, and which partial it is
                base, index, _ = self.seed_at
                out.append(f"  forward: directional derivative along the seed = ∂f/∂{base}{index}"
                           f" = {cols}  (one Jacobian column per forward pass)")
        if self.gradient is not None:
            parts = [_gradient_text(i.name, v) for i, v in zip(g.inputs, self.gradient)]
            if self.cost["n_outputs"] == 1:
                out.append("  reverse: " + ", ".join(parts) + "  (one Jacobian row per reverse pass)")
            else:  # a vector output: the sweep computed uᵀJ for the seeded u, not a gradient
                parts = [p.replace("∂f/", "(uᵀJ)/") for p in parts]
                out.append("  reverse: " + ", ".join(parts) + "  (uᵀJ for the output seeds u above;"
                           " a basis vector u gives one Jacobian row)")
        c = self.cost
        out.append(f"  cost: n = {c['n_inputs']} input(s), m = {c['n_outputs']} output(s): full "
                   f"Jacobian = {c['forward_passes']} forward pass(es) or "
                   f"{c['reverse_passes']} reverse pass(es); cheaper here: {c['cheaper']}")
        return out

    def __str__(self):
        out = []
        if self.forward:
            out.append(self.forward_title())
            out.append(table(*self.forward_table()))
            out.append("")
        if self.reverse is not None and self.mode in ("reverse", "both"):
            out.append(self.reverse_title())
            header, rows = self.reverse_table()
            out.append(table(header, [r[:2] for r in rows]))
            out.append("")
        return "\n".join(out + self.result_lines())

    def _repr_html_(self):
        """The graph, both tables and the step-by-step control, for Jupyter."""
        from .page import explanation_fragment  # noqa: PLC0415
        return explanation_fragment(self)

    def to_html(self, path=None):
        """One self-contained HTML page (no network): the graph, the forward and adjoint
        tables, and Next/Prev (or the arrow keys) to walk both sweeps node by node.
        Writes it to ``path`` when given; returns the page text.

        >>> import chainrule.numpy as cnp
        >>> e = explain(lambda x, y: (x + y) * cnp.sin(y), 1.0, cnp.pi / 2, quiet=True)
        >>> page = e.to_html()
        >>> page.startswith("<!DOCTYPE html>"), "http" in page.replace("http://www.w3.org", "")
        (True, False)
        """
        from .page import explanation_page  # noqa: PLC0415
        text = explanation_page(self)
        if path is not None:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
        return text

    __repr__ = __str__


def _gradient_text(name, g):
    """``∂f/∂x = 1``; a small array in full with its shape; a large one by its norm."""
    if np.ndim(g) == 0:
        return f"∂f/∂{name} = {fmt(g)}"
    if np.size(g) <= SMALL:
        return f"∂f/∂{name} = {full_text(g)} (shape {shape_text(g)})"
    return f"∂f/∂{name}: shape {shape_text(g)}, ‖·‖ = {fmt(np.linalg.norm(np.ravel(g)))}"


def _rule_text(name, partials, tans, tangent):
    """'∂w3/∂w1·ẇ1 + ...' as numbers: '1·1 + 2.571·0 = 1'."""
    if partials is None:
        return value_text(tangent)
    terms, total = [], 0.0
    for pname, p in partials:
        if p is None:  # an array node: the JVP of its inputs' tangents, not one number
            return f"J·({', '.join(dot(n) for n, _ in partials)}) = {value_text(tangent)}"
        terms.append(f"{_factor(p)}·{_factor(tans[pname])}")
        total = total + p * np.asarray(tans[pname])
    if not terms:
        return value_text(tangent)
    if not np.allclose(total, tangent, rtol=1e-9, atol=1e-12):
        # a complex tangent through a non-holomorphic operation (abs, conj, real): the
        # derivative is real-linear, not multiplication by one number
        return f"J·({', '.join(dot(n) for n, _ in partials)}) = {fmt(tangent)}"
    return " + ".join(terms) + f" = {fmt(tangent)}"


def _seed_entry(inputs, tans):
    """(input, "[i, j]", shape) when the seed is one entry of an array input, else None."""
    for i in inputs:
        t = np.asarray(tans[i.name])
        if t.ndim and np.any(t):
            where = np.unravel_index(int(np.argmax(np.abs(t))), t.shape)
            return i.name, "[" + ", ".join(map(str, where)) + "]", t.shape
    return None


def _factor(v):
    """``fmt(v)``, in parentheses when it is a sum (a complex number such as 1+2j)."""
    text = fmt(v)
    return f"({text})" if any(c in text[1:] for c in "+-") and "e" not in text else text


def _seed_index(seed, inputs):
    """The input a seed given by position (or None: the first) names; a clear error else."""
    if seed is None:
        return 0
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        if -len(inputs) <= seed < len(inputs):
            return int(seed)
        raise ValueError(f"seed {seed} is out of range: the function has {len(inputs)} "
                         f"input(s), {[n.name for n in inputs]}")
    raise TypeError(f"seed is an input's name (\"x\", \"x[2]\") or position, got {seed!r}")


def _out_seeds(graph, cotangent):
    outs = graph.outputs
    if cotangent is None:
        return [np.ones(np.shape(graph.node(o).value))[()] for o in outs]
    return [cotangent] if len(outs) == 1 else list(cotangent)


def explain(f, *args, mode="both", seed=None, cotangent=None, quiet=False):
    """Print and return the forward trace, the reverse sweep and the cost of each mode.

    ``seed`` picks the forward direction (an input name such as ``"x"``, or
    ``"x[2]"``, an index; default the first input). ``mode`` is
    ``"forward"``, ``"reverse"`` or ``"both"``. Returns an :class:`Explanation`.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> e = cr.explain(lambda x, y: (x + y) * cnp.sin(y), 1.0, cnp.pi / 2, quiet=True)
    >>> [round(float(g), 6) for g in e.gradient]
    [1.0, 1.0]
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    # Integers are values to explain, not dtypes to reject: 1 means 1.0 here.
    args = [float(a) if isinstance(a, int) and not isinstance(a, bool) else a for a in args]
    graph = make_graph(f)(*args)
    if not graph.outputs:
        raise ValueError("the function's output does not depend on its inputs; nothing to explain")
    inputs = graph.inputs
    seed_name = seed if isinstance(seed, str) else inputs[_seed_index(seed, inputs)].name
    e = Explanation(graph, mode, seed_name)
    if mode in ("forward", "both"):
        tans = forward_sweep(graph, seed_name)
        parts = local_partials(graph)
        for n in graph.nodes:
            if n.is_input:
                rule = value_text(tans[n.name])
            else:
                rule = _rule_text(n.name, parts.get(n.name), tans, tans[n.name])
            e.forward.append({"node": n.name, "definition": definition(n), "value": n.value,
                              "tangent": tans[n.name], "rule": rule})
        e.tangents = tans
        e.seed_at = _seed_entry(inputs, tans)
        e.column = [tans[o] for o in graph.outputs]
    if mode in ("reverse", "both"):
        ups = reverse_sweep(graph, cotangent)
        count = {}
        for u in ups:
            count[u.target] = count.get(u.target, 0) + 1
        contribs = {}
        for u in ups:
            op = "=" if count[u.target] == 1 else "+="
            part = "∂%s/∂%s" % (u.source, u.target)
            if u.partial is None:
                text = f"{bar(u.target)} {op} {bar(u.source)} · {part} = {value_text(u.contribution)}"
            else:
                if np.allclose(np.asarray(u.adjoint) * u.partial, u.contribution, rtol=1e-9,
                               atol=1e-12):
                    text = (f"{bar(u.target)} {op} {bar(u.source)} · {part} = "
                            f"{_factor(u.adjoint)} · {_factor(u.partial)} = "
                            f"{value_text(u.contribution)}")
                else:  # real-linear in the adjoint (conj, real of a complex value...)
                    text = (f"{bar(u.target)} {op} {bar(u.source)} · {part} = "
                            f"{value_text(u.contribution)}")
            contribs.setdefault(u.target, []).append(value_text(u.contribution))
            row = {"target": u.target, "source": u.source, "adjoint": u.adjoint,
                   "partial": u.partial, "contribution": u.contribution, "total": u.total,
                   "text": text}
            e.reverse.append(row)
        # Close each accumulated adjoint with its sum, as the notes do: ȳ = 1 + 0.
        for r in e.reverse:
            cs = contribs[r["target"]]
            if len(cs) > 1 and r is [x for x in e.reverse if x["target"] == r["target"]][-1]:
                r["sum"] = f"{' + '.join(cs)} = {value_text(r['total'])}"
        e.adjoints = dict(zip(graph.outputs, _out_seeds(graph, cotangent)))
        e.adjoints.update({r["target"]: r["total"] for r in e.reverse})  # totals include seeds
        # an input returned as an output keeps its seed: d x / d x = 1
        e.gradient = [e.adjoints.get(i.name, np.zeros(np.shape(i.value))[()]) for i in inputs]
    if not quiet:
        print(e)
    return e
