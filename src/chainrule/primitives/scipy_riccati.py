"""``scipy.linalg.solve_continuous_are`` and ``solve_discrete_are`` (needs the ``scipy``
extra), differentiated implicitly.

X solves Aᴴ·X + X·A − X·G·X + Q = 0 with G = B·R⁻¹·Bᴴ. Differentiating the equation,
(Aᴴ − X·G)·dX + dX·(A − G·X) = −(dAᴴ·X + X·dA − X·dG·X + dQ): the tangent solves a Sylvester
equation with the closed-loop matrices, and the cotangent Z the transposed one,
(Aᴴ − X·G)ᵀ·Z + Z·(A − G·X)ᵀ = X̄, from which Ā, B̄, Q̄, R̄ follow (the pairing is Re Σ c·t, so
the terms in dAᴴ give conjugates). SciPy computes X.

The discrete X solves Aᴴ·X·A − X − Aᴴ·X·B·(R + Bᴴ·X·B)⁻¹·Bᴴ·X·A + Q = 0. With
K = (R + BᴴXB)⁻¹·BᴴXA, L = AᴴXB·(R + BᴴXB)⁻¹ and A_K = A − B·K (so that Aᴴ − L·Bᴴ = A_Kᴴ
for a Hermitian X and R, SciPy's case): dX − A_Kᴴ·dX·A_K = dQ + L·dR·K + dAᴴ·X·A_K +
A_Kᴴ·X·dA − A_Kᴴ·X·dB·K − L·dBᴴ·X·A_K, a discrete Lyapunov equation.

>>> import numpy as np, chainrule as cr
>>> x = solve_continuous_are(np.array([[0.0]]), np.array([[1.0]]), np.array([[4.0]]),
...                          np.array([[1.0]]))
>>> x   # −x² + 4 = 0
array([[2.]])
>>> float(cr.grad(lambda q: solve_continuous_are(np.zeros((1, 1)), np.eye(1), q,
...                                              np.eye(1))[0, 0])(np.array([[4.0]]))[0, 0])
0.25
"""

from ..core.primitive import Primitive
from ..core.registry import SCIPY_LINALG
from .declare import declare, export
from .util import shape, ndim
from . import elementwise as E
from . import linalg as L
from .scipy_linalg import scipy_module, loop_batch, require_finite
from .scipy_matfuncs import sylvester, dlyap

__all__ = []


def _care_impl(a, b, q, r, balanced=True):
    return scipy_module("linalg").solve_continuous_are(a, b, q, r, balanced=balanced)


def _parts(x, a, b, r):
    """W = R⁻¹, G = B·W·Bᴴ and the closed-loop matrices Aᴴ − X·G, A − G·X."""
    w = L.inv(r)
    g = L.matmul(L.matmul(b, w), L.mH(b))
    return w, g, L.mH(a) - L.matmul(x, g), a - L.matmul(g, x)


def _tangent(x, a, b, r, rhs):
    _, _, left, right = _parts(x, a, b, r)
    return sylvester(left, right, rhs)


def _xdgx(x, dg):
    return L.matmul(L.matmul(x, dg), x)


def _jvp_a(t, x, a, b, q, r, balanced=True):
    return _tangent(x, a, b, r, E.negative(L.matmul(L.mH(t), x) + L.matmul(x, t)))


def _jvp_b(t, x, a, b, q, r, balanced=True):
    w = L.inv(r)
    dg = L.matmul(L.matmul(t, w), L.mH(b)) + L.matmul(L.matmul(b, w), L.mH(t))
    return _tangent(x, a, b, r, _xdgx(x, dg))


def _jvp_q(t, x, a, b, q, r, balanced=True):
    return _tangent(x, a, b, r, E.negative(t))


def _jvp_r(t, x, a, b, q, r, balanced=True):
    w = L.inv(r)
    dg = E.negative(L.matmul(L.matmul(L.matmul(L.matmul(b, w), t), w), L.mH(b)))
    return _tangent(x, a, b, r, _xdgx(x, dg))


def _z(g, x, a, b, r):
    _, _, left, right = _parts(x, a, b, r)
    return sylvester(L.mT(left), L.mT(right), g)


def _gbar(g, x, a, b, r):
    # the cotangent of G: ⟨Z, X·dG·X⟩ gives Xᵀ·Z·Xᵀ
    return L.matmul(L.matmul(L.mT(x), _z(g, x, a, b, r)), L.mT(x))


def _vjp_a(g, x, a, b, q, r, balanced=True):
    z = _z(g, x, a, b, r)
    return E.negative(L.matmul(L.mT(x), z) + E.conj(L.matmul(x, L.mT(z))))


def _vjp_b(g, x, a, b, q, r, balanced=True):
    w = L.inv(r)
    gbar = _gbar(g, x, a, b, r)
    return (L.matmul(L.matmul(gbar, E.conj(b)), L.mT(w))
            + E.conj(L.matmul(L.matmul(L.mT(gbar), b), w)))


def _vjp_q(g, x, a, b, q, r, balanced=True):
    return E.negative(_z(g, x, a, b, r))


def _vjp_r(g, x, a, b, q, r, balanced=True):
    wt = L.mT(L.inv(r))
    gbar = _gbar(g, x, a, b, r)
    return E.negative(L.matmul(L.matmul(L.matmul(L.matmul(wt, L.mT(b)), gbar), E.conj(b)), wt))


_care = Primitive("solve_continuous_are", _care_impl)
care = declare(_care, jvp=[_jvp_a, _jvp_b, _jvp_q, _jvp_r],
               vjp=[_vjp_a, _vjp_b, _vjp_q, _vjp_r], batch=loop_batch(_care), names=())


def _check_are(name, a, b, q, r, e, s):
    """SciPy's argument checks of the Riccati solvers (and check_finite), once for both."""
    if e is not None or s is not None:
        raise NotImplementedError(f"chainrule.scipy.linalg.{name}: e= and s= (the generalized "
                                  f"Riccati equation) are not supported")
    for label, x in (("a", a), ("q", q), ("r", r)):
        if ndim(x) != 2 or shape(x)[0] != shape(x)[1]:
            raise ValueError(f"Matrix {label} should be square.")
    if ndim(b) != 2 or shape(b) != (shape(a)[0], shape(r)[0]):
        raise ValueError(f"b of shape {shape(b)} does not match a {shape(a)} and r {shape(r)}")
    require_finite(a, b, q, r)


@export("solve_continuous_are", namespace=SCIPY_LINALG, prim=care)
def solve_continuous_are(a, b, q, r, e=None, s=None, balanced=True):
    """``scipy.linalg.solve_continuous_are``: the stabilising X of the continuous algebraic
    Riccati equation Aᴴ·X + X·A − X·B·R⁻¹·Bᴴ·X + Q = 0, SciPy's value; differentiable in A, B, Q
    and R (implicitly: the tangent solves a Sylvester equation with the closed-loop
    matrices). ``e`` and ``s`` (the generalized equation) are not supported.

    >>> import numpy as np
    >>> solve_continuous_are(np.zeros((1, 1)), np.eye(1), np.array([[9.0]]), np.eye(1))
    array([[3.]])
    """
    _check_are("solve_continuous_are", a, b, q, r, e, s)
    return care(a, b, q, r, balanced=bool(balanced))


# ---- the discrete equation --------------------------------------------------------------------
def _dare_impl(a, b, q, r, balanced=True):
    return scipy_module("linalg").solve_discrete_are(a, b, q, r, balanced=balanced)


def _dparts(x, a, b, r):
    """K, L, the closed loop A_K = A − B·K and its left partner Aᴴ − L·Bᴴ."""
    bh_x = L.matmul(L.mH(b), x)
    s = r + L.matmul(bh_x, b)
    k = L.solve(s, L.matmul(bh_x, a))
    ell = L.mT(L.solve(L.mT(s), L.mT(L.matmul(L.matmul(L.mH(a), x), b))))
    return k, ell, a - L.matmul(b, k), L.mH(a) - L.matmul(ell, L.mH(b))


def _dtangent(x, a, b, r, rhs):
    return dlyap(_dparts(x, a, b, r)[3], rhs)


def _djvp_a(t, x, a, b, q, r, balanced=True):
    k, ell, ak, left = _dparts(x, a, b, r)
    return dlyap(left, L.matmul(L.matmul(L.mH(t), x), ak) + L.matmul(L.matmul(left, x), t))


def _djvp_b(t, x, a, b, q, r, balanced=True):
    k, ell, ak, left = _dparts(x, a, b, r)
    rhs = (L.matmul(L.matmul(L.matmul(left, x), t), k)
           + L.matmul(L.matmul(L.matmul(ell, L.mH(t)), x), ak))
    return dlyap(left, E.negative(rhs))


def _djvp_q(t, x, a, b, q, r, balanced=True):
    return _dtangent(x, a, b, r, t)


def _djvp_r(t, x, a, b, q, r, balanced=True):
    k, ell, ak, left = _dparts(x, a, b, r)
    return dlyap(left, L.matmul(L.matmul(ell, t), k))


def _dz(g, left):
    return dlyap(L.mT(left), g)


def _dvjp_a(g, x, a, b, q, r, balanced=True):
    k, ell, ak, left = _dparts(x, a, b, r)
    z = _dz(g, left)
    return (L.matmul(L.matmul(L.mT(x), L.mT(left)), z)
            + E.conj(L.matmul(L.matmul(x, ak), L.mT(z))))


def _dvjp_b(g, x, a, b, q, r, balanced=True):
    k, ell, ak, left = _dparts(x, a, b, r)
    z = _dz(g, left)
    return E.negative(L.matmul(L.matmul(L.matmul(L.mT(x), L.mT(left)), z), L.mT(k))
                      + E.conj(L.matmul(L.matmul(L.matmul(x, ak), L.mT(z)), ell)))


def _dvjp_q(g, x, a, b, q, r, balanced=True):
    return _dz(g, _dparts(x, a, b, r)[3])


def _dvjp_r(g, x, a, b, q, r, balanced=True):
    k, ell, ak, left = _dparts(x, a, b, r)
    return L.matmul(L.matmul(L.mT(ell), _dz(g, left)), L.mT(k))


_dare = Primitive("solve_discrete_are", _dare_impl)
dare = declare(_dare, jvp=[_djvp_a, _djvp_b, _djvp_q, _djvp_r],
               vjp=[_dvjp_a, _dvjp_b, _dvjp_q, _dvjp_r], batch=loop_batch(_dare), names=())


@export("solve_discrete_are", namespace=SCIPY_LINALG, prim=dare)
def solve_discrete_are(a, b, q, r, e=None, s=None, balanced=True):
    """``scipy.linalg.solve_discrete_are``: the stabilising X of the discrete algebraic
    Riccati equation Aᴴ·X·A − X − Aᴴ·X·B·(R + Bᴴ·X·B)⁻¹·Bᴴ·X·A + Q = 0, SciPy's value;
    differentiable in A, B, Q and R (implicitly: the tangent solves a discrete Lyapunov
    equation with the closed loop; Q and R are taken Hermitian, as by SciPy). ``e`` and ``s``
    are not supported.

    >>> import numpy as np
    >>> solve_discrete_are(np.zeros((1, 1)), np.eye(1), np.array([[2.0]]), np.eye(1))
    array([[2.]])
    """
    _check_are("solve_discrete_are", a, b, q, r, e, s)
    return dare(a, b, q, r, balanced=bool(balanced))
