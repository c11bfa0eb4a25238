"""Dask arrays where NumPy's implementation would compute them or means something else:
``numpy.linalg`` with NumPy's meaning, and the transpose of indexing with an integer array
along one axis. Imports nothing of chainrule: :mod:`chainrule.primitives.arrays` (the
array-namespace seam) uses it.

>>> taken_axis((slice(None), np.array([2, 0])), 2)[0]
1
"""

import numpy as np

__all__ = ["lazy_linalg", "taken_axis", "take_transpose"]


# NumPy's linalg functions that Dask's take with NumPy's meaning (for one matrix, chunked
# as Dask asks), called with the arguments that give it: np.linalg.cholesky(dask_array)
# would reach Dask's cholesky, whose default is the *upper* factor, and np.linalg.qr's
# and svd's keywords (mode=, compute_uv=) are not Dask's.
_LAZY_LINALG = {
    "cholesky": lambda da, a: da.linalg.cholesky(a, lower=True),
    "qr": lambda da, a: da.linalg.qr(a),
    "svd": lambda da, a: da.linalg.svd(a),
    "svdvals": lambda da, a: da.linalg.svd(a)[1],
}


def lazy_linalg(name, a):
    """``numpy.linalg.<name>`` of the Dask array ``a`` with NumPy's meaning (``qr`` and
    ``svd`` reduced, ``cholesky`` lower), or NotImplementedError naming the function and
    Dask when Dask has no such function (a full SVD or QR, a stack of matrices)."""
    fn = _LAZY_LINALG.get(name)
    if fn is None or a.ndim != 2:
        what = "of a stack of matrices " if fn is not None else ""
        raise NotImplementedError(
            f"numpy.linalg.{name} {what}is not implemented by Dask (dask.array), so "
            f"chainrule cannot compute it lazily on Dask arrays: compute the input first "
            f"(x.compute()), or use a form Dask has (svd/qr reduced of one tall-and-skinny "
            f"matrix, cholesky of one matrix)")
    import dask.array as da
    return fn(da, a)


def taken_axis(index, ndim):
    # (axis, integer positions) when ``index`` takes along one axis with a 1-D integer or
    # boolean NumPy array and slices the others whole (x[idx], x[:, mask]); else None
    items = index if isinstance(index, tuple) else (index,)
    arrays = [k for k, i in enumerate(items) if type(i) is np.ndarray]
    if len(items) > ndim or len(arrays) != 1 or any(
            k != arrays[0] and i != slice(None) for k, i in enumerate(items)):
        return None
    axis = arrays[0]
    idx = items[axis]
    if idx.ndim != 1 or idx.dtype.kind not in "iub":
        return None
    return axis, (np.nonzero(idx)[0] if idx.dtype.kind == "b" else idx)


def take_transpose(g, axis, idx, shape, chunks):
    """The cotangent of ``x[..., idx, ...]`` (``idx`` along ``axis``) for a Dask ``g``,
    chunked as ``chunks``: for each block of ``x`` along the axis, the entries of ``g``
    whose positions fall in it, added at those positions (``np.add.at``: repeated
    positions add up, in the order NumPy's transpose adds them) in one task per block."""
    import dask.array as da
    n = shape[axis]
    idx = np.where(idx < 0, idx + n, idx)
    bounds = np.cumsum((0,) + tuple(chunks[axis]))
    other = list(g.chunks)
    pieces = []
    for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        at = np.nonzero((idx >= lo) & (idx < hi))[0]
        if at.size == 0:  # no entry of idx in this block: zeros
            block_chunks = tuple(other[:axis]) + ((hi - lo,),) + tuple(other[axis + 1:])
            pieces.append(da.zeros(tuple(sum(c) for c in block_chunks), dtype=g.dtype,
                                   chunks=block_chunks))
            continue
        sub = da.take(g, at, axis=axis).rechunk({axis: -1})
        out_chunks = sub.chunks[:axis] + ((hi - lo,),) + sub.chunks[axis + 1:]
        pieces.append(sub.map_blocks(_add_at_block, local=idx[at] - lo, length=hi - lo,
                                     axis=axis, chunks=out_chunks, dtype=g.dtype))
    out = da.concatenate(pieces, axis=axis)
    return out if out.chunks == tuple(chunks) else out.rechunk(chunks)


def _add_at_block(block, local, length, axis):
    # (module-level: Dask names the task by it) zeros of the block with length ``length``
    # along ``axis``, and the block's slices added at the positions ``local``
    out = np.zeros(block.shape[:axis] + (length,) + block.shape[axis + 1:], dtype=block.dtype)
    np.add.at(out, (slice(None),) * axis + (local,), block)
    return out
