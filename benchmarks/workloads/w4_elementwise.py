"""W4: a chain of 20 elementwise operations on 10^6 float64, grad of sum.

The arrays are large, so each operation costs milliseconds of real arithmetic
and the per-operation bookkeeping of a tracer should vanish: the goal is to
stay within 5% of the hand-written forward + backward.

The fixed sequence keeps values tame (inputs in [-1, 1]; comments give the
range after each step); ``x * x`` uses its input twice, so the reverse pass has
to add two contributions.
"""

import numpy as np

from .base import Goal, Workload, vs_numpy

SIZE = 10**6


def chain(x, m):
    """The 20 operations; ``m`` is a NumPy-like module (sin, cos, tanh, exp, log, sqrt)."""
    x = m.sin(x)        # 1  [-0.85, 0.85]
    x = x * 1.0001      # 2
    x = x + 0.1         # 3  [-0.75, 0.95]
    x = m.tanh(x)       # 4
    x = m.exp(x)        # 5  [0.5, 2.1]
    x = x * 0.5         # 6  [0.25, 1.05]
    x = m.cos(x)        # 7  [0.5, 0.97]
    x = x + 0.5         # 8  [1.0, 1.47]
    x = m.log(x)        # 9  [0.0, 0.39]
    x = x * x           # 10 [0.0, 0.15]
    x = m.sin(x)        # 11
    x = m.tanh(x)       # 12
    x = x * 2.0         # 13 [0.0, 0.3]
    x = m.exp(x)        # 14 [1.0, 1.35]
    x = m.sqrt(x)       # 15 [1.0, 1.16]
    x = x + -0.3        # 16 [0.7, 0.86]
    x = m.sin(x)        # 17
    x = x * 1.0001      # 18
    x = m.tanh(x)       # 19
    x = x + 0.1         # 20
    return x


def arith(x):
    """W4-arith: 20 operations using only ``*`` and ``+`` (5 rounds of x*0.5, +0.1, x*x,
    +0.2; values stay in [0, 0.6] after the first round)."""
    for _ in range(5):
        x = x * 0.5
        x = x + 0.1
        x = x * x
        x = x + 0.2
    return x


def arith_numpy_impl(d):
    """Hand-written: keeps the input of each square; the backward pass is a product."""
    def grad():
        x = d["x"]
        kept = []
        for _ in range(5):
            x = x * 0.5 + 0.1
            kept.append(x)
            x = x * x + 0.2
        g = 2.0 * kept[-1]
        for k in kept[-2::-1]:
            g = g * (2.0 * k)
        return g * 0.5 ** 5
    return {"grad": grad}


def make_data():
    return {"x": np.random.default_rng(0).uniform(-1.0, 1.0, SIZE)}


def numpy_impl(d):
    """Hand-written: the forward pass keeps exactly what the backward needs
    (cos for sin, outputs of tanh/exp/sqrt, inputs of cos/log/square); the
    backward skips the adds and folds the constant factors into one scalar.
    Out-of-place NumPy throughout, as a tape-based AD would compute."""
    def grad():
        x = d["x"]
        c1 = np.cos(x); x = np.sin(x) * 1.0001 + 0.1
        t4 = np.tanh(x)
        e5 = np.exp(t4); x = e5 * 0.5
        x7 = x; x = np.cos(x) + 0.5
        x9 = x; x = np.log(x)
        x10 = x; x = x * x
        c11 = np.cos(x); x = np.sin(x)
        t12 = np.tanh(x)
        e14 = np.exp(t12 * 2.0)
        s15 = np.sqrt(e14); x = s15 - 0.3
        c17 = np.cos(x); x = np.sin(x) * 1.0001
        t19 = np.tanh(x)
        # backward, from d(sum)/dx20 = 1; constants: 1.0001 * 2 * 0.5 * 1.0001
        g = 1.0 - t19 * t19
        g = g * c17
        g = g * (0.5 / s15)
        g = g * e14
        g = g * (1.0 - t12 * t12)
        g = g * c11
        g = g * (2.0 * x10)
        g = g / x9
        g = g * -np.sin(x7)
        g = g * e5
        g = g * (1.0 - t4 * t4)
        g = g * c1
        return g * (1.0001 * 2.0 * 0.5 * 1.0001)
    return {"grad": grad}


def chainrule_impl(d):
    import chainrule as cr
    import chainrule.numpy as cnp

    g = cr.grad(lambda x: cnp.sum(chain(x, cnp)))
    return {"grad": lambda: g(d["x"])}


def chainrule_jit_impl(d):
    import chainrule as cr
    import chainrule.numpy as cnp

    g = cr.jit(cr.grad(lambda x: cnp.sum(chain(x, cnp))))
    return {"grad": lambda: g(d["x"])}


def autograd_impl(d):
    import autograd
    import autograd.numpy as anp

    g = autograd.grad(lambda x: anp.sum(chain(x, anp)))
    return {"grad": lambda: g(d["x"])}


def torch_impl(d):
    import torch

    x = torch.tensor(d["x"], requires_grad=True)
    return {"grad": lambda: torch.autograd.grad(chain(x, torch).sum(), x)[0]}


def _jax_grad():
    import jax
    import jax.numpy as jnp

    return jax.grad(lambda x: jnp.sum(chain(x, jnp)))


def jax_impl(d):
    import jax.numpy as jnp

    g, x = _jax_grad(), jnp.asarray(d["x"])
    return {"grad": lambda: g(x).block_until_ready()}


def jax_jit_impl(d):
    import jax
    import jax.numpy as jnp

    g, x = jax.jit(_jax_grad()), jnp.asarray(d["x"])
    return {"grad": lambda: g(x).block_until_ready()}


def arith_chainrule_impl(d):
    import chainrule as cr
    import chainrule.numpy as cnp

    g = cr.grad(lambda x: cnp.sum(arith(x)))
    return {"grad": lambda: g(d["x"])}


def arith_chainrule_jit_impl(d):
    import chainrule as cr
    import chainrule.numpy as cnp

    g = cr.jit(cr.grad(lambda x: cnp.sum(arith(x))))
    return {"grad": lambda: g(d["x"])}


def arith_autograd_impl(d):
    import autograd
    import autograd.numpy as anp

    g = autograd.grad(lambda x: anp.sum(arith(x)))
    return {"grad": lambda: g(d["x"])}


def arith_torch_impl(d):
    import torch

    x = torch.tensor(d["x"], requires_grad=True)
    return {"grad": lambda: torch.autograd.grad(arith(x).sum(), x)[0]}


WORKLOAD_ARITH = Workload(
    name="W4-arith",
    title="20-op chain of * and + only (x*0.5, +0.1, x*x, +0.2, five times) on float64[10^6], grad of sum",
    make_data=make_data,
    builders={"chainrule": arith_chainrule_impl, "chainrule-jit": arith_chainrule_jit_impl,
              "numpy": arith_numpy_impl,
              "autograd": arith_autograd_impl, "torch": arith_torch_impl},
    goals=[Goal("chainrule <= 1.05x hand-written NumPy", vs_numpy("grad"), 1.05)],
)

WORKLOAD = Workload(
    name="W4",
    title="20-op elementwise chain (sin, tanh, exp, cos, log, x*x, sqrt, *c, +c) on float64[10^6], grad of sum",
    make_data=make_data,
    builders={"chainrule": chainrule_impl, "chainrule-jit": chainrule_jit_impl,
              "numpy": numpy_impl, "autograd": autograd_impl, "torch": torch_impl,
              "jax": jax_impl, "jax-jit": jax_jit_impl},
    goals=[Goal("chainrule <= 1.05x hand-written NumPy", vs_numpy("grad"), 1.05)],
)
