"""explain on array inputs: shapes shown, the forward seed stated as one entry, small
gradients in full and large ones by their norm; never an array's derivative printed
as if it were one number. And the notes' example stays exactly as it was."""

import math
import re

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.explain import explain
from chainrule.explain.cli import main
from chainrule.explain.tables import fmt

RNG = np.random.default_rng(0)
PARAMS = {"W1": RNG.normal(size=(3, 4)), "b1": np.zeros(4), "W2": RNG.normal(size=(4, 2)),
          "b2": np.zeros(2)}
X = RNG.normal(size=(5, 3))


def mlp(p, x):
    h = cnp.tanh(x @ p["W1"] + p["b1"])
    return cnp.sum((h @ p["W2"] + p["b2"]) ** 2)


def test_mlp_report_states_shapes_seed_and_gradients():
    e = explain(mlp, PARAMS, X, quiet=True)
    grad = cr.grad(mlp)(PARAMS, X)
    text = str(e)
    assert "seed p\u0307['W1'] = unit vector at p['W1'][0, 0] (p['W1'] has shape 3×4)" in text
    # the forward pass is the partial derivative by one entry, and says so
    assert (f"forward: directional derivative along the seed = ∂f/∂p['W1'][0, 0] = "
            f"{fmt(grad['W1'][0, 0])}") in text
    # small arrays in full, with their shape; a large one by its norm
    assert f"∂f/∂p['b2'] = [{fmt(grad['b2'][0])}, {fmt(grad['b2'][1])}] (shape 2)" in text
    assert "∂f/∂p['W1'] = [[" + fmt(grad["W1"][0, 0]) in text
    big = explain(lambda w: cnp.sum(cnp.sin(w)), np.linspace(0, 1, 20), quiet=True)
    assert f"∂f/∂w: shape 20, ‖·‖ = {fmt(np.linalg.norm(np.cos(np.linspace(0, 1, 20))))}" \
        in str(big)
    # never "∂f/∂<array> = <one number>"
    for name in ("p['W1']", "p['W2']", "p['b1']", "p['b2']", "x"):
        assert not re.search(re.escape(f"∂f/∂{name} = ") + r"-?\d", text), name
    # the forward table has a shape column
    header = text.splitlines()[1].split()
    assert header == ["node", "definition", "shape", "value", "tangent"]
    assert re.search(r"^p\['W2'\]\s+p\['W2'\] = input\s+4×2\s+4×2 array, ‖·‖ = ", text, re.M)


def test_seed_by_entry_of_a_pytree_leaf():
    e = explain(mlp, PARAMS, X, quiet=True, mode="forward", seed="p['W2'][3, 1]")
    assert float(e.column[0]) == pytest.approx(cr.grad(mlp)(PARAMS, X)["W2"][3, 1], rel=1e-12)
    assert "unit vector at p['W2'][3, 1]" in str(e)
    e = explain(mlp, PARAMS, X, quiet=True, mode="forward", seed="p['b1'][2]")
    assert e.seed_at == ("p['b1']", "[2]", (4,))
    with pytest.raises(ValueError):
        explain(mlp, PARAMS, X, quiet=True, seed="p['W2'][4, 0]")


def test_notes_example_text_unchanged():
    e = explain(lambda x, y: (x + y) * cnp.sin(y), 1.0, math.pi / 2, quiet=True)
    assert str(e).splitlines()[:3] == [
        "Forward mode (dual numbers), seed x\u0307 = 1, other seeds 0",
        "node  definition         value  tangent",
        "----  -----------------  -----  ----------------------"]
    assert str(e).splitlines()[-3:-1] == [
        "  forward: ∂f/∂x = 1  (one Jacobian column per forward pass)",
        "  reverse: ∂f/∂x = 1, ∂f/∂y = 1  (one Jacobian row per reverse pass)"]


def test_cli_writes_the_html_page(tmp_path, capsys):
    out = tmp_path / "page.html"
    assert main(["explain", "(x + y) * sin(y)", "--at", "x=1", "y=pi/2", "--html", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count('class="node"') == 5
    assert page.count("<tr data-step=") == 10 and "<script src" not in page
    assert "HTML page written to" in capsys.readouterr().out
    assert main(["demo", "--html", str(tmp_path / "d.txt")]) == 2
    assert "--html must name a .html file" in capsys.readouterr().err
