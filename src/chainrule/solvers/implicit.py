"""Roots and fixed points differentiated by the implicit function theorem.

``x = root(F, x0, *params)`` solves ``F(x, *params) = 0`` with
:func:`~chainrule.solvers.newton_krylov`. Its derivatives with respect to
``params`` never go through the Newton iterations: from ``F(x(p), p) = 0``,

- reverse mode solves ``Jᵀ λ = ḡ`` (``J = ∂F/∂x`` at the solution) by GMRES
  on VJPs, and returns ``-(∂F/∂p)ᵀ λ``;
- forward mode solves ``J ẋ = -(∂F/∂p) ṗ`` by GMRES on JVPs.

The solution is a :class:`chainrule.custom_vjp`; its reverse rule calls a
differentiable linear solve (a ``custom_vjp`` pair, each solve's derivative
being the other, transposed solve, as JAX's ``custom_linear_solve``), so
forward mode (``jvp``, ``jacfwd``) and higher derivatives are derived
correctly too.

>>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
>>> F = lambda x, a: x ** 2 - a          # x = sqrt(a)
>>> round(float(cr.grad(lambda a: root(F, 1.0, a))(4.0)), 12)
0.25
"""

import warnings

import numpy as np

import chainrule as cr
from chainrule import tree as _tree

from chainrule.transforms.jit import refuse_staging
from .gmres import gmres
from .newton import newton_krylov, NoConvergence

__all__ = ["root", "fixed_point"]


def _is_traced(tree):
    return any(hasattr(x, "_trace") for x in _tree.flatten(tree)[0])


def _refuse_closures(F, x0, params, who):
    """F must receive every differentiated value through ``params``: the implicit
    derivative only sees those. One evaluation at plain values tells."""
    plain_x, plain_p = cr.stop_gradient(x0), cr.stop_gradient(tuple(params))
    # What stop_gradient leaves traced is not being differentiated: jit's tracers (then
    # jit runs the function eagerly) or vmap's (Newton's iterations run on NumPy values)
    left = [x for x in _tree.flatten((plain_x, plain_p))[0] if hasattr(x, "_trace")]
    refuse_staging(left, f"{who} runs Newton's method on NumPy values: it cannot be staged")
    if left:
        raise TypeError(f"{who} runs its iterations on NumPy values and cannot take traced "
                        f"values that are not differentiated (it cannot run under vmap: call "
                        f"it once per batch element)")
    if _is_traced(F(plain_x, *plain_p)):
        raise TypeError(
            f"{who}: the function closes over a value that is being differentiated, so the "
            f"implicit derivative cannot see it. Pass it as a parameter instead: "
            f"{who}(F, x0, a) with F(x, a).")


def _neg(tree):
    return _tree.tree_map(lambda c: None if c is None else -c, tree)


def _working(tree):
    """``tree`` with float leaves narrower than float64 widened to it (the precision
    :func:`~chainrule.solvers.newton_krylov` solves in)."""
    def widen(v):
        dt = getattr(v, "dtype", None)  # (a tracer too, under higher-order derivatives)
        if dt is None or dt.kind not in "fc" or np.result_type(dt, np.float64) == dt:
            return v
        return v.astype(np.result_type(dt, np.float64))
    return _tree.tree_map(widen, tree)


def _zeros_like(tree):
    return _tree.tree_map(lambda x: np.zeros_like(np.asarray(x, dtype=float)), tree)


def _vdot(a, b):
    """Sum of elementwise products of two pytrees (chainrule ops, differentiable)."""
    import chainrule.numpy as cnp
    la, lb = _tree.flatten(a)[0], _tree.flatten(b)[0]
    total = 0.0
    for x, y in zip(la, lb):
        total = total + cnp.sum(x * y)
    return total


def _is_float_leaf(x):
    if hasattr(x, "_trace"):
        return True
    return np.result_type(x).kind == "f" if not isinstance(x, float) else True


def _vjp_float(fun, args, ct):
    """Cotangents of ``fun(*args)`` for ``ct``, over the float leaves of ``args``.

    Integer or boolean leaves (a grid size, a flag) get float zeros instead of
    an error: they are constants of the problem.
    """
    leaves, tdef = _tree.flatten(tuple(args))
    idx = [i for i, x in enumerate(leaves) if _is_float_leaf(x)]

    def sub(*fl):
        full = list(leaves)
        for i, v in zip(idx, fl):
            full[i] = v
        return fun(*_tree.unflatten(tdef, full))
    _, pull = cr.vjp(sub, *[leaves[i] for i in idx])
    got = pull(ct)
    out = [np.zeros(np.shape(x)) for x in leaves]
    for i, g in zip(idx, got):
        out[i] = g
    return _tree.unflatten(tdef, out)


class _Problem:
    """F with its solver options; builds the differentiable solution and solves."""

    def __init__(self, F, newton_opts, linear_opts):
        self.F = F
        self.newton_opts = newton_opts
        self.linear_opts = dict(tol=1e-12, restart=50, maxiter=2000)
        self.linear_opts.update(linear_opts or {})
        self.solution = self._make_solution()
        self.solve_n, self.solve_t = self._make_linear_solves()

    # ---- the solution x(p) --------------------------------------------------------
    def _make_solution(self):
        F = self.F

        @cr.custom_vjp
        def solution(x0, params):
            x, _ = newton_krylov(lambda x: F(x, *params), x0, **self.newton_opts)
            return x

        def fwd(x0, params):
            x = solution(x0, params)  # outer tracers, if any, are handled one level up
            return x, (x, params)

        def bwd(res, g):
            x, params = res
            x = _working(x)  # a float32 root: differentiated at the precision it was solved in
            lam = self.solve_t(g, x, params)             # Jᵀ λ = g
            (cp,) = _vjp_float(lambda p: F(x, *p), (params,), lam)
            return None, _neg(cp)

        solution.defvjp(fwd, bwd)
        return solution

    # ---- the linear solves J y = b and Jᵀ y = b, each differentiable -------------------
    def _plain_solve(self, b, x, params, transpose):
        F = self.F
        if transpose:
            out, pull = cr.vjp(lambda xx: F(xx, *params), x)
            op = lambda v: pull(v)[0]  # noqa: E731
            y0 = _zeros_like(out)
        else:
            _, op = cr.linearize(lambda xx: F(xx, *params), x)
            y0 = _zeros_like(x)
        y, info = gmres(op, b, x0=y0, **self.linear_opts)
        if not info.converged:
            warnings.warn(f"chainrule.solvers: the {'adjoint' if transpose else 'tangent'} "
                          f"linear solve of implicit differentiation did not converge "
                          f"(residual {info.residual:.3e}, target {info.target:.3e} after "
                          f"{info.iterations} GMRES iterations); derivatives are inaccurate",
                          RuntimeWarning, stacklevel=4)
        return y

    def _make_linear_solves(self):
        F = self.F
        solves = {}

        def make(transpose):
            @cr.custom_vjp
            def solve(b, x, params):
                return self._plain_solve(b, x, params, transpose)

            def fwd(b, x, params):
                y = solve(b, x, params)
                return y, (y, x, params)

            def bwd(res, w):
                y, x, params = res
                z = solves[not transpose](w, x, params)
                # d(solution) through the matrix: -d/d(x,p) <u, J(x,p) v> at fixed u, v
                u, v = (z, y) if not transpose else (y, z)

                def bilinear(xx, pp):
                    _, jv = cr.jvp(lambda x3: F(x3, *pp), (xx,), (v,))
                    return jv
                cx, cp = _vjp_float(bilinear, (x, params), u)
                return z, _neg(cx), _neg(cp)

            solve.defvjp(fwd, bwd)
            return solve

        solves[False] = make(False)
        solves[True] = make(True)
        return solves[False], solves[True]


def root(F, x0, *params, tol=1e-10, linear_options=None, **newton_options):
    """Solve ``F(x, *params) = 0`` for ``x``, differentiably in ``params``.

    ``x0`` is the initial guess (its derivatives are zero: the root does not
    depend on it). ``tol`` and ``newton_options`` go to
    :func:`~chainrule.solvers.newton_krylov` (which raises
    :class:`~chainrule.solvers.NoConvergence` if the solve fails);
    ``linear_options`` to the GMRES of the derivative solves (default
    ``tol=1e-12, restart=50, maxiter=2000``).

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> F = lambda x, a: cnp.tanh(x) + x - a
    >>> x = root(F, 0.0, 1.0)
    >>> dxda = cr.grad(lambda a: root(F, 0.0, a))(1.0)
    >>> bool(abs(dxda - 1.0 / (2.0 - cnp.tanh(x) ** 2)) < 1e-10)
    True
    """
    newton_options["tol"] = tol
    _refuse_closures(F, x0, params, "root")
    prob = _Problem(F, newton_options, linear_options)
    return prob.solution(x0, tuple(params))


def fixed_point(T, x0, *params, tol=1e-10, method="newton", maxiter=None,
                linear_options=None, **newton_options):
    """Solve ``x = T(x, *params)``, differentiably in ``params``.

    ``method="newton"`` applies Newton-Krylov to ``x - T(x, p)``;
    ``method="iterate"`` iterates ``x <- T(x, p)`` (for contractions) until
    ``max|T(x) - x| <= tol``. Either way the derivatives come from the
    implicit function theorem on ``F(x, p) = x - T(x, p)``.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> T = lambda x, a: cnp.cos(x) * a
    >>> x = fixed_point(T, 0.0, 1.0, method="iterate")
    >>> bool(abs(x - cnp.cos(x)) < 1e-10)
    True
    """
    def F(x, *p):
        tx = T(x, *p)
        return _tree.tree_map(lambda a, b: a - b, x, tx)

    if method == "newton":
        if maxiter is not None:
            newton_options["maxiter"] = maxiter
        return root(F, x0, *params, tol=tol, linear_options=linear_options, **newton_options)
    if method != "iterate":
        raise ValueError("fixed_point: method must be 'newton' or 'iterate'")
    maxit = 10000 if maxiter is None else maxiter

    _refuse_closures(T, x0, params, "fixed_point")

    def iterate(x0, *p):
        x, diff = x0, float("inf")
        for k in range(maxit):
            tx = T(x, *p)
            diff = max((float(np.max(np.abs(np.asarray(a) - np.asarray(b))))
                        for a, b in zip(_tree.flatten(tx)[0], _tree.flatten(x)[0])), default=0.0)
            x = tx
            if diff <= tol:
                return x
            if not np.isfinite(diff):
                break
        raise NoConvergence(f"fixed_point: the iteration x <- T(x) did not converge in {maxit} "
                            f"steps; last max|T(x) - x| = {diff:.3e} (T may not be a "
                            f"contraction: try method='newton')", x=x)

    # the Newton solve is replaced by the iteration; the derivatives stay implicit
    base = _Problem(F, {"tol": tol}, linear_options).solution

    @cr.custom_vjp
    def solution(x0, params):
        return iterate(x0, *params)

    def fwd(x0, params):
        x = solution(x0, params)
        return x, (x, params)

    solution.defvjp(fwd, base.bwd)
    return solution(x0, tuple(params))
