"""Empirical neural tangent kernels, K(x, x') = J(x) J(x')ᵀ, with or without J.

For a network ``f(params, x)`` applied to a batch ``x`` (shape ``(N, ...)``,
output ``(N, *out)``), the empirical NTK is the Gram matrix of the Jacobians
with respect to the parameters:

    K[i, j, a, b] = Σ_p ∂f(x1_i)_a/∂θ_p · ∂f(x2_j)_b/∂θ_p

Two ways to compute it (Novak, Sohl-Dickstein & Schoenholz, "Fast Finite Width
Neural Tangent Kernel", ICML 2022):

``"jacobian"`` (Jacobian contraction)
    All N·O rows of J in one batched pass (``vmap`` over pairs of an example
    and a basis cotangent of that example's VJP), then one BLAS product per
    parameter leaf. Time
    ≈ (N1 + N2)·O·[VJP] + N1·N2·O²·P (O·P when traced); memory (N1 + N2)·O·P.
``"ntk_vp"`` (NTK-vector products)
    K is applied to basis vectors: for each example j of x2 and output b, the
    row J2[j, b] = vjp(e_b) is pushed forward through the linearised network at
    x1, J1·J2[j, b]ᵀ, which is a column block of K. Rows are processed a chunk
    at a time, batched with ``vmap``: J is never stored; memory ≈ 2·c·P for c
    rows in flight. Time ≈ N2·O·([VJP] + N1·[JVP]).

``"auto"`` predicts the time and memory of both with this cost model and takes
the fastest one that fits in ``memory_limit``; :func:`choose_method` returns
the prediction and the reason.

>>> import numpy as np, chainrule.numpy as cnp
>>> from chainrule.ntk import empirical_ntk
>>> f = lambda p, x: cnp.tanh(x @ p["w"])
>>> p = {"w": np.ones((3, 2)) * 0.1}
>>> K = empirical_ntk(f, p, np.eye(3), method="jacobian")
>>> K.shape
(3, 3)

Only the public API is used here: ``chainrule``, ``chainrule.numpy``,
``chainrule.tree`` and ``chainrule.vmap`` (the function).
"""

import math
import os

import numpy as np

import chainrule as cr
import chainrule.numpy as cnp
from chainrule import tree as pytree

__all__ = ["empirical_ntk", "ntk_vector_product", "choose_method", "NTKChoice",
           "param_count"]

METHODS = ("auto", "jacobian", "ntk_vp")


# ---- helpers ---------------------------------------------------------------------------
def param_count(params):
    """Number of scalar parameters in a pytree.

    >>> param_count({"W": np.zeros((3, 4)), "b": np.zeros(4)})
    16
    """
    return sum(int(np.size(leaf)) for leaf in pytree.leaves(params))


def _itemsize(params):
    leaves = pytree.leaves(params)
    return max((np.result_type(leaf).itemsize for leaf in leaves), default=8)


def _out_shape(f, params, x):
    """Shape of one example's output (probes f on the first example)."""
    y = f(params, x[:1])
    return tuple(np.shape(y))[1:]


def _default_memory_limit():
    try:
        avail = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        avail = 8 << 30
    return int(min(4 << 30, avail // 2))


def _per_example(f):
    """f on one example, output flattened to (O,)."""
    def fe(params, xi):
        y = f(params, cnp.expand_dims(xi, 0))
        return cnp.reshape(y, (-1,))
    return fe


def _finish(K, n1, n2, out_shape, trace_outputs):
    if trace_outputs:
        return K
    return cnp.reshape(K, (n1, n2) + out_shape + out_shape)


# ---- cost model ------------------------------------------------------------------------------
class NTKChoice:
    """The method :func:`empirical_ntk` would use, with the predicted costs and the reason.

    ``predicted`` maps each method to ``{"flops": ..., "bytes": ..., "seconds": ...}``.
    """

    def __init__(self, method, reason, predicted, chunk_size):
        self.method = method
        self.reason = reason
        self.predicted = predicted
        self.chunk_size = chunk_size

    def __repr__(self):
        return f"NTKChoice({self.method!r}: {self.reason})"


def _costs(n1, n2, o, p, itemsize, trace_outputs, same, fp_flops, chunk):
    """Predicted FLOPs and peak bytes of both methods (Novak et al. 2022, Table 1).

    [FP] is the cost of one example's forward pass (≈ 2P for dense layers); a VJP
    costs ≈ 3[FP] and a JVP ≈ 2[FP] on top of the forward pass.
    """
    fp = fp_flops
    out_elems = n1 * n2 * (1 if trace_outputs else o * o)
    n_jac = n1 if same else n1 + n2
    jac_flops = n_jac * o * 3 * fp + 2 * n1 * n2 * (o if trace_outputs else o * o) * p
    jac_bytes = itemsize * (n_jac * o * p + out_elems)
    rows = n2 * o
    vp_flops = rows * (3 * fp + 3 * n1 * fp)
    # rows of J2 in flight and the VJP's own parameter-sized cotangents: ~2 per row
    vp_bytes = itemsize * (2 * chunk * p + chunk * n1 * o + out_elems)
    return ({"flops": jac_flops, "bytes": jac_bytes},
            {"flops": vp_flops, "bytes": vp_bytes})


def choose_method(f, params, x1, x2=None, trace_outputs=True, memory_limit=None,
                  chunk_size=None, fp_flops=None, flop_rate=2e9):
    """Predict the cost of each NTK method and pick one (what ``method="auto"`` does).

    ``memory_limit`` (bytes; default half the free memory, at most 4 GiB) bounds
    the peak working set; ``fp_flops`` is the cost of a forward pass on one
    example (default 2·P, exact for dense layers); ``flop_rate`` converts FLOPs to
    predicted seconds. Returns an :class:`NTKChoice`.

    >>> import numpy as np, chainrule.numpy as cnp
    >>> f = lambda p, x: cnp.tanh(x @ p["W"])
    >>> choice = choose_method(f, {"W": np.ones((3, 2))}, np.ones((4, 3)))
    >>> choice.method in ("jacobian", "ntk_vp"), "predicted" in choice.reason
    (True, True)
    """
    same = x2 is None or x2 is x1
    x2 = x1 if x2 is None else x2
    n1, n2 = int(np.shape(x1)[0]), int(np.shape(x2)[0])
    p = param_count(params)
    o = int(math.prod(_out_shape(f, params, x1)))
    itemsize = _itemsize(params)
    limit = _default_memory_limit() if memory_limit is None else int(memory_limit)
    fp = 2 * p if fp_flops is None else fp_flops
    chunk = _chunk(chunk_size, n2 * o, p, n1 * o, itemsize, limit)
    jac, vp = _costs(n1, n2, o, p, itemsize, trace_outputs, same, fp, chunk)
    for c in (jac, vp):
        c["seconds"] = c["flops"] / flop_rate
    predicted = {"jacobian": jac, "ntk_vp": vp}
    size = (f"N1={n1}, N2={n2}, O={o}, P={p}: jacobian needs {jac['bytes'] / 2**20:.1f} MiB "
            f"and ~{jac['flops']:.3g} FLOPs, ntk_vp {vp['bytes'] / 2**20:.1f} MiB "
            f"(chunks of {chunk} rows of J) and ~{vp['flops']:.3g} FLOPs; "
            f"memory limit {limit / 2**20:.0f} MiB")
    if jac["bytes"] > limit:
        method = "ntk_vp"
        why = "the explicit Jacobians would not fit in memory"
    elif jac["flops"] <= vp["flops"]:
        method = "jacobian"
        why = "contracting explicit Jacobians is predicted faster and fits in memory"
    else:
        method = "ntk_vp"
        why = "NTK-vector products are predicted faster (many outputs make the contraction costly)"
    return NTKChoice(method, f"{method}: {why} ({size})", predicted, chunk)


def _chunk(chunk_size, rows, p, col_elems, itemsize, limit):
    if chunk_size is not None:
        return max(1, min(int(chunk_size), rows))
    per_row = itemsize * (4 * p + 4 * col_elems)
    return int(max(1, min(rows, (limit // 4) // max(per_row, 1), 256)))


# ---- the two methods -------------------------------------------------------------------------
def _row_fn(f, params):
    """vmap over (example, basis cotangent) pairs of one example's VJP: rows of J, b-major."""
    fe = _per_example(f)

    def row(xj, e):
        return cr.vjp(lambda p: fe(p, xj), params)[1](e)[0]
    return cr.vmap(row, in_axes=(0, 0))


def _jac_rows(rows, x, o, dtype):
    """All N·O rows of J, ordered (b, j): each leaf is (O, N, *leaf)."""
    n = int(np.shape(x)[0])
    eye = np.eye(o, dtype=dtype)
    idx = np.arange(n * o)
    bs, js = idx // n, idx % n
    J = rows(np.asarray(x)[js], eye[bs])
    return [cnp.reshape(leaf, (o, n, -1)) for leaf in pytree.leaves(J)]


def _ntk_jacobian(f, params, x1, x2, same, trace_outputs):
    n1, n2 = int(np.shape(x1)[0]), int(np.shape(x2)[0])
    y = f(params, x1[:1])
    o = int(np.size(y))
    dtype = np.result_type(y)
    rows = _row_fn(f, params)
    J1 = _jac_rows(rows, x1, o, dtype)
    J2 = J1 if same else _jac_rows(rows, x2, o, dtype)
    K = None
    # One BLAS product per parameter leaf; J is never concatenated or copied.
    for a, b in zip(J1, J2):
        if trace_outputs:   # Σ_a J1[a] J2[a]ᵀ: O products (N1, P) @ (P, N2)
            k = cnp.sum(cnp.matmul(a, cnp.transpose(b, (0, 2, 1))), axis=0)
        else:               # (O·N1, P) @ (P, O·N2), then (i, j, a, b)
            k = cnp.matmul(cnp.reshape(a, (o * n1, -1)),
                           cnp.transpose(cnp.reshape(b, (o * n2, -1))))
        K = k if K is None else K + k
    if trace_outputs:
        return K
    return cnp.transpose(cnp.reshape(K, (o, n1, o, n2)), (1, 3, 0, 2))


def _ntk_vp(f, params, x1, x2, trace_outputs, chunk):
    """Column blocks of K = J1 J2ᵀ from rows of J2, chunk by chunk; J is never stored."""
    n1, n2 = int(np.shape(x1)[0]), int(np.shape(x2)[0])
    out1, push1 = cr.linearize(lambda p: f(p, x1), params)
    o = int(np.size(out1)) // n1
    eye = np.eye(o, dtype=np.result_type(out1))
    rows = _row_fn(f, params)
    push = cr.vmap(push1)
    K = np.zeros((n1, n2) if trace_outputs else (n1, n2, o, o), dtype=eye.dtype)
    # The rows are the pairs (j, b), j-major; a chunk is a run of consecutive pairs.
    total = n2 * o
    start = 0
    x2 = np.asarray(x2)
    while start < total:
        stop = min(total, start + chunk)
        idx = np.arange(start, stop)
        js, bs = idx // o, idx % o
        u = rows(x2[js], eye[bs])                      # (c, *params): rows of J2
        cols = np.reshape(np.asarray(push(u)), (stop - start, n1, o))  # J1 · rowᵀ
        if trace_outputs:
            np.add.at(K, (slice(None), js), cols[np.arange(stop - start), :, bs].T)
        else:
            K[:, js, :, bs] = cols
        start = stop
    return K


def empirical_ntk(f, params, x1, x2=None, method="auto", trace_outputs=True,
                  chunk_size=None, memory_limit=None, return_choice=False):
    """The empirical NTK of ``f(params, x)`` between the batches ``x1`` and ``x2``.

    ``f`` maps a batch (first axis: examples) to outputs ``(N, *out)``. The result
    is ``(len(x1), len(x2))`` with the output dimensions traced out (summed over
    ``a == b``) by default, or ``(len(x1), len(x2), *out, *out)`` with
    ``trace_outputs=False``. ``method`` is ``"jacobian"``, ``"ntk_vp"`` or
    ``"auto"`` (see the module docstring). ``chunk_size`` is the number of rows
    of J that ``ntk_vp`` keeps in flight (default: from ``memory_limit``). With
    ``return_choice=True`` the result is ``(K, choice)`` where ``choice`` is the
    :class:`NTKChoice` (for ``"auto"``, the reason it was taken).

    >>> import numpy as np, chainrule.numpy as cnp
    >>> f = lambda p, x: cnp.tanh(x @ p["w"])
    >>> p = {"w": np.full((3, 2), 0.1)}
    >>> K1 = empirical_ntk(f, p, np.eye(3), method="jacobian")
    >>> K2 = empirical_ntk(f, p, np.eye(3), method="ntk_vp")
    >>> bool(np.allclose(K1, K2))
    True
    """
    if method not in METHODS:
        raise ValueError(f"empirical_ntk(method={method!r}): choose one of {METHODS}")
    same = x2 is None or x2 is x1
    x2 = x1 if x2 is None else x2
    if not (int(np.shape(x1)[0]) and int(np.shape(x2)[0])):
        return _empty_ntk(f, params, x1, x2, method, trace_outputs, return_choice)
    choice = None
    if method == "auto" or method == "ntk_vp" or return_choice:
        choice = choose_method(f, params, x1, x2 if not same else None,
                               trace_outputs=trace_outputs, memory_limit=memory_limit,
                               chunk_size=chunk_size)
        if method == "auto":
            method = choice.method
        else:
            choice = NTKChoice(method, f"{method}: requested by the caller (auto would take "
                                       f"{choice.method})", choice.predicted, choice.chunk_size)
    n1, n2 = int(np.shape(x1)[0]), int(np.shape(x2)[0])
    out_shape = _out_shape(f, params, x1)
    if method == "jacobian":
        K = _ntk_jacobian(f, params, x1, x2, same, trace_outputs)
    else:
        K = _ntk_vp(f, params, x1, x2, trace_outputs, choice.chunk_size)
    K = _finish(K, n1, n2, out_shape, trace_outputs)
    return (K, choice) if return_choice else K


def _empty_ntk(f, params, x1, x2, method, trace_outputs, return_choice):
    """The kernel of an empty batch: zeros of shape (n1, n2[, *out, *out]), no work."""
    n1, n2 = int(np.shape(x1)[0]), int(np.shape(x2)[0])
    y = f(params, x1[:1] if n1 else x2[:1])
    out_shape = tuple(np.shape(y))[1:]
    K = np.zeros((n1, n2) if trace_outputs else (n1, n2) + out_shape + out_shape,
                 dtype=np.result_type(y))
    choice = NTKChoice("jacobian" if method == "auto" else method, "an empty batch: nothing to "
                       "compute", {}, None)
    return (K, choice) if return_choice else K


def ntk_vector_product(f, params, x1, x2, v, trace_outputs=True):
    """K·v without forming K or J: one VJP at ``x2`` and one JVP at ``x1``.

    With ``trace_outputs=False``, ``v`` has shape ``(len(x2), *out)`` and the
    result ``(len(x1), *out)`` is J1 (J2ᵀ v). With the traced kernel (default),
    ``v`` has shape ``(len(x2),)`` and the result ``(len(x1),)`` is Σ_a J1_a J2_aᵀ v,
    computed with one VJP and one JVP per output dimension, batched with vmap.

    >>> import numpy as np, chainrule.numpy as cnp
    >>> f = lambda p, x: cnp.tanh(x @ p)
    >>> p, x = np.full((3, 2), 0.1), np.eye(3)
    >>> K = empirical_ntk(f, p, x, method="jacobian")
    >>> bool(np.allclose(ntk_vector_product(f, p, x, x, np.ones(3)), K @ np.ones(3)))
    True
    """
    out2, pull2 = cr.vjp(lambda p: f(p, x2), params)
    out1, push1 = cr.linearize(lambda p: f(p, x1), params)
    if not trace_outputs:
        (u,) = pull2(cnp.reshape(v, np.shape(out2)))
        return push1(u)
    n1, n2 = int(np.shape(x1)[0]), int(np.shape(x2)[0])
    out_shape = tuple(np.shape(out2))[1:]
    o = int(math.prod(out_shape))
    eye = np.eye(o, dtype=np.result_type(out2))
    # cotangent a: v_j on output a of every example j
    cts = cnp.reshape(cnp.reshape(v, (1, n2, 1)) * eye[:, None, :], (o, n2) + out_shape)
    us = cr.vmap(lambda c: pull2(c)[0])(cts)
    cols = cnp.reshape(cr.vmap(push1)(us), (o, n1, o))
    return cnp.sum(cnp.diagonal(cols, axis1=0, axis2=2), axis=-1)
