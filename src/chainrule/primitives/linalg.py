"""Linear-algebra primitives: matmul, einsum, diagonal, inv, det, solve,
cholesky, eigh, with their rules. Stacked matrices (leading batch axes)
follow NumPy's broadcasting conventions throughout.
"""

import numpy as np

import math
import string

from ..core.primitive import Primitive, bind
from ..core.registry import LINALG
from ..core.vspace import Dropped
from ..interpreters.batching import per_example_shape
from .declare import declare, reads, export
from ..interpreters.reverse import selective_vjp_rules, fresh_vjp_rules
from .util import shape, ndim, lower, dtype, linalg_result, result_type
from .arrays import (ufunc_primitive, is_numpy, is_lazy, diag_embed_in, array_api_only,
                     standard_call, namespace_of, standard_linalg)
from .dask_ops import lazy_linalg
from .basic import (unbroadcast, example_ndim, axis_size, moveaxis_to_front, front_padded,
                    broadcast_front)
from . import basic as B
from . import elementwise as E
from . import structural as S


def mT(x):
    """Swap the last two axes (matrix transpose of a stack)."""
    if type(x) is np.ndarray:  # the view the transpose primitive would make
        return x.swapaxes(-1, -2)
    return B.transpose(x, axes=tuple(range(ndim(x) - 2)) + (ndim(x) - 1, ndim(x) - 2))


def _template(x, shp):
    """A shape-and-dtype stand-in for ``x`` reshaped to ``shp`` (what unbroadcast reads),
    without reading ``x``'s values, which the tape may not have kept."""
    return Dropped(tuple(shp), dtype(x))


# ---- matmul: 1-D operands are promoted to matrices, as NumPy does ------------------
def _matmul_vjp_a(g, ans, a, b):
    if type(g) is np.ndarray and type(b) is np.ndarray and g.ndim == 2 and b.ndim == 2:
        return unbroadcast(np.matmul(g, b.T), a)  # (m, n) @ (n, k): the common case first
    if ndim(a) == 1 and ndim(b) == 1:
        return g * b
    if ndim(b) == 1:  # (..., m, k) @ (k,) -> (..., m)
        return unbroadcast(E.multiply(B.reshape(g, shape=shape(g) + (1,)), b), a)
    if ndim(a) == 1:  # (k,) @ (..., k, n) -> (..., n)
        ga = matmul(B.reshape(g, shape=shape(g)[:-1] + (1, shape(g)[-1])), mT(b))
        return B.reshape(unbroadcast(ga, _template(a, (1,) + shape(a))), shape=shape(a))
    return unbroadcast(matmul(g, mT(b)), a)


def _matmul_vjp_b(g, ans, a, b):
    if type(g) is np.ndarray and type(a) is np.ndarray and g.ndim == 2 and a.ndim == 2:
        return unbroadcast(np.matmul(a.T, g), b)  # (m, n) @ (n, k): the common case first
    if ndim(a) == 1 and ndim(b) == 1:
        return g * a
    if ndim(a) == 1:  # outer(a, g) per batch
        gb = E.multiply(B.reshape(a, shape=shape(a) + (1,)),
                        B.reshape(g, shape=shape(g)[:-1] + (1, shape(g)[-1])))
        return unbroadcast(gb, b)
    if ndim(b) == 1 and ndim(a) == 2:
        return matmul(g, a)  # aᵀg for a single matrix: one product, no reshapes
    if ndim(b) == 1:
        gb = matmul(mT(a), B.reshape(g, shape=shape(g) + (1,)))
        gb = unbroadcast(gb, _template(b, shape(b) + (1,)))
        return B.reshape(gb, shape=shape(b))
    return unbroadcast(matmul(mT(a), g), b)


def _matmul_batch(vals, dims):
    (a, b), (da, db) = vals, dims
    ra, rb = example_ndim(a, da), example_ndim(b, db)
    # Fast paths: a batched stack against one unbatched matrix, and the reverse.
    if db is None and rb == 2:
        return matmul(moveaxis_to_front(a, da), b), 0
    if da is None and ra == 2 and rb >= 2:
        return matmul(a, moveaxis_to_front(b, db)), 0
    if ra == 1 and rb == 1:
        size = axis_size(vals, dims)
        prod = E.multiply(a if da is None else broadcast_front(a, da, size),
                          b if db is None else broadcast_front(b, db, size))
        return B.reduce_sum(prod, axis=-1), 0
    # General case: vectors become 1-row / 1-column matrices, stacks are padded.
    if ra == 1:
        a, da = _as_row(a, da), None if da is None else 0
    if rb == 1:
        b, db = _as_col(b, db), None if db is None else 0
    n = max(ra, rb, 2)
    if da is not None:
        a = front_padded(a, da, n)
    if db is not None:
        b = front_padded(b, db, n)
    out = matmul(a, b)
    s = shape(out)
    if ra == 1:
        return B.reshape(out, shape=s[:-2] + s[-1:]), 0
    if rb == 1:
        return B.reshape(out, shape=s[:-1]), 0
    return out, 0


def _as_row(a, d):
    if d is None:
        return B.reshape(a, shape=(1,) + shape(a))
    a = moveaxis_to_front(a, d)
    s = shape(a)
    return B.reshape(a, shape=(s[0], 1) + s[1:])


def _as_col(b, d):
    if d is not None:
        b = moveaxis_to_front(b, d)
    return B.reshape(b, shape=shape(b) + (1,))


matmul = declare(ufunc_primitive(Primitive("matmul", np.matmul)),
                 jvp=[lambda t, ans, a, b: matmul(t, b), lambda t, ans, a, b: matmul(a, t)],
                 vjp=[_matmul_vjp_a, _matmul_vjp_b], batch=_matmul_batch, names=(),
                 residuals=(reads(1), reads(0)))
# Both contributions are new products (a matmul, or g * b, summed over broadcast axes, or a
# reshape of one) that nothing else holds: the backward pass may take the next rule's
# contribution into them in place (tanh's g *= 1 - h², as hand-written backprop does).
fresh_vjp_rules.add(matmul)


# ---- einsum: each operand's cotangent is another einsum ---------------------------
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _explicit(subscripts, shapes):
    """Rewrite ``subscripts`` with explicit output and ellipses expanded to letters."""
    subscripts = subscripts.replace(" ", "")
    if "->" in subscripts:
        ins, out = subscripts.split("->")
    else:
        ins, out = subscripts, None
    ins = ins.split(",")
    used = set(subscripts) - set(".,->")
    free = [c for c in _LETTERS if c not in used]
    ell_nd = 0
    for term, shp in zip(ins, shapes):
        if "..." in term:
            ell_nd = max(ell_nd, len(shp) - len(term.replace("...", "")))
    ell = "".join(free[:ell_nd])
    new_ins = []
    for term, shp in zip(ins, shapes):
        if "..." in term:
            k = len(shp) - len(term.replace("...", ""))
            term = term.replace("...", ell[ell_nd - k:] if k else "")
        new_ins.append(term)
    if out is None:
        letters = "".join(new_ins)
        out = ell + "".join(sorted(c for c in set(letters) if letters.count(c) == 1 and c not in ell))
    else:
        out = out.replace("...", ell)
    return new_ins, out


def _einsum_impl(*operands, subscripts):
    if any(map(array_api_only, operands)):  # the standard has no einsum: the clear error
        return standard_call("einsum", subscripts, *operands)
    return np.einsum(subscripts, *operands, optimize=len(operands) > 2)


def _einsum_operand_ct(g, operands, i, subscripts):
    ins, out = _explicit(subscripts, [shape(o) for o in operands])
    target = ins[i]
    if len(set(target)) != len(target):
        raise ValueError(
            f"einsum '{subscripts}': operand {i} repeats an index ('{target}'), which chainrule "
            f"cannot differentiate yet; take the diagonal first with chainrule.numpy.diagonal")
    others = [o for j, o in enumerate(operands) if j != i]
    other_terms = [t for j, t in enumerate(ins) if j != i]
    available = set(out).union(*map(set, other_terms)) if other_terms else set(out)
    present = "".join(c for c in target if c in available)
    spec = ",".join([out] + other_terms) + "->" + present
    ct = einsum(g, *others, subscripts=spec)
    if present != target:
        # Indices summed out of this operand alone: their cotangent is broadcast.
        full = [shape(operands[i])[target.index(c)] for c in target]
        kept = [n if c in present else 1 for c, n in zip(target, full)]
        order = [present.index(c) for c in target if c in present]
        ct = B.transpose(ct, axes=tuple(order)) if order != sorted(order) else ct
        ct = B.broadcast_to(B.reshape(ct, shape=tuple(kept)), shape=tuple(full))
    return unbroadcast(ct, operands[i]) if shape(ct) != shape(operands[i]) else ct


def _einsum_jvp(primals, tangents, subscripts):
    ans = einsum(*primals, subscripts=subscripts)
    out = None
    for i, t in enumerate(tangents):
        if t is None:
            continue
        args = list(primals)
        args[i] = t
        c = einsum(*args, subscripts=subscripts)
        out = c if out is None else out + c
    return ans, out


def _einsum_vjp(g, ans, vals, params, parents=None):
    # Selective: no cotangent for an operand that is not being differentiated (the images
    # of a convolution, a fixed design matrix), which would be a full einsum thrown away.
    return [None if parents is not None and parents[i] is None
            else _einsum_operand_ct(g, vals, i, params["subscripts"]) for i in range(len(vals))]


def _einsum_batch(vals, dims, subscripts):
    shapes = [per_example_shape(v, d) for v, d in zip(vals, dims)]
    ins, out = _explicit(subscripts, shapes)
    used = set("".join(ins) + out)
    letter = next(c for c in string.ascii_letters if c not in used)
    terms, ops = [], []
    for term, v, d in zip(ins, vals, dims):
        terms.append(term if d is None else letter + term)
        ops.append(v if d is None else moveaxis_to_front(v, d))
    return einsum(*ops, subscripts=",".join(terms) + "->" + letter + out), 0


einsum = declare(Primitive("einsum", _einsum_impl), jvp=_einsum_jvp, vjp=_einsum_vjp,
                 batch=_einsum_batch, names=(), residuals=(reads(1), reads(0)))
selective_vjp_rules.add(einsum)


# ---- diagonal and its transpose ---------------------------------------------------
def _diagonal_impl(x, offset=0, axis1=0, axis2=1):
    if array_api_only(x):  # the standard's (NumPy's would convert x to NumPy)
        nd = len(x.shape)
        a1, a2 = axis1 % nd, axis2 % nd
        rest = tuple(k for k in range(nd) if k not in (a1, a2))
        xp = namespace_of(x)
        lin = getattr(xp, "linalg", None)
        if lin is None:
            return standard_call("linalg.diagonal", x)  # the clear error
        return lin.diagonal(xp.permute_dims(x, rest + (a1, a2)), offset=offset)
    return np.diagonal(x, offset=offset, axis1=axis1, axis2=axis2)


def _diag_embed_impl(d, shape, offset=0, axis1=0, axis2=1):
    if not is_numpy(d):  # another library's array: made in that library, not written
        return diag_embed_in(d, shape, offset, axis1, axis2)
    out = np.zeros(shape, dtype=np.result_type(d))
    view = np.diagonal(out, offset=offset, axis1=axis1, axis2=axis2)
    # numpy returns diagonals read-only; the base is ours, so writing is safe.
    view.flags.writeable = True
    view[...] = d
    return out


def _diagonal_batch(vals, dims, offset=0, axis1=0, axis2=1):
    (x,), (d,) = vals, dims
    r = example_ndim(x, d)
    x = moveaxis_to_front(x, d)
    return diagonal(x, offset=offset, axis1=int(axis1) % r + 1, axis2=int(axis2) % r + 1), 0


def _diag_embed_batch(vals, dims, shape, offset=0, axis1=0, axis2=1):
    (x,), (d,) = vals, dims
    r = len(shape)
    x = moveaxis_to_front(x, d)
    return diag_embed(x, shape=(_shape_of(x)[0],) + tuple(shape), offset=offset,
                      axis1=int(axis1) % r + 1, axis2=int(axis2) % r + 1), 0


def _shape_of(x):  # ``shape`` is a parameter name of the rules around it
    return shape(x)


diagonal = declare(
    Primitive("diagonal", _diagonal_impl),
    jvp=[lambda t, ans, x, offset=0, axis1=0, axis2=1:
         diagonal(t, offset=offset, axis1=axis1, axis2=axis2)],
    vjp=[lambda g, ans, x, offset=0, axis1=0, axis2=1:
         diag_embed(g, shape=shape(x), offset=offset, axis1=axis1, axis2=axis2)],
    batch=_diagonal_batch, names=(), residuals=reads())
diag_embed = declare(
    Primitive("diag_embed", _diag_embed_impl),
    jvp=[lambda t, ans, d, shape, offset=0, axis1=0, axis2=1:
         diag_embed(t, shape=shape, offset=offset, axis1=axis1, axis2=axis2)],
    vjp=[lambda g, ans, d, shape, offset=0, axis1=0, axis2=1:
         diagonal(g, offset=offset, axis1=axis1, axis2=axis2)],
    batch=_diag_embed_batch, names=(), residuals=reads())


def _stack_batch(prim):
    """inv, det, logabsdet, cholesky, eigh: NumPy already maps over leading axes."""
    def rule(vals, dims, **params):
        (x,), (d,) = vals, dims
        out = bind(prim, [moveaxis_to_front(x, d)], params)
        return (out, (0,) * len(out)) if prim.multiple_results else (out, 0)
    return rule


def _matrix_function(name, impl, jvp, vjp, names=None, multiple_results=False, residuals=None):
    """A function of (a stack of) square matrices, exported in chainrule.numpy.linalg."""
    p = Primitive(name, impl, multiple_results=multiple_results)
    return declare(p, jvp=jvp, vjp=vjp, batch=_stack_batch(p), names=names, namespace=LINALG,
                   residuals=residuals)


# ---- inverse, determinant, solve ----------------------------------------------------
# An array that only the Array API describes (array-api-strict's) is computed by its
# namespace's linalg extension (``standard_linalg``): NumPy's functions would return NumPy
# arrays, silently leaving the caller's library.
def _inv_impl(a):
    return standard_linalg("inv", a) if array_api_only(a) else np.linalg.inv(a)


def _det_impl(a):
    return standard_linalg("det", a) if array_api_only(a) else np.linalg.det(a)


inv = _matrix_function("inv", _inv_impl,
                       [lambda t, ans, a: E.negative(matmul(matmul(ans, t), ans))],
                       [lambda g, ans, a: E.negative(matmul(matmul(mT(ans), g), mT(ans)))],
                       residuals=reads("ans"))


def _expand2(x):
    return B.reshape(x, shape=shape(x) + (1, 1))


def _trace_last2(x):
    return B.reduce_sum(diagonal(x, axis1=-2, axis2=-1), axis=-1)


def _adjugate_impl(a):
    # adj(a) = det(U) det(Vᴴ) · V diag(π) Uᴴ for a = U diag(s) Vᴴ, with π_i = Π_{j≠i} s_j
    # (prefix times suffix products): no inverse, so it holds for singular a as well.
    # (Uᴴ and V are conjugated: for a complex a, Uᵀ would be wrong.)
    if array_api_only(a):
        return _adjugate_standard(a)
    a = np.asarray(a)
    if a.shape[-1] == 0:
        return np.zeros(a.shape, dtype=np.result_type(a, np.float64) if a.dtype.kind != "f"
                        else a.dtype)
    u, s, vt = np.linalg.svd(a)
    one = np.ones(s.shape[:-1] + (1,), dtype=s.dtype)
    before = np.cumprod(np.concatenate([one, s[..., :-1]], axis=-1), axis=-1)
    after = np.cumprod(np.concatenate([one, s[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    sign = np.linalg.det(u) * np.linalg.det(vt)
    v_pi = np.swapaxes(vt, -1, -2).conj() * (before * after)[..., None, :]
    return (sign[..., None, None] * v_pi) @ np.swapaxes(u, -1, -2).conj()


def _adjugate_standard(a):
    # The same formula in the arrays' namespace (π_i as the product of the other singular
    # values: the standard has no cumulative product in every version).
    xp = namespace_of(a)
    u, s, vt = xp.linalg.svd(a)
    n = a.shape[-1]
    pi = xp.stack([xp.prod(xp.concat([s[..., :i], s[..., i + 1:]], axis=-1), axis=-1)
                   for i in range(n)], axis=-1)
    flip = xp.matrix_transpose
    if xp.isdtype(a.dtype, "complex floating"):
        u, vt = xp.conj(u), xp.conj(vt)
    sign = xp.linalg.det(u) * xp.linalg.det(vt)
    if xp.isdtype(a.dtype, "complex floating"):
        sign = xp.conj(sign)  # det(conj(u)) = conj(det(u))
    return (sign[..., None, None] * (flip(vt) * pi[..., None, :])) @ flip(u)


def _adjugate_jvp(t, adj, a):
    # adj = det(a) a⁻¹, so d adj = tr(a⁻¹ t) adj − a⁻¹ t adj (a invertible).
    x = solve(a, t)
    return _expand2(_trace_last2(x)) * adj - matmul(x, adj)


def _adjugate_vjp(g, adj, a):
    # The transpose of the JVP: a⁻ᵀ (⟨g, adj⟩ I − g adjᵀ).
    c = B.reduce_sum(g * adj, axis=(-2, -1))
    eye = np.eye(shape(a)[-1], dtype=result_type(lower(a)))
    return solve(mT(a), _expand2(c) * eye - matmul(g, mT(adj)))


# adj(a), the transposed cofactor matrix: det(a) a⁻¹ where a is invertible, and defined for
# every square matrix. Its value comes from the SVD; its own derivative (used at second
# order) solves with a, so it holds where a is invertible.
adjugate = _matrix_function("adjugate", _adjugate_impl, [_adjugate_jvp], [_adjugate_vjp],
                            names=())

# d det(a) = tr(adj(a) da): through the adjugate, the gradient of det at a singular matrix is
# its (transposed) adjugate, not an error. First order holds for every square matrix in both
# modes; second order holds where a is invertible (it differentiates the adjugate, whose rule
# solves with a: at an exactly singular a it raises LinAlgError).
det = _matrix_function("det", _det_impl,
                       [lambda t, ans, a: B.reduce_sum(mT(adjugate(a)) * t, axis=(-2, -1))],
                       [lambda g, ans, a: _expand2(g) * mT(adjugate(a))])


def _real_if_real(x, ans):
    """``x``'s real part when the output ``ans`` is real (log|det| of a complex matrix)."""
    if dtype(x).kind == "c" and dtype(ans).kind != "c":
        return B.real(x)
    return x


def _logabsdet_impl(a):
    return (standard_linalg("slogdet", a) if array_api_only(a) else np.linalg.slogdet(a))[1]


def _det_sign_impl(a):
    return (standard_linalg("slogdet", a) if array_api_only(a) else np.linalg.slogdet(a))[0]


logabsdet = _matrix_function("logabsdet", _logabsdet_impl,
                             [lambda t, ans, a: _real_if_real(_trace_last2(solve(a, t)), ans)],
                             [lambda g, ans, a: _expand2(g) * mT(inv(a))], names=())


# The sign of a real determinant is piecewise constant: zero derivative. For a complex a it
# is the phase s = det/|det|, with ds = s·i·Im(tr(a⁻¹ da)); under the pairing Re Σ c·t its
# transpose is c = i·Im(g·s)·a⁻ᵀ.
def _det_sign_jvp(t, ans, a):
    if dtype(a).kind != "c":
        return ans * 0.0
    return ans * 1j * E.imag(_trace_last2(solve(a, t)))


def _det_sign_vjp(g, ans, a):
    if dtype(a).kind != "c":
        return a * 0.0
    return _expand2(1j * E.imag(g * ans)) * mT(inv(a))


det_sign = _matrix_function("det_sign", _det_sign_impl, [_det_sign_jvp],
                            [_det_sign_vjp], names=())


def _solve_impl(a, b):
    solve_ = np.linalg.solve
    if array_api_only(a) or array_api_only(b):
        solve_ = lambda a, b: standard_linalg("solve", a, b)  # noqa: E731
    if len(shape(b)) == 1 and len(shape(a)) > 2:
        return solve_(a, b[..., None])[..., 0]
    return solve_(a, b)


def _as_cols(x, b):
    # Vectors are treated as single columns, as numpy.linalg.solve does for 1-D b.
    return B.reshape(x, shape=shape(x) + (1,)) if ndim(b) == 1 else x


def _solve_like_b(a, r, b):
    """solve(a, r) for r shaped like the solution: with 1-D b and stacked a, r is a stack
    of vectors (not a matrix), so it is solved as a stack of single columns."""
    if ndim(b) == 1 and ndim(r) > 1:
        return B.reshape(solve(a, B.reshape(r, shape=shape(r) + (1,))), shape=shape(r))
    return solve(a, r)


def _solve_vjp_a(g, ans, a, b):
    gb = _solve_like_b(mT(a), g, b)
    return unbroadcast(E.negative(matmul(_as_cols(gb, b), mT(_as_cols(ans, b)))), a)


def _solve_batch(vals, dims):
    (a, b), (da, db) = vals, dims
    ra, rb = example_ndim(a, da), example_ndim(b, db)
    vec = rb == 1
    if vec:
        b = _as_col(b, db)
        db = None if db is None else 0
        rb = 2
    n = max(ra, rb)
    if da is not None:
        a = front_padded(a, da, n)
    if db is not None:
        b = front_padded(b, db, n)
    if da is None:  # broadcast the unbatched matrix stack to the batch's rank
        a = B.reshape(a, shape=(1,) * (n + 1 - ra) + shape(a))
    if db is None:
        b = B.reshape(b, shape=(1,) * (n + 1 - rb) + shape(b))
    out = solve(a, b)
    return (B.reshape(out, shape=shape(out)[:-1]) if vec else out), 0


solve = declare(
    Primitive("solve", _solve_impl),
    jvp=[lambda t, ans, a, b: E.negative(_solve_like_b(a, _mat_times(t, ans, b), b)),
         lambda t, ans, a, b: solve(a, t)],
    vjp=[_solve_vjp_a, lambda g, ans, a, b: unbroadcast(_solve_like_b(mT(a), g, b), b)],
    batch=_solve_batch, namespace=LINALG, residuals=(reads(0, "ans"), reads(0)))


def _mat_times(t, x, b):
    if ndim(b) == 1:
        return B.reshape(matmul(t, B.reshape(x, shape=shape(x) + (1,))), shape=shape(x))
    return matmul(t, x)


# ---- cholesky (Murray 2016, "Differentiation of the Cholesky decomposition") --------
def _phi(x):
    """Lower triangle with the diagonal halved."""
    return S.tril(x) - 0.5 * diag_embed(diagonal(x, axis1=-2, axis2=-1), shape=shape(x),
                                       axis1=-2, axis2=-1)


def _is_complex(x):
    return dtype(x).kind == "c"


def mH(x):
    """Conjugate transpose of (a stack of) matrices; the plain transpose of a real one."""
    return E.conj(mT(x)) if _is_complex(x) else mT(x)


def _cj(x):
    """conj(x), and x itself when it is real (no extra node in real programs)."""
    return E.conj(x) if _is_complex(x) else x


def _sym(x):
    """The Hermitian part 0.5·(x + xᴴ) (the symmetric part of a real x)."""
    return 0.5 * (x + mH(x))


# For a complex Hermitian A = L Lᴴ the rules below are Murray's with conjugate transposes.
# Reverse mode is the transpose of forward mode under the bilinear pairing Re Σ c·t
# (docs/complex.md): t ↦ X t Y transposes to c ↦ Xᵀ c Yᵀ, and t ↦ tᴴ to c ↦ cᴴ.
def _cholesky_jvp(t, L, a):
    # dL = L Φ(L⁻¹ herm(dA) L⁻ᴴ)
    x = solve(L, _sym(t))
    x = mT(solve(_cj(L), mT(x)))
    return matmul(L, _phi(x))


def _cholesky_vjp(g, L, a):
    # The exact transpose of the JVP: Ā = herm(L⁻ᵀ Φ(Lᵀ L̄) conj(L)⁻¹).
    p = _phi(matmul(mT(L), g))
    y = solve(mT(L), p)
    return _sym(mT(solve(mH(L), mT(y))))


def _cholesky_impl(a):
    if type(a) is not np.ndarray and is_lazy(a):  # Dask's default is the upper factor
        return lazy_linalg("cholesky", a)
    if array_api_only(a):
        return standard_linalg("cholesky", a)
    return np.linalg.cholesky(a)


cholesky = _matrix_function("cholesky", _cholesky_impl, [_cholesky_jvp], [_cholesky_vjp],
                            residuals=reads("ans"))


# ---- symmetric eigendecomposition ------------------------------------------------
def _scipy_eigh(a, UPLO, lapack):
    """SciPy's eigenpairs, each matrix of a stack by the LAPACK routine SciPy's function calls:
    ``("evr",)`` scipy.linalg.eigh's default syevr/heevr, ``("band", u, lower)`` eig_banded's
    sbevd/hbevd on the band storage of u off-diagonals. Each eigenvector's sign (phase) is
    the routine's: the same vectors as SciPy's, which the rules then differentiate."""
    import importlib
    sl = importlib.import_module("scipy.linalg")
    a = np.asarray(a)
    n = a.shape[-1]
    flat = a.reshape((-1, n, n))
    pairs = []
    for m in flat:
        if lapack[0] == "band":
            u, lower = lapack[1], lapack[2]
            ab = np.zeros((u + 1, n), dtype=m.dtype)
            for k in range(u + 1):   # LAPACK's storage: row u − k (upper) or k (lower)
                if lower:
                    ab[k, :n - k] = np.diagonal(m, -k)
                else:
                    ab[u - k, k:] = np.diagonal(m, k)
            pairs.append(sl.eig_banded(ab, lower=lower, check_finite=False))
        else:
            pairs.append(sl.eigh(m, lower=UPLO == "L", driver=lapack[0], check_finite=False))
    w = np.stack([p[0] for p in pairs]).reshape(a.shape[:-1])
    v = np.stack([p[1] for p in pairs]).reshape(a.shape)
    return w, v


def _eigh_impl(a, UPLO="L", lapack=None):
    # NumPy's values: LAPACK reads one triangle (UPLO), so a non-symmetric a gives what
    # numpy.linalg.eigh gives (JAX symmetrises all of a first: other eigenvalues). The rules
    # differentiate along Hermitian directions herm(dA), as cholesky's (and autograd's, JAX's,
    # PyTorch's) do: the gradient of an eigenvalue is v·vᴴ, not a one-triangle matrix.
    UPLO = UPLO.upper()  # (NumPy's: 'l' and 'u' too)
    if UPLO not in ("L", "U"):
        raise ValueError(f"eigh: UPLO must be 'L' or 'U', got {UPLO!r}")
    if array_api_only(a):  # the standard reads the lower triangle: the upper one is aᴴ's
        xp = namespace_of(a)
        if UPLO == "U":
            a = xp.matrix_transpose(a)
            a = xp.conj(a) if xp.isdtype(a.dtype, "complex floating") else a
        w, v = standard_linalg("eigh", a)
        return w, v
    if lapack is not None and np.size(a):
        return _scipy_eigh(a, UPLO, lapack)
    w, v = np.linalg.eigh(np.asarray(a), UPLO=UPLO)
    return w, v


def _eigh_F(w):
    diff = B.reshape(w, shape=shape(w)[:-1] + (1, shape(w)[-1])) - \
        B.reshape(w, shape=shape(w) + (1,))
    # F_ij = 1 / (w_j - w_i) off the diagonal, 0 on it. Between eigenvalues equal to rounding
    # (|w_j - w_i| within n·eps of the largest |w|: a degenerate pair, whose eigenvectors are
    # any basis of their subspace) F_ij is 0 too: the derivative of anything that does not
    # depend on that choice (an eigenvalue outside the pair, a projector onto the subspace, a
    # second derivative of the ground energy of a symmetric Hamiltonian) is then exact, where
    # 1/(rounding) multiplied rounding into garbage or 0·inf into nan.
    n = shape(w)[-1]
    eye = np.eye(n, dtype=bool)
    values = E.stop_gradient(w)
    scale = S.reduce_max(E.absolute(values), axis=-1, keepdims=True) if n else values
    tol = B.reshape(scale, shape=shape(scale) + (1,)) * (n * float(np.finfo(dtype(w)).eps))
    tied = E.logical_or(eye, E.less_equal(E.absolute(E.stop_gradient(diff)), tol))
    safe = E.where(tied, 1.0, diff)
    return E.where(tied, 0.0, E.reciprocal(safe))


def _eigh_jvp(primals, tangents, UPLO="L", lapack=None):
    # JAX's eigh_jvp_rule: with X = Vᴴ herm(dA) V, dw = Re diag(X) and dV = V (F ∘ X). F has a
    # zero diagonal, which fixes the gauge: Vᴴ dV has a zero diagonal (for a complex matrix
    # each eigenvector's phase is free; this is the choice JAX makes).
    (a,), (t,) = primals, tangents
    w, v = eigh(a, UPLO=UPLO, lapack=lapack)   # (the same routine: the same signs)
    x = matmul(matmul(mH(v), _sym(t)), v)
    d = diagonal(x, axis1=-2, axis2=-1)
    dw = B.real(d) if _is_complex(d) else d
    dv = matmul(v, _eigh_F(w) * x)
    return (w, v), (dw, dv)


def _eigh_vjp(g, ans, vals, params):
    # The transpose of the JVP under Re Σ c·t: the cotangent of X is
    # diag(w̄) + F ∘ (Vᵀ V̄), that of herm(dA) is conj(V) X̄ Vᵀ, then its Hermitian part.
    gw, gv = g
    w, v = ans
    if _is_complex(gw):
        gw = B.real(gw)
    # F is inf between repeated eigenvalues; a zero V̄ (only w used: eigvalsh, trace) must
    # contribute 0 there, not 0·inf = nan.
    inner = diag_embed(gw, shape=shape(v), axis1=-2, axis2=-1) + \
        E.nan_safe_multiply(_eigh_F(w), matmul(mT(v), gv))
    return [_sym(matmul(matmul(_cj(v), inner), mT(v)))]


eigh = _matrix_function("eigh", _eigh_impl, _eigh_jvp, _eigh_vjp, names=(),
                        multiple_results=True)


@export("eigh", namespace=LINALG, prim=eigh)
def eigh_result(a, UPLO="L"):
    """numpy.linalg.eigh: ``(eigenvalues, eigenvectors)`` as NumPy's ``EighResult`` (the
    primitive :data:`eigh` returns the plain pair). As NumPy's, it reads one triangle
    (``UPLO``); it is differentiated along Hermitian directions, as ``cholesky`` (and autograd,
    JAX, PyTorch): d w_k = v_kᴴ·herm(dA)·v_k.

    >>> w, v = eigh_result(np.diag([2.0, 1.0]))
    >>> w
    array([1., 2.])
    """
    return linalg_result("eigh", eigh(a, UPLO=UPLO))


# ---- the Euclidean norm of real values: derivatives free of its over- and underflow ---------
def _norm2_impl(x, axis=None, keepdims=False, count=None):
    # √(Σ x²) (√(Σ x² / count): std of the deviations x), the operations (and values) of
    # NumPy's norm and std, which do not scale: Σ x² overflows from about 1e154 on and
    # underflows below 1e-154
    if type(x) is np.ndarray:  # what the primitives below run, without binding them
        s = np.add.reduce(x * x, axis=axis, keepdims=keepdims)
        return np.sqrt(s if count is None else s / count)
    s = B.reduce_sum(x * x, axis=axis, keepdims=keepdims)
    return E.sqrt(s if count is None else s / count)


def unit_along(x, axis):
    """x / ‖x‖ along ``axis`` (kept), of x scaled by a constant power of two near
    1 / max|x| (exact): finite where ‖x‖ itself over- or underflows (x of 1e200 or 1e-200,
    where x / norm(x) was 0 or inf), and an exact function of x, so its own derivatives
    are right.

    >>> unit_along(np.array([3e200, 4e200]), None)
    array([0.6, 0.8])
    """
    if math.prod(shape(x)) == 0:
        return x * 0.0
    big = E.stop_gradient(S.reduce_max(E.absolute(x), axis=axis, keepdims=True))
    xs = x * E.power_of_two_scale(big)
    return xs / E.sqrt(B.reduce_sum(xs * xs, axis=axis, keepdims=True))


def _unit_impl(x, n, axis=None, count=None):
    """x / ‖x‖ along ``axis`` (over √count) on values, given ``n``: the norm the forward
    pass computed (for std, the deviation √(Σ x² / count)), with kept axes. One division
    where that norm neither overflowed nor came near the subnormals (from 2^−480 up in
    float64): the test reads ``n``, not x, so this costs what x / n costs. The scaled ratio
    of :func:`unit_along` is taken in the slices where it did. The choice is made here, at
    run time, so that jit's program (which calls this) gives eager's bits."""
    if type(x) is not np.ndarray or x.dtype.kind != "f":
        u = unit_along(x, axis)
        return u if count is None else u / math.sqrt(count)
    n = np.asarray(n, dtype=x.dtype)
    info = np.finfo(x.dtype)
    with np.errstate(invalid="ignore"):
        good = np.isfinite(n) & (n >= np.sqrt(info.tiny) * 2.0 ** (info.nmant // 2 + 5))
    if count is not None:  # std: 0 where the deviations are all 0 (the caller masks it)
        zero = n == 0
        good |= zero
        n = np.where(zero, np.inf, n) * count
    with np.errstate(invalid="ignore", divide="ignore"):
        u = np.divide(x, n)
    if not good.all():
        scaled = unit_along(x, axis)
        u = np.where(good, u, scaled if count is None else scaled / math.sqrt(count))
    return u


def _unit_tangent(t, u, x, axis, count):
    # d(x/‖x‖) = (t − u·Σ(u t)) / ‖x‖ (u the unit vector); 1/‖x‖ as scale/‖x·scale‖, which
    # over- or underflows only where 1/‖x‖ itself does. With a count, u and the result are
    # over √count.
    c = 1.0 if count is None else math.sqrt(count)
    uc = u * c
    big = E.stop_gradient(S.reduce_max(E.absolute(x), axis=axis, keepdims=True))
    scale = E.power_of_two_scale(big)
    xs = x * scale
    inverse = scale / E.sqrt(B.reduce_sum(xs * xs, axis=axis, keepdims=True))
    along = t - uc * B.reduce_sum(uc * t, axis=axis, keepdims=True)
    return E.nan_safe_multiply(along, inverse / c)


unit = Primitive("unit_along", _unit_impl)


def _unit_batch(vals, dims, axis=None, count=None):
    (x, n), (d, dn) = vals, dims
    x = B.moveaxis_to_front(x, d) if d not in (None, 0) else x
    n = B.moveaxis_to_front(n, dn) if dn not in (None, 0) else n
    if dn is None:  # one norm for every example: broadcast it along the batch axis
        n = B.broadcast_to(n, shape=(shape(x)[0],) + tuple(shape(n)))
    full = tuple(B.batched_axis(a, 0) for a in B.normalize_axes(axis, B.example_ndim(x, 0)))
    return bind(unit, [x, n], dict(axis=full, count=count)), 0


# The Jacobian (I − u uᵀ)/‖x‖ is symmetric: the VJP is the JVP's formula. ``n`` is the norm
# of x handed over for speed (under stop_gradient): the whole derivative is x's.
declare(unit,
        jvp=[lambda t, ans, x, n, axis=None, count=None: _unit_tangent(t, ans, x, axis, count),
             None],
        vjp=[lambda g, ans, x, n, axis=None, count=None: _unit_tangent(g, ans, x, axis, count),
             None],
        batch=_unit_batch, names=(), residuals=reads(0, "ans"))


_PLAIN_NORMS = (np.ndarray, np.float64, np.float32, np.float16, float)


def _norm2_gradient(x, ans, axis, keepdims, count):
    """∂‖x‖/∂x = x/‖x‖ (over √count), dividing by ``ans`` (the norm itself) where it is
    safe; with a count (std), 0 where x is all 0 along ``axis`` (std's minimum-norm
    subgradient at constant data, as :func:`sqrt_flat_at_zero`)."""
    n = E.stop_gradient(ans if keepdims else B.reshape(ans, shape=B.kept_shape(shape(x), axis)))
    if count is None:
        return unit(x, n, axis=axis)
    zero = E.equal(n, 0)
    return E.where(zero, 0.0, unit(E.where(zero, 1.0, x), n, axis=axis, count=count))


def _norm2_jvp(t, ans, x, axis=None, keepdims=False, count=None):
    return B.reduce_sum(E.nan_safe_multiply(t, _norm2_gradient(x, ans, axis, keepdims, count)),
                        axis=axis, keepdims=keepdims)


def _norm2_vjp(g, ans, x, axis=None, keepdims=False, count=None):
    if type(x) is np.ndarray and x.dtype.kind == "f" and type(ans) in _PLAIN_NORMS and \
            type(g) in _PLAIN_NORMS:
        # NumPy values: the same operations, the product written into the fresh unit vector
        # (two live arrays of x's size thrash glibc's heap trimming: 0.1 -> 1 ms at 1e5).
        # With g finite and nonzero, the NaN-safe product is the plain one, bit for bit.
        gk = np.asarray(g) if keepdims else np.reshape(g, B.kept_shape(x.shape, axis))
        with np.errstate(invalid="ignore"):
            plain = bool(np.all(np.isfinite(gk) & (gk != 0)))
        if plain:
            nk = np.asarray(ans) if keepdims else np.reshape(ans, B.kept_shape(x.shape, axis))
            u = _unit_impl(x, nk, axis=axis, count=count)
            if count is not None:  # std at constant data: +0 (the traced rule's where)
                zero = nk == 0
                if zero.any():
                    u[np.broadcast_to(zero, u.shape)] = 0.0
            return np.multiply(u, gk, out=u)
    return E.nan_safe_multiply(B.expand_reduced(g, shape(x), axis, keepdims),
                               _norm2_gradient(x, ans, axis, keepdims, count))


norm2 = Primitive("norm2", _norm2_impl)
# NaN-safe as sqrt's rule: a zero (co)tangent contributes 0 also at x = 0, where the gradient
# is nan (the gradient of norm(x)**2 there is 0)
declare(norm2, jvp=[_norm2_jvp], vjp=[_norm2_vjp], batch=B.reduction_batch(norm2), names=(),
        family="reduction", residuals=reads(0, "ans"))

