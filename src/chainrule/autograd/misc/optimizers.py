"""autograd.misc.optimizers: ``sgd``, ``rmsprop`` and ``adam`` over pytrees.

Each takes ``grad(params, i)`` and ``x0`` (any pytree of arrays), calls
``callback(params, i, gradient)`` each iteration, and returns parameters shaped like
``x0``: the optimiser itself runs on the flat vector (:func:`unflatten_optimizer`).
"""
import functools

import chainrule as cr
import chainrule.numpy as cnp

__all__ = ["unflatten_optimizer", "sgd", "rmsprop", "adam"]


def _as_real(leaf):
    kind = cnp.asarray(leaf).dtype.kind
    return cnp.asarray(leaf, dtype=float) if kind in "biu" else leaf


def unflatten_optimizer(optimize):
    """Turn ``optimize(grad, x, callback, ...)`` on flat vectors into one on pytrees.

    >>> @unflatten_optimizer
    ... def halve(grad, x, callback=None):
    ...     return 0.5 * x
    >>> out = halve(None, {"a": 2.0, "b": [4.0]})
    >>> float(out["a"]), float(out["b"][0])
    (1.0, 2.0)
    """
    @functools.wraps(optimize)
    def optimize_tree(grad, x0, callback=None, *args, **kwargs):
        # An integer or bool starting point is a point of a real space (autograd's answer):
        # unflattening into its own dtype would truncate every step silently.
        x0 = cr.tree.tree_map(_as_real, x0)
        flat_x0, unflatten = cr.flatten(x0)

        def flat_grad(x, i):
            return cr.flatten(grad(unflatten(x), i))[0]

        flat_callback = None
        if callback:
            def flat_callback(x, i, g):
                return callback(unflatten(x), i, unflatten(g))
        return unflatten(optimize(flat_grad, flat_x0, flat_callback, *args, **kwargs))
    return optimize_tree


@unflatten_optimizer
def sgd(grad, x, callback=None, num_iters=200, step_size=0.1, mass=0.9):
    """Gradient descent with momentum: v <- mass·v − (1 − mass)·g, x <- x + step_size·v.

    >>> sgd(lambda x, i: 2.0 * x, 1.0, num_iters=500, step_size=0.5) < 1e-6
    np.True_
    """
    velocity = cnp.zeros(len(x))
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        velocity = mass * velocity - (1.0 - mass) * g
        x = x + step_size * velocity
    return x


@unflatten_optimizer
def rmsprop(grad, x, callback=None, num_iters=100, step_size=0.1, gamma=0.9, eps=1e-8):
    """RMSProp: steps scaled by a running root mean square of the gradient.

    >>> abs(rmsprop(lambda x, i: 2.0 * x, 1.0, num_iters=300, step_size=0.01)) < 0.05
    np.True_
    """
    avg_sq_grad = cnp.ones(len(x))
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        avg_sq_grad = avg_sq_grad * gamma + g ** 2 * (1 - gamma)
        x = x - step_size * g / (cnp.sqrt(avg_sq_grad) + eps)
    return x


@unflatten_optimizer
def adam(grad, x, callback=None, num_iters=100, step_size=0.001, b1=0.9, b2=0.999, eps=1e-8):
    """Adam (Kingma and Ba): bias-corrected first and second moment estimates.

    >>> abs(adam(lambda x, i: 2.0 * x, 1.0, num_iters=1000, step_size=0.01)) < 0.01
    np.True_
    """
    m = cnp.zeros(len(x))
    v = cnp.zeros(len(x))
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        m = (1 - b1) * g + b1 * m
        v = (1 - b2) * g ** 2 + b2 * v
        mhat = m / (1 - b1 ** (i + 1))
        vhat = v / (1 - b2 ** (i + 1))
        x = x - step_size * mhat / (cnp.sqrt(vhat) + eps)
    return x
