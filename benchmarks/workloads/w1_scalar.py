"""W1: gradient of the worked example f(x, y) = (x + y) * sin(y), Python floats.

Measures the fixed cost of one ``grad`` call on scalars: df/dx = sin(y),
df/dy = sin(y) + (x + y) cos(y), at (1.0, pi/2), with respect to both args.
The gradient function is built once; each timed call evaluates it.
"""

import math

from .base import Goal, Workload, chainrule_time

X, Y = 1.0, math.pi / 2


def make_data():
    return {"x": X, "y": Y}


def numpy_impl(d):
    """Hand-written: one sin, one cos (math module: the floor for floats)."""
    def grad():
        x, y = d["x"], d["y"]
        s = math.sin(y)
        return s, s + (x + y) * math.cos(y)
    return {"grad": grad}


def chainrule_impl(d):
    import chainrule as cr
    import chainrule.numpy as cnp

    g = cr.grad(lambda x, y: (x + y) * cnp.sin(y), argnums=(0, 1))
    return {"grad": lambda: g(d["x"], d["y"])}


def chainrule_jit_impl(d):
    import chainrule as cr
    import chainrule.numpy as cnp

    g = cr.jit(cr.grad(lambda x, y: (x + y) * cnp.sin(y), argnums=(0, 1)))
    return {"grad": lambda: g(d["x"], d["y"])}


def autograd_impl(d):
    import autograd
    import autograd.numpy as anp

    g = autograd.grad(lambda x, y: (x + y) * anp.sin(y), argnum=(0, 1))
    return {"grad": lambda: g(d["x"], d["y"])}


def torch_impl(d):
    """Per call: box the floats as leaf tensors, forward, autograd.grad."""
    import torch

    def grad():
        x = torch.tensor(d["x"], dtype=torch.float64, requires_grad=True)
        y = torch.tensor(d["y"], dtype=torch.float64, requires_grad=True)
        return torch.autograd.grad((x + y) * torch.sin(y), (x, y))
    return {"grad": grad}


def _jax_grad():
    import jax
    import jax.numpy as jnp

    return jax.grad(lambda x, y: (x + y) * jnp.sin(y), argnums=(0, 1))


def jax_impl(d):
    g = _jax_grad()
    return {"grad": lambda: g(d["x"], d["y"])}


def jax_jit_impl(d):
    import jax

    g = jax.jit(_jax_grad())
    return {"grad": lambda: g(d["x"], d["y"])}


WORKLOAD = Workload(
    name="W1",
    title="grad of (x + y) * sin(y) at (1.0, pi/2) w.r.t. both args, Python floats",
    make_data=make_data,
    builders={"chainrule": chainrule_impl, "chainrule-jit": chainrule_jit_impl,
              "numpy": numpy_impl,
              "autograd": autograd_impl, "torch": torch_impl,
              "jax": jax_impl, "jax-jit": jax_jit_impl},
    goals=[Goal("chainrule grad call <= 10 µs", chainrule_time("grad", 1e6), 10.0, "µs")],
    note="torch boxes the floats into leaf tensors inside each call.",
)
