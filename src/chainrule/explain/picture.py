"""Draw a computation graph: Graphviz DOT text, an SVG, or a PNG.

The layout is the notes' picture, by a layered (Sugiyama) algorithm
(:mod:`.layout`): inputs on the bottom row, arrows pointing up along the data
flow, boxes sized to their text, long edges routed around the boxes, and on
small graphs each edge labelled with its local partial ∂w/∂u. SVG needs
nothing but the standard library; PNG uses matplotlib (``chainrule[viz]``), so
no Graphviz binary is ever required.

>>> import chainrule.numpy as cnp
>>> import chainrule as cr
>>> g = cr.make_graph(lambda x, y: (x + y) * cnp.sin(y))(1.0, cnp.pi / 2)
>>> print(to_dot(g).splitlines()[3])
  "x" [label="x = input\\nvalue 1"];
>>> to_svg(g).count('class="node"')
5
"""

import os
from .markup import escape, quoteattr

from .metrics import FONT_FAMILY
from .scene import build_scene, label_box, FONT, LABEL_FONT
from .tables import definition, value_text

__all__ = ["to_dot", "to_svg", "render", "MissingExtraError", "FILL"]

FILL = {"input": "#e8f0fe", "output": "#fde8e8", "op": "#f4f4f4", "group": "#fff6dc"}


class MissingExtraError(ImportError):
    """An optional dependency is missing; the message names the pip extra."""


def to_dot(graph, tangents=None, adjoints=None):
    """Graphviz DOT text of the graph (inputs at the bottom: ``rankdir=BT``).

    >>> import chainrule as cr
    >>> print(to_dot(cr.make_graph(lambda x: x * x)(3.0)).splitlines()[0])
    digraph chainrule {
    """
    lines = ["digraph chainrule {", "  rankdir=BT;", "  node [shape=box, fontname=\"Helvetica\"];"]
    for n in graph.nodes:
        text = [definition(n) + ("  (f)" if n.name in graph.outputs else ""),
                "value " + value_text(n.value)]
        if tangents is not None and n.name in tangents:
            text.append("tangent " + value_text(tangents[n.name]))
        if adjoints is not None and n.name in adjoints:
            text.append("adjoint " + value_text(adjoints[n.name]))
        label = "\\n".join(s.replace("\\", "\\\\").replace('"', '\\"') for s in text)
        extra = ", peripheries=2" if n.name in graph.outputs else ""
        lines.append(f'  "{_dot_id(n.name)}" [label="{label}"{extra}];')
    for a, b in graph.edges:
        lines.append(f'  "{_dot_id(a)}" -> "{_dot_id(b)}";')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_id(name):
    return name.replace("\\", "\\\\").replace('"', '\\"')


def _svg_path(points):
    return "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points)


def scene_svg(scene, css=None):
    """The SVG text of a :class:`~chainrule.explain.scene.Scene` (``css``: extra style)."""
    w, h = scene.width, scene.height
    s = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chainrule-graph" width="{w:.0f}" '
         f'height="{h:.0f}" viewBox="0 0 {w:.0f} {h:.0f}" font-family="{escape(FONT_FAMILY)}">',
         '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
         'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>']
    if css:
        s.append(f"<style>{css}</style>")
    y = 20
    if scene.title:
        s.append(f'<text class="title" x="20" y="{y + 2}" font-size="13">{escape(scene.title)}</text>')
        y += 25
    if scene.note:
        s.append(f'<text class="note" x="20" y="{y + 2}" font-size="{FONT}" fill="#555">'
                 f'{escape(scene.note)}</text>')
    for e in scene.edges:
        s.append(f'<path class="edge" data-from={quoteattr(e.source)} data-to={quoteattr(e.target)} '
                 f'd="{_svg_path(e.points)}" fill="none" stroke="#444" stroke-width="1.3" '
                 f'marker-end="url(#arrow)"><title>{escape(e.tooltip)}</title></path>')
    for e in scene.edges:
        if e.label and e.label_at:
            x0, y0, x1, y1 = label_box(e)
            s.append(f'<g class="edge-label" data-from={quoteattr(e.source)} '
                     f'data-to={quoteattr(e.target)}><rect x="{x0:.1f}" y="{y0:.1f}" '
                     f'width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" rx="3" fill="#fff" '
                     f'fill-opacity="0.9"/><text x="{(x0 + x1) / 2:.1f}" y="{y1 - 4:.1f}" '
                     f'font-size="{LABEL_FONT}" text-anchor="middle" fill="#224">'
                     f'{escape(e.label)}</text></g>')
    for b in scene.boxes:
        s.append(f'<g class="vertex" data-node={quoteattr(b.key)}><title>{escape(b.title)}</title>')
        s.append(f'<rect class="node" id={quoteattr("node-" + b.key)} x="{b.x:.1f}" y="{b.y:.1f}" '
                 f'width="{b.w:.1f}" height="{b.h:.1f}" rx="6" fill="{FILL[b.kind]}" stroke="#333"/>')
        for (text, bold), (tx, ty) in zip(b.lines, b.text_positions()):
            weight = ' font-weight="bold"' if bold else ""
            s.append(f'<text x="{tx:.1f}" y="{ty:.1f}" font-size="{FONT}" '
                     f'text-anchor="middle"{weight}>{escape(text)}</text>')
        s.append("</g>")
    s.append("</svg>")
    return "\n".join(s) + "\n"


def to_svg(graph, tangents=None, adjoints=None, title=None, edge_labels=None, group=None):
    """A standalone SVG picture: one ``<rect class="node">`` per node, a path per edge.

    ``edge_labels`` (default: on up to 12 nodes) writes the local partials
    ∂w/∂u on the edges; ``group`` (default: past 150 nodes) draws one box per
    line of the user's code. Cut texts are whole in the boxes' tooltips.

    >>> import chainrule as cr
    >>> to_svg(cr.make_graph(lambda x: x * x)(3.0)).count('class="node"')
    2
    """
    return scene_svg(build_scene(graph, tangents, adjoints, title, edge_labels, group))


def _png(scene, path):
    try:
        from matplotlib.figure import Figure  # noqa: PLC0415  (optional extra)
        from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
        from matplotlib.patches import FancyBboxPatch, FancyArrowPatch  # noqa: PLC0415
        from matplotlib.path import Path  # noqa: PLC0415
    except ImportError:
        raise MissingExtraError(
            "writing a PNG needs matplotlib: pip install 'chainrule[viz]' "
            "(or write an .svg, which needs nothing)") from None
    w, h = scene.width, scene.height
    # 2x density: the SVG's pixel sizes, at 200 dots per 100 px; font sizes in points
    fig = Figure(figsize=(w / 100, h / 100), dpi=200)
    FigureCanvasAgg(fig)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, w)
    ax.set_ylim(h, 0)  # SVG coordinates: y grows downwards
    ax.axis("off")
    pt = 0.72  # points per pixel at 100 px per inch
    family = "DejaVu Sans"
    y = 20
    if scene.title:
        ax.text(20, y, scene.title, fontsize=13 * pt, va="center", family=family)
        y += 25
    if scene.note:
        ax.text(20, y, scene.note, fontsize=FONT * pt, va="center", color="#555", family=family)
    for e in scene.edges:
        codes = [Path.MOVETO] + [Path.LINETO] * (len(e.points) - 1)
        ax.add_patch(FancyArrowPatch(path=Path(e.points, codes), arrowstyle="-|>",
                                     mutation_scale=10, color="#444", lw=1.1))
        if e.label and e.label_at:
            x0, y0, x1, y1 = label_box(e)
            ax.add_patch(FancyBboxPatch((x0, y0), x1 - x0, y1 - y0, fc="white", ec="none",
                                        alpha=0.9, boxstyle="round,pad=0,rounding_size=3"))
            ax.text((x0 + x1) / 2, (y0 + y1) / 2, e.label, ha="center", va="center",
                    fontsize=LABEL_FONT * pt, color="#224", family=family)
    for b in scene.boxes:
        ax.add_patch(FancyBboxPatch((b.x, b.y), b.w, b.h, boxstyle="round,pad=0,rounding_size=6",
                                    fc=FILL[b.kind], ec="#333", lw=0.8))
        for (text, bold), (tx, ty) in zip(b.lines, b.text_positions()):
            ax.text(tx, ty, text, ha="center", va="baseline", fontsize=FONT * pt, family=family,
                    fontweight="bold" if bold else "normal")
    fig.savefig(path, format="png")


def render(graph, path, tangents=None, adjoints=None, title=None, edge_labels=None, group=None):
    """Write the picture to ``path`` (``.svg``, ``.dot``, or ``.png`` with the viz extra);
    returns path.

    ``tangents``/``adjoints`` ({node name: value}, e.g. from
    :func:`chainrule.sweeps.forward_sweep`) add a line to each box; a PNG has
    twice the SVG's pixel density.

    >>> import os, tempfile, chainrule as cr
    >>> path = render(cr.make_graph(lambda x: x * x)(3.0), os.path.join(tempfile.mkdtemp(), "g.svg"))
    >>> os.path.getsize(path) > 0
    True
    """
    ext = os.path.splitext(str(path))[1].lower()
    if ext == ".svg":
        text = to_svg(graph, tangents, adjoints, title, edge_labels, group)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    elif ext == ".png":
        _png(build_scene(graph, tangents, adjoints, title, edge_labels, group), path)
    elif ext in (".dot", ".gv"):
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(to_dot(graph, tangents, adjoints))
    else:
        raise ValueError(f"cannot write {path!r}: use a .svg, .png or .dot file name")
    return str(path)
