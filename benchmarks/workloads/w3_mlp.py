"""W3: value_and_grad of a 784-256-256-10 tanh MLP, softmax cross-entropy.

Batch of 128, loss = mean(logsumexp(logits) - <onehot, logits>), gradient for
a dict of the six parameters (W1, b1, W2, b2, W3, b3); the inputs are not
differentiated.  Two sub-workloads: float64 and float32.  Large matrix
products dominate, so the time is mostly BLAS and the overhead of a tracer
should be a small fraction.
"""

import numpy as np

from .base import Goal, Workload, vs_numpy

SIZES = (784, 256, 256, 10)
BATCH = 128


def make_data(dtype):
    rng = np.random.default_rng(0)
    params = {}
    for i, (m, n) in enumerate(zip(SIZES[:-1], SIZES[1:]), start=1):
        params[f"W{i}"] = (rng.standard_normal((m, n)) / np.sqrt(m)).astype(dtype)
        params[f"b{i}"] = (0.1 * rng.standard_normal(n)).astype(dtype)
    x = rng.standard_normal((BATCH, SIZES[0])).astype(dtype)
    onehot = np.eye(SIZES[-1], dtype=dtype)[rng.integers(0, SIZES[-1], BATCH)]
    return {"params": params, "x": x, "onehot": onehot}


def loss_fn(tanh, logsumexp, total):
    """The loss, written once for any array library (functions passed in:
    ``logsumexp(z)`` over rows, ``total(a, axis=None)`` a sum)."""
    def loss(p, x, onehot):
        h1 = tanh(x @ p["W1"] + p["b1"])
        h2 = tanh(h1 @ p["W2"] + p["b2"])
        z = h2 @ p["W3"] + p["b3"]
        return total(logsumexp(z) - total(onehot * z, axis=1)) / BATCH
    return loss


def numpy_impl(d):
    """Hand-written backprop: tanh outputs reused for the derivative, softmax
    from the stable logsumexp pass, no gradient for the inputs."""
    p, x, y = d["params"], d["x"], d["onehot"]

    def value_and_grad():
        h1 = np.tanh(x @ p["W1"] + p["b1"])
        h2 = np.tanh(h1 @ p["W2"] + p["b2"])
        z = h2 @ p["W3"] + p["b3"]
        zmax = z.max(axis=1, keepdims=True)
        e = np.exp(z - zmax)
        s = e.sum(axis=1, keepdims=True)
        loss = (np.log(s[:, 0]) + zmax[:, 0] - (y * z).sum(axis=1)).sum() / BATCH
        dz = (e / s - y) / BATCH
        da2 = (dz @ p["W3"].T) * (1 - h2 * h2)
        da1 = (da2 @ p["W2"].T) * (1 - h1 * h1)
        grads = {"W3": h2.T @ dz, "b3": dz.sum(axis=0),
                 "W2": h1.T @ da2, "b2": da2.sum(axis=0),
                 "W1": x.T @ da1, "b1": da1.sum(axis=0)}
        return loss, grads
    return {"value_and_grad": value_and_grad}


def chainrule_impl(d):
    import chainrule as cr
    import chainrule.numpy as cnp
    import chainrule.scipy.special as csp

    loss = loss_fn(cnp.tanh, lambda z: csp.logsumexp(z, axis=1),
                   cnp.sum)
    vg = cr.value_and_grad(loss)
    return {"value_and_grad": lambda: vg(d["params"], d["x"], d["onehot"])}


def chainrule_jit_impl(d):
    import chainrule as cr
    import chainrule.numpy as cnp
    import chainrule.scipy.special as csp

    loss = loss_fn(cnp.tanh, lambda z: csp.logsumexp(z, axis=1),
                   cnp.sum)
    vg = cr.jit(cr.value_and_grad(loss))
    return {"value_and_grad": lambda: vg(d["params"], d["x"], d["onehot"])}


def autograd_impl(d):
    import autograd
    import autograd.numpy as anp
    from autograd.scipy.special import logsumexp

    loss = loss_fn(anp.tanh, lambda z: logsumexp(z, axis=1),
                   anp.sum)
    vg = autograd.value_and_grad(loss)
    return {"value_and_grad": lambda: vg(d["params"], d["x"], d["onehot"])}


def torch_impl(d):
    import torch

    params = {k: torch.tensor(v, requires_grad=True) for k, v in d["params"].items()}
    x, y = torch.from_numpy(d["x"]), torch.from_numpy(d["onehot"])
    loss = loss_fn(torch.tanh, lambda z: torch.logsumexp(z, dim=1),
                   lambda a, axis=None: a.sum() if axis is None else a.sum(dim=axis))
    keys = list(params)

    def value_and_grad():
        val = loss(params, x, y)
        grads = torch.autograd.grad(val, [params[k] for k in keys])
        return val, dict(zip(keys, grads))
    return {"value_and_grad": value_and_grad}


def _jax_value_and_grad():
    import jax
    import jax.numpy as jnp
    from jax.scipy.special import logsumexp

    loss = loss_fn(jnp.tanh, lambda z: logsumexp(z, axis=1),
                   jnp.sum)
    return jax.value_and_grad(loss)


def _jax_args(d):
    import jax.numpy as jnp

    return ({k: jnp.asarray(v) for k, v in d["params"].items()},
            jnp.asarray(d["x"]), jnp.asarray(d["onehot"]))


def jax_impl(d):
    import jax

    vg, args = _jax_value_and_grad(), _jax_args(d)
    return {"value_and_grad": lambda: jax.block_until_ready(vg(*args))}


def jax_jit_impl(d):
    import jax

    vg, args = jax.jit(_jax_value_and_grad()), _jax_args(d)
    return {"value_and_grad": lambda: jax.block_until_ready(vg(*args))}


def _workload(dtype):
    return Workload(
        name=f"W3-{'f64' if dtype == 'float64' else 'f32'}",
        title=(f"value_and_grad, {'-'.join(map(str, SIZES))} tanh MLP + softmax "
               f"cross-entropy (logsumexp), batch {BATCH}, {dtype}, dict of 6 params"),
        make_data=lambda: make_data(dtype),
        builders={"chainrule": chainrule_impl, "chainrule-jit": chainrule_jit_impl,
                  "numpy": numpy_impl,
                  "autograd": autograd_impl, "torch": torch_impl,
                  "jax": jax_impl, "jax-jit": jax_jit_impl},
        cases=("value_and_grad",),
        dtype=dtype,
        goals=[Goal("chainrule <= 1.15x hand-written NumPy", vs_numpy("value_and_grad"), 1.15)],
    )


WORKLOADS = [_workload("float64"), _workload("float32")]
