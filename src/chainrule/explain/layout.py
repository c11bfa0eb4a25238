"""A layered (Sugiyama) layout of a computation graph, in pure Python.

The four classic steps, each kept small:

1. **layering**: inputs on layer 0 (the bottom row, as in the notes), every
   other node one layer above its highest input (longest path);
2. **dummy nodes**: an edge spanning k > 1 layers becomes a chain through k - 1
   dummy nodes, one per layer crossed, which take room in their layer so that no
   box is placed where the edge runs;
3. **crossing reduction**: barycentre sweeps, down then up, keeping the order
   with the fewest crossings (counted exactly by inversions);
4. **coordinates**: each sweep places every node at the weighted mean of its
   neighbours' positions, subject to its layer's order and minimum spacing: a
   least-squares problem solved exactly by pool-adjacent-violators, so boxes
   can never overlap whatever the widths. Dummy nodes weigh more, which
   straightens long edges.

Why not a library: ``grandalf`` (the pure-Python candidate) overlapped boxes of
unequal widths in our tests and cannot pin the inputs to the bottom row.

>>> lay = layered_layout(["x", "y", "a", "b", "c"],
...                      [("x", "a"), ("y", "a"), ("y", "b"), ("a", "c"), ("b", "c"), ("x", "c")],
...                      {"x": 20, "y": 20, "a": 40, "b": 40, "c": 40})
>>> lay.layer["c"], len(lay.routes[("x", "c")])   # x -> c passes one dummy node
(2, 3)
"""

from bisect import bisect_right

__all__ = ["layered_layout", "Layout"]

DUMMY_WIDTH = 16
_SWEEPS = 12
_BUDGET = 60000  # node placements: past it, fewer coordinate sweeps (a large graph stays fast)


class Layout:
    """``layer[key]``, ``order`` (per layer, left to right), ``x[key]`` (centres),
    ``routes[(a, b)]``: the keys an edge passes, dummies included."""

    def __init__(self, layer, order, x, routes, widths):
        self.layer, self.order, self.x, self.routes, self.widths = layer, order, x, routes, widths


def _layers(nodes, preds):
    layer = {}
    for n in nodes:  # nodes come in topological order
        layer[n] = 1 + max(layer[p] for p in preds[n]) if preds[n] else 0
    return layer


def _add_dummies(nodes, edges, layer, widths):
    """Split long edges; returns (order per layer, preds, succs, routes)."""
    preds, succs = {n: [] for n in nodes}, {n: [] for n in nodes}
    routes = {}
    for a, b in edges:
        chain = [a] + [("dummy", a, b, k) for k in range(layer[a] + 1, layer[b])] + [b]
        for k, d in enumerate(chain[1:-1]):
            layer[d] = layer[a] + 1 + k
            widths[d] = DUMMY_WIDTH
            preds[d], succs[d] = [], []
        for u, v in zip(chain, chain[1:]):
            succs[u].append(v)
            preds[v].append(u)
        routes[(a, b)] = chain
    order = [[] for _ in range(max(layer.values()) + 1)]
    for n in nodes:
        order[layer[n]].append(n)
    for chain in routes.values():  # dummies start next to their edge's source
        for d in chain[1:-1]:
            order[layer[d]].append(d)
    return order, preds, succs, routes


def _crossings(upper, lower, preds):
    """Edge crossings between two adjacent layers: inversions of edge endpoints."""
    pos = {n: i for i, n in enumerate(lower)}
    ends = sorted((pos[p], j) for j, n in enumerate(upper) for p in preds[n] if p in pos)
    seen, count = [], 0
    for _, j in ends:
        count += len(seen) - bisect_right(seen, j)
        seen.insert(bisect_right(seen, j), j)
    return count


def _total_crossings(order, preds):
    return sum(_crossings(order[k + 1], order[k], preds) for k in range(len(order) - 1))


def _reorder(layer_nodes, neighbours, pos):
    def key(item):
        i, n = item
        ps = [pos[m] for m in neighbours[n] if m in pos]
        return (sum(ps) / len(ps) if ps else i, i)
    return [n for _, n in sorted(enumerate(layer_nodes), key=key)]


def _reduce_crossings(order, preds, succs):
    best, best_count = [list(r) for r in order], _total_crossings(order, preds)
    for sweep in range(_SWEEPS):
        if best_count == 0:
            break
        down = sweep % 2 == 0
        rng = range(1, len(order)) if down else range(len(order) - 2, -1, -1)
        for k in rng:
            ref = order[k - 1] if down else order[k + 1]
            pos = {n: i for i, n in enumerate(ref)}
            order[k] = _reorder(order[k], preds if down else succs, pos)
        count = _total_crossings(order, preds)
        if count < best_count:
            best, best_count = [list(r) for r in order], count
    return best


def _pava(targets, weights):
    """Non-decreasing y minimising sum w (y - t)^2 (pool adjacent violators)."""
    blocks = []  # [value, weight, count]
    for t, w in zip(targets, weights):
        blocks.append([t, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            v2, w2, c2 = blocks.pop()
            v1, w1, c1 = blocks.pop()
            blocks.append([(v1 * w1 + v2 * w2) / (w1 + w2), w1 + w2, c1 + c2])
    out = []
    for v, _, c in blocks:
        out.extend([v] * c)
    return out


def _place_row(row, want, weight, widths, gap):
    offsets, off = [], 0.0
    for i, n in enumerate(row):
        if i:
            off += (widths[row[i - 1]] + widths[n]) / 2 + gap
        offsets.append(off)
    y = _pava([want[n] - o for n, o in zip(row, offsets)], [weight[n] for n in row])
    return {n: yi + o for n, yi, o in zip(row, y, offsets)}


def _coordinates(order, preds, succs, widths, gap):
    x = {}
    for row in order:  # packed left to right, then pulled towards the neighbours
        x.update(_place_row(row, {n: 0.0 for n in row}, {n: 1.0 for n in row}, widths, gap))
    weight = {n: (4.0 if isinstance(n, tuple) and n and n[0] == "dummy" else 1.0)
              for row in order for n in row}
    size = sum(len(row) for row in order)
    rounds = 2 * max(2, min(_SWEEPS, _BUDGET // (2 * size)))
    for sweep in range(rounds):
        down = sweep % 2 == 0
        last = sweep == rounds - 1
        rng = range(1, len(order)) if down else range(len(order) - 2, -1, -1)
        for k in rng:
            row = order[k]
            want = {}
            for n in row:
                nbrs = (preds[n] + succs[n]) if last else (preds[n] if down else succs[n])
                want[n] = sum(x[m] for m in nbrs) / len(nbrs) if nbrs else x[n]
            x.update(_place_row(row, want, weight, widths, gap))
    return x


def layered_layout(nodes, edges, widths, gap=24.0):
    """Lay out a DAG given in topological order; ``widths[key]`` in pixels.

    Returns a :class:`Layout` whose leftmost box starts at x = 0. Duplicate
    edges are drawn once.
    """
    edges = list(dict.fromkeys(edges))
    widths = dict(widths)
    preds = {n: [] for n in nodes}
    for a, b in edges:
        preds[b].append(a)
    layer = _layers(nodes, preds)
    order, preds, succs, routes = _add_dummies(nodes, edges, layer, widths)
    order = _reduce_crossings(order, preds, succs)
    x = _coordinates(order, preds, succs, widths, gap)
    left = min(x[n] - widths[n] / 2 for row in order for n in row)
    x = {n: v - left for n, v in x.items()}
    return Layout(layer, order, x, routes, widths)
