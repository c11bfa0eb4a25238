"""A hostile review of the array-namespace seam on the CPU (Dask and array-api-strict):
each test failed before its fix. Dask runs on the synchronous scheduler; "nothing
computed" is checked with a scheduler that raises."""

import warnings

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")

import chainrule as cr  # noqa: E402
import chainrule.numpy as cnp  # noqa: E402


def _forbid(dsk, keys, **kwargs):
    raise AssertionError("a Dask graph was computed before the caller asked")


def _compute(x):
    return dask.compute(x, scheduler="sync")[0]


def _lazy(f):
    """``f()`` with computing refused: everything it returns is lazy."""
    with dask.config.set(scheduler=_forbid):
        return f()


RNG = np.random.default_rng(7)
A = RNG.uniform(0.5, 1.5, (4, 6))
TALL = RNG.standard_normal((6, 3))


# ---- diagonals: the transpose of diagonal wrote a Dask cotangent into a NumPy array,
# computing it in the backward pass (outside the guard) -------------------------------------
@pytest.mark.parametrize("f", [
    lambda x: cnp.trace(x[:, :4]),
    lambda x: cnp.sum(cnp.diag(x[:, :4]) ** 2),
    lambda x: cnp.einsum("ii->", x[:, 1:5]),
    lambda x: cnp.sum(cnp.diagonal(x, 1)[:2] * cnp.diagonal(x, -2)),
], ids=["trace", "diag", "einsum-trace", "diagonal-offsets"])
def test_diagonal_gradients_stay_lazy(f):
    x = da.from_array(A, chunks=(2, 3))
    g = _lazy(lambda: cr.grad(f)(x))
    assert isinstance(g, da.Array) and g.chunks == x.chunks
    np.testing.assert_allclose(_compute(g), cr.grad(f)(A), rtol=1e-13)
    t = np.linspace(-1.0, 1.0, A.size).reshape(A.shape)
    out, tan = _lazy(lambda: cr.jvp(f, (x,), (t,)))
    np.testing.assert_allclose(_compute(tan), cr.jvp(f, (A,), (t,))[1], rtol=1e-13)


# ---- linalg: Dask's cholesky is the upper factor by default; qr's and svd's NumPy
# keywords are not Dask's ----------------------------------------------------------------
def test_cholesky_of_a_dask_array_is_the_lower_factor():
    spd = TALL.T @ TALL + np.eye(3)
    x = da.from_array(spd, chunks=3)
    np.testing.assert_allclose(_compute(_lazy(lambda: cnp.linalg.cholesky(x))),
                               np.linalg.cholesky(spd), rtol=1e-13)

    def f(m):
        return cnp.sum(cnp.linalg.cholesky(m.T @ m + np.eye(3)) * np.arange(9.0).reshape(3, 3))
    t = da.from_array(TALL, chunks=(2, 3))
    g = _lazy(lambda: cr.grad(f)(t))
    np.testing.assert_allclose(_compute(g), cr.grad(f)(TALL), rtol=1e-12)
    with pytest.raises(NotImplementedError, match=r"cholesky of a stack.*Dask"):
        cr.grad(lambda m: cnp.sum(cnp.linalg.cholesky(cnp.stack([m.T @ m] * 2))))(t)


@pytest.mark.parametrize("f", [
    lambda m: cnp.sum(cnp.linalg.qr(m)[1] ** 2),
    lambda m: cnp.sum(cnp.linalg.svd(m, full_matrices=False)[0] ** 4),
    lambda m: cnp.sum(cnp.linalg.svd(m, compute_uv=False)),
    lambda m: cnp.linalg.norm(m, 2),
    lambda m: cnp.linalg.norm(m, "nuc"),
], ids=["qr", "svd", "svdvals", "norm-2", "nuclear"])
def test_reduced_qr_and_svd_of_a_tall_dask_matrix(f):
    # (functions of the factors that do not depend on their columns' signs, which are
    # Dask's own choice)
    x = da.from_array(TALL, chunks=(2, 3))
    g = _lazy(lambda: cr.grad(f)(x))
    assert isinstance(g, da.Array) and g.chunks == x.chunks
    np.testing.assert_allclose(_compute(g), cr.grad(f)(TALL), rtol=1e-10)


def test_full_svd_and_complete_qr_are_refused_naming_them():
    x = da.from_array(TALL, chunks=(2, 3))
    with pytest.raises(NotImplementedError, match=r"svd\(full_matrices=True\).*Dask"):
        cr.grad(lambda m: cnp.sum(cnp.linalg.svd(m)[1]))(x)
    with pytest.raises(NotImplementedError, match=r"qr\(mode='complete'\).*Dask"):
        cr.grad(lambda m: cnp.sum(cnp.linalg.qr(m, mode="complete")[0]))(x)
