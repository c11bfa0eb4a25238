"""Transforms over Dask arrays on a local cluster: lazy results, the gradient of a
least-squares loss over data larger than a worker's memory, and clear errors.

The cluster has 2 worker processes of 1 thread each, with a memory limit (300 MiB) below
the size of the design matrix (512 MiB).
"""

import warnings

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

import chainrule as cr  # noqa: E402
import chainrule.numpy as cnp  # noqa: E402
from chainrule.transforms.lazy import LazyComputeError  # noqa: E402

WORKER_MEMORY = 300 * 2**20
D = 16  # features


def _forbid(dsk, keys, **kwargs):
    raise AssertionError("a Dask graph was computed before the caller asked")


@pytest.fixture(scope="module")
def client():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           memory_limit=WORKER_MEMORY, dashboard_address=None)
        with distributed.Client(cluster) as c:
            yield c
        cluster.close()


def _least_squares_data(nbytes, rows_per_chunk):
    n = nbytes // (8 * D)
    rng = da.random.default_rng(0)
    X = rng.standard_normal((n, D), chunks=(rows_per_chunk, D))
    w_true = np.linspace(-1.0, 1.0, D)
    y = X @ w_true + 0.1 * rng.standard_normal(n, chunks=rows_per_chunk)
    return X, y


def _check_least_squares(client, nbytes, rows_per_chunk):
    X, y = _least_squares_data(nbytes, rows_per_chunk)
    assert X.nbytes >= nbytes - 8 * D and X.nbytes > WORKER_MEMORY or nbytes < WORKER_MEMORY

    def loss(w, X, y):
        r = X @ w - y
        return cnp.sum(r * r) / X.shape[0]

    w = np.zeros(D)
    with dask.config.set(scheduler=_forbid):   # nothing computed while differentiating
        value, g = cr.value_and_grad(loss)(w, X, y)
    assert isinstance(value, da.Array) and isinstance(g, da.Array)
    assert g.shape == (D,) and g.dtype == np.float64
    # the closed forms at w = 0: the mean of y², and 2 Xᵀ(Xw − y) / n; all four computed
    # in one execution of the graph on the cluster (the data generated once)
    value, g, expect_v, expect_g = dask.compute(
        value, g, cnp.sum(y * y) / X.shape[0], 2.0 * (X.T @ (X @ w - y)) / X.shape[0])
    np.testing.assert_allclose(value, expect_v, rtol=1e-10)
    np.testing.assert_allclose(g, expect_g, rtol=1e-9, atol=1e-12)
    assert np.all(np.abs(g) > 1e-3)  # not a zero gradient by accident


def test_least_squares_gradient_over_data_larger_than_a_worker(client):
    # A 512 MiB design matrix on 300 MiB workers: each holds only some chunks at a time.
    _check_least_squares(client, 512 * 2**20, 2**18)


def _rosen(x):
    return cnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def _rosen_grad(x):
    g = np.zeros_like(x)
    g[:-1] = -400.0 * x[:-1] * (x[1:] - x[:-1] ** 2) - 2.0 * (1.0 - x[:-1])
    g[1:] += 200.0 * (x[1:] - x[:-1] ** 2)
    return g


def test_rosenbrock_gradient_and_hvp_are_lazy_and_chunked_like_the_input(client):
    x_np = np.linspace(-1.5, 1.5, 4_001)
    v_np = np.cos(np.arange(4_001.0))
    x, v = da.from_array(x_np, chunks=1_000), da.from_array(v_np, chunks=1_000)
    with dask.config.set(scheduler=_forbid):
        g = cr.grad(_rosen)(x)
        (hv,) = cr.hvp(_rosen, (x,), (v,))
    assert isinstance(g, da.Array) and g.chunks == x.chunks
    assert isinstance(hv, da.Array) and hv.shape == x.shape
    g, hv = dask.compute(g, hv)
    np.testing.assert_allclose(g, _rosen_grad(x_np), rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(hv, cr.hvp(_rosen, (x_np,), (v_np,))[0], rtol=1e-12, atol=1e-9)
    # central difference of the closed-form gradient along v: the Hessian-vector product
    h = 1e-6
    fd = (_rosen_grad(x_np + h * v_np) - _rosen_grad(x_np - h * v_np)) / (2 * h)
    np.testing.assert_allclose(hv, fd, rtol=1e-5, atol=1e-4)


def test_jvp_vjp_and_checkpoint_match_numpy(client):
    rng = np.random.default_rng(1)
    a_np = rng.uniform(0.5, 2.0, (40, 30))
    t_np = rng.standard_normal((40, 30))
    a, t = da.from_array(a_np, chunks=(10, 15)), da.from_array(t_np, chunks=(10, 15))

    def f(a):
        return cnp.tanh(a) * cnp.log(a) + cnp.sqrt(a) / (1.0 + a ** 2)

    block = cr.checkpoint(f)
    with dask.config.set(scheduler=_forbid):
        out, tan = cr.jvp(f, (a,), (t,))
        (ct,) = cr.vjp(f, a)[1](t)
        gc = cr.grad(lambda a: cnp.sum(block(a) * a))(a)
    for lazy in (out, tan, ct, gc):
        assert isinstance(lazy, da.Array) and lazy.chunks == a.chunks
    out, tan, ct, gc = dask.compute(out, tan, ct, gc)
    e_out, e_tan = cr.jvp(f, (a_np,), (t_np,))
    np.testing.assert_allclose(out, e_out, rtol=1e-13)
    np.testing.assert_allclose(tan, e_tan, rtol=1e-12)
    np.testing.assert_allclose(ct, cr.vjp(f, a_np)[1](t_np)[0], rtol=1e-12)
    np.testing.assert_allclose(gc, cr.grad(lambda a: cnp.sum(f(a) * a))(a_np), rtol=1e-12)
    # the elementwise closed form of the JVP
    d = ((1 - np.tanh(a_np) ** 2) * np.log(a_np) + np.tanh(a_np) / a_np
         + 0.5 / np.sqrt(a_np) / (1 + a_np ** 2) - np.sqrt(a_np) * 2 * a_np / (1 + a_np ** 2) ** 2)
    np.testing.assert_allclose(tan, d * t_np, rtol=1e-10)


def test_data_parallel_mlp_gradient_wrt_small_numpy_parameters(client):
    rng = np.random.default_rng(2)
    X_np = rng.standard_normal((4_000, 8))
    y_np = np.sin(X_np[:, 0])
    X, y = da.from_array(X_np, chunks=(1_000, 8)), da.from_array(y_np, chunks=1_000)
    params = {"W1": rng.standard_normal((8, 16)) / 3, "b1": np.zeros(16),
              "W2": rng.standard_normal((16,)) / 4, "b2": 0.0}

    def loss(p, X, y):
        h = cnp.tanh(X @ p["W1"] + p["b1"])
        return cnp.mean((h @ p["W2"] + p["b2"] - y) ** 2)

    with dask.config.set(scheduler=_forbid):
        g = cr.grad(loss)(params, X, y)
    assert all(isinstance(v, da.Array) for v in g.values())
    (g,) = dask.compute(g)
    expect = cr.grad(loss)(params, X_np, y_np)
    for k in params:
        np.testing.assert_allclose(g[k], expect[k], rtol=1e-11, atol=1e-14)


def test_python_control_flow_on_a_traced_dask_value_is_refused():
    x = da.from_array(np.linspace(0.1, 1.0, 8), chunks=4)

    def branch(x):
        s = cnp.sum(x)
        return s if s > 0 else -s

    def as_float(x):
        return float(cnp.sum(x)) * cnp.sum(x)

    with dask.config.set(scheduler=_forbid):
        for f in (branch, as_float):
            with pytest.raises(TypeError, match=r"cnp\.where") as e:
                cr.grad(f)(x)
            assert "dask" in str(e.value) and "lazy" in str(e.value)
        # the same condition written as data stays lazy
        g = cr.grad(lambda x: cnp.sum(cnp.where(x > 0.5, x ** 2, -x)))(x)
    x_np = np.linspace(0.1, 1.0, 8)
    np.testing.assert_allclose(g.compute(scheduler="sync"), np.where(x_np > 0.5, 2 * x_np, -1.0))


def test_a_numpy_function_dask_lacks_is_refused_naming_it():
    x = da.from_array(np.arange(16.0).reshape(4, 4) + np.eye(4) * 10, chunks=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # Dask's own warning, before ours
        with pytest.raises(LazyComputeError, match=r"numpy\.linalg\.det.*'det'.*Dask"):
            cr.grad(lambda x: cnp.linalg.det(x))(x)
        with pytest.raises(LazyComputeError, match=r"argsort.*Dask"):
            cr.grad(lambda x: cnp.sum(cnp.sort(x, axis=0)[0]))(x)


def test_mixing_libraries_in_one_operation_is_refused():
    xp = pytest.importorskip("array_api_strict")
    x = da.from_array(np.ones(3), chunks=3)
    other = xp.asarray(np.ones(3))
    with pytest.raises(TypeError, match=r"cannot combine arrays of different libraries "
                                        r"\(array_api_strict and dask\)"):
        cr.grad(lambda x: cnp.sum(x * other))(x)
    # NumPy arrays and Python numbers combine with Dask arrays as NumPy does
    g = cr.grad(lambda x: cnp.sum(x * np.arange(3.0) + 2.0 * x))(x)
    np.testing.assert_array_equal(g.compute(scheduler="sync"), np.arange(3.0) + 2.0)


def test_another_thread_computes_while_a_transform_runs():
    # The guard refuses computing only in the thread that runs the transform.
    import threading
    results = []
    y = da.from_array(np.arange(4.0), chunks=2)

    def f(x):
        t = threading.Thread(target=lambda: results.append(float(y.sum().compute())))
        t.start()
        t.join()
        return cnp.sum(x * 3.0)

    g = cr.grad(f)(da.from_array(np.ones(2), chunks=1))
    assert results == [6.0]
    np.testing.assert_array_equal(g.compute(scheduler="sync"), [3.0, 3.0])


def test_a_closed_over_dask_array_is_guarded_too():
    X = da.from_array(np.arange(12.0).reshape(4, 3), chunks=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        with pytest.raises(LazyComputeError, match=r"numpy\.linalg\.det"):
            cr.grad(lambda w: cnp.linalg.det(X[:3] * w))(np.ones(3))


def test_the_guide_runs():
    # docs/dask.md's data-parallel example, as written but a tenth of the size (its own
    # LocalCluster)
    import pathlib
    import re
    guide = pathlib.Path(__file__).resolve().parents[1] / "docs" / "dask.md"
    block = re.findall(r"```python\n(.*?)```", guide.read_text(encoding="utf-8"), re.S)[0]
    assert "2_000_000" in block and "250_000" in block
    block = block.replace("2_000_000", "200_000").replace("250_000", "50_000")  # a tenth: fast
    env = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(block, str(guide), "exec"), env)  # noqa: S102  (our own documentation)
    X, y = env["X"], env["y"]
    assert env["grad"].shape == (D,)
    # at w = 0 the gradient is -2 Xᵀy / n; here X and y are recomputed locally in chunks
    expect = (-2.0 * (X.T @ y) / X.shape[0]).compute(scheduler="sync")
    np.testing.assert_allclose(env["grad"], expect, rtol=1e-9)


def test_identity_results_are_new_dask_arrays_over_the_same_graph():
    # A Dask array has no views, so sharing the graph is safe; but the object itself is
    # mutable (``r[0] = v`` rebinds it), so a result is never the caller's object.
    x_np, t_np = np.arange(1.0, 7.0), np.linspace(-1.0, 1.0, 6)
    x, t = da.from_array(x_np, chunks=3), da.from_array(t_np, chunks=3)
    with dask.config.set(scheduler=_forbid):
        out, tan = cr.jvp(lambda x: x, (x,), (t,))
        (ct,) = cr.vjp(lambda x: x, x)[1](t)
        lin_out, f_lin = cr.linearize(lambda x: x, x)
        lin_tan = f_lin(t)
        twice = cr.jvp(lambda x: (x, x), (x,), (t,))[0]
    results = [out, tan, ct, lin_out, lin_tan, *twice]
    for r in results:
        assert isinstance(r, da.Array) and r is not x and r is not t
        assert r.chunks == x.chunks
    assert twice[0] is not twice[1]
    out[0] = 100.0   # Dask's item assignment: a new graph for `out` only
    ct[:] = 0.0
    np.testing.assert_array_equal(x.compute(scheduler="sync"), x_np)
    np.testing.assert_array_equal(t.compute(scheduler="sync"), t_np)
    np.testing.assert_array_equal(out.compute(scheduler="sync"), np.r_[100.0, x_np[1:]])
    np.testing.assert_array_equal(tan.compute(scheduler="sync"), t_np)


def test_slice_cotangents_add_up_block_for_block():
    # The cotangents of x[1:] and x[:-1] are padded block by block into x's chunks, so
    # their sum needs no rechunking (padding the whole arrays offsets their chunks by one
    # and makes Dask split and merge them again)
    x_np = np.linspace(-1.0, 1.0, 40)
    x = da.from_array(x_np, chunks=10)

    def f(x):
        return cnp.sum(3.0 * x[1:]) + cnp.sum(x[:-1] ** 2) + cnp.sum(x[2:-3] * x[2:-3])

    with dask.config.set(scheduler=_forbid):
        g = cr.grad(f)(x)
    assert g.chunks == x.chunks
    layers = [name for name in g.dask.layers if name.startswith(("rechunk", "concatenate"))]
    assert layers == []
    expect = np.zeros(40)
    expect[1:] += 3.0
    expect[:-1] += 2.0 * x_np[:-1]
    expect[2:-3] += 2.0 * x_np[2:-3]
    np.testing.assert_allclose(g.compute(scheduler="sync"), expect, rtol=1e-14)


def _rosen_grad(x):
    a, b = x[:-1], x[1:]
    g = np.zeros_like(x)
    g[:-1] = -400.0 * a * (b - a ** 2) - 2.0 * (1.0 - a)
    g[1:] += 200.0 * (b - a ** 2)
    return g


@pytest.mark.parametrize("chunks", [10, (3, 7, 1, 19, 10), 1, 40])
def test_rosenbrock_slices_add_up_in_one_task_per_block(chunks):
    # x[1:] - x[:-1] ** 2 splits every block of x where the slices' boundaries differ; the
    # cotangents of the three slices come back as one task per block of x that writes their
    # pieces into it (no rechunk: a copy per slice), exact and chunked like x
    rng = np.random.default_rng(3)
    x_np = rng.uniform(-1.5, 1.5, 40)
    x = da.from_array(x_np, chunks=chunks)

    def rosen(x):
        return cnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)

    with dask.config.set(scheduler=_forbid):
        g = cr.grad(rosen)(x)
    assert type(g) is da.Array and g.chunks == x.chunks
    last = g.dask.layers[g.name]
    assert g.name.startswith("slice_cotangents") and len(last) == x.numblocks[0]
    assert not [n for n in g.dask.layers if n.startswith("slice_cotangents") and n != g.name]
    got = g.compute(scheduler="sync")
    np.testing.assert_allclose(got, _rosen_grad(x_np), rtol=1e-13, atol=1e-12)
    np.testing.assert_array_equal(got, cr.grad(rosen)(x_np))  # NumPy's, bit for bit


def test_slices_of_a_2d_array_leaving_blocks_empty():
    # slices that miss whole blocks of x, on both axes; pieces written (first slice) keep
    # a -0.0 as NumPy's zeros-then-write does
    rng = np.random.default_rng(4)
    x_np = rng.standard_normal((9, 8))
    x = da.from_array(x_np, chunks=(2, 3))

    def f(x):
        return (cnp.sum(x[5:, 1:6] ** 2) + cnp.sum(3.0 * x[:, :-2])
                + cnp.sum(x[1:-1, 2:] * x[:-2, :-2]))

    with dask.config.set(scheduler=_forbid):
        g = cr.grad(f)(x)
        (ct,) = cr.vjp(lambda x: x[4:, 2:], x)[1](da.from_array(-np.zeros((5, 6)), chunks=2))
    assert g.chunks == x.chunks and ct.chunks == x.chunks
    np.testing.assert_array_equal(g.compute(scheduler="sync"), cr.grad(f)(x_np))
    ct = ct.compute(scheduler="sync")
    assert np.all(ct == 0) and np.array_equal(np.signbit(ct[4:, 2:]), np.ones((5, 6), bool))


def test_slices_of_slices():
    # the cotangent of x[1:] is itself a sum of slices' cotangents, sliced again
    x_np = np.linspace(-1.0, 1.0, 30)
    x = da.from_array(x_np, chunks=7)

    def f(x):
        return cnp.sum(x[1:][2:] ** 2) + cnp.sum(2.0 * x[1:][:-3]) + cnp.sum(x[:-1] ** 3)

    with dask.config.set(scheduler=_forbid):
        g = cr.grad(f)(x)
    assert type(g) is da.Array and g.chunks == x.chunks
    expect = np.zeros(30)
    expect[3:] += 2.0 * x_np[3:]
    expect[1:-3] += 2.0
    expect[:-1] += 3.0 * x_np[:-1] ** 2
    np.testing.assert_allclose(g.compute(scheduler="sync"), expect, rtol=1e-14)


def test_nan_safe_products_on_dask_blocks():
    # sqrt's derivative is inf at 0; the branch where() drops contributes exactly 0, per
    # block as for NumPy, in first and second order
    x_np = np.array([0.0, 0.25, 0.0, 1.0, 4.0, 0.0])
    v_np = np.arange(1.0, 7.0)
    x, v = da.from_array(x_np, chunks=4), da.from_array(v_np, chunks=4)

    def f(x):
        return cnp.sum(cnp.where(x > 0, cnp.sqrt(x), 0.0) * x)

    with dask.config.set(scheduler=_forbid):
        g = cr.grad(f)(x)
        (hv,) = cr.hvp(f, (x,), (v,))
    g, hv = dask.compute(g, hv, scheduler="sync")
    pos = x_np > 0
    expect_g = np.where(pos, 1.5 * np.sqrt(np.where(pos, x_np, 1.0)), 0.0)
    expect_hv = np.where(pos, 0.75 / np.sqrt(np.where(pos, x_np, 1.0)), 0.0) * v_np
    np.testing.assert_allclose(g, expect_g, rtol=1e-14)
    np.testing.assert_allclose(hv, expect_hv, rtol=1e-14)
    np.testing.assert_array_equal(g, cr.grad(f)(x_np))


def test_many_slices_of_one_array():
    # more slices than one task per block gathers (then Dask's own sums): the same gradient
    x_np = np.linspace(0.5, 1.5, 40)
    x = da.from_array(x_np, chunks=9)

    def f(x):
        return sum(cnp.sum(x[i:i + 5] ** 2) * (i + 1) for i in range(20))

    with dask.config.set(scheduler=_forbid):
        g = cr.grad(f)(x)
    assert type(g) is da.Array and g.chunks == x.chunks
    expect = np.zeros(40)
    for i in range(20):
        expect[i:i + 5] += 2.0 * (i + 1) * x_np[i:i + 5]
    np.testing.assert_allclose(g.compute(scheduler="sync"), expect, rtol=1e-14)


def test_no_transform_hands_out_a_sum_of_slices_cotangents():
    # jvp, hvp and linearize return tangents that index_transpose built (its subclass,
    # whose + adds the pieces it remembers): the caller gets Dask's own Array, whose +
    # sees a later h[0] = v
    x = da.from_array(np.linspace(-1.0, 1.0, 12), chunks=5)
    v = da.ones(12, chunks=5)

    def f(x):
        return cnp.sum(x[1:] ** 2 * x[:-1])

    def lin(x):
        return cr.vjp(lambda x: x[1:] * 2.0, x)[1](da.ones(11, chunks=4))[0]

    with dask.config.set(scheduler=_forbid):
        results = [*cr.jvp(cr.grad(f), (x,), (v,)), *cr.hvp(f, (x,), (v,)),
                   cr.linearize(cr.grad(f), x)[1](v), *cr.jvp(lin, (x,), (v,))]
    assert [type(r) for r in results] == [da.Array] * 6
    h, h2 = cr.hvp(f, (x,), (v,))[0], cr.hvp(f, (x,), (v,))[0]
    expect = h2.compute(scheduler="sync")
    h[0] = 100.0
    total = (h + h2).compute(scheduler="sync")
    assert total[0] == 100.0 + expect[0]
    np.testing.assert_array_equal(total[1:], 2.0 * expect[1:])


def test_a_rule_writing_into_a_slices_cotangent():
    # a custom_vjp rule that zeroes g[0] in place (Dask's setitem rebinds g's graph): the
    # sum with the cotangent of another slice sees the write, as NumPy's does
    @cr.custom_vjp
    def ident(x):
        return x * 1.0

    def bwd(res, g):
        g[0] = 0.0
        return (g,)

    ident.defvjp(lambda x: (x * 1.0, None), bwd)

    def f(x):
        y = ident(x)
        return cnp.sum(y[1:] ** 2) + cnp.sum(y[:-1] * 3.0) + cnp.sum(x[2:] * 5.0)

    x_np = np.linspace(1.0, 2.0, 10)
    with dask.config.set(scheduler=_forbid):
        g = cr.grad(f)(da.from_array(x_np, chunks=3))
    expect = cr.grad(f)(x_np)
    assert expect[0] == 0.0
    np.testing.assert_array_equal(g.compute(scheduler="sync"), expect)


@pytest.mark.parametrize("index", [
    # new axes: Dask cannot write at one (x[None, 2:]: "could not broadcast" before), so the
    # cotangent is written without the length-1 axes the Nones made
    (None, slice(2, None)), (slice(1, 3), None), (None, Ellipsis, None),
    (1, None, slice(None, None, 2)), (None, 0), (None, slice(1, 3), None, slice(None, 4), None),
    # an index computed with NumPy (np.int64(1)) is a basic index like 1: its derivative is a
    # write ("no unbuffered add at an integer-array index" before)
    (np.int64(1), None, Ellipsis), (np.int32(-1),), (None, slice(1, 3), np.int64(2))])
def test_indexing_with_new_axes_and_numpy_integers(index):
    xn = np.arange(1.0, 25.0).reshape(4, 6)
    f = lambda x: cnp.sum(x[index] ** 2 * cnp.cos(x[index]))  # noqa: E731
    with dask.config.set(scheduler=_forbid):
        g = cr.grad(f)(da.from_array(xn, chunks=(2, 4)))
    assert type(g) is da.Array and g.chunks == ((2, 2), (4, 2))
    with dask.config.set(scheduler="sync"):
        got = g.compute()
    sel = xn[index]
    expect = np.zeros_like(xn)
    expect[index] = 2 * sel * np.cos(sel) - sel ** 2 * np.sin(sel)  # the closed form
    np.testing.assert_array_equal(got, expect)


def _rosen_hand(x):
    # value and gradient of Rosenbrock as a Dask user writes them (benchmarks/bench_dask.py)
    lo, hi = x[:-1], x[1:]
    t = hi - lo ** 2
    zero = da.zeros(1, dtype=x.dtype)
    grad = (da.concatenate([-400.0 * t * lo - 2.0 * (1.0 - lo), zero])
            + da.concatenate([zero, 200.0 * t]))
    return (100.0 * t ** 2 + (1.0 - lo) ** 2).sum(), grad


def _tasks(*arrays):
    graph = {}
    for a in dask.optimize(*arrays):
        graph.update(dict(a.__dask_graph__()))
    return len(graph)


@pytest.mark.parametrize("chunks", [10, (13, 1, 26)])
def test_rosenbrock_graph_no_larger_than_written_by_hand(chunks):
    # value and gradient in one graph: after Dask's optimisation (blockwise fusion) no
    # more tasks than the gradient written by hand with Dask's slices and concatenate, in
    # all and beyond the value's (the gradient shares the value's intermediate results
    # instead of computing them again)
    x = da.from_array(np.random.default_rng(5).uniform(-1.5, 1.5, 40), chunks=chunks)

    def rosen(x):
        return cnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)

    with dask.config.set(scheduler=_forbid):
        value, g = cr.value_and_grad(rosen)(x)
    hand_value, hand_g = _rosen_hand(x)
    assert _tasks(value, g) <= _tasks(hand_value, hand_g)
    assert _tasks(value, g) - _tasks(value) <= _tasks(hand_value, hand_g) - _tasks(hand_value)
    got, expect = dask.compute(g, hand_g, scheduler="sync")
    np.testing.assert_allclose(got, expect, rtol=1e-13, atol=1e-12)


@pytest.mark.parametrize("f", [
    lambda x: (cnp.sum(x[:-1, 1:] * x[1:, :-1]) + cnp.sum(x[2:, :] ** 3)
               + cnp.sum(-2.0 * x[:5, 3:])),
    lambda x: cnp.sum((1.0 - x[1:, :]) ** 2) + cnp.sum((x[:-1, 2:] - 0.5) ** 3),
    lambda x: cnp.sum((1.0 - x[1:, :]) ** 2) + cnp.sum((0.5 - x[:-1, :]) ** 3)
    + cnp.sum(x[3:, 1:] ** 2),
    lambda x: cnp.sum(x[4:, :] ** 2) + cnp.sum(cnp.sin(2.0 - x[:-2, :])) - cnp.sum(x[:, 5:]),
], ids=["added", "negated-first", "negated-both", "negated-later"])
def test_slices_cotangents_written_cell_by_cell_or_whole(monkeypatch, f):
    # a block's sum of slices' cotangents is written cell by cell (one pass per cell) up
    # to a number of cells, else added into zeros piece by piece; a negated cotangent
    # (of 1 - x[1:]) is subtracted, its negation not computed: the same bits all ways,
    # NumPy eager's, the sign of a zero included
    from chainrule.primitives import arrays
    rng = np.random.default_rng(6)
    x_np = rng.standard_normal((9, 8))
    x_np[0, :] = -0.0
    x_np[5, :] = 1.0
    x = da.from_array(x_np, chunks=(4, 3))
    expect = cr.grad(f)(x_np)
    results = []
    for cells in (arrays._MAX_CELLS, 0):
        monkeypatch.setattr(arrays, "_MAX_CELLS", cells)
        with dask.config.set(scheduler=_forbid):
            g = cr.grad(f)(x)
        (optimized,) = dask.optimize(g)
        assert not [k for k in dict(optimized.dask)   # (a 0-d negative is no pass)
                    if k[0].startswith(("negative", "neg-")) and len(k) > 1]
        results.append(g.compute(scheduler="sync"))
    for got in results:
        np.testing.assert_array_equal(got, expect)
        np.testing.assert_array_equal(np.signbit(got), np.signbit(expect))
