"""Linear-algebra primitives: matmul, einsum, diagonal, inv, det, solve,
cholesky, eigh, with their rules. Stacked matrices (leading batch axes)
follow NumPy's broadcasting conventions throughout.
"""

import numpy as np

from ..core.primitive import Primitive
from ..interpreters.forward import jvp_rules
from ..interpreters.reverse import vjp_rules
from .util import defrules, shape, ndim, unbroadcast
from . import elementwise as E
from . import structural as S


def mT(x):
    """Swap the last two axes (matrix transpose of a stack)."""
    return S.transpose(x, axes=tuple(range(ndim(x) - 2)) + (ndim(x) - 1, ndim(x) - 2))


# ---- matmul: 1-D operands are promoted to matrices, as NumPy does ------------------
def _matmul_vjp_a(g, ans, a, b):
    if ndim(a) == 1 and ndim(b) == 1:
        return g * b
    if ndim(b) == 1:  # (..., m, k) @ (k,) -> (..., m)
        return unbroadcast(E.multiply(S.reshape(g, shape=shape(g) + (1,)), b), a)
    if ndim(a) == 1:  # (k,) @ (..., k, n) -> (..., n)
        ga = matmul(S.reshape(g, shape=shape(g)[:-1] + (1, shape(g)[-1])), mT(b))
        return S.reshape(unbroadcast(ga, S.reshape(a, shape=(1,) + shape(a))), shape=shape(a))
    return unbroadcast(matmul(g, mT(b)), a)


def _matmul_vjp_b(g, ans, a, b):
    if ndim(a) == 1 and ndim(b) == 1:
        return g * a
    if ndim(a) == 1:  # outer(a, g) per batch
        gb = E.multiply(S.reshape(a, shape=shape(a) + (1,)),
                        S.reshape(g, shape=shape(g)[:-1] + (1, shape(g)[-1])))
        return unbroadcast(gb, b)
    if ndim(b) == 1 and ndim(a) == 2:
        return matmul(g, a)  # aᵀg for a single matrix: one product, no reshapes
    if ndim(b) == 1:
        gb = matmul(mT(a), S.reshape(g, shape=shape(g) + (1,)))
        gb = unbroadcast(gb, S.reshape(b, shape=shape(b) + (1,)))
        return S.reshape(gb, shape=shape(b))
    return unbroadcast(matmul(mT(a), g), b)


matmul = Primitive("matmul", np.matmul)
defrules(matmul,
         [lambda t, ans, a, b: matmul(t, b), lambda t, ans, a, b: matmul(a, t)],
         [_matmul_vjp_a, _matmul_vjp_b])


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
        ct = S.transpose(ct, axes=tuple(order)) if order != sorted(order) else ct
        ct = S.broadcast_to(S.reshape(ct, shape=tuple(kept)), shape=tuple(full))
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


def _einsum_vjp(g, ans, vals, params):
    return [_einsum_operand_ct(g, vals, i, params["subscripts"]) for i in range(len(vals))]


einsum = Primitive("einsum", _einsum_impl)
jvp_rules[einsum] = _einsum_jvp
vjp_rules[einsum] = _einsum_vjp


# ---- diagonal and its transpose ---------------------------------------------------
def _diagonal_impl(x, offset=0, axis1=0, axis2=1):
    return np.diagonal(x, offset=offset, axis1=axis1, axis2=axis2)


def _diag_embed_impl(d, shape, offset=0, axis1=0, axis2=1):
    out = np.zeros(shape, dtype=np.result_type(d))
    view = np.diagonal(out, offset=offset, axis1=axis1, axis2=axis2)
    # numpy returns diagonals read-only; the base is ours, so writing is safe.
    view.flags.writeable = True
    view[...] = d
    return out


diagonal = Primitive("diagonal", _diagonal_impl)
diag_embed = Primitive("diag_embed", _diag_embed_impl)
defrules(diagonal,
         [lambda t, ans, x, offset=0, axis1=0, axis2=1:
          diagonal(t, offset=offset, axis1=axis1, axis2=axis2)],
         [lambda g, ans, x, offset=0, axis1=0, axis2=1:
          diag_embed(g, shape=shape(x), offset=offset, axis1=axis1, axis2=axis2)])
defrules(diag_embed,
         [lambda t, ans, d, shape, offset=0, axis1=0, axis2=1:
          diag_embed(t, shape=shape, offset=offset, axis1=axis1, axis2=axis2)],
         [lambda g, ans, d, shape, offset=0, axis1=0, axis2=1:
          diagonal(g, offset=offset, axis1=axis1, axis2=axis2)])


# ---- inverse, determinant, solve ----------------------------------------------------
inv = Primitive("inv", np.linalg.inv)
defrules(inv,
         [lambda t, ans, a: E.negative(matmul(matmul(ans, t), ans))],
         [lambda g, ans, a: E.negative(matmul(matmul(mT(ans), g), mT(ans)))])


def _expand2(x):
    return S.reshape(x, shape=shape(x) + (1, 1))


def _trace_last2(x):
    return S.sum(diagonal(x, axis1=-2, axis2=-1), axis=-1)


det = Primitive("det", np.linalg.det)
defrules(det,
         [lambda t, ans, a: ans * _trace_last2(solve(a, t))],
         [lambda g, ans, a: _expand2(g * ans) * mT(inv(a))])


def _logabsdet_impl(a):
    return np.linalg.slogdet(a)[1]


logabsdet = Primitive("logabsdet", _logabsdet_impl)
defrules(logabsdet,
         [lambda t, ans, a: _trace_last2(solve(a, t))],
         [lambda g, ans, a: _expand2(g) * mT(inv(a))])


def _solve_impl(a, b):
    if np.ndim(b) == 1 and np.ndim(a) > 2:
        return np.linalg.solve(a, b[..., None])[..., 0]
    return np.linalg.solve(a, b)


def _as_cols(x, b):
    # Vectors are treated as single columns, as numpy.linalg.solve does for 1-D b.
    return S.reshape(x, shape=shape(x) + (1,)) if ndim(b) == 1 else x


def _solve_like_b(a, r, b):
    """solve(a, r) for r shaped like the solution: with 1-D b and stacked a, r is a stack
    of vectors (not a matrix), so it is solved as a stack of single columns."""
    if ndim(b) == 1 and ndim(r) > 1:
        return S.reshape(solve(a, S.reshape(r, shape=shape(r) + (1,))), shape=shape(r))
    return solve(a, r)


def _solve_vjp_a(g, ans, a, b):
    gb = _solve_like_b(mT(a), g, b)
    return unbroadcast(E.negative(matmul(_as_cols(gb, b), mT(_as_cols(ans, b)))), a)


solve = Primitive("solve", _solve_impl)
defrules(solve,
         [lambda t, ans, a, b: E.negative(_solve_like_b(a, _mat_times(t, ans, b), b)),
          lambda t, ans, a, b: solve(a, t)],
         [_solve_vjp_a,
          lambda g, ans, a, b: unbroadcast(_solve_like_b(mT(a), g, b), b)])


def _mat_times(t, x, b):
    if ndim(b) == 1:
        return S.reshape(matmul(t, S.reshape(x, shape=shape(x) + (1,))), shape=shape(x))
    return matmul(t, x)


# ---- cholesky (Murray 2016, "Differentiation of the Cholesky decomposition") --------
def _phi(x):
    """Lower triangle with the diagonal halved."""
    return S.tril(x) - 0.5 * diag_embed(diagonal(x, axis1=-2, axis2=-1), shape=shape(x),
                                       axis1=-2, axis2=-1)


def _sym(x):
    return 0.5 * (x + mT(x))


def _cholesky_jvp(t, L, a):
    # dL = L Φ(L⁻¹ sym(dA) L⁻ᵀ)
    x = solve(L, _sym(t))
    x = mT(solve(L, mT(x)))
    return matmul(L, _phi(x))


def _cholesky_vjp(g, L, a):
    # The exact transpose of the JVP: Ā = sym(L⁻ᵀ Φ(Lᵀ L̄) L⁻¹).
    p = _phi(matmul(mT(L), g))
    y = solve(mT(L), p)
    return _sym(mT(solve(mT(L), mT(y))))


cholesky = Primitive("cholesky", np.linalg.cholesky)
defrules(cholesky, [_cholesky_jvp], [_cholesky_vjp])


# ---- symmetric eigendecomposition ------------------------------------------------
def _eigh_impl(a, UPLO="L"):
    # The input is symmetrised first (as JAX does), so that the function and its
    # symmetric derivative agree for any input; for symmetric input this is exact.
    a = np.asarray(a)
    w, v = np.linalg.eigh(0.5 * (a + np.swapaxes(a, -1, -2)), UPLO=UPLO)
    return w, v


def _eigh_F(w):
    diff = S.reshape(w, shape=shape(w)[:-1] + (1, shape(w)[-1])) - \
        S.reshape(w, shape=shape(w) + (1,))
    # F_ij = 1 / (w_j - w_i) off the diagonal, 0 on it (distinct eigenvalues assumed).
    eye = np.eye(shape(w)[-1], dtype=bool)
    safe = E.where(eye, 1.0, diff)
    return E.where(eye, 0.0, E.reciprocal(safe))


def _eigh_jvp(primals, tangents, UPLO="L"):
    (a,), (t,) = primals, tangents
    w, v = eigh(a, UPLO=UPLO)
    t = 0.5 * (t + mT(t))
    vt_t_v = matmul(matmul(mT(v), t), v)
    dw = diagonal(vt_t_v, axis1=-2, axis2=-1)
    dv = matmul(v, _eigh_F(w) * vt_t_v)
    return (w, v), (dw, dv)


def _eigh_vjp(g, ans, vals, params):
    gw, gv = g
    w, v = ans
    inner = diag_embed(gw, shape=shape(v), axis1=-2, axis2=-1) + _eigh_F(w) * matmul(mT(v), gv)
    ga = matmul(matmul(v, inner), mT(v))
    # Symmetric input: the cotangent is symmetrised so that both triangles agree.
    return [0.5 * (ga + mT(ga))]


eigh = Primitive("eigh", _eigh_impl, multiple_results=True)
jvp_rules[eigh] = _eigh_jvp
vjp_rules[eigh] = _eigh_vjp
