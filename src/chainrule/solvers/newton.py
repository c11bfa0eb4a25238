"""Newton-Krylov with exact Jacobian-vector products.

For ``F(x) = 0`` the Jacobian is never formed: each Newton step records ``F``
once with :func:`chainrule.linearize`, and every Krylov iteration replays that
record to get an exact ``J·v`` (no retracing, no finite-difference step, no
lost digits). The linear systems ``J δ = -F`` are solved inexactly with
Eisenstat-Walker forcing terms, and a backtracking line search on ``||F||``
globalises the iteration.

>>> import numpy as np, chainrule.numpy as cnp
>>> x, info = newton_krylov(lambda x: x ** 3 - cnp.array([8.0, 27.0]), np.array([1.0, 1.0]))
>>> x.round(12).tolist(), info.converged
([2.0, 3.0], True)
"""

import math
import time
import warnings

import numpy as np

import chainrule as cr

from .gmres import gmres, VectorSpace, _norm

__all__ = ["newton_krylov", "NewtonInfo", "NoConvergence"]


class NoConvergence(RuntimeError):
    """Raised when a solver stops without reaching its tolerance.

    ``err.info`` holds the solver's info record (with the last residual) and
    ``err.x`` the last iterate.
    """

    def __init__(self, message, x=None, info=None):
        super().__init__(message)
        self.x = x
        self.info = info


class NewtonInfo:
    """What :func:`newton_krylov` did.

    ``converged``, ``newton_steps``, ``krylov_iterations`` (in all),
    ``f_evals`` (evaluations of ``F``, each :func:`chainrule.linearize`
    counted as one), ``linearizations``, ``jvp_evals`` (``J·v`` replays),
    ``residuals`` (max|F| after each step, starting with the initial guess),
    ``residual`` (the last max|F|), ``step_lengths``, ``forcing`` (the
    relative GMRES tolerances used), ``message``, ``time`` (seconds).
    """

    def __init__(self):
        self.converged = False
        self.newton_steps = 0
        self.krylov_iterations = 0
        self.f_evals = 0
        self.linearizations = 0
        self.jvp_evals = 0
        self.residuals = []
        self.residual = math.nan
        self.step_lengths = []
        self.forcing = []
        self.message = ""
        self.time = 0.0

    def __repr__(self):
        return (f"NewtonInfo(converged={self.converged}, newton_steps={self.newton_steps}, "
                f"krylov_iterations={self.krylov_iterations}, f_evals={self.f_evals}, "
                f"jvp_evals={self.jvp_evals}, residual={self.residual:.3e}, "
                f"message={self.message!r})")


def newton_krylov(F, x0, tol=1e-10, maxiter=50, inner="gmres", forcing="eisenstat-walker",
                  line_search=True, verbose=False, callback=None, *, restart=20,
                  inner_maxiter=None, M=None, recycle_k=10, orthogonalization="cgs2", eta0=1e-3,
                  eta_max=0.9, on_failure="raise"):
    """Solve ``F(x) = 0`` by Newton's method with exact-JVP GMRES; return ``(x, info)``.

    Parameters
    ----------
    F : function of one pytree ``x``, returning a pytree with as many elements
        (written with ``chainrule.numpy`` so it can be linearized).
    x0 : initial guess (a float array or a pytree of them).
    tol : stop when ``max|F(x)| <= tol``.
    maxiter : maximum number of Newton steps.
    inner : ``"gmres"``, or a function ``solver(matvec, b, tol) -> (x, info)``
        with ``info.iterations`` and a relative tolerance (raveled vectors).
    forcing : ``"eisenstat-walker"`` (choice 2, gamma = 0.9, alpha = 2, with
        safeguards) or a constant relative tolerance for the linear solves.
    line_search : backtrack on ``||F||`` (sufficient-decrease test of
        Eisenstat and Walker, safeguarded quadratic interpolation).
    verbose : print one line per Newton step (residual, Krylov iterations,
        step length).
    callback : ``callback(x, residual)`` after every Newton step.
    eta0, eta_max : the first forcing term (SciPy's choice; an accurate first
        step pays off from a poor guess) and the largest one.
    restart, inner_maxiter, M : GMRES restart length, iteration cap per
        linear solve and right preconditioner (a function on pytrees shaped
        like ``x``). The cap defaults to one augmented cycle,
        ``restart + recycle_k`` (20 + 10), as SciPy's ``newton_krylov`` stops
        LGMRES after one cycle: a linearization costs about one ``F`` (and
        reuses the previous step's staged J·v program), so a new Newton step
        is cheaper than restarting GMRES, whose Gram-Schmidt work grows with
        the cycle's length; the recycled corrections carry the Krylov
        information across steps. Without recycling (``recycle_k=0``), and
        after a step that fell short of eta and reduced ``||F||`` by less than
        10% (an ill-conditioned J, which one cycle barely solves), it is
        ``max(10*restart, 300)``.
    recycle_k : each GMRES cycle is augmented with the last ``recycle_k``
        corrections, kept across Newton steps (as SciPy's LGMRES does); 0 for
        plain restarted GMRES.
    orthogonalization : GMRES's, ``"mgs"`` or ``"cgs2"`` (faster for large
        systems, equally stable); see :func:`~chainrule.solvers.gmres`.
    on_failure : ``"raise"`` (default: :class:`NoConvergence`, carrying the
        last iterate and the info record) or ``"warn"`` (a ``RuntimeWarning``,
        and ``info.converged`` is False).

    Each Newton step costs one linearization (recording ``F``, which also
    evaluates it), one ``J·v`` replay per Krylov iteration, and the ``F``
    evaluations of any backtracking: the full step is tried with the
    linearization of the next step, so an accepted full step costs no extra
    ``F``.

    Non-finite values: an inf or a nan in ``x0``, in ``F(x0)`` or in a
    Jacobian-vector product raises ``ValueError`` naming it. A trial step
    where ``F`` is not finite is backtracked by the line search; if that
    cannot recover (or ``line_search=False``), the solve fails as any other
    non-convergence does (``on_failure``), with the reason in the message.
    ``x0`` is never written into; ``x`` is a new array, in ``x0``'s float dtype
    (the solve runs in float64: a float32 guess gives a float32 root). An empty ``x0``
    (size 0) is solved at once: ``x`` is empty and ``info.converged`` True.

    >>> import chainrule.numpy as cnp
    >>> x, info = newton_krylov(lambda x: x ** 3 - 8.0, cnp.array([1.0]))
    >>> round(float(x[0]), 12), info.converged
    (2.0, True)
    """
    if on_failure not in ("raise", "warn"):
        raise ValueError("newton_krylov: on_failure must be 'raise' or 'warn'")
    if np.ndim(tol) != 0 or not tol >= 0:  # a negative or nan tol divided by zero inside
        raise ValueError(f"newton_krylov: tol must be a number >= 0 (it bounds max|F(x)|), "
                         f"got {tol!r}")
    t0 = time.perf_counter()
    info = NewtonInfo()
    space = VectorSpace(x0)
    # our own copy: the caller's x0 is never written (nor is anything F returns)
    x = np.array(space.ravel(x0), dtype=space.dtype, copy=True)
    if x.size and not np.isfinite(x).all():
        raise ValueError(f"newton_krylov: the initial guess x0 is not finite "
                         f"({int((~np.isfinite(x)).sum())} of {x.size} entries are inf or nan)")
    out_space = [None]

    def lin(xv):
        """Linearize F at xv: returns (F(x) raveled, J·v on raveled vectors)."""
        info.f_evals += 1
        info.linearizations += 1
        out, jvp_fn = cr.linearize(F, space.unravel(xv))
        if out_space[0] is None:
            out_space[0] = VectorSpace(out)
            if out_space[0].size != space.size:
                raise ValueError(f"newton_krylov: F maps {space.size} unknowns to "
                                 f"{out_space[0].size} equations; the system must be square")
        osp = out_space[0]

        def matvec(v):
            info.jvp_evals += 1
            jv = osp.ravel(jvp_fn(space.unravel(v)))
            # a finite sum proves every entry finite; else the entries are examined
            if jv.size and not np.isfinite(np.add.reduce(jv, axis=None)) \
                    and not np.isfinite(jv).all():
                raise ValueError(f"newton_krylov: a Jacobian-vector product of F is not "
                                 f"finite at Newton step {info.newton_steps + 1} "
                                 f"({int((~np.isfinite(jv)).sum())} of {jv.size} entries are "
                                 f"inf or nan): F is not differentiable at the iterate")
            return jv
        return osp.ravel(out), matvec

    def fval(xv):
        info.f_evals += 1
        return out_space[0].ravel(F(space.unravel(xv)))

    recycled = []

    full_cap = max(10 * restart, 300)
    if inner_maxiter:
        cap = [inner_maxiter]
    else:
        cap = [restart + recycle_k if recycle_k else full_cap]
    if inner == "gmres":
        def solve(matvec, b, rtol):
            Mop = None
            if M is not None:
                Mop = lambda v: space.ravel(M(space.unravel(v)))  # noqa: E731
            return gmres(matvec, b, tol=rtol, restart=restart, maxiter=cap[0], M=Mop,
                         recycle=recycled if recycle_k else None, recycle_k=recycle_k,
                         orthogonalization=orthogonalization)
    elif callable(inner):
        solve = inner
    else:
        raise ValueError(f"newton_krylov: inner must be 'gmres' or a function, got {inner!r}")
    if isinstance(forcing, str):
        if forcing.lower().replace("_", "-") not in ("eisenstat-walker", "ew"):
            raise ValueError(f"newton_krylov: unknown forcing {forcing!r}")
        ew = True
    else:
        ew, eta_const = False, float(forcing)

    fx, matvec = lin(x)
    if fx.size and not np.isfinite(fx).all():
        raise ValueError(f"newton_krylov: F(x0) is not finite ({int((~np.isfinite(fx)).sum())} "
                         f"of {fx.size} entries are inf or nan); start from a point where F "
                         f"is defined")
    fnorm = _norm(fx)
    norms = [fnorm]  # ||F||, as the line search measures it, after each step
    finf = float(np.max(np.abs(fx))) if fx.size else 0.0
    info.residuals.append(finf)
    eta = eta0 if ew else eta_const
    gamma, alpha_ew = 0.9, 2.0
    if verbose:
        print(f"newton_krylov: step  0  max|F| = {finf:.3e}")
    message = ""
    while True:
        if not np.isfinite(finf):
            message = "the residual is not finite (F returned inf or nan)"
            break
        if finf <= tol:
            info.converged = True
            message = f"converged: max|F| = {finf:.3e} <= tol = {tol:.1e}"
            break
        if info.newton_steps >= maxiter:
            message = f"reached maxiter = {maxiter} Newton steps with max|F| = {finf:.3e}"
            break
        # don't solve the linear system more accurately than the final tolerance needs
        eta_k = min(eta, eta_max)
        eta_k = max(eta_k, 0.5 * tol / max(fnorm, 1e-300))
        eta_k = min(eta_k, eta_max)
        info.forcing.append(eta_k)
        delta, kinfo = solve(matvec, -fx, eta_k)
        info.krylov_iterations += kinfo.iterations
        delta = np.asarray(delta).reshape(-1)
        # backtracking line search on ||F||
        lam = 1.0
        x_new = x + delta
        f_new, matvec_new = lin(x_new)
        fn_new = _norm(f_new)
        n_back = 0
        if line_search:
            t = 1e-4
            while not (np.isfinite(fn_new) and fn_new <= (1.0 - t * lam * (1.0 - eta_k)) * fnorm):
                if n_back >= 30:
                    break
                n_back += 1
                # quadratic model of phi(l) = ||F(x + l d)||^2 along the step
                ratio = fn_new / fnorm if fnorm > 0.0 else math.inf
                if ratio < 1e150:  # (finite, and its square too)
                    # phi scaled by ||F(x)||^2, so that it is finite wherever ||F|| is
                    phi0, phi1 = 1.0, ratio * ratio
                    dphi0 = -2.0 * (1.0 - eta_k) * phi0  # the slope is at most this
                    denom = 2.0 * (phi1 - phi0 - dphi0 * lam)
                    lam_q = -dphi0 * lam ** 2 / denom if denom > 0 else 0.5 * lam
                    lam = min(max(lam_q, 0.1 * lam), 0.5 * lam)
                else:
                    lam = 0.1 * lam
                x_new = x + lam * delta
                f_new = fval(x_new)
                fn_new = _norm(f_new)
                matvec_new = None
            if n_back >= 30 and not fn_new <= fnorm:
                message = (f"line search failed after {n_back} backtracks at Newton step "
                           f"{info.newton_steps + 1} with max|F| = {finf:.3e} (the Krylov "
                           f"direction is not a descent direction: F may be singular here, "
                           f"or the tolerance is below F's rounding level)")
                break
        info.newton_steps += 1
        info.step_lengths.append(lam)
        x, fx = x_new, f_new
        fnorm_old, fnorm = fnorm, fn_new
        finf = float(np.max(np.abs(fx))) if fx.size else 0.0
        info.residuals.append(finf)
        if verbose:
            print(f"newton_krylov: step {info.newton_steps:2d}  max|F| = {finf:.3e}  "
                  f"krylov = {kinfo.iterations:4d}  step = {lam:.3g}  eta = {eta_k:.1e}"
                  + ("" if kinfo.converged else "  (gmres did not reach eta)"))
        if callback is not None:
            callback(space.unravel(x.copy()), finf)
        norms.append(fnorm)
        if inner == "gmres" and not inner_maxiter and not kinfo.converged \
                and fnorm > 0.9 * fnorm_old:
            # one cycle falls short of eta and the step barely helps (an ill-conditioned
            # J): the later solves may restart, as many Newton steps of one cycle would
            # not get there within maxiter
            cap[0] = full_cap
        # stagnation: many steps without progress in either norm means rounding has won
        # (truncated linear solves may decrease ||F||, which the line search watches, for
        # a few steps while max|F| grows)
        if len(info.residuals) > 6 and min(info.residuals[-5:]) >= 0.999 * info.residuals[-6] \
                and min(norms[-5:]) >= 0.999 * norms[-6]:
            message = (f"stagnated at max|F| = {finf:.3e} (no decrease in 5 Newton steps; "
                       f"tol = {tol:.1e} may be below the rounding level of F)")
            break
        if ew:
            eta_new = gamma * (fnorm / fnorm_old) ** alpha_ew
            safeguard = gamma * eta ** alpha_ew
            if safeguard > 0.1:
                eta_new = max(eta_new, safeguard)
            eta = min(eta_new, eta_max)
        if matvec_new is None:
            if finf <= tol:
                continue
            fx, matvec = lin(x)
        else:
            matvec = matvec_new
    info.residual = finf
    info.message = message
    info.time = time.perf_counter() - t0
    x_out = space.unravel(x, as_given=True)  # a float32 guess: a float32 root
    if not info.converged:
        msg = (f"newton_krylov did not converge: {message}; last max|F| = {finf:.3e} after "
               f"{info.newton_steps} Newton steps ({info.krylov_iterations} Krylov iterations)")
        if on_failure == "raise":
            raise NoConvergence(msg, x=x_out, info=info)
        warnings.warn(msg, RuntimeWarning, stacklevel=2)
    return x_out, info
