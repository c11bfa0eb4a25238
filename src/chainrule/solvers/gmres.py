"""Restarted GMRES, matrix-free.

``gmres(matvec, b)`` solves ``A x = b`` where ``A`` is known only through
``matvec(v) = A v``: a Python function (a JVP, a VJP, a stencil), a NumPy
matrix, or anything with a ``matvec`` method. The Arnoldi basis is built with
modified Gram-Schmidt, re-orthogonalised when cancellation is detected
("twice is enough"), and the small least-squares problem is solved
progressively with Givens rotations, so the residual norm is known at every
iteration without forming ``x``.

``b`` (and ``x0``) may be pytrees: ``matvec`` then receives and returns
pytrees, and ``x`` has the structure of ``x0`` (or of ``b`` when ``x0`` is
None).

>>> import numpy as np
>>> A = np.array([[4.0, 1.0], [2.0, 3.0]])
>>> x, info = gmres(lambda v: A @ v, np.array([1.0, 2.0]))
>>> np.allclose(A @ x, [1.0, 2.0]), info.converged
(True, True)
"""

import math

import numpy as np

from chainrule import tree as _tree
from chainrule.transforms.jit import refuse_staging

__all__ = ["gmres", "GMRESInfo", "VectorSpace"]


class GMRESInfo:
    """What :func:`gmres` did.

    Attributes: ``converged`` (bool), ``iterations`` (Krylov iterations, one
    ``matvec`` each), ``restarts`` (completed restart cycles), ``matvecs``
    (every call of ``matvec``, including the true-residual checks),
    ``residuals`` (the residual-norm history: the initial one, then the
    estimate after each iteration, with true residuals at each restart),
    ``residual`` (the final true residual norm), ``target`` (the norm that
    had to be reached).
    """

    __slots__ = ("converged", "iterations", "restarts", "matvecs", "residuals", "residual",
                 "target", "breakdown")

    def __init__(self):
        self.converged = False
        self.iterations = 0
        self.restarts = 0
        self.matvecs = 0
        self.residuals = []
        self.residual = math.nan
        self.target = 0.0
        self.breakdown = False

    def __repr__(self):
        return (f"GMRESInfo(converged={self.converged}, iterations={self.iterations}, "
                f"restarts={self.restarts}, residual={self.residual:.3e}, "
                f"target={self.target:.3e})")


def _returned_dtype(given, working):
    """The dtype a solution leaf is handed back in: the example's (``given``) precision,
    but complex when the solve was complex (a real x0 with a complex b: casting to the
    real dtype dropped the imaginary part)."""
    if given is None:
        return working
    if working.kind == "c" and given.kind != "c":
        return np.result_type(given, np.complex64)
    return given


class VectorSpace:
    """Ravel a pytree of arrays into one float vector and back (plain NumPy)."""

    def __init__(self, example):
        leaves, self.treedef = _tree.flatten(example)
        arrs = [np.asarray(_plain(x)) for x in leaves]
        self.shapes = [a.shape for a in arrs]
        self.sizes = [a.size for a in arrs]
        self.dtype = np.result_type(np.float64, *[a.dtype for a in arrs]) if arrs else np.float64
        # what a solution hands back per leaf: the caller's float or complex dtype (a float32
        # guess gives a float32 root, as NumPy keeps float32), else the working dtype
        self.given = [a.dtype if a.dtype.kind in "fc" and np.can_cast(a.dtype, self.dtype)
                      else None for a in arrs]
        self.size = int(sum(self.sizes))
        self.single = len(arrs) == 1 and self.treedef.kind == "leaf"

    def ravel(self, tree):
        leaves = _tree.flatten(tree)[0] if not self.single else [tree]
        if len(leaves) == 1:
            return np.asarray(_plain(leaves[0]), dtype=self.dtype).reshape(-1)
        if not leaves:
            return np.zeros(0, self.dtype)
        return np.concatenate([np.asarray(_plain(x), dtype=self.dtype).reshape(-1)
                               for x in leaves])

    def unravel(self, vec, as_given=False):
        """The pytree of ``vec``; ``as_given``: each leaf in the example's own float or
        complex dtype (a solver's result), else in the working dtype."""
        if self.single:
            out = vec.reshape(self.shapes[0])
            dt = _returned_dtype(self.given[0], out.dtype) if as_given else out.dtype
            if dt != out.dtype:
                out = out.astype(dt)
            return out[()] if out.ndim == 0 else out
        parts, k = [], 0
        for shp, n, dt in zip(self.shapes, self.sizes, self.given):
            p = vec[k:k + n].reshape(shp)
            dt = _returned_dtype(dt, p.dtype) if as_given else p.dtype
            if dt != p.dtype:
                p = p.astype(dt)
            parts.append(p[()] if p.ndim == 0 else p)
            k += n
        return _tree.unflatten(self.treedef, parts)


def _plain(x):
    """The NumPy value of x (a chainrule tracer is refused: gmres works on values)."""
    if isinstance(x, (np.ndarray, np.generic, float, int)):
        return x
    refuse_staging((x,), "gmres runs on NumPy values: it cannot be staged")
    if hasattr(x, "_trace"):
        raise TypeError("gmres works on plain NumPy values, not on chainrule tracers; "
                        "to differentiate a linear solve, use chainrule.solvers.root or "
                        "wrap it in cr.custom_vjp")
    return x


def _dot(u, w):
    """⟨u, w⟩ = Σ conj(u)·w: the Hermitian inner product (linear algebra, not AD's pairing)."""
    h = np.vdot(u, w)
    return float(h) if h.dtype.kind == "f" else complex(h)


def _norm(v):
    """The 2-norm of a real or complex vector as a Python float (vdot: one BLAS call;
    scaled by max|v| where the sum of squares overflows or underflows, as for
    [1e200, 1e200], whose norm is finite)."""
    s = float(abs(np.vdot(v, v)))
    if 1e-280 < s < 1e280:
        return math.sqrt(s)
    m = float(np.max(np.abs(v))) if v.size else 0.0
    if m == 0.0 or not math.isfinite(m):
        return m
    u = v / m
    return m * math.sqrt(float(abs(np.vdot(u, u))))


def _check_finite(v, what):
    """Raise a ValueError naming ``what`` when ``v`` holds an inf or a nan."""
    # A finite sum proves every entry finite (one pass, no temporary); only when it is
    # not (an inf or a nan, or an overflow of finite values) are the entries examined.
    if v.size and v.dtype.kind in "fc" and np.isfinite(np.add.reduce(v, axis=None)):
        return
    if v.size and not np.isfinite(v).all():
        bad = ~np.isfinite(v)
        kinds = " and ".join(k for k, m in (("nan", np.isnan(v)), ("inf", np.isinf(v)))
                             if m.any())
        raise ValueError(f"gmres: {what} is not finite ({int(bad.sum())} of {v.size} "
                         f"entries are {kinds}, the first at index {int(np.argmax(bad))})")


def _as_operator(A, name):
    if A is None:
        return None
    if callable(A) and not hasattr(A, "matvec"):
        return A
    if hasattr(A, "matvec"):
        return A.matvec
    if hasattr(A, "__matmul__") or isinstance(A, np.ndarray):
        return lambda v: A @ v
    raise TypeError(f"gmres: {name} must be a function, a matrix or have a matvec method")


def gmres(matvec, b, x0=None, tol=1e-10, restart=30, maxiter=None, M=None, callback=None,
          atol=0.0, recycle=None, recycle_k=3, orthogonalization="mgs"):
    """Solve ``A x = b`` by restarted GMRES; return ``(x, info)``.

    Parameters
    ----------
    matvec : function ``v -> A v`` (or a matrix, or an object with ``matvec``).
    b : right-hand side (array or pytree).
    x0 : initial guess (default zero); fixes the structure of ``x``.
    tol : relative tolerance: stop when ``||b - A x|| <= max(tol * ||b||, atol)``
        (2-norms of the raveled vectors; the same test as SciPy's ``rtol``).
    restart : Krylov subspace dimension before a restart.
    maxiter : maximum number of Krylov iterations (``matvec`` calls) in all;
        default ``10 * n`` (at least ``restart``).
    M : right preconditioner, a function ``v -> M v`` approximating ``A⁻¹``
        (or a matrix). Right preconditioning leaves the residual unscaled, so
        ``tol`` means the same with and without ``M``.
    callback : called as ``callback(k, residual_norm)`` after every iteration.
    atol : absolute tolerance on the residual norm.
    recycle : optional list of raveled vectors (LGMRES-style augmentation,
        Baker, Jessup and Manteuffel 2005). Each restart cycle extends its
        ``restart`` Krylov directions with up to ``recycle_k`` vectors from the
        list (flexible GMRES, so each costs one ``matvec``), and pushes its own
        correction onto the front of the list. Passing the same list to
        successive solves (Newton steps) carries information across them;
        ``recycle=[]`` turns it on for a single solve.
    orthogonalization : ``"mgs"`` (modified Gram-Schmidt, re-orthogonalised
        when the new vector loses more than half its norm: one basis vector
        at a time) or ``"cgs2"`` (classical Gram-Schmidt applied twice, as
        stable as MGS with re-orthogonalisation, and done as matrix-vector
        products, which is several times faster for long vectors).

    ``info`` is a :class:`GMRESInfo`. GMRES does not raise when it does not
    converge: check ``info.converged`` (Newton-Krylov relies on inexact
    solves).

    Non-finite values are an error, never a silent answer: an inf or a nan
    in ``b``, in ``x0``, in a ``matvec`` or ``M`` output, or in the iterate
    raises ``ValueError`` naming which one (and nothing reaches LAPACK).

    gmres never writes into the caller's arrays: ``b`` and ``x0`` are copied,
    and every vector ``matvec`` returns (which may be its own input, as the
    tangent of a linear map is) is copied before the in-place orthogonalisation.
    ``x`` is a new array, computed in (at least) float64 and returned in the float
    dtype of ``x0`` (of ``b`` without ``x0``): a float32 system gives a float32
    ``x``, as SciPy's does. ``b = 0`` without
    ``x0`` gives ``x = 0`` at once, with no ``matvec``; an empty system (size
    0) gives an empty ``x`` with ``converged=True``.

    >>> x, info = gmres(lambda v: v, np.array([1.0, 2.0, 3.0]))      # identity
    >>> x.tolist(), info.converged
    ([1.0, 2.0, 3.0], True)
    >>> gmres(lambda v: v, np.array([1.0, np.inf]))
    Traceback (most recent call last):
    ...
    ValueError: gmres: the right-hand side b is not finite (1 of 2 entries are inf, the first at index 1)

    >>> import numpy as np
    >>> A = np.array([[4.0, 1.0], [1.0, 3.0]])
    >>> x, info = gmres(lambda v: A @ v, np.array([1.0, 2.0]))
    >>> np.allclose(A @ x, [1.0, 2.0]), info.converged
    (True, True)

    Complex systems work the same way (the basis is orthonormal in the Hermitian inner
    product, the rotations are complex Givens rotations):

    >>> C = np.array([[2.0 + 1.0j, 0.5], [-0.3j, 1.0 - 2.0j]])
    >>> x, info = gmres(C, np.array([1.0, 1.0j]))
    >>> np.allclose(C @ x, [1.0, 1.0j]), x.dtype
    (True, dtype('complex128'))
    """
    if orthogonalization not in ("mgs", "cgs2"):
        raise ValueError("gmres: orthogonalization must be 'mgs' or 'cgs2'")
    mgs = orthogonalization == "mgs"
    A = _as_operator(matvec, "matvec")
    Mop = _as_operator(M, "M")
    bspace = VectorSpace(b)
    xspace = VectorSpace(x0) if x0 is not None else bspace
    if xspace.size != bspace.size:
        raise ValueError(f"gmres: x has {xspace.size} elements but b has {bspace.size}; "
                         f"the system must be square")
    n = bspace.size
    dtype = np.result_type(bspace.dtype, xspace.dtype)
    # Our own copies: the caller's b and x0 are never written, and every vector the
    # operator returns is copied before the in-place Gram-Schmidt updates (a matvec
    # may return its input, or an array it keeps: a JVP's tangent, a cached result).
    bv = np.array(bspace.ravel(b), dtype=dtype, copy=True)
    _check_finite(bv, "the right-hand side b")
    info = GMRESInfo()

    def Av(v):
        info.matvecs += 1
        out = A(xspace.unravel(v.copy()))
        if type(out) is np.ndarray and out.size == n and out.dtype == dtype:
            # the common case (one array of the system's dtype), without the general checks
            out = np.array(out, dtype=dtype, copy=True).reshape(-1)
            _check_finite(out, f"the operator's output (matvec call {info.matvecs})")
            return out
        if dtype.kind != "c" and any(np.iscomplexobj(_plain(o)) for o in _tree.leaves(out)):
            raise TypeError("gmres: the operator returned complex values for a real b (and "
                            "x0); pass b (or x0) as a complex array, e.g. b.astype(complex), "
                            "so that the iterate is complex")
        out = np.array(bspace.ravel(out), dtype=dtype, copy=True)
        if out.shape != (n,):
            raise ValueError(f"gmres: the operator returned {out.size} elements for a vector "
                             f"of {n}; the system must be square")
        _check_finite(out, f"the operator's output (matvec call {info.matvecs})")
        return out

    def Mv(v):
        if Mop is None:
            return v.copy()
        out = np.array(xspace.ravel(Mop(xspace.unravel(v.copy()))), dtype=dtype, copy=True)
        _check_finite(out, "the preconditioner's output M v")
        return out

    if maxiter is None:
        maxiter = max(10 * n, restart)
    restart = max(1, min(int(restart), n if n else 1))

    bnorm = _norm(bv)
    target = max(tol * bnorm, atol)
    info.target = target
    if x0 is None:
        x = np.zeros(n, dtype)
        r = bv.copy()
    else:
        x = np.array(xspace.ravel(x0), dtype=dtype, copy=True)
        _check_finite(x, "the initial guess x0")
        r = bv - Av(x) if np.any(x) else bv.copy()
    rnorm = _norm(r)
    info.residuals.append(rnorm)
    info.residual = rnorm
    if rnorm <= target or n == 0:
        info.converged = True
        return xspace.unravel(x, as_given=True), info

    aug = recycle if recycle is not None else []
    mmax = restart + max(0, int(recycle_k))
    V = np.empty((mmax + 1, n), dtype)       # orthonormal basis of A Z, one row per vector
    Z = np.empty((mmax, n), dtype)           # search directions: M v_j, then recycled ones
    H = np.zeros((mmax + 1, mmax), dtype)    # Hessenberg matrix (rotated in place)
    stalled = 0
    real = dtype.kind != "c"
    # The rotations and the small Hessenberg column are Python numbers: per iteration
    # they are a handful of scalar operations, which NumPy scalars make several times
    # slower (this loop runs once per Krylov iteration, hundreds of times per solve).
    conj = (lambda z: z) if real else (lambda z: z.conjugate())
    scalar = float if real else complex
    while True:
        np.divide(r, rnorm, out=V[0])
        g = [scalar(rnorm)]
        cs, sn = [], []
        j_done = 0
        est = rnorm
        extra = [v for v in aug[:max(0, int(recycle_k))] if v.shape == (n,)]
        for j in range(restart + len(extra)):
            if info.iterations >= maxiter:
                break
            # restart Krylov directions, then the recycled ones (flexible GMRES form)
            if j >= restart:
                Z[j] = extra[j - restart]
            elif Mop is None:
                Z[j] = V[j]
            else:
                Z[j] = Mv(V[j])
            w = Av(Z[j])
            info.iterations += 1
            wnorm0 = _norm(w)
            Vj = V[:j + 1]
            if mgs:  # modified Gram-Schmidt, one basis vector at a time
                col = []
                for i in range(j + 1):
                    h = _dot(V[i], w)
                    col.append(h)
                    w -= h * V[i]
            else:  # classical Gram-Schmidt as two matrix-vector products
                hs = Vj @ w if real else Vj.conj() @ w
                w -= hs @ Vj
                col = hs.tolist()
            wnorm = _norm(w)
            if wnorm < 0.7071 * wnorm0 or not mgs:
                # cancellation: orthogonalise once more ("twice is enough"; always for CGS)
                if mgs:
                    for i in range(j + 1):
                        h = _dot(V[i], w)
                        col[i] += h
                        w -= h * V[i]
                else:
                    hs = Vj @ w if real else Vj.conj() @ w
                    w -= hs @ Vj
                    col = [a + b for a, b in zip(col, hs.tolist())]
                wnorm = _norm(w)
            breakdown = wnorm <= 1e-14 * max(wnorm0, 1e-300)
            if not breakdown:
                np.divide(w, wnorm, out=V[j + 1])
            # apply the previous rotations to the new column, then a new one; a rotation
            # is [[conj(cs), conj(sn)], [-sn, cs]] (unitary; for real values the usual one)
            for i in range(j):
                c_i, s_i = cs[i], sn[i]
                a, b = col[i], col[i + 1]
                col[i] = conj(c_i) * a + conj(s_i) * b
                col[i + 1] = -s_i * a + c_i * b
            a, c = col[j], scalar(wnorm)
            d = math.hypot(abs(a), abs(c))
            if d == 0.0:
                cs.append(scalar(1.0))
                sn.append(scalar(0.0))
            else:
                cs.append(a / d)
                sn.append(c / d)
            col[j] = d
            H[:j + 1, j] = col
            H[j + 1, j] = 0.0
            g.append(-sn[j] * g[j])
            g[j] = conj(cs[j]) * g[j]
            est = abs(g[j + 1])
            info.residuals.append(est)
            j_done = j + 1
            if callback is not None:
                callback(info.iterations, est)
            if est <= target or breakdown:
                info.breakdown = info.breakdown or (breakdown and j < restart)
                break
        if j_done == 0:
            break
        # y from the rotated triangular system R y = g, then x += Z y. A (numerically)
        # zero on R's diagonal means A is singular on the Krylov space: then take the
        # least-squares solution, which never blows up, instead of dividing by ~0.
        R = H[:j_done, :j_done]
        d = np.abs(np.diag(R))
        if d.min() > 1e-12 * d.max():
            y = np.zeros(j_done, dtype)
            for i in range(j_done - 1, -1, -1):
                y[i] = (g[i] - np.dot(R[i, i + 1:], y[i + 1:])) / R[i, i]
        else:
            y = np.linalg.lstsq(R, np.array(g[:j_done], dtype), rcond=1e-12)[0]
        dx = Z[:j_done].T @ y
        _check_finite(dx, f"the GMRES correction at restart {info.restarts + 1} (the "
                          f"operator's values overflow the iterate)")
        x += dx
        if recycle is not None:
            dn = _norm(dx)
            if dn > 0 and np.isfinite(dn):
                recycle.insert(0, dx / dn)
                del recycle[max(0, int(recycle_k)):]
        info.restarts += 1
        r = bv - Av(x)
        new = _norm(r)
        info.residuals.append(new)
        info.residual = new
        if new > rnorm:
            # A cycle must never make the iterate worse (possible only when A is
            # singular or rounding dominates): keep the previous one and stop.
            x -= dx
            info.residual = rnorm
            break
        if new <= target:
            info.converged = True
            break
        if info.iterations >= maxiter:
            break
        # the true residual stopped decreasing (rounding dominates, or GMRES(m) stagnates):
        # identical cycles would follow, so stop
        stalled = stalled + 1 if new >= (1.0 - 1e-8) * rnorm else 0
        if stalled >= 3 or (info.breakdown and new >= rnorm):
            break
        rnorm = new
    return xspace.unravel(x, as_given=True), info
