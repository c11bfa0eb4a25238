"""Rows of a one-hot basis: a Jacobian's seed times a matrix, without the matrix product.

``jacrev`` pulls back every output basis vector at once: the seed is the identity
``E`` (one row per output), and the first rules of the backward pass multiply it
elementwise by the derivative ``d`` of the last operation, ``D = E * d`` (the
diagonal matrix of ``d``), then by the transposed Jacobian of a linear operation,
``D @ A``. Row ``i`` of that product is ``d[i] * A[i]``: :func:`rewrite` replaces the
two steps of a staged program by that row scaling, k·n multiplications instead of
k·k·n multiply-adds (``jit(jacrev(lambda x: tanh(W @ x)))``). ``E @ A`` alone (a
linear output) becomes ``A`` scaled by ones the same way.

Bit for bit: each entry of ``D @ A`` is one product ``d[i] * A[i, j]`` plus products
with an exact zero, which leave a finite nonzero sum unchanged in any summation order
(with or without fused multiply-adds). The rewritten step checks that every product is
finite and nonzero and otherwise computes ``(E * d) @ A`` as the program did: a zero
result's sign, and the NaNs that ``0 * inf`` spreads across a row, depend on the sums.

>>> import numpy as np
>>> d, A = np.array([2.0, -3.0]), np.arange(1.0, 7.0).reshape(2, 3)
>>> out = basis_rows(d, A, np.eye(2))
>>> bool(np.array_equal(out, (np.eye(2) * d) @ A))
True
"""

import numpy as np

from ..core.primitive import Primitive
from .staging import Eqn, Const

__all__ = ["rewrite", "basis_rows"]

_FLOATS = (np.dtype(np.float64), np.dtype(np.float32))
# The products a seed meets: NumPy's, and the rules' NaN-safe one (equal on finite values,
# which is where the rows are taken; the fallback uses the program's own)
_PRODUCTS = ("multiply", "nan_safe_multiply")


def basis_rows(d, a, eye, a_low=None, tiny=0.0, multiply=np.multiply):
    """``multiply(eye, d) @ a`` for the identity ``eye``: row ``i`` is ``d[i] * a[i]``.
    ``a_low`` is the smallest ``|a|`` when ``a`` is known finite and without zeros (a
    constant of the program) and ``tiny`` the smallest normal number of the dtype: then
    only ``d`` is checked; else (None) the products are. ``multiply`` is the program's
    (NumPy's, or the NaN-safe product of the rules, whose ``0 * nan`` is 0)."""
    rows = np.multiply(d[:, None] if a.ndim == 2 else d, a, order="C")
    # nan fails every comparison
    if a_low is not None:
        u = np.abs(d)
        # |d[i]| * |a[i, j]| >= tiny: no product rounds to zero
        if u.max() < np.inf and u.min() * a_low >= tiny:
            return rows
    elif rows.size:
        u = np.abs(rows)
        if u.max() < np.inf and u.min() > 0:
            return rows
    return np.matmul(multiply(eye, d), a)


basis_rows.fresh = True  # a new array, either way (see staged.fresh_primitives)
_basis_rows = Primitive("basis_rows", basis_rows)


def rewrite(steps, var_info, stats):
    """``steps`` with each ``(E * d) @ A`` (``E`` a constant identity, ``d`` a vector,
    ``A`` a vector or matrix, one real float dtype) written as :func:`basis_rows`; the
    multiplication is left to dead-code elimination when nothing else reads it."""
    made = {}
    for s in steps:
        if type(s) is Eqn:
            for v in s.outs:
                made[v] = s
    out, count = [], 0
    for s in steps:
        if type(s) is Eqn and s.prim.name == "matmul" and not s.params and not s.host \
                and len(s.ins) == 2:
            found = _scaled_identity(s.ins[0], made, var_info)
            if found is not None:
                new = _rows_step(s, *found, s.ins[1], var_info)
                if new is not None:
                    out.append(new)
                    count += 1
                    continue
        out.append(s)
    stats["basis_rows"] = stats.get("basis_rows", 0) + count
    return out


def _scaled_identity(atom, made, var_info):
    """``(d, value of d, eye, product)`` when ``atom`` is ``eye * d`` (``eye`` a constant
    identity of float dtype, ``d`` a vector of the same dtype; ``product`` the
    multiplication's primitive); else None."""
    if type(atom) is not int:
        return None
    p = made.get(atom)
    if p is None or p.prim.name not in _PRODUCTS or p.params or p.host or len(p.ins) != 2:
        return None
    for (c, d), (_, value) in ((p.ins, p.vals), (p.ins[::-1], p.vals[::-1])):
        if type(c) is Const and type(d) is int and _is_identity(c.value):
            t, shape, dt = var_info[d]
            k = c.value.shape[0]
            if t is np.ndarray and shape == (k,) and dt in _FLOATS and c.value.dtype == dt \
                    and var_info[atom] == (np.ndarray, (k, k), dt):
                return d, value, c, p.prim
    return None


def _is_identity(v):
    # k nonzero entries, all on the diagonal and equal to 1 (no k x k identity is built)
    return (type(v) is np.ndarray and v.ndim == 2 and v.shape[0] == v.shape[1] > 0
            and v.dtype.kind == "f" and np.count_nonzero(v) == v.shape[0]
            and bool(np.all(np.diagonal(v) == 1)))


def _rows_step(s, d, d_value, eye, product, a, var_info):
    """The :func:`basis_rows` step for ``s = (eye * d) @ a``, or None when ``a`` does not
    fit (its type, shape or dtype)."""
    k = eye.value.shape[0]
    dt = var_info[d][2]
    if type(a) is Const:
        value = a.value
        if type(value) is not np.ndarray:
            return None
        info = (np.ndarray, value.shape, value.dtype)
    else:
        info = var_info[a]
    if info[0] is not np.ndarray or info[2] != dt or info[1][:1] != (k,) or len(info[1]) > 2:
        return None
    if var_info[s.outs[0]] != (np.ndarray, info[1], dt):
        return None
    params = {} if product.name == "multiply" else {"multiply": product.impl}
    if type(a) is Const and a.value.size and np.isfinite(a.value).all() and a.value.all():
        params.update(a_low=float(np.abs(a.value).min()), tiny=float(np.finfo(dt).tiny))
    return Eqn(_basis_rows, params, (d, a, eye), s.outs, s.line,
               (d_value, s.vals[1], eye.value), s.ans, False, s.pvars, s.epoch)
