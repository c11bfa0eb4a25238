"""explain, the sweeps and the pictures, checked against the notes' Example 1."""

import math
import re
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.explain import explain, to_dot, to_svg, render, MissingExtraError
from chainrule.explain.expr import parse, parse_value, parse_assignments, ExprError
from chainrule.sweeps import forward_sweep, reverse_sweep
from chainrule import make_graph as record

PI2 = math.pi / 2


def notes_f(x, y):
    return (x + y) * cnp.sin(y)


@pytest.fixture(scope="module")
def example():
    return explain(notes_f, 1.0, PI2, quiet=True)


def test_notes_forward_table(example):
    rows = [(r["node"], r["definition"], float(r["value"]), float(r["tangent"]))
            for r in example.forward]
    want = [("x", "x = input", 1.0, 1.0), ("y", "y = input", PI2, 0.0),
            ("w1", "w1 = x + y", 1 + PI2, 1.0), ("w2", "w2 = sin(y)", 1.0, 0.0),
            ("w3", "w3 = w1 · w2", 1 + PI2, 1.0)]
    assert [r[:2] for r in rows] == [w[:2] for w in want]
    for got, exp in zip(rows, want):
        assert got[2:] == pytest.approx(exp[2:], abs=1e-12)
    assert round(float(example.value[0]), 3) == 2.571
    assert [float(c) for c in example.column] == pytest.approx([1.0])


def test_notes_backward_table(example):
    # (target, source, adjoint of source, ∂source/∂target, contribution, running total)
    want = [("w1", "w3", 1.0, 1.0, 1.0, 1.0),
            ("w2", "w3", 1.0, 1 + PI2, 1 + PI2, 1 + PI2),
            ("x", "w1", 1.0, 1.0, 1.0, 1.0),
            ("y", "w1", 1.0, 1.0, 1.0, 1.0),
            ("y", "w2", 1 + PI2, 0.0, 0.0, 1.0)]
    got = [(r["target"], r["source"], float(r["adjoint"]), r["partial"],
            float(r["contribution"]), float(r["total"])) for r in example.reverse]
    assert [g[:2] for g in got] == [w[:2] for w in want]
    for g, w in zip(got, want):
        assert g[2:] == pytest.approx(w[2:], abs=1e-12)
    texts = [r["text"] for r in example.reverse]
    assert texts[0] == "w\u03041 = w\u03043 · ∂w3/∂w1 = 1 · 1 = 1"
    assert texts[1] == "w\u03042 = w\u03043 · ∂w3/∂w2 = 1 · 2.571 = 2.571"
    assert texts[4].startswith("y\u0304 += w\u03042 · ∂w2/∂y = 2.571 · 0 = 0")
    assert example.reverse[4]["sum"] == "1 + 0 = 1"  # the notes' ȳ = 1 + 0
    assert [float(g) for g in example.gradient] == pytest.approx([1.0, 1.0])
    assert example.cost == {"n_inputs": 2, "n_outputs": 1, "forward_passes": 2,
                            "reverse_passes": 1, "cheaper": "reverse"}


def test_printed_report_has_notes_lines(example):
    text = str(example)
    for line in ["w1 = x + y", "2.571", "y\u0304 = 1 + 0 = 1", "∂f/∂x = 1, ∂f/∂y = 1",
                 "2 forward pass(es) or 1 reverse pass(es)"]:
        assert line in text


def test_accumulation_node_feeding_three():
    def f(x, y):
        w = x * y
        return cnp.sin(w) + cnp.cos(w) + cnp.exp(w)

    e = explain(f, 0.5, 2.0, quiet=True)
    w1 = e.graph.nodes[2]
    assert w1.name == "w1" and w1.op == "multiply"
    rows = [r for r in e.reverse if r["target"] == "w1"]
    assert [r["source"] for r in rows] == ["w2", "w3", "w5"]  # sin, cos, exp
    parts = [math.cos(1.0), -math.sin(1.0), math.exp(1.0)]
    assert [r["partial"] for r in rows] == pytest.approx(parts)
    assert [float(r["total"]) for r in rows] == pytest.approx(np.cumsum(parts))
    assert "+=" in rows[0]["text"] and "sum" in rows[-1]
    assert [float(g) for g in e.gradient] == pytest.approx(
        [float(g) for g in cr.grad(f, argnums=(0, 1))(0.5, 2.0)])


def test_sweeps_agree_with_transforms():
    def f(x, y):
        return cnp.exp(x * y) / (1.0 + y ** 2) - x * cnp.tanh(y)

    g = record(f)(0.3, -0.7)
    fwd = forward_sweep(g, "y")
    _, t = cr.jvp(f, (0.3, -0.7), (0.0, 1.0))
    assert float(fwd[g.outputs[0]]) == pytest.approx(float(t))
    ups = reverse_sweep(g)
    adj = {u.target: u.total for u in ups}
    assert [float(adj["x"]), float(adj["y"])] == pytest.approx(
        [float(v) for v in cr.grad(f, argnums=(0, 1))(0.3, -0.7)])


def test_array_inputs():
    f = lambda x: cnp.sum(cnp.sin(x) * x)  # noqa: E731
    x = np.array([0.1, 0.2, 0.3])
    e = explain(f, x, quiet=True, seed="x[1]")
    assert np.allclose(e.gradient[0], cr.grad(f)(x))
    assert float(e.column[0]) == pytest.approx(np.cos(0.2) * 0.2 + np.sin(0.2))
    assert e.cost["n_inputs"] == 3 and e.cost["cheaper"] == "reverse"
    assert any(r["partial"] is None for r in e.reverse)


def test_bad_mode_and_seed():
    with pytest.raises(ValueError, match="mode"):
        explain(notes_f, 1.0, 2.0, mode="sideways", quiet=True)
    with pytest.raises(ValueError, match="unknown seed"):
        explain(notes_f, 1.0, 2.0, seed="z", quiet=True)


def _parse_dot(text):
    nodes = dict(re.findall(r'^\s*"([^"]+)" \[label="((?:[^"\\]|\\.)*)"', text, re.M))
    edges = re.findall(r'^\s*"([^"]+)" -> "([^"]+)";', text, re.M)
    return nodes, edges


def test_dot_round_trip(example):
    g = example.graph
    nodes, edges = _parse_dot(to_dot(g, tangents=example.tangents, adjoints=example.adjoints))
    assert list(nodes) == [n.name for n in g.nodes]
    assert edges == g.edges == [("x", "w1"), ("y", "w1"), ("y", "w2"), ("w1", "w3"), ("w2", "w3")]
    assert nodes["w1"] == "w1 = x + y\\nvalue 2.571\\ntangent 1\\nadjoint 1"
    # make_graph's graph (no tape) can be drawn too
    assert _parse_dot(to_dot(cr.make_graph(notes_f)(1.0, PI2)))[1] == edges


def test_svg_one_box_per_node(example, tmp_path):
    path = render(example.graph, tmp_path / "g.svg", adjoints=example.adjoints)
    root = ET.parse(path).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    boxes = [r for r in root.iter(ns + "rect") if r.get("class") == "node"]
    assert len(boxes) == len(example.graph.nodes) == 5
    assert len([e for e in root.iter(ns + "path") if e.get("class") == "edge"]) == 5
    texts = " ".join(t.text for t in root.iter(ns + "text"))
    assert "w2 = sin(y)" in texts and "adjoint 2.571" in texts
    # inputs on the bottom row, the output on top (as in the notes' figure)
    y = {b.get("id"): float(b.get("y")) for b in boxes}
    assert y["node-x"] == y["node-y"] > y["node-w1"] == y["node-w2"] > y["node-w3"]


def test_png_file(example, tmp_path):
    pytest.importorskip("matplotlib")
    path = render(example.graph, tmp_path / "g.png", tangents=example.tangents)
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 2000


def test_png_without_matplotlib(example, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'chainrule\[viz\]'"):
        render(example.graph, tmp_path / "g.png")
    with pytest.raises(ValueError, match=".svg, .png"):
        render(example.graph, tmp_path / "g.jpg")


@pytest.mark.parametrize("bad, message", [
    ('__import__("os")', "unknown function '__import__'"),
    ("x.__class__", "attribute access"),
    ("os.system(x)", "attribute access"),
    ("(lambda: x)()", "lambda"),
    ("lambda x: x", "lambda"),
    ("x[0]", "subscripts"),
    ("x if x else y", "if/else"),
    ("x = 1", "single expression"),
    ("open(x)", "unknown function 'open'"),
    ("sin(x, y=1)", "keyword"),
    ("'a' + x", "only numbers"),
    ("x +", "cannot parse"),
    ("x // 2", "not allowed"),
])
def test_allow_list_refuses(bad, message):
    with pytest.raises(ExprError, match=re.escape(message)) as err:
        parse(bad)
    assert "\n" not in str(err.value)


def test_expression_values_and_backends():
    f = parse("(x + y) * sin(y)")
    assert f.variables == ("x", "y")
    assert parse_value("pi/2") == PI2 and parse_value("-2e-3") == -0.002
    assert parse_assignments(["x=1", "y=pi/2"]) == {"x": 1.0, "y": PI2}
    assert type(f.numpy(1.0, PI2, dtype=np.float32)) is np.float32
    assert [float(v) for v in cr.grad(f, argnums=(0, 1))(1.0, PI2)] == pytest.approx([1, 1])
    with pytest.raises(ExprError, match="no value given for y"):
        parse("x + y", variables=["x"])
    with pytest.raises(ExprError, match="malformed"):
        parse_assignments(["x"])
