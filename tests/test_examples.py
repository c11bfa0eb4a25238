"""The programs in examples/: each runs, its training lowers its objective, and the gradient of its
key function at the start point agrees with central finite differences."""
import importlib.util
import pathlib
import sys

import numpy as np

import chainrule as cr

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"


def load(name):
    """Import examples/<name>.py by path, writing no bytecode into the checkout."""
    spec = importlib.util.spec_from_file_location(f"_chainrule_example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    before = sys.dont_write_bytecode
    sys.dont_write_bytecode = True
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = before
    return module


def directional_check(f, x, rtol, h=1e-5, seed=0):
    """⟨∇f(x), v⟩ against (f(x + hv) − f(x − hv)) / 2h along a random unit direction v."""
    x = np.asarray(x, dtype=np.float64)
    v = np.random.RandomState(seed).randn(*x.shape)
    v /= np.linalg.norm(v)
    g = np.asarray(cr.grad(f)(x))
    assert g.shape == x.shape and np.all(np.isfinite(g))
    fd = (float(f(x + h * v)) - float(f(x - h * v))) / (2 * h)
    ad = float(np.sum(g * v))
    assert abs(ad - fd) <= rtol * max(abs(fd), 1e-3), (ad, fd)
    return ad, fd




def run(name, capsys):
    module = load(name)
    out = module.main()
    printed = capsys.readouterr().out
    assert printed.count("\n") >= 2
    return module, out


def test_examples_readme_lists_every_example():
    text = (EXAMPLES / "README.md").read_text()
    names = sorted(p.stem for p in EXAMPLES.glob("*.py"))
    assert names == ["conv_layer", "gaussian_process", "ode_fit", "spectral", "variational_inference"]
    for name in names:
        assert f"{name}.py" in text
    assert "python examples/gaussian_process.py" in text


def test_gaussian_process(capsys):
    module, out = run("gaussian_process", capsys)
    assert out["final"] < out["initial"] - 10
    assert out["rmse"] < 0.2
    cr.check_grads(out["objective"], (out["start"],), order=1, modes=("fwd", "rev"))
    cr.check_grads(out["objective"], (out["params"],), order=1, modes=("rev",))


def test_variational_inference(capsys):
    module, out = run("variational_inference", capsys)
    assert out["final"] > out["initial"] + 3
    assert -0.2 < out["final"] <= 0.05          # the target is normalised: the ELBO is at most log Z = 0
    assert np.allclose(out["mean"], [1.0, 0.9], atol=0.15)
    elbo = out["elbo"]
    cr.check_grads(lambda p: elbo(p, 0), (out["start"],), order=1, modes=("fwd", "rev"))
    directional_check(lambda p: elbo(p, 3), out["start"], rtol=1e-6)


def test_ode_fit(capsys):
    module, out = run("ode_fit", capsys)
    assert out["final"] < 0.1 * out["initial"]
    assert np.allclose(out["params"], [4.0, 0.3], rtol=0.1)
    # the ODE is solved to 1e-8, so the difference step is large and the tolerance loose
    directional_check(out["loss"], out["start"], rtol=1e-4, h=1e-3)
    g = cr.grad(out["loss"])(out["start"])
    for i in range(2):
        e = np.eye(2)[i] * 1e-3
        fd = (out["loss"](out["start"] + e) - out["loss"](out["start"] - e)) / 2e-3
        assert abs(g[i] - fd) <= 1e-4 * abs(fd), (i, g[i], fd)


def test_conv_layer(capsys):
    module, out = run("conv_layer", capsys)
    losses = out["losses"]
    assert losses[-1] < 0.5 * losses[0]
    assert all(b < a for a, b in zip(losses, losses[1:]))
    assert out["accuracy"] >= 0.9
    vector, unflatten = cr.flatten(out["start"])
    loss = lambda w: out["loss"](unflatten(w))
    cr.check_grads(loss, (vector,), order=1, modes=("rev",))
    directional_check(loss, vector, rtol=1e-6)


def test_spectral(capsys):
    module, out = run("spectral", capsys)
    assert out["final"] < 0.05 * out["initial"]
    cr.check_grads(out["misfit"], (out["start"],), order=1, modes=("fwd", "rev"))
    directional_check(out["misfit"], out["start"], rtol=1e-6)
    cr.check_grads(module.probe_temperature, (0.1,), order=1, modes=("fwd", "rev"))
    h = 1e-5
    fd = (module.probe_temperature(0.1 + h) - module.probe_temperature(0.1 - h)) / (2 * h)
    assert abs(out["dprobe"] - fd) <= 1e-6 * abs(fd)
