"""The rest of ``scipy.linalg`` (needs the ``scipy`` extra): ``fiedler_companion``, the QR
updates ``qr_update``, ``qr_insert`` and ``qr_delete``, and ``clarkson_woodruff_transform``.

- ``fiedler_companion`` is written with ``chainrule.numpy`` after SciPy's code: every order.
- The QR updates return SciPy's factors. Their derivatives are those of chainrule's ``qr`` of
  the updated matrix (Q R + u vᵀ, Q R with a row or column inserted or deleted), rotated onto
  SciPy's factors: where SciPy's Q has columns that the matrix does not determine (the
  complement of a tall matrix's full Q), their derivative is ``qr``'s convention for them.
- ``clarkson_woodruff_transform`` is S·A for the sparse sign matrix S that SciPy draws from
  ``rng``: linear in A for a given seed.

>>> import numpy as np, chainrule as cr
>>> g = cr.grad(lambda a: fiedler_companion(a)[0, 1])   # F[0, 1] = −a₂/a₀
>>> g(np.array([2.0, -3.0, 2.0, 5.0])) + 0.0
array([ 0.5,  0. , -0.5,  0. ])
"""
import numpy as np

from .. import numpy as cnp
from ..core.primitive import Primitive, Tracer, full_lower, traced_by
from ..core.registry import SCIPY_LINALG
from ..interpreters.batching import BatchTracer
from ..interpreters.staging import StagingTracer
from ..primitives.declare import declare, export
from ..primitives.util import shape, dtype, ndim
from ..primitives.scipy_linalg import scipy_module, qr, loop_batch
from ..transforms.differentiate import stop_gradient

__all__ = ["fiedler_companion", "qr_update", "qr_insert", "qr_delete",
           "clarkson_woodruff_transform", "PASSED_THROUGH"]

#: scipy.linalg's names passed through as SciPy's own (looked up when first asked for): the
#: BLAS/LAPACK lookups and the submodules.
PASSED_THROUGH = ("get_blas_funcs", "get_lapack_funcs", "find_best_blas_type", "blas", "lapack",
                  "cython_blas", "cython_lapack", "basic", "decomp", "decomp_cholesky",
                  "decomp_lu", "decomp_qr", "decomp_schur", "decomp_svd", "matfuncs", "misc",
                  "special_matrices")


def _traced(*values):
    return any(isinstance(v, Tracer) for v in values)


def _plain(x):
    return x if isinstance(x, Tracer) else np.asarray(x)


@export("fiedler_companion", namespace=SCIPY_LINALG)
def fiedler_companion(a):
    """``scipy.linalg.fiedler_companion``: Fiedler's pentadiagonal companion matrix of the
    polynomial with coefficients ``a`` (highest first; leading axes are a batch), whose
    eigenvalues are the roots; differentiable in ``a``, every order.

    >>> import numpy as np
    >>> fiedler_companion(np.array([1., -16., 86., -176., 105.]))
    array([[  16.,  -86.,    1.,    0.],
           [   1.,    0.,    0.,    0.],
           [   0.,  176.,    0., -105.],
           [   0.,    1.,    0.,    0.]])
    """
    if not _traced(a):
        return scipy_module("linalg").fiedler_companion(a)
    a = cnp.atleast_1d(a)
    size = shape(a)[-1]
    if dtype(a).kind in "biu":
        a = cnp.astype(a, np.float64)
    if size <= 2:
        if size == 2:
            return cnp.reshape(-(a[..., -1] / a[..., 0]), shape(a)[:-1] + (1, 1))
        return np.array([], dtype=dtype(a)) if ndim(a) == 1 else \
            np.zeros(shape(a)[:-1] + (0,), dtype=dtype(a))   # (SciPy's apply_along_axis)
    # (SciPy's check, where the value is at hand: not under vmap, nor under jit, whose
    # trace would keep it)
    if not traced_by(StagingTracer, [a]) and not traced_by(BatchTracer, [a]) and \
            np.any(np.asarray(full_lower(a))[..., 0] == 0):
        raise ValueError("Leading coefficient is zero.")
    a = a / a[..., :1]
    n = size - 1
    # SciPy's scatter of -a[1:] into the matrix, as a contraction with a constant placement:
    # place[k, i, j] = 1 where c[i, j] = -a[k + 1]
    place = np.zeros((n, n, n))
    for i, j in zip(range(2, n, 2), range(1, n - 1, 2)):
        place[i, i, j] = 1.0           # -a[3::2]: c[i, j] = -a[i + 1]
    for i, j in zip(range(0, n - 1, 2), range(1, n, 2)):
        place[i + 1, i, j] = 1.0       # -a[2::2]: c[i, j] = -a[i + 2]
    place[0, 0, 0] = 1.0               # c[0, 0] = -a[1]
    ones = np.zeros((n, n))
    ones[list(range(3, n, 2)), list(range(1, n - 2, 2))] = 1.0
    ones[list(range(0, n - 2, 2)), list(range(2, n, 2))] = 1.0
    ones[1, 0] = 1.0
    return cnp.einsum("...k,kij->...ij", -a[..., 1:], place.astype(dtype(a))) + \
        ones.astype(dtype(a))


# ---- the QR updates -----------------------------------------------------------------------------
def _updated_impl(*arrays, op, static):
    # SciPy's factors; a fresh copy (SciPy may hand back its work arrays)
    q, r = getattr(scipy_module("linalg"), op)(*arrays, *static[0], **dict(static[1]))
    return np.array(q), np.array(r)


_updated = Primitive("qr_updated_factors", _updated_impl, multiple_results=True)
#: SciPy's updated factors as constants (their derivative is carried by :func:`_onto`); under
#: vmap SciPy updates each example's factors.
updated_factors = declare(_updated, jvp=None, vjp=None, batch=loop_batch(_updated), names=())


def _onto(values, matrix, full):
    """SciPy's factors ``values``, carrying the derivative of chainrule's QR of ``matrix``:
    Q = Qc W, R = Wᴴ Rc with the constant unitary W = Qcᴴ Q (signs, and a rotation of the
    complement), added as Qc W − stop_gradient(Qc W) so that the values stay SciPy's exactly."""
    q, r = values
    qc, rc = qr(matrix, mode="full" if full else "economic", check_finite=False)
    w = stop_gradient(cnp.matmul(cnp.swapaxes(cnp.conj(qc), -1, -2), q))
    dq = cnp.matmul(qc, w)
    dr = cnp.matmul(cnp.swapaxes(cnp.conj(w), -1, -2), rc)
    return q + (dq - stop_gradient(dq)), r + (dr - stop_gradient(dr))


def _square(q):
    return shape(q)[-1] == shape(q)[-2]


@export("qr_update", namespace=SCIPY_LINALG)
def qr_update(Q, R, u, v, overwrite_qruv=False, check_finite=True):
    """``scipy.linalg.qr_update``: the QR factors of Q R + u vᵀ (u vᴴ when complex; SciPy's
    values); derivatives in
    Q, R, u and v are those of chainrule's ``qr`` of that matrix (see the module's note).

    >>> import numpy as np, chainrule as cr
    >>> q, r = np.linalg.qr(np.array([[2.0, 1.0], [0.0, 1.0]]))
    >>> f = lambda s: qr_update(q, r, s * np.array([1.0, 0.0]), np.array([1.0, 0.0]))[1][0, 0]
    >>> round(abs(float(f(1.0))), 12), round(abs(float(cr.grad(f)(1.0))), 12)   # |R₀₀| = 2 + s
    (3.0, 1.0)
    """
    if not _traced(Q, R, u, v):
        return scipy_module("linalg").qr_update(Q, R, u, v, overwrite_qruv=False,
                                                check_finite=check_finite)
    values = updated_factors(Q, R, u, v, op="qr_update",
                             static=((), (("check_finite", check_finite),)))
    if dtype(Q).kind == "c" or dtype(R).kind == "c" or dtype(u).kind == "c" or \
            dtype(v).kind == "c":
        v = cnp.conj(v)   # (SciPy: A + u vᴴ for complex A)
    uv = cnp.outer(u, v) if ndim(u) == 1 else cnp.matmul(u, cnp.swapaxes(v, 0, 1))
    matrix = cnp.matmul(Q, R) + uv
    return _onto(values, matrix, full=_square(Q))


@export("qr_insert", namespace=SCIPY_LINALG)
def qr_insert(Q, R, u, k, which="row", rcond=None, overwrite_qru=False, check_finite=True):
    """``scipy.linalg.qr_insert``: the QR factors of Q R with the rows (``which='row'``) or
    columns ``u`` inserted before row/column ``k`` (SciPy's values); derivatives in Q, R and u
    are those of chainrule's ``qr`` of that matrix.

    >>> import numpy as np, chainrule as cr
    >>> q, r = np.linalg.qr(np.array([[1.0, 0.0], [0.0, 2.0]]))
    >>> f = lambda s: qr_insert(q, r, s * np.array([1.0, 0.0]), 0)[1][0, 0]
    >>> round(abs(float(f(0.0))), 12), round(float(cr.grad(lambda s: f(s) ** 2)(3.0)), 12)
    (1.0, 6.0)
    """
    if not _traced(Q, R, u):
        return scipy_module("linalg").qr_insert(Q, R, u, k, which=which, rcond=rcond,
                                                overwrite_qru=False, check_finite=check_finite)
    values = updated_factors(Q, R, u, op="qr_insert", static=(
        (k,), (("which", which), ("rcond", rcond), ("check_finite", check_finite))))
    a = cnp.matmul(Q, R)
    axis = 0 if which == "row" else 1
    if ndim(u) == 2:   # several rows, or the columns of u
        parts = u if axis == 0 else cnp.swapaxes(u, 0, 1)
    else:
        parts = cnp.reshape(u, (1, -1))
    rows = a if axis == 0 else cnp.swapaxes(a, 0, 1)
    new = cnp.concatenate([rows[:k], parts, rows[k:]], axis=0)
    matrix = new if axis == 0 else cnp.swapaxes(new, 0, 1)
    return _onto(values, matrix, full=_square(values[0]))


@export("qr_delete", namespace=SCIPY_LINALG)
def qr_delete(Q, R, k, p=1, which="row", overwrite_qr=False, check_finite=True):
    """``scipy.linalg.qr_delete``: the QR factors of Q R with ``p`` rows (``which='row'``) or
    columns deleted from ``k`` on (SciPy's values); derivatives in Q and R are those of
    chainrule's ``qr`` of that matrix.

    >>> import numpy as np, chainrule as cr
    >>> a = np.array([[3.0, 0.0], [4.0, 1.0], [0.0, 2.0]])
    >>> q, r = np.linalg.qr(a, mode="complete")
    >>> round(abs(float(qr_delete(q, r, 2)[1][0, 0])), 12)          # |(3, 4)| = 5
    5.0
    """
    if not _traced(Q, R):
        return scipy_module("linalg").qr_delete(Q, R, k, p=p, which=which, overwrite_qr=False,
                                                check_finite=check_finite)
    values = updated_factors(Q, R, op="qr_delete", static=(
        (k,), (("p", p), ("which", which), ("check_finite", check_finite))))
    a = cnp.matmul(Q, R)
    rows = a if which == "row" else cnp.swapaxes(a, 0, 1)
    kept = cnp.concatenate([rows[:k], rows[k + p:]], axis=0)
    matrix = kept if which == "row" else cnp.swapaxes(kept, 0, 1)
    return _onto(values, matrix, full=_square(values[0]))


@export("clarkson_woodruff_transform", namespace=SCIPY_LINALG)
def clarkson_woodruff_transform(input_matrix, sketch_size, *args, **kwargs):
    """``scipy.linalg.clarkson_woodruff_transform(input_matrix, sketch_size, rng=None, *,
    seed=None)``: S·A for SciPy's sparse sign matrix S (sketch_size × A's rows), drawn from
    ``rng`` (or the legacy ``seed``, or a third positional argument, which SciPy reads as a
    seed) exactly as SciPy draws it: the arguments go to SciPy as given. Linear in A for a
    given seed, so differentiable in A, every order.

    >>> import numpy as np, chainrule as cr, scipy.linalg
    >>> a = np.arange(12.0).reshape(4, 3)
    >>> sketch = lambda a: clarkson_woodruff_transform(a, 2, rng=0)
    >>> bool(np.all(sketch(a) == scipy.linalg.clarkson_woodruff_transform(a, 2, rng=0)))
    True
    >>> bool(np.all(cr.jvp(sketch, (a,), (a,))[1] == sketch(a)))     # linear in a
    True
    """
    la = scipy_module("linalg")
    if not _traced(input_matrix):
        return la.clarkson_woodruff_transform(input_matrix, sketch_size, *args, **kwargs)
    if ndim(input_matrix) < 2:
        raise ValueError(f"clarkson_woodruff_transform: expected a matrix (or a stack), got "
                         f"shape {shape(input_matrix)}")
    n = shape(input_matrix)[-2]
    # S itself, drawn as SciPy draws it for A (the draws depend on n and sketch_size only)
    sketch = la.clarkson_woodruff_transform(scipy_module("sparse").eye(n, format="csc"),
                                            sketch_size, *args, **kwargs).toarray()
    return cnp.matmul(sketch, input_matrix)
