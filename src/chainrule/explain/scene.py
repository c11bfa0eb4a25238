"""The geometry of a graph picture: boxes sized to their text, edges routed between them.

:func:`build_scene` turns a :class:`~chainrule.Graph` into plain shapes
(boxes with their lines of text, edges as polylines, edge labels) that the SVG
and PNG writers draw the same way. Coordinates are SVG's: y grows downwards,
so layer 0 (the inputs) is the bottom row.

Edges leave a box from its top and enter the next box from its bottom; between
two rows they cross only the empty gap, and through a row they run vertically
at a dummy node's place, which the layout keeps free of boxes: so no edge passes
behind a box it does not connect.

>>> import chainrule as cr, chainrule.numpy as cnp
>>> s = build_scene(cr.make_graph(lambda x, y: (x + y) * cnp.sin(y))(1.0, cnp.pi / 2))
>>> [b.key for b in s.boxes], len(s.edges)
(['x', 'y', 'w1', 'w2', 'w3'], 5)
>>> [e.label for e in s.edges if e.target == "w3"]
['∂w3/∂w1 = 1', '∂w3/∂w2 = 2.571']
"""

import numpy as np

from .layout import layered_layout
from .metrics import text_width, shorten
from .tables import fmt, value_text, definition
from .groups import grouped, LARGE

__all__ = ["build_scene", "make_box", "label_box", "Scene", "Box", "EdgeShape", "FONT",
           "LABEL_FONT", "LINE_H", "PAD_X"]

FONT, LABEL_FONT, TITLE_FONT = 12, 10, 13
LINE_H, PAD_X, PAD_Y = 16, 10, 7
MAX_TEXT_W = 260          # longer lines are cut, the whole text goes in a tooltip
MARGIN, GAP_X = 20, 28
GAP_Y, GAP_Y_LABELS = 40, 64
LABELS_UP_TO = 12         # edge labels by default for graphs this small (the notes' example)


class Box:
    """One node: ``key``, top-left ``x, y``, ``w, h``, ``lines`` [(text, bold)], ``title``
    (the full text, for a tooltip), ``kind`` ('input', 'output', 'op' or 'group')."""

    def __init__(self, key, lines, title, kind):
        self.key, self.lines, self.title, self.kind = key, lines, title, kind
        width = max(text_width(t, FONT, b) for t, b in lines)
        self.w = max(56.0, np.ceil(width) + 2 * PAD_X)
        self.h = len(lines) * LINE_H + 2 * PAD_Y
        self.x = self.y = 0.0

    def text_positions(self):
        """(x, baseline y) of each line, centred."""
        top = self.y + (self.h - len(self.lines) * LINE_H) / 2
        return [(self.x + self.w / 2, top + (i + 1) * LINE_H - 4) for i in range(len(self.lines))]


class EdgeShape:
    """An edge ``source -> target`` drawn through ``points``; ``label`` (or None) at
    ``label_at`` (centre), ``tooltip`` its full text."""

    def __init__(self, source, target, points, label, tooltip):
        self.source, self.target, self.points = source, target, points
        self.label, self.tooltip, self.label_at = label, tooltip, None


class Scene:
    """Everything drawn: ``boxes``, ``edges``, ``title``, ``width``, ``height``,
    ``note`` (a line saying how a large graph was grouped, or None) and ``owner``
    ({node name: key of the box that draws it})."""

    def __init__(self, boxes, edges, title, width, height, note, owner):
        self.boxes, self.edges, self.title, self.owner = boxes, edges, title, owner
        self.width, self.height, self.note = width, height, note
        self.box = {b.key: b for b in boxes}


def make_box(key, lines, title, kind):
    """A :class:`Box` of ``lines`` [(text, bold)], each cut to the widest line allowed."""
    return Box(key, [(shorten(t, FONT, MAX_TEXT_W, b), b) for t, b in lines], title, kind)


def _node_lines(graph, n, tangents, adjoints):
    defn = definition(n) + ("  (f)" if n.name in graph.outputs else "")
    lines = [(defn, True), ("value " + value_text(n.value), False)]
    if tangents is not None and n.name in tangents:
        lines.append(("tangent " + value_text(tangents[n.name]), False))
    if adjoints is not None and n.name in adjoints:
        lines.append(("adjoint " + value_text(adjoints[n.name]), False))
    return lines, "\n".join(t for t, _ in lines)


def _partials(graph):
    """{(input, node): summed local partial} for scalar nodes, from the tape."""
    from ..sweeps import local_partials  # noqa: PLC0415  (graphs without a tape have none)
    if not getattr(graph, "tape", None):
        return {}
    out = {}
    for node, items in local_partials(graph).items():
        for src, p in items:
            if p is None:
                out[(src, node)] = None
            elif out.get((src, node), 0.0) is not None:
                out[(src, node)] = out.get((src, node), 0.0) + p  # x * x: both arguments
    return out


def _boxes_and_edges(graph, tangents, adjoints, labels):
    boxes, edges = {}, []
    for n in graph.nodes:
        lines, title = _node_lines(graph, n, tangents, adjoints)
        kind = "input" if n.is_input else ("output" if n.name in graph.outputs else "op")
        boxes[n.name] = make_box(n.name, lines, title, kind)
    parts = _partials(graph) if labels else {}
    for a, b in dict.fromkeys(graph.edges):
        p = parts.get((a, b))
        text = None if p is None else f"∂{b}/∂{a} = {fmt(p)}"
        edges.append((a, b, text))
    return boxes, edges


def build_scene(graph, tangents=None, adjoints=None, title=None, edge_labels=None,
                group=None):
    """Boxes and routed edges for ``graph``.

    ``edge_labels`` (default: on up to 12 nodes) writes ∂target/∂source on each
    edge between scalar nodes. ``group`` (default: on past 150 nodes) draws one
    box per line of the user's code instead of one per operation.
    """
    if not graph.nodes:
        note = "an empty graph: the function recorded no operation on any input"
        return Scene([], [], title, 2 * MARGIN + text_width(note, FONT), 2 * MARGIN + LINE_H, note,
                     {})
    group = len(graph.nodes) > LARGE if group is None else group
    note = None
    if group:
        keys, box_list, edges, note, owner = grouped(graph, make_box)
        boxes = {b.key: b for b in box_list}
        edges = [(a, b, None) for a, b in edges]
    else:
        labels = len(graph.nodes) <= LABELS_UP_TO if edge_labels is None else edge_labels
        boxes, edges = _boxes_and_edges(graph, tangents, adjoints, labels)
        keys = [n.name for n in graph.nodes]
        owner = {k: k for k in keys}
    has_labels = any(t for _, _, t in edges)
    lay = layered_layout(keys, [(a, b) for a, b, _ in edges],
                         {k: b.w for k, b in boxes.items()}, gap=GAP_X)
    gap_y = GAP_Y_LABELS if has_labels else GAP_Y
    heights = [max((boxes[k].h for k in row if k in boxes), default=LINE_H) for row in lay.order]
    top = MARGIN + (TITLE_FONT + 12 if title else 0) + (LINE_H if note else 0)
    band_top = [0.0] * len(heights)
    y = top
    for k in range(len(heights) - 1, -1, -1):  # the top row is the last layer
        band_top[k] = y
        y += heights[k] + gap_y
    height = y - gap_y + MARGIN
    for k, row in enumerate(lay.order):
        for key in row:
            if key in boxes:
                b = boxes[key]
                b.h = heights[k]  # one height per row: edges then only cross the gaps
                b.x, b.y = MARGIN + lay.x[key] - b.w / 2, band_top[k]
    shapes = _route(lay, boxes, edges, band_top, heights)
    drawn = 2 * MARGIN + max(lay.x[k] + lay.widths[k] / 2 for row in lay.order for k in row)
    width = max([drawn] + [2 * MARGIN + text_width(t, f) for t, f in ((title, TITLE_FONT),
                                                                     (note, FONT)) if t])
    shift = (width - drawn) / 2  # a title wider than the graph: centre the graph under it
    for b in boxes.values():
        b.x += shift
    for e in shapes:
        e.points = [(px + shift, py) for px, py in e.points]
    _place_labels(shapes, list(boxes.values()))
    return Scene(list(boxes.values()), shapes, title, float(np.ceil(width)),
                 float(np.ceil(height)), note, owner)


def _ports(box, n):
    """n points spread over the middle half of a box side, left to right."""
    return [box.x + box.w * (0.25 + 0.5 * (i + 1) / (n + 1)) for i in range(n)]


def _route(lay, boxes, edges, band_top, heights):
    x = {k: MARGIN + v for k, v in lay.x.items()}
    outs, ins = {}, {}
    for a, b, _ in edges:
        chain = lay.routes[(a, b)]
        outs.setdefault(a, []).append(((x[chain[1]], x[b]), (a, b)))
        ins.setdefault(b, []).append(((x[chain[-2]], x[a]), (a, b)))
    start, end = {}, {}
    for a, lst in outs.items():
        for px, (_, e) in zip(_ports(boxes[a], len(lst)), sorted(lst)):
            start[e] = px
    for b, lst in ins.items():
        for px, (_, e) in zip(_ports(boxes[b], len(lst)), sorted(lst)):
            end[e] = px
    shapes = []
    for a, b, text in edges:
        chain = lay.routes[(a, b)]
        pts = [(start[(a, b)], boxes[a].y)]
        for d in chain[1:-1]:
            k = lay.layer[d]
            pts += [(x[d], band_top[k] + heights[k]), (x[d], band_top[k])]
        pts.append((end[(a, b)], boxes[b].y + boxes[b].h))
        shapes.append(EdgeShape(a, b, pts, text, text or f"{a} → {b}"))
    return shapes


def label_box(e):
    """(x0, y0, x1, y1) of an edge label drawn centred at ``e.label_at``."""
    w, h = text_width(e.label, LABEL_FONT) + 6, LABEL_FONT + 5
    cx, cy = e.label_at
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _overlap(p, q):
    return p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]


def _place_labels(shapes, boxes):
    """Each label on its edge's last or first segment, where it overlaps no box and no
    label placed before; an edge whose label finds no room keeps it as a tooltip."""
    taken = [(b.x, b.y, b.x + b.w, b.y + b.h) for b in boxes]
    for e in shapes:
        if not e.label:
            continue
        segs = [(e.points[-2], e.points[-1]), (e.points[0], e.points[1])]
        for (x0, y0), (x1, y1) in segs:
            for t in (0.5, 0.3, 0.7, 0.2, 0.8):
                e.label_at = (x0 + t * (x1 - x0), y0 + t * (y1 - y0))
                r = label_box(e)
                if not any(_overlap(r, q) for q in taken):
                    taken.append(r)
                    break
            else:
                continue
            break
        else:
            e.label_at = None
