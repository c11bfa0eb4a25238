"""Large graphs drawn readably: one box per line of the user's code, not per operation.

A graph of hundreds of nodes is a hairball when every operation is a box.
:func:`grouped` merges the operations that one line of the user's code
recorded (``node.where``); lines that feed each other in a loop are merged
into one box, so the picture stays a DAG. When even the lines are too many,
it groups by function, and failing that draws one summary box.

>>> import chainrule as cr, chainrule.numpy as cnp
>>> def f(x):
...     for _ in range(100):
...         x = cnp.sin(x) * 0.5
...     return x
>>> from chainrule.explain.scene import make_box
>>> keys, boxes, edges, note, owner = grouped(cr.make_graph(f)(1.0), make_box)
>>> len(boxes), edges, boxes[1].lines[2][0]
(2, [('x', 'g1')], '200 ops: multiply×100, sin×100')
"""

import linecache
import os
from collections import Counter

from .tables import value_text

__all__ = ["grouped", "LARGE"]

LARGE = 150         # nodes; more than this and a picture groups by default
MAX_GROUPS = 60     # boxes a grouped picture may have before grouping coarser
MAX_INPUTS = 12     # more inputs than this are grouped by argument


def _arg_of(name):
    """``"p['W1']"`` -> ``'p'``: the argument a pytree leaf belongs to."""
    for i, c in enumerate(name):
        if c in "[.":
            return name[:i]
    return name


def _sccs(keys, succ):
    """Strongly connected components (Tarjan, iterative), as {key: component id}."""
    index, low, comp, stack, on = {}, {}, {}, [], set()
    counter = 0
    for root in keys:
        if root in index:
            continue
        work = [(root, iter(succ[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(succ[w])))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp[w] = v
                        if w == v:
                            break
    return comp


def _partition(graph, key_of):
    """{node name: group key}, with groups on a cycle merged; and the group order."""
    raw = {n.name: key_of(n) for n in graph.nodes}
    keys = list(dict.fromkeys(raw.values()))
    succ = {k: set() for k in keys}
    for a, b in graph.edges:
        if raw[a] != raw[b]:
            succ[raw[a]].add(raw[b])
    comp = _sccs(keys, {k: sorted(v, key=keys.index) for k, v in succ.items()})
    group = {name: comp[k] for name, k in raw.items()}
    # topological order of the merged groups (Kahn), ties in evaluation order
    first = {}
    for n in graph.nodes:
        first.setdefault(group[n.name], len(first))
    indeg = {g: 0 for g in first}
    out = {g: set() for g in first}
    for a, b in graph.edges:
        ga, gb = group[a], group[b]
        if ga != gb and gb not in out[ga]:
            out[ga].add(gb)
            indeg[gb] += 1
    ready = sorted((g for g in first if indeg[g] == 0), key=first.get)
    order = []
    while ready:
        g = ready.pop(0)
        order.append(g)
        for h in sorted(out[g], key=first.get):
            indeg[h] -= 1
            if indeg[h] == 0:
                ready.append(h)
        ready.sort(key=first.get)
    return group, order


def _by_line(n, inputs_too):
    if n.is_input:
        return ("input", _arg_of(n.name) if inputs_too else n.name)
    return ("line",) + tuple(n.where[:3]) if n.where else ("op", n.op)


def _by_function(n, inputs_too):
    if n.is_input:
        return ("input", _arg_of(n.name) if inputs_too else n.name)
    return ("function",) + tuple(n.where[:2]) if n.where else ("op", n.op)


def _lines(members, key, graph, make_box):
    names = [n.name for n in members]
    ops = Counter(n.op for n in members if not n.is_input)
    is_out = any(n in graph.outputs for n in names)
    if all(n.is_input for n in members):
        if len(names) == 1:
            lines = [names[0] + " = input", "value " + value_text(members[0].value)]
        else:
            lines = [f"{_arg_of(names[0])}: {len(names)} inputs", ", ".join(names)]
        kind = "input"
    else:
        wheres = sorted({n.where for n in members if n.where})
        if wheres:
            files = {os.path.basename(w[0]) for w in wheres}
            funcs = list(dict.fromkeys(w[1] for w in wheres))
            nums = sorted({w[2] for w in wheres})
            at = f"line {nums[0]}" if len(nums) == 1 else f"lines {nums[0]}–{nums[-1]}"
            head = f"{', '.join(funcs)}, {at} ({', '.join(sorted(files))})"
            code = linecache.getline(wheres[0][0], wheres[0][2]).strip() if len(nums) == 1 else ""
        else:
            head, code = f"{names[0]} … {names[-1]}", ""
        parts = ", ".join(f"{op}×{c}" for op, c in sorted(ops.items()))
        count = sum(ops.values())
        lines = [head + ("  (f)" if is_out else ""), code or f"{names[0]} … {names[-1]}",
                 f"{count} op{'s' if count > 1 else ''}: {parts}"]
        kind = "output" if is_out else "group"
    title = "\n".join(lines + ["nodes: " + ", ".join(names)])
    return make_box(key, [(t, i == 0) for i, t in enumerate(lines)], title, kind)


def grouped(graph, make_box):
    """``(keys, boxes, edges, note, owner)`` of the grouped picture of ``graph``
    (``owner[node name]`` is the key of the box drawing it);
    ``make_box(key, [(text, bold)], tooltip, kind)`` makes a box."""
    many_inputs = len(graph.inputs) > MAX_INPUTS
    for how, key_of in (("line of code", _by_line), ("function", _by_function)):
        group, order = _partition(graph, lambda n: key_of(n, many_inputs))
        if len(order) <= MAX_GROUPS:
            break
    else:
        how, order = "summary", ["all"]
        group = {n.name: "all" for n in graph.nodes}
    names = {g: f"g{i}" for i, g in enumerate(order)}
    members = {g: [] for g in order}
    for n in graph.nodes:
        members[group[n.name]].append(n)
    # an input alone keeps its own name, so the picture reads x, p['W1'], ...
    keys = [members[g][0].name if len(members[g]) == 1 and members[g][0].is_input else names[g]
            for g in order]
    key = dict(zip(order, keys))
    boxes = [_lines(members[g], key[g], graph, make_box) for g in order]
    edges = list(dict.fromkeys((key[group[a]], key[group[b]]) for a, b in graph.edges
                               if group[a] != group[b]))
    note = (f"{len(graph.nodes)} nodes drawn as {len(order)} boxes, one per {how}"
            f" (hover a box for its nodes)")
    return keys, boxes, edges, note, {n: key[g] for n, g in group.items()}
