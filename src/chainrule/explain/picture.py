"""Draw a computation graph: Graphviz DOT text, a hand-written SVG, or a PNG.

The layout is the notes' picture: inputs on the bottom row, each node one row
above its highest input, arrows pointing up along the data flow. SVG needs
nothing but the standard library; PNG uses matplotlib (``chainrule[viz]``),
so no Graphviz binary is ever required.

>>> import chainrule.numpy as cnp
>>> import chainrule as cr
>>> g = cr.make_graph(lambda x, y: (x + y) * cnp.sin(y))(1.0, cnp.pi / 2)
>>> print(to_dot(g).splitlines()[3])
  "x" [label="x = input\\nvalue 1"];
>>> to_svg(g).count('class="node"')
5
"""

import os
from xml.sax.saxutils import escape

from .tables import fmt, definition

__all__ = ["to_dot", "to_svg", "render", "layout", "MissingExtraError"]

_BOX_W, _BOX_H, _GAP_X, _GAP_Y, _PAD = 170, 64, 30, 50, 20


class MissingExtraError(ImportError):
    """An optional dependency is missing; the message names the pip extra."""


def _labels(graph, tangents=None, adjoints=None):
    """Text lines per node: definition, value, then tangent and/or adjoint.

    Words, not ẇ/w̄: combining marks are barely visible at picture sizes.
    """
    out = {}
    for n in graph.nodes:
        lines = [definition(n) + ("  (f)" if n.name in graph.outputs else ""),
                 "value " + fmt(n.value)]
        if tangents is not None and n.name in tangents:
            lines.append(f"tangent {fmt(tangents[n.name])}")
        if adjoints is not None and n.name in adjoints:
            lines.append(f"adjoint {fmt(adjoints[n.name])}")
        out[n.name] = lines
    return out


def layout(graph):
    """``{name: (column, row)}``: row 0 holds the inputs, rows grow upwards."""
    row = {}
    names = {n.name for n in graph.nodes}
    for n in graph.nodes:  # evaluation order is topological
        deps = [row[i] for i in n.inputs if i in names]
        row[n.name] = 0 if n.is_input or not deps else 1 + max(deps)
    col, pos = {}, {}
    for n in graph.nodes:
        r = row[n.name]
        pos[n.name] = (col.get(r, 0), r)
        col[r] = col.get(r, 0) + 1
    return pos


def to_dot(graph, tangents=None, adjoints=None):
    """Graphviz DOT text of the graph (inputs at the bottom: ``rankdir=BT``).

    >>> import chainrule as cr
    >>> print(to_dot(cr.make_graph(lambda x: x * x)(3.0)).splitlines()[0])
    digraph chainrule {
    """
    labels = _labels(graph, tangents, adjoints)
    lines = ["digraph chainrule {", "  rankdir=BT;", "  node [shape=box, fontname=\"Helvetica\"];"]
    for n in graph.nodes:
        text = "\\n".join(s.replace('"', '\\"') for s in labels[n.name])
        extra = ", peripheries=2" if n.name in graph.outputs else ""
        lines.append(f'  "{n.name}" [label="{text}"{extra}];')
    for a, b in graph.edges:
        lines.append(f'  "{a}" -> "{b}";')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _geometry(graph):
    pos = layout(graph)
    ncols = max(c for c, _ in pos.values()) + 1
    nrows = max(r for _, r in pos.values()) + 1
    width = _PAD * 2 + ncols * _BOX_W + (ncols - 1) * _GAP_X
    height = _PAD * 2 + nrows * _BOX_H + (nrows - 1) * _GAP_Y + 24
    per_row = {}
    for c, r in pos.values():
        per_row[r] = per_row.get(r, 0) + 1
    boxes = {}
    for name, (c, r) in pos.items():
        k = per_row[r]
        row_w = k * _BOX_W + (k - 1) * _GAP_X
        x = (width - row_w) / 2 + c * (_BOX_W + _GAP_X)  # centre each row
        y = height - _PAD - (r + 1) * _BOX_H - r * _GAP_Y
        boxes[name] = (x, y)
    return boxes, width, height


def to_svg(graph, tangents=None, adjoints=None, title=None):
    """A standalone SVG picture: one ``<rect class="node">`` per node, arrows for edges.

    >>> import chainrule as cr
    >>> to_svg(cr.make_graph(lambda x: x * x)(3.0)).count('class="node"')
    2
    """
    boxes, width, height = _geometry(graph)
    labels = _labels(graph, tangents, adjoints)
    s = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
         f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="Helvetica, Arial, sans-serif">',
         '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
         'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>']
    if title:
        s.append(f'<text x="{_PAD}" y="18" font-size="13">{escape(title)}</text>')
    for a, b in graph.edges:
        (xa, ya), (xb, yb) = boxes[a], boxes[b]
        s.append(f'<line class="edge" x1="{xa + _BOX_W / 2:.1f}" y1="{ya:.1f}" '
                 f'x2="{xb + _BOX_W / 2:.1f}" y2="{yb + _BOX_H:.1f}" stroke="#444" '
                 f'stroke-width="1.3" marker-end="url(#arrow)"/>')
    for n in graph.nodes:
        x, y = boxes[n.name]
        fill = "#e8f0fe" if n.is_input else ("#fde8e8" if n.name in graph.outputs else "#f4f4f4")
        s.append(f'<rect class="node" id="node-{escape(n.name)}" x="{x:.1f}" y="{y:.1f}" '
                 f'width="{_BOX_W}" height="{_BOX_H}" rx="6" fill="{fill}" stroke="#333"/>')
        lines = labels[n.name]
        step = _BOX_H / (len(lines) + 1)
        for i, line in enumerate(lines):
            weight = ' font-weight="bold"' if i == 0 else ""
            s.append(f'<text x="{x + _BOX_W / 2:.1f}" y="{y + step * (i + 1) + 4:.1f}" '
                     f'font-size="12" text-anchor="middle"{weight}>{escape(line)}</text>')
    s.append("</svg>")
    return "\n".join(s) + "\n"


def _png(graph, path, tangents, adjoints, title):
    try:
        from matplotlib.figure import Figure  # noqa: PLC0415  (optional extra)
        from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
        from matplotlib.patches import FancyBboxPatch  # noqa: PLC0415
    except ImportError:
        raise MissingExtraError(
            "writing a PNG needs matplotlib: pip install 'chainrule[viz]' "
            "(or write an .svg, which needs nothing)") from None
    boxes, width, height = _geometry(graph)
    labels = _labels(graph, tangents, adjoints)
    fig = Figure(figsize=(width / 100, height / 100), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)  # SVG coordinates: y grows downwards
    ax.axis("off")
    if title:
        ax.text(_PAD, 16, title, fontsize=10, va="center")
    for a, b in graph.edges:
        (xa, ya), (xb, yb) = boxes[a], boxes[b]
        ax.annotate("", xy=(xb + _BOX_W / 2, yb + _BOX_H), xytext=(xa + _BOX_W / 2, ya),
                    arrowprops=dict(arrowstyle="-|>", color="#444", lw=1.2))
    for n in graph.nodes:
        x, y = boxes[n.name]
        fill = "#e8f0fe" if n.is_input else ("#fde8e8" if n.name in graph.outputs else "#f4f4f4")
        ax.add_patch(FancyBboxPatch((x, y), _BOX_W, _BOX_H, boxstyle="round,pad=0,rounding_size=6",
                                    fc=fill, ec="#333", gid=f"node-{n.name}"))
        lines = labels[n.name]
        step = _BOX_H / (len(lines) + 1)
        for i, line in enumerate(lines):
            ax.text(x + _BOX_W / 2, y + step * (i + 1), line, ha="center", va="center",
                    fontsize=9, fontweight="bold" if i == 0 else "normal")
    fig.savefig(path, format="png")


def render(graph, path, tangents=None, adjoints=None, title=None):
    """Write the picture to ``path`` (``.svg``, or ``.png`` with the viz extra); returns path.

    ``tangents``/``adjoints`` ({node name: value}, e.g. from
    :func:`chainrule.sweeps.forward_sweep`) add a line to each box.

    >>> import os, tempfile, chainrule as cr
    >>> path = render(cr.make_graph(lambda x: x * x)(3.0), os.path.join(tempfile.mkdtemp(), "g.svg"))
    >>> os.path.getsize(path) > 0
    True
    """
    ext = os.path.splitext(str(path))[1].lower()
    if ext == ".svg":
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(to_svg(graph, tangents, adjoints, title))
    elif ext == ".png":
        _png(graph, path, tangents, adjoints, title)
    elif ext in (".dot", ".gv"):
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(to_dot(graph, tangents, adjoints))
    else:
        raise ValueError(f"cannot write {path!r}: use a .svg, .png or .dot file name")
    return str(path)
