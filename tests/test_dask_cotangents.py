"""Dask cotangents without passes for nothing (chainrule.primitives.dask_cotangents): a sum's
cotangent kept as its one value, a NaN-safe product with a factor c * u written into one new
array per block, a negated cotangent's sign folded into c. The gradients must be NumPy
eager's, bit for bit (zeros' signs included; a NaN is a NaN), with nan, inf and signed zeros
in the data."""

import re

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")

import chainrule as cr  # noqa: E402
import chainrule.numpy as cnp  # noqa: E402
import chainrule.primitives.elementwise as E  # noqa: E402
from chainrule.primitives.dask_cotangents import uniform_broadcast, uniform_value  # noqa: E402


def _forbid(dsk, keys, **kwargs):
    raise AssertionError("a Dask graph was computed before the caller asked")


def rosen(x):
    return cnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


FUNCTIONS = {
    "rosenbrock": rosen,
    "mean-square": lambda x: cnp.mean(x ** 2),
    "scaled-negated": lambda x: 3.0 * cnp.sum((0.5 - x) ** 2) / 7.0,
    "negated-sums": lambda x: -cnp.sum(x ** 2) + cnp.sum(-(x ** 2)) - cnp.sum(x[2:] ** 2),
    "cube": lambda x: cnp.sum(x ** 2) + 2.5 * cnp.sum(x ** 3),
    "sqrt": lambda x: cnp.sum(2.0 * cnp.sqrt(cnp.abs(x)) + (x * 3.0) ** 2),
    "zero-seed": lambda x: 0.0 * cnp.sum(x ** 2),        # zero wins over inf
    "inf-seed": lambda x: cnp.sum(x ** 2) * np.inf,
}


def _data(dtype):
    n = 3 * E._UNIFORM_MIN + 5  # blocks large enough for the skipped NaN test
    x = np.linspace(-2.0, 2.0, n).astype(dtype)
    x[[3, 4, 5, 6, 7, n - 1]] = [np.nan, np.inf, 0.0, -np.inf, -0.0, np.inf]
    return x, (E._UNIFORM_MIN, 3, E._UNIFORM_MIN + 1, n - 2 * E._UNIFORM_MIN - 4)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gradients_are_numpy_eagers_bit_for_bit(name, dtype, monkeypatch):
    x_np, chunks = _data(dtype)
    f = FUNCTIONS[name]
    with np.errstate(all="ignore"):
        want = cr.grad(f)(x_np)
        got = []
        for uniform_min in (E._UNIFORM_MIN, 10 ** 12):  # the NaN test skipped, and always run
            monkeypatch.setattr(E, "_UNIFORM_MIN", uniform_min)
            with dask.config.set(scheduler=_forbid):
                g = cr.grad(f)(da.from_array(x_np, chunks=chunks))
            assert type(g) is da.Array and g.chunks == (chunks,)   # Dask's own class
            got.append(g.compute(scheduler="sync"))
    for r in got:
        assert r.dtype == want.dtype == dtype
        np.testing.assert_array_equal(r, want)
        number = ~np.isnan(want)  # (a NaN's sign bit is the product's operand order's)
        np.testing.assert_array_equal(np.signbit(r)[number], np.signbit(want)[number])


def _gradient_layers(f, x):
    # the kinds of layers the gradient's graph computes beyond the value's (culled: only
    # those the results need)
    from dask.highlevelgraph import HighLevelGraph
    with dask.config.set(scheduler=_forbid):
        value, g = cr.value_and_grad(f)(x)

    def kinds(*arrays):
        graph = HighLevelGraph.merge(*[a.dask for a in arrays])
        keys = {k for a in arrays for k in dask.core.flatten(a.__dask_keys__())}
        return {re.sub("(-[0-9a-f]{32})+$", "", name)  # (culling appends a token)
                for name, layer in graph.cull(keys).layers.items()
                if any(len(k) > 1 for k in layer.get_output_keys())}  # (not 0-d values)
    return kinds(value, g) - kinds(value), g


def test_rosenbrock_gradient_writes_one_array_per_rule():
    # the seed's ones, 100 * ones, 2 * x and -g are no layers of their own: the three
    # NaN-safe products (one new array each) and the sum of the slices' cotangents remain
    x_np = np.random.default_rng(1).uniform(-1.5, 1.5, 40)
    x = da.from_array(x_np, chunks=(13, 1, 26))
    layers, g = _gradient_layers(rosen, x)
    assert not layers & {"mul", "multiply", "negative", "neg", "broadcast_to", "ones_like"}
    assert layers <= {"_nan_safe_scaled_block", "slice_cotangents", "reshape", "array",
                      "truediv", "getitem"}, layers
    np.testing.assert_array_equal(g.compute(scheduler="sync"), cr.grad(rosen)(x_np))


def test_a_uniform_cotangent_computes_on_its_value():
    for dtype in (np.float64, np.float32):
        v = da.from_array(np.array([1.5], dtype=dtype))
        u = uniform_broadcast(v, (10,), ((4, 6),))
        w = 3.0 - (-(2.5 * u) / 7.0 + u)
        assert uniform_value(w) is not None and w.dtype == dtype and w.chunks == ((4, 6),)
        uv = np.full(10, 1.5, dtype=dtype)
        np.testing.assert_array_equal(w.compute(scheduler="sync"),
                                      3.0 - (-(2.5 * uv) / 7.0 + uv))
        # with an array, Dask's own operation
        arr = da.arange(10.0, chunks=5)
        np.testing.assert_array_equal((u * arr).compute(scheduler="sync"), uv * np.arange(10.0))
        assert uniform_value(np.multiply(u, np.float64(2.0))) is not None
        # written into, it is no longer one value
        u[0] = 9.0
        assert uniform_value(u) is None
        expect = uv * 2.0
        expect[0] = 18.0
        np.testing.assert_array_equal((u * 2.0).compute(scheduler="sync"), expect)
    # a value whose dtype the number would change is left to Dask (float32 * a float64 scalar)
    u32 = uniform_broadcast(da.from_array(np.array([1.5], np.float32)), (4,), ((4,),))
    r = u32 * np.float64(2.0)
    assert r.dtype == np.float64 and r.compute(scheduler="sync").tolist() == [3.0] * 4
    # where(cond, g, 0) with a guarded condition: NumPy's function reaches Dask's
    with dask.config.set(scheduler=_forbid):
        x = da.from_array(np.linspace(0.1, 1.0, 8), chunks=4)
        g = cr.grad(lambda x: cnp.sum(cnp.where(x > 0.5, x ** 2, -x)))(x)
    np.testing.assert_array_equal(g.compute(scheduler="sync"),
                                  np.where(np.linspace(0.1, 1.0, 8) > 0.5,
                                           2 * np.linspace(0.1, 1.0, 8), -1.0))


@pytest.mark.parametrize("f", [
    lambda x: cnp.sum(x ** 2) + cnp.sum((1.0 - x[1:, :]) ** 2),
    lambda x: cnp.sum(cnp.sum(x, axis=0) ** 2) + cnp.mean((x[:, 2:] * 2.0) ** 2),
    lambda x: cnp.sum((x + np.ones((3, 1, 1))) ** 2),        # broadcast against a constant
], ids=["slices", "axis-sum", "broadcast"])
def test_gradients_of_a_matrix(f):
    x_np = np.random.default_rng(2).standard_normal((9, 8))
    x_np[0, :3] = [0.0, -0.0, np.inf]
    with dask.config.set(scheduler=_forbid), np.errstate(all="ignore"):
        g = cr.grad(f)(da.from_array(x_np, chunks=(4, 3)))
    assert type(g) is da.Array and g.chunks == ((4, 4, 1), (3, 3, 2))
    with np.errstate(all="ignore"):
        want = cr.grad(f)(x_np)
    # (Dask's sum along an axis adds its blocks' sums: another order than NumPy's)
    np.testing.assert_allclose(g.compute(scheduler="sync"), want, rtol=1e-14, atol=0)
