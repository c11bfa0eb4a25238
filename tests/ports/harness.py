"""What tests/test_ports_*.py share: loading a ported program, and a directional
central-difference check of a gradient."""
import importlib.util
import pathlib
import sys

import numpy as onp

PORTS = pathlib.Path(__file__).resolve().parent  # tests/ports


def load(name):
    """Import tests/ports/<name>.py by path, writing no bytecode into the checkout."""
    spec = importlib.util.spec_from_file_location(f"_chainrule_port_{name}", PORTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    before, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = before
    return module


def directional(f, x, g, h=1e-5, seed=0, rtol=1e-6):
    """⟨g, v⟩ (g = ∇f(x) from chainrule) against (f(x + hv) − f(x − hv)) / 2h, v a random unit
    direction in float64."""
    x = onp.asarray(x, dtype=onp.float64)
    v = onp.random.RandomState(seed).randn(*x.shape)
    v /= onp.linalg.norm(v)
    fd = (float(f(x + h * v)) - float(f(x - h * v))) / (2 * h)
    ad = float(onp.sum(onp.asarray(g) * v))
    assert abs(ad - fd) <= rtol * max(abs(fd), 1.0), (ad, fd)
