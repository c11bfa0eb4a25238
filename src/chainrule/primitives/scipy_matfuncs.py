"""``scipy.linalg``'s matrix functions and matrix equations (needs the ``scipy`` extra).

- ``logm`` and ``fractional_matrix_power`` are primitives whose JVP is the Fréchet
  derivative, read off f([[A, E], [0, A]]) (its upper-right block is L_f(A, E)), and whose
  VJP is the Fréchet derivative at Aᵀ applied to the cotangent, as ``expm``'s.
- ``cosm``, ``sinm``, ``tanm``, ``coshm``, ``sinhm``, ``tanhm`` and ``expm_frechet`` are
  composites of ``expm`` (SciPy computes them the same way), ``polar`` of ``svd``.
- ``solve_sylvester`` (A·X + X·B = Q) and ``solve_discrete_lyapunov`` (A·X·Aᴴ − X + Q = 0)
  are primitives differentiated implicitly: the tangent solves the same kind of equation
  with a new right-hand side, the cotangent the transposed one.
  ``solve_continuous_lyapunov`` is ``solve_sylvester(a, aᴴ, q)``.
- ``funm`` and ``signm`` compute SciPy's values but refuse a derivative (``funm``'s
  Schur–Parlett algorithm has no Fréchet derivative here; ``signm``'s is not written).

>>> import numpy as np, chainrule as cr
>>> round(float(cr.grad(lambda t: logm(t * np.eye(2))[0, 0])(2.0)), 12)
0.5
"""

import numpy as np

from ..core.primitive import Primitive
from ..core.registry import SCIPY_LINALG
from .declare import declare, export, value_only
from .util import shape, ndim, dtype
from . import basic as B
from . import elementwise as E
from . import linalg as L
from . import full_decompositions as FD
from .scipy_linalg import scipy_module, loop_batch, per_matrix, expm_p, require_finite

__all__ = []


def _square_stack(name, a):
    if ndim(a) < 2 or shape(a)[-1] != shape(a)[-2]:
        raise ValueError(f"scipy.linalg.{name}: expected a square matrix (or a stack), got "
                         f"shape {shape(a)}")


def _square(name, a):
    if ndim(a) != 2 or shape(a)[0] != shape(a)[1]:
        raise ValueError(f"scipy.linalg.{name}: expected a square matrix, got shape {shape(a)}")


def _block_frechet(fn, a, e, **params):
    """L_f(A, E): the upper-right block of f([[A, E], [0, A]]) for a primary matrix function
    f (the identity holds for every f analytic on A's spectrum)."""
    n = shape(a)[-1]
    zero = np.zeros(shape(a), dtype=np.result_type(dtype(a), dtype(e)))
    top = B.concatenate(a, e, axis=-1)
    bottom = B.concatenate(zero, a, axis=-1)
    big = fn(B.concatenate(top, bottom, axis=-2), **params)
    return B.getitem(big, index=(Ellipsis, slice(0, n), slice(n, 2 * n)))


def _keeping_global_random_state(fn):
    """SciPy's logm and fractional_matrix_power estimate norms with NumPy's global random
    generator (onenormest); its state is restored, so that the value is a function of A
    alone (and jit, which refuses functions that draw random numbers, can stage it)."""
    def call(*args, **params):
        state = np.random.get_state()
        try:
            return fn(*args, **params)
        finally:
            np.random.set_state(state)
    return call


def _matrix_function(name, impl):
    """A primary matrix function as a primitive with its Fréchet-derivative rules."""
    impl = _keeping_global_random_state(impl)
    prim = Primitive(name, lambda a, **params: per_matrix(lambda m: impl(m, **params))(a))
    return declare(prim, jvp=[lambda tan, ans, a, **p: _block_frechet(prim, a, tan, **p)],
                   vjp=[lambda g, ans, a, **p: _block_frechet(prim, L.mT(a), g, **p)],
                   batch=loop_batch(prim), names=())


logm_p = _matrix_function("logm", lambda a: scipy_module("linalg").logm(a))


@export("logm", namespace=SCIPY_LINALG, prim=logm_p)
def logm(A, disp=True):
    """The principal matrix logarithm (``scipy.linalg.logm``; stacks too), differentiable:
    its derivative is the Fréchet derivative, logm([[A, E], [0, A]])'s upper-right block.
    A real matrix with a negative real eigenvalue has a complex logarithm (as in SciPy).

    >>> import numpy as np, chainrule as cr
    >>> logm(np.diag([1.0, np.e]))
    array([[0., 0.],
           [0., 1.]])
    >>> cr.grad(lambda a: logm(a)[1, 1])(np.diag([1.0, 2.0]))
    array([[0. , 0. ],
           [0. , 0.5]])
    """
    _square_stack("logm", A)
    return logm_p(A)


fmp_p = _matrix_function("fractional_matrix_power",
                         lambda a, t: scipy_module("linalg").fractional_matrix_power(a, t))


@export("fractional_matrix_power", namespace=SCIPY_LINALG, prim=fmp_p)
def fractional_matrix_power(A, t):
    """A to the real power ``t`` (``scipy.linalg.fractional_matrix_power``), differentiable in
    A (the Fréchet derivative, as :func:`logm`'s); ``t`` is a constant.

    >>> import numpy as np, chainrule as cr
    >>> fractional_matrix_power(np.diag([4.0, 9.0]), 0.5)
    array([[2., 0.],
           [0., 3.]])
    >>> g = cr.grad(lambda a: fractional_matrix_power(a, 0.5)[0, 0])(np.diag([4.0, 9.0]))
    >>> round(float(g[0, 0]), 12)
    0.25
    """
    _square("fractional_matrix_power", A)
    if not np.isscalar(t):
        raise TypeError("fractional_matrix_power: t must be a constant number (chainrule does "
                        "not differentiate in t; write expm(t * logm(A)) for that)")
    return fmp_p(A, t=float(t))


# ---- the trigonometric and hyperbolic functions: SciPy's formulas over expm ----------------
def _operand(a):
    """A nested list as an array (``1j * A`` and ``-A`` need one); arrays and tracers as they are."""
    return np.asarray(a) if isinstance(a, (list, tuple)) else a


def _real_input(a):
    return dtype(a).kind != "c"


def _cast_back(a, x):
    """SciPy's ``_maybe_real``: a real A's result is real."""
    return E.real(x) if _real_input(a) and dtype(x).kind == "c" else x


@export("cosm", namespace=SCIPY_LINALG)
def cosm(A):
    """The matrix cosine (``scipy.linalg.cosm``): Re expm(iA) for a real A,
    (expm(iA) + expm(−iA))/2 otherwise; differentiable through ``expm``.

    >>> import numpy as np
    >>> cosm(np.zeros((2, 2)))
    array([[1., 0.],
           [0., 1.]])
    """
    A = _operand(A)
    _square_stack("cosm", A)
    if _real_input(A):
        return E.real(expm_p(1j * A))
    return 0.5 * (expm_p(1j * A) + expm_p(-1j * A))


@export("sinm", namespace=SCIPY_LINALG)
def sinm(A):
    """The matrix sine (``scipy.linalg.sinm``): Im expm(iA) for a real A,
    −i(expm(iA) − expm(−iA))/2 otherwise; differentiable through ``expm``.

    >>> import numpy as np
    >>> sinm(np.zeros((2, 2)))
    array([[0., 0.],
           [0., 0.]])
    """
    A = _operand(A)
    _square_stack("sinm", A)
    if _real_input(A):
        return E.imag(expm_p(1j * A))
    return -0.5j * (expm_p(1j * A) - expm_p(-1j * A))


@export("tanm", namespace=SCIPY_LINALG)
def tanm(A):
    """The matrix tangent cosm(A)⁻¹·sinm(A) (``scipy.linalg.tanm``), differentiable.

    >>> import numpy as np
    >>> float(tanm(np.array([[0.5]]))[0, 0]) == float(np.tan(0.5))
    True
    """
    _square_stack("tanm", A)
    require_finite(A)   # SciPy's solve checks cos(A) and sin(A): inf or nan raises there
    return _cast_back(A, L.solve(cosm(A), sinm(A)))


@export("coshm", namespace=SCIPY_LINALG)
def coshm(A):
    """The hyperbolic matrix cosine (expm(A) + expm(−A))/2 (``scipy.linalg.coshm``).

    >>> import numpy as np
    >>> coshm(np.zeros((1, 1)))
    array([[1.]])
    """
    A = _operand(A)
    _square_stack("coshm", A)
    return _cast_back(A, 0.5 * (expm_p(A) + expm_p(-A)))


@export("sinhm", namespace=SCIPY_LINALG)
def sinhm(A):
    """The hyperbolic matrix sine (expm(A) − expm(−A))/2 (``scipy.linalg.sinhm``).

    >>> import numpy as np
    >>> sinhm(np.zeros((1, 1)))
    array([[0.]])
    """
    A = _operand(A)
    _square_stack("sinhm", A)
    return _cast_back(A, 0.5 * (expm_p(A) - expm_p(-A)))


@export("tanhm", namespace=SCIPY_LINALG)
def tanhm(A):
    """The hyperbolic matrix tangent coshm(A)⁻¹·sinhm(A) (``scipy.linalg.tanhm``).

    >>> import numpy as np
    >>> tanhm(np.zeros((1, 1)))
    array([[0.]])
    """
    _square_stack("tanhm", A)
    require_finite(A)   # SciPy's solve checks cos(A) and sin(A): inf or nan raises there
    return _cast_back(A, L.solve(coshm(A), sinhm(A)))


@export("expm_frechet", namespace=SCIPY_LINALG)
def expm_frechet(A, E, method=None, compute_expm=True, check_finite=True):
    """``scipy.linalg.expm_frechet``: ``(expm(A), L(A, E))``, or L alone with
    ``compute_expm=False``; both from expm([[A, E], [0, A]]) (its diagonal block is expm(A),
    its upper-right block the Fréchet derivative), differentiable in A and E.

    >>> import numpy as np
    >>> expm_frechet(np.zeros((1, 1)), np.ones((1, 1)))
    (array([[1.]]), array([[1.]]))
    """
    _square("expm_frechet", A)
    if shape(E) != shape(A):
        raise ValueError(f"expm_frechet: E of shape {shape(E)} must have A's shape {shape(A)}")
    if method not in (None, "SPS", "blockEnlarge"):
        raise ValueError(f"expm_frechet: unknown method {method!r}")
    if check_finite:
        require_finite(A, E)
    # SciPy computes (and returns) float64 for narrower real inputs
    wide = np.result_type(dtype(A), dtype(E), np.float64)
    A, E = _as_dtype(A, wide), _as_dtype(E, wide)
    n = shape(A)[0]
    zero = np.zeros((n, n), dtype=wide)
    big = expm_p(B.concatenate(B.concatenate(A, E, axis=1), B.concatenate(zero, A, axis=1),
                               axis=0))
    frechet = B.getitem(big, index=(slice(0, n), slice(n, 2 * n)))
    if not compute_expm:
        return frechet
    return B.getitem(big, index=(slice(0, n), slice(0, n))), frechet


def _as_dtype(x, dt):
    return x if dtype(x) == dt else E.astype(x, dtype=dt)


@export("polar", namespace=SCIPY_LINALG)
def polar(a, side="right"):
    """The polar decomposition (``scipy.linalg.polar``): ``(u, p)`` with a = u·p
    (``side='right'``) or a = p·u (``'left'``), u with orthonormal columns (rows) and p
    Hermitian positive semi-definite; from the thin SVD a = W·diag(s)·Vᴴ (u = W·Vᴴ), so
    differentiable where the singular values are distinct and nonzero.

    >>> import numpy as np
    >>> u, p = polar(np.array([[2.0, 0.0], [0.0, -3.0]]))
    >>> u
    array([[ 1.,  0.],
           [ 0., -1.]])
    >>> p
    array([[2., 0.],
           [0., 3.]])
    """
    if side not in ("right", "left"):
        raise ValueError("`side` must be either 'right' or 'left'")
    if ndim(a) != 2:
        raise ValueError("`a` must be a 2-D array.")
    w, s, vh = FD.svd(a, full_matrices=False)
    u = L.matmul(w, vh)
    s = E.astype(s, dtype=dtype(w)) if dtype(w).kind == "c" else s
    if side == "right":
        p = L.matmul(L.mH(vh) * s, vh)
    else:
        p = L.matmul(w * s, L.mH(w))
    return u, p


# ---- matrix equations, differentiated implicitly ----------------------------------------------
def _sylvester_impl(a, b, q):
    return scipy_module("linalg").solve_sylvester(a, b, q)


_sylv = Primitive("solve_sylvester", per_matrix(_sylvester_impl))


def _sylv_vjp_q(g, x, a, b, q):
    return sylvester(L.mT(a), L.mT(b), g)


#: X with A·X + X·B = Q: the tangent solves A·dX + dX·B = dQ − dA·X − X·dB, the cotangent
#: Q̄ of Aᵀ·Q̄ + Q̄·Bᵀ = X̄ (then Ā = −Q̄·Xᵀ, B̄ = −Xᵀ·Q̄).
sylvester = declare(
    _sylv,
    jvp=[lambda t, x, a, b, q: sylvester(a, b, E.negative(L.matmul(t, x))),
         lambda t, x, a, b, q: sylvester(a, b, E.negative(L.matmul(x, t))),
         lambda t, x, a, b, q: sylvester(a, b, t)],
    vjp=[lambda g, x, a, b, q: E.negative(L.matmul(_sylv_vjp_q(g, x, a, b, q), L.mT(x))),
         lambda g, x, a, b, q: E.negative(L.matmul(L.mT(x), _sylv_vjp_q(g, x, a, b, q))),
         _sylv_vjp_q],
    batch=loop_batch(_sylv), names=())


def _sylvester_operands(name, a, b, q):
    _square(name, a)
    _square(name, b)
    if shape(q) != (shape(a)[0], shape(b)[0]):
        raise ValueError(f"scipy.linalg.{name}: q of shape {shape(q)} does not match a "
                         f"{shape(a)} and b {shape(b)} (it must be {shape(a)[0]}×{shape(b)[0]})")


@export("solve_sylvester", namespace=SCIPY_LINALG, prim=sylvester)
def solve_sylvester(a, b, q):
    """X with A·X + X·B = Q (``scipy.linalg.solve_sylvester``), differentiable in A, B and Q
    (implicitly: the tangent solves another Sylvester equation).

    >>> import numpy as np, chainrule as cr
    >>> solve_sylvester(np.diag([1.0, 2.0]), np.array([[3.0]]), np.array([[8.0], [10.0]]))
    array([[2.],
           [2.]])
    >>> cr.grad(lambda q: solve_sylvester(np.eye(2), np.eye(2), q).sum())(np.ones((2, 2)))
    array([[0.5, 0.5],
           [0.5, 0.5]])
    """
    _sylvester_operands("solve_sylvester", a, b, q)
    return sylvester(a, b, q)


@export("solve_continuous_lyapunov", "solve_lyapunov", namespace=SCIPY_LINALG)
def solve_continuous_lyapunov(a, q):
    """X with A·X + X·Aᴴ = Q (``scipy.linalg.solve_continuous_lyapunov``, alias
    ``solve_lyapunov``): ``solve_sylvester(a, aᴴ, q)``, differentiable in A and Q.

    >>> import numpy as np
    >>> solve_continuous_lyapunov(np.diag([1.0, 2.0]), np.diag([2.0, 8.0]))
    array([[1., 0.],
           [0., 2.]])
    """
    _sylvester_operands("solve_continuous_lyapunov", a, L.mH(a), q)
    return sylvester(a, L.mH(a), q)


def _dlyap_impl(a, q):
    return scipy_module("linalg").solve_discrete_lyapunov(a, q)


_dlyap = Primitive("solve_discrete_lyapunov", per_matrix(_dlyap_impl))


def _dlyap_jvp_a(t, x, a, q):
    # dX − A·dX·Aᴴ = dA·X·Aᴴ + A·X·dAᴴ
    return dlyap(a, L.matmul(L.matmul(t, x), L.mH(a)) + L.matmul(L.matmul(a, x), L.mH(t)))


def _dlyap_vjp_a(g, x, a, q):
    # Q̄ solves Q̄ − Aᵀ·Q̄·conj(A) = X̄; under the pairing Re Σ c·t the term A·X·dAᴴ
    # contributes conj(Q̄ᵀ·A·X) (the adjoint of conj is conj).
    qbar = dlyap(L.mT(a), g)
    return (L.matmul(L.matmul(qbar, E.conj(a)), L.mT(x))
            + E.conj(L.matmul(L.matmul(L.mT(qbar), a), x)))


#: X with A·X·Aᴴ − X + Q = 0.
dlyap = declare(_dlyap, jvp=[_dlyap_jvp_a, lambda t, x, a, q: dlyap(a, t)],
                vjp=[_dlyap_vjp_a, lambda g, x, a, q: dlyap(L.mT(a), g)],
                batch=loop_batch(_dlyap), names=())


@export("solve_discrete_lyapunov", namespace=SCIPY_LINALG, prim=dlyap)
def solve_discrete_lyapunov(a, q, method=None):
    """X with A·X·Aᴴ − X + Q = 0 (``scipy.linalg.solve_discrete_lyapunov``), differentiable in
    A and Q (implicitly: the tangent solves another discrete Lyapunov equation). ``method``
    is passed to SciPy for the value.

    >>> import numpy as np, chainrule as cr
    >>> solve_discrete_lyapunov(0.5 * np.eye(1), np.array([[3.0]]))
    array([[4.]])
    >>> float(cr.grad(lambda a: solve_discrete_lyapunov(a, np.array([[3.0]]))[0, 0])(
    ...     np.array([[0.5]]))[0, 0])  # d/da 3/(1 − a²) = 6a/(1 − a²)²
    5.333333333333333
    """
    _sylvester_operands("solve_discrete_lyapunov", a, a, q)
    if method not in (None, "direct", "bilinear"):
        raise ValueError(f"solve_discrete_lyapunov: unknown method {method!r}")
    wide = np.result_type(dtype(a), dtype(q), np.float64)   # SciPy returns float64
    return dlyap(_as_dtype(a, wide), _as_dtype(q, wide))


# ---- values only --------------------------------------------------------------------------
def _funm_impl(a, func=None):
    f, errest = scipy_module("linalg").funm(a, func, disp=False)
    return f, np.asarray(errest)


_funm = Primitive("funm", _funm_impl, multiple_results=True)


def funm(A, func, disp=True):
    """``scipy.linalg.funm``: f(A) for a scalar function f, SciPy's value (and with
    ``disp=False`` the pair ``(f(A), errest)``; SciPy's printed accuracy warning is left out). Differentiating it raises: write the function
    with :func:`expm`, :func:`logm`, :func:`sqrtm` (or use cosm, sinhm, …) to differentiate it.

    >>> import numpy as np
    >>> funm(np.diag([1.0, 4.0]), np.sqrt)
    array([[1., 0.],
           [0., 2.]])
    """
    _square("funm", A)
    f, errest = _funm(A, func=func)
    return f if disp else (f, errest)


value_only(_funm, why="funm's Schur–Parlett algorithm has no derivative here; for a function "
                      "with a power series write it with expm/logm/sqrtm (or cosm, sinhm, …), "
                      "or use chainrule.custom_jvp", batch=loop_batch(_funm), names=("funm",),
           namespace=SCIPY_LINALG, public=funm)

_signm = Primitive("signm", per_matrix(lambda a: scipy_module("linalg").signm(a)))


def signm(A, disp=True):
    """``scipy.linalg.signm``, the matrix sign function: SciPy's value; differentiating it raises.

    >>> import numpy as np
    >>> signm(np.diag([2.0, -3.0]))
    array([[ 1.,  0.],
           [ 0., -1.]])
    """
    _square_stack("signm", A)
    return _signm(A)


value_only(_signm, why="the matrix sign function's derivative is not written; use "
                       "A·inv(sqrtm(A·A)) for a differentiable sign function",
           batch=loop_batch(_signm), names=("signm",), namespace=SCIPY_LINALG, public=signm)
