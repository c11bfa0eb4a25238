"""W5 (informational): full Jacobian of f(x) = tanh(W x), W of shape (m, n).

Forward mode suits few inputs, reverse mode few outputs:
  W5-fwd: n = 10 inputs, m = 1000 outputs, with jacfwd;
  W5-rev: n = 1000 inputs, m = 10 outputs, with jacrev.
The hand-written version is the closed form diag(1 - tanh(Wx)^2) W.
No goal: the figures show how each library's vectorised Jacobian scales.
"""

import numpy as np

from .base import Workload


def make_data(n, m):
    rng = np.random.default_rng(0)
    return {"W": rng.standard_normal((m, n)) / np.sqrt(n), "x": rng.standard_normal(n)}


def numpy_impl(d):
    W, x = d["W"], d["x"]

    def jacobian():
        t = np.tanh(W @ x)
        return (1.0 - t * t)[:, None] * W
    return {"jacobian": jacobian}


def chainrule_impl(d, mode):
    import chainrule as cr
    import chainrule.numpy as cnp

    W, x = d["W"], d["x"]
    jac = {"fwd": cr.jacfwd, "rev": cr.jacrev}[mode](lambda v: cnp.tanh(W @ v))
    return {"jacobian": lambda: jac(x)}


def chainrule_jit_impl(d, mode):
    import chainrule as cr
    import chainrule.numpy as cnp

    W, x = d["W"], d["x"]
    jac = cr.jit({"fwd": cr.jacfwd, "rev": cr.jacrev}[mode](lambda v: cnp.tanh(W @ v)))
    return {"jacobian": lambda: jac(x)}


def autograd_impl(d, mode):
    """autograd has one (reverse-mode, row by row) jacobian for both shapes."""
    import autograd
    import autograd.numpy as anp

    W, x = d["W"], d["x"]
    jac = autograd.jacobian(lambda v: anp.tanh(anp.dot(W, v)))
    return {"jacobian": lambda: jac(x)}


def torch_impl(d, mode):
    import torch
    from torch.autograd.functional import jacobian

    W, x = torch.from_numpy(d["W"]), torch.from_numpy(d["x"])
    strategy = {"fwd": "forward-mode", "rev": "reverse-mode"}[mode]
    f = lambda v: torch.tanh(W @ v)  # noqa: E731
    return {"jacobian": lambda: jacobian(f, x, vectorize=True, strategy=strategy)}


def _jax_jac(d, mode):
    import jax
    import jax.numpy as jnp

    W, x = jnp.asarray(d["W"]), jnp.asarray(d["x"])
    jac = {"fwd": jax.jacfwd, "rev": jax.jacrev}[mode](lambda v: jnp.tanh(W @ v))
    return jac, x


def jax_impl(d, mode):
    jac, x = _jax_jac(d, mode)
    return {"jacobian": lambda: jac(x).block_until_ready()}


def jax_jit_impl(d, mode):
    import jax

    jac, x = _jax_jac(d, mode)
    jac = jax.jit(jac)
    return {"jacobian": lambda: jac(x).block_until_ready()}


def _workload(mode, n, m):
    def bind(impl):
        return lambda d: impl(d, mode)
    return Workload(
        name=f"W5-{mode}",
        title=f"jac{mode} of tanh(W x), n={n} inputs, m={m} outputs (informational)",
        make_data=lambda: make_data(n, m),
        builders={"chainrule": bind(chainrule_impl), "chainrule-jit": bind(chainrule_jit_impl),
                  "numpy": numpy_impl,
                  "autograd": bind(autograd_impl), "torch": bind(torch_impl),
                  "jax": bind(jax_impl), "jax-jit": bind(jax_jit_impl)},
        cases=("jacobian",),
        note=("autograd: its only jacobian (reverse mode, one vjp per output); "
              "torch: autograd.functional.jacobian(vectorize=True)"),
    )


WORKLOADS = [_workload("fwd", 10, 1000), _workload("rev", 1000, 10)]
