"""W6: Rosenbrock function, n = 10^5: the function, its gradient, a Hessian-vector product.

f(x) = sum(100 (x[1:] - x[:-1]^2)^2 + (1 - x[:-1])^2)

Cases per implementation: ``f`` (plain evaluation), ``grad``, ``hvp`` (H v for
a fixed v).  The goals are about each library's own ratios: a gradient should
cost a small multiple of the function (grad/f <= 3), and forward-over-reverse
H v a small multiple of the gradient (hvp/grad <= 2).
"""

import numpy as np

from .base import Goal, Workload, chainrule_ratio

SIZE = 10**5


def rosenbrock(x, total):
    """f, written once for any array library (``total`` = its sum)."""
    return total(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def make_data():
    rng = np.random.default_rng(0)
    return {"x": rng.uniform(-1.5, 1.5, SIZE), "v": rng.standard_normal(SIZE)}


def numpy_impl(d):
    """f as written; gradient and the tridiagonal H v in closed form."""
    x, v = d["x"], d["v"]

    def grad():
        xa = x[:-1]
        r = x[1:] - xa * xa
        g = np.empty_like(x)
        g[:-1] = -400.0 * xa * r - 2.0 * (1.0 - xa)
        g[-1] = 0.0
        g[1:] += 200.0 * r
        return g

    def hvp():
        xa, xb, va, vb = x[:-1], x[1:], v[:-1], v[1:]
        off = -400.0 * xa  # d2f / dx_i dx_{i+1}
        hv = np.empty_like(x)
        hv[:-1] = (1200.0 * xa * xa - 400.0 * xb + 2.0) * va + off * vb
        hv[-1] = 0.0
        hv[1:] += off * va + 200.0 * vb
        return hv

    return {"f": lambda: rosenbrock(x, np.sum), "grad": grad, "hvp": hvp}


def chainrule_impl(d):
    import chainrule as cr
    import chainrule.numpy as cnp

    x, v = d["x"], d["v"]
    f = lambda x: rosenbrock(x, cnp.sum)  # noqa: E731
    g = cr.grad(f)
    return {"f": lambda: f(x), "grad": lambda: g(x),
            "hvp": lambda: cr.hvp(f, (x,), (v,))}


def chainrule_jit_impl(d):
    import chainrule as cr
    import chainrule.numpy as cnp

    x, v = d["x"], d["v"]
    f = lambda x: rosenbrock(x, cnp.sum)  # noqa: E731
    jf, g = cr.jit(f), cr.jit(cr.grad(f))
    hvp = cr.jit(lambda x, v: cr.hvp(f, (x,), (v,)))
    return {"f": lambda: jf(x), "grad": lambda: g(x), "hvp": lambda: hvp(x, v)}


def autograd_impl(d):
    """hvp: autograd's hessian_vector_product (reverse over reverse)."""
    import autograd
    import autograd.numpy as anp

    x, v = d["x"], d["v"]
    f = lambda x: rosenbrock(x, anp.sum)  # noqa: E731
    g, hvp = autograd.grad(f), autograd.hessian_vector_product(f)
    return {"f": lambda: f(x), "grad": lambda: g(x), "hvp": lambda: hvp(x, v)}


def torch_impl(d):
    """hvp: double backward, grad(<grad f, v>) with create_graph=True."""
    import torch

    x, v = torch.from_numpy(d["x"]), torch.from_numpy(d["v"])
    xg = x.clone().requires_grad_(True)
    f = lambda x: rosenbrock(x, torch.sum)  # noqa: E731

    def grad():
        return torch.autograd.grad(f(xg), xg)[0]

    def hvp():
        (g,) = torch.autograd.grad(f(xg), xg, create_graph=True)
        return torch.autograd.grad(g, xg, grad_outputs=v)[0]

    return {"f": lambda: f(x), "grad": grad, "hvp": hvp}


def _jax_fns(jit):
    """f, grad and forward-over-reverse hvp (jax.jvp of jax.grad)."""
    import jax
    import jax.numpy as jnp

    f = lambda x: rosenbrock(x, jnp.sum)  # noqa: E731
    g = jax.grad(f)
    hvp = lambda x, v: jax.jvp(g, (x,), (v,))[1]  # noqa: E731
    wrap = jax.jit if jit else (lambda fn: fn)
    return wrap(f), wrap(g), wrap(hvp)


def _jax_impl(d, jit):
    import jax.numpy as jnp

    x, v = jnp.asarray(d["x"]), jnp.asarray(d["v"])
    f, g, hvp = _jax_fns(jit)
    return {"f": lambda: f(x).block_until_ready(),
            "grad": lambda: g(x).block_until_ready(),
            "hvp": lambda: hvp(x, v).block_until_ready()}


def _ratio(num, den):
    return lambda t: t[num] / t[den]


WORKLOAD = Workload(
    name="W6",
    title=f"Rosenbrock, n={SIZE}: f, grad, hvp (H v)",
    make_data=make_data,
    builders={"chainrule": chainrule_impl, "chainrule-jit": chainrule_jit_impl,
              "numpy": numpy_impl,
              "autograd": autograd_impl, "torch": torch_impl,
              "jax": lambda d: _jax_impl(d, False),
              "jax-jit": lambda d: _jax_impl(d, True)},
    cases=("f", "grad", "hvp"),
    ratio_cases=("grad", "hvp"),
    extras=[("grad/f", _ratio("grad", "f")), ("hvp/grad", _ratio("hvp", "grad"))],
    goals=[Goal("chainrule grad <= 3x its f", chainrule_ratio("grad", "f"), 3.0),
           Goal("chainrule hvp <= 2x its grad", chainrule_ratio("hvp", "grad"), 2.0)],
    note="hand-written grad/hvp are closed forms; torch hvp = double backward, "
         "autograd = reverse over reverse, jax = jvp of grad",
)

