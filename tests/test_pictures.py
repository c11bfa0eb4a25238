"""Graph pictures stay readable at real sizes: the SVG's geometry, parsed and checked.

No two boxes overlap, no edge segment crosses the inside of a box, every text
fits its box (with the width estimate the layout uses), labels sit in free
space; on the notes' example, a 16-node expression, a 2-layer MLP with dict
parameters and a graph of hundreds of nodes.
"""

import json
import math
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.explain import explain, to_svg, render
from chainrule.explain.layout import layered_layout
from chainrule.explain.metrics import text_width

NS = "{http://www.w3.org/2000/svg}"


def notes_f(x, y):
    return (x + y) * cnp.sin(y)


def expr16(x, y, z):  # 3 inputs and 13 operations, edges that skip layers
    a = x * y
    b = cnp.sin(a) + z
    c = cnp.exp(b) * x
    d = cnp.log(c) - y
    e = cnp.tanh(d) * a
    return cnp.cos(e + b) / z + c


def mlp(p, x):
    h = cnp.tanh(x @ p["W1"] + p["b1"])
    return cnp.sum((h @ p["W2"] + p["b2"]) ** 2, axis=None, keepdims=False)


RNG = np.random.default_rng(0)
PARAMS = {"W1": RNG.normal(size=(3, 4)), "b1": np.zeros(4), "W2": RNG.normal(size=(4, 2)),
          "b2": np.zeros(2)}
X = RNG.normal(size=(5, 3))


def parse(svg):
    root = ET.fromstring(svg)
    boxes, texts = {}, {}
    for g in root.iter(NS + "g"):
        if g.get("class") != "vertex":
            continue
        key = g.get("data-node")
        r = g.find(NS + "rect")
        boxes[key] = tuple(float(r.get(a)) for a in ("x", "y", "width", "height"))
        texts[key] = [(t.text, float(t.get("x")), float(t.get("y")), float(t.get("font-size")),
                       t.get("font-weight") == "bold") for t in g.iter(NS + "text")]
        texts[key + "/title"] = g.find(NS + "title").text
    edges = []
    for p in root.iter(NS + "path"):
        if p.get("class") == "edge":
            pts = [tuple(map(float, xy.split(","))) for xy in re.findall(r"[-\d.]+,[-\d.]+", p.get("d"))]
            edges.append((p.get("data-from"), p.get("data-to"), pts))
    labels = []
    for g in root.iter(NS + "g"):
        if g.get("class") == "edge-label":
            r = g.find(NS + "rect")
            x, y, w, h = (float(r.get(a)) for a in ("x", "y", "width", "height"))
            labels.append(((x, y, x + w, y + h), g.find(NS + "text").text))
    return boxes, texts, edges, labels


def _inside(seg, rect, shrink=0.5):
    """Does the segment enter the open interior of rect (x, y, w, h)? (Liang-Barsky)"""
    (x0, y0), (x1, y1) = seg
    rx0, ry0 = rect[0] + shrink, rect[1] + shrink
    rx1, ry1 = rect[0] + rect[2] - shrink, rect[1] + rect[3] - shrink
    t0, t1 = 0.0, 1.0
    dx, dy = x1 - x0, y1 - y0
    for p, q in ((-dx, x0 - rx0), (dx, rx1 - x0), (-dy, y0 - ry0), (dy, ry1 - y0)):
        if p == 0:
            if q < 0:
                return False
        else:
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
    return t0 < t1


def _overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def check_readable(svg):
    boxes, texts, edges, labels = parse(svg)
    rects = {k: (x, y, x + w, y + h) for k, (x, y, w, h) in boxes.items()}
    keys = list(boxes)
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            assert not _overlap(rects[a], rects[b]), f"boxes {a} and {b} overlap"
    for a, b, pts in edges:
        assert len(pts) >= 2
        for seg in zip(pts, pts[1:]):
            for k, rect in boxes.items():
                assert not _inside(seg, rect), f"edge {a}->{b} passes behind box {k}"
        # it starts on its source's top side and ends on its target's bottom side
        assert pts[0][1] == pytest.approx(boxes[a][1], abs=0.11)
        assert pts[-1][1] == pytest.approx(boxes[b][1] + boxes[b][3], abs=0.11)
    for k, (x, y, w, h) in boxes.items():
        for text, tx, ty, size, bold in texts[k]:
            half = text_width(text, size, bold) / 2
            assert x <= tx - half and tx + half <= x + w, f"text {text!r} spills out of {k}"
            assert y <= ty - 0.8 * size and ty + 0.25 * size <= y + h, f"text {text!r} of {k}"
    for i, (r, text) in enumerate(labels):
        assert r[2] - r[0] >= text_width(text, 10)
        for k, box in rects.items():
            assert not _overlap(r, box), f"label {text!r} over box {k}"
        for q, other in labels[i + 1:]:
            assert not _overlap(r, q), f"labels {text!r} and {other!r} overlap"
    return boxes, texts, edges, labels


def test_notes_example_picture():
    e = explain(notes_f, 1.0, math.pi / 2, quiet=True)
    svg = to_svg(e.graph, e.tangents, e.adjoints, title="f = (x + y)·sin y")
    boxes, texts, edges, labels = check_readable(svg)
    assert list(boxes) == ["x", "y", "w1", "w2", "w3"]
    y = {k: b[1] for k, b in boxes.items()}
    assert y["x"] == y["y"] > y["w1"] == y["w2"] > y["w3"]  # the notes' rows
    assert texts["w3"][0][0] == "w3 = w1 · w2  (f)" and texts["w2"][-1][0] == "adjoint 2.571"
    # the local partials on the edges, on by default for a graph this small
    assert sorted(t for _, t in labels) == ["∂w1/∂x = 1", "∂w1/∂y = 1", "∂w2/∂y = 0",
                                            "∂w3/∂w1 = 1", "∂w3/∂w2 = 2.571"]
    assert "∂w" not in to_svg(e.graph, edge_labels=False).split("</defs>")[1].split("<title>")[0]


def test_sixteen_node_expression_picture():
    g = cr.make_graph(expr16)(0.5, 0.7, 0.3)
    assert len(g.nodes) == 16
    boxes, _, edges, labels = check_readable(to_svg(g))
    assert len(boxes) == 16 and len(edges) == len(set(g.edges)) and labels == []
    # edges skipping layers bend through free room: some edge has more than one segment
    assert any(len(p) > 2 for _, _, p in edges)


def test_mlp_picture_names_dict_params_and_cuts_long_text():
    g = cr.make_graph(mlp)(PARAMS, X)
    boxes, texts, _, _ = check_readable(to_svg(g))
    assert ["p['W1']", "p['W2']", "p['b1']", "p['b2']", "x"] == [n.name for n in g.inputs]
    assert texts["p['W2']"][0][0] == "p['W2'] = input"
    assert texts["w1"][0][0] == "w1 = matmul(x, p['W1'])"
    assert "4×2 array, ‖·‖ =" in texts["p['W2']"][1][0]

    def long_named(a_parameter_with_a_really_long_descriptive_name, other_long_name_too):
        return a_parameter_with_a_really_long_descriptive_name * other_long_name_too

    g = cr.make_graph(long_named)(1.0, 2.0)
    _, texts, _, _ = check_readable(to_svg(g))
    shown = texts["w1"][0][0]
    assert shown.endswith("…") and len(shown) < 50
    assert texts["w1/title"].startswith("w1 = a_parameter_with_a_really_long_descriptive_name · "
                                        "other_long_name_too")


def test_large_graph_is_grouped_by_line():
    def net(x, w):
        for _ in range(60):
            x = cnp.tanh(x * w) + 0.1
        return cnp.sum(x * x)

    g = cr.make_graph(net)(np.ones(3), 0.5)
    assert len(g.nodes) > 150
    svg = to_svg(g)
    boxes, texts, edges, _ = check_readable(svg)
    assert len(boxes) == 4  # x, w, the loop's line, the return line
    loop = next(t for k, t in texts.items() if not k.endswith("/title")
                and t[0][0].startswith("net, line"))
    assert loop[1][0] == "x = cnp.tanh(x * w) + 0.1" and loop[2][0].startswith("180 ops")
    assert "drawn as 4 boxes, one per line of code" in svg
    # grouping can be asked for, or refused
    assert len(parse(to_svg(g, group=False))[0]) == len(g.nodes)
    # the HTML walk highlights the box that draws each node
    e = explain(net, np.ones(3), 0.5, quiet=True)
    page = e.to_html()
    walk = json.loads(re.search(r'class="cr-steps">(.*?)</script>', page).group(1))
    keys = set(re.findall(r'class="vertex" data-node="([^"]+)"', page))
    assert len(walk) == len(e.forward) + len(e.reverse) and len(keys) == 4
    assert {s["box"] for s in walk} == keys
    assert all(s["from_box"] in keys for s in walk if s["kind"] == "reverse")


def test_small_and_odd_graphs_draw():
    cases = [(lambda x: x, (1.0,), 1, 0), (lambda x: x * x, (3.0,), 2, 1),
             (lambda x, y: cnp.sin(x), (1.0, 2.0), 3, 1),
             (lambda x: (x, cnp.sin(x)), (1.0,), 2, 1), (lambda: 1.0, (), 0, 0)]
    for f, args, n_boxes, n_edges in cases:
        boxes, _, edges, labels = check_readable(to_svg(cr.make_graph(f)(*args)))
        assert (len(boxes), len(edges)) == (n_boxes, n_edges)
    # x * x: one edge, labelled with the whole local partial d(x*x)/dx = 2x = 6
    assert check_readable(to_svg(cr.make_graph(lambda x: x * x)(3.0)))[3][0][1] == "∂w1/∂x = 6"


def test_layout_never_overlaps_random_dags():
    rng = np.random.default_rng(3)
    for n in (8, 40, 200):
        edges = sorted({(int(rng.integers(max(0, k - 9), k)), k) for k in range(2, n)
                        for _ in range(2)})
        widths = {k: float(rng.choice([20, 60, 150, 260])) for k in range(n)}
        lay = layered_layout(list(range(n)), edges, widths, gap=10)
        for row in lay.order:
            for a, b in zip(row, row[1:]):
                assert lay.x[b] - lay.x[a] >= (lay.widths[a] + lay.widths[b]) / 2 + 10 - 1e-6
        for a, b in edges:
            chain = lay.routes[(a, b)]
            assert [lay.layer[c] for c in chain] == list(range(lay.layer[a], lay.layer[b] + 1))


def test_png_is_twice_the_svg_density(tmp_path):
    pytest.importorskip("matplotlib")
    g = cr.make_graph(notes_f)(1.0, math.pi / 2)
    svg = ET.fromstring(to_svg(g))
    data = open(render(g, tmp_path / "g.png"), "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    w, h = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (w, h) == (2 * int(svg.get("width")), 2 * int(svg.get("height")))


def test_graph_and_explanation_show_in_jupyter():
    g = cr.make_graph(notes_f)(1.0, math.pi / 2)
    svg = g._repr_svg_()
    assert svg.startswith("<svg") and svg.count('class="node"') == 5
    html = explain(notes_f, 1.0, math.pi / 2, quiet=True)._repr_html_()
    assert "<svg" in html and "w̄1 = w̄3 · ∂w3/∂w1 = 1 · 1 = 1" in html
    assert "<html" not in html  # a fragment inside the notebook's page
