"""autograd.misc.fixed_points: ``fixed_point(f, a, x0, distance, tol)``.

The iteration is autograd's: ``x <- f(a)(x)`` from ``x0`` until ``distance(x, x_prev) <=
tol``, on values that carry no derivative; the derivative in ``a`` is then that of
:func:`chainrule.solvers.fixed_point` at the solution (the implicit function theorem), so
the loop itself is never differentiated. As in autograd, ``x0`` gets no derivative.
"""
import chainrule as cr

__all__ = ["fixed_point"]


def fixed_point(f, a, x0, distance, tol):
    """The fixed point of ``f(a)``, differentiable in ``a``.

    >>> import chainrule.autograd as autograd, chainrule.autograd.numpy as np
    >>> # x = (x + a / x) / 2 has the fixed point sqrt(a); d sqrt(a)/da = 1 / (2 sqrt(a)).
    >>> newton_sqrt = lambda a: lambda x: 0.5 * (x + a / x)
    >>> dist = lambda x, y: np.abs(x - y)
    >>> sqrt = lambda a: fixed_point(newton_sqrt, a, 1.0, dist, 1e-12)
    >>> round(float(sqrt(4.0)), 10), round(float(autograd.grad(sqrt)(4.0)), 10)
    (2.0, 0.25)
    """
    step = f(cr.stop_gradient(a))
    x, previous = step(x0), x0
    while distance(x, previous) > tol:
        x, previous = step(x), x
    # The solver takes autograd's last step again (tol=inf: one step), from the previous
    # iterate, so the value is autograd's exactly; its derivative in a comes from the
    # implicit function theorem at that value (autograd's iterates an adjoint fixed point to
    # the same tol instead, so the two agree to about tol).
    return cr.solvers.fixed_point(lambda x, a: f(a)(x), cr.stop_gradient(previous), a,
                                  tol=float("inf"), method="iterate")
