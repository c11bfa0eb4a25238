"""Transforms over CuPy arrays: results on the device, equal to NumPy's, and no host round
trip inside a transform. Skipped where CuPy or a CUDA device is absent.

CuPy refuses implicit conversion to NumPy (``np.asarray(cupy_array)`` raises TypeError),
so any host round trip chainrule made inside a transform would fail these tests; a test
below checks that the refusal is in force.
"""

import numpy as np
import pytest

cp = pytest.importorskip("cupy")
pytest.importorskip("array_api_compat")
try:
    _DEVICES = cp.cuda.runtime.getDeviceCount()
except Exception:  # noqa: BLE001 - no driver, no device: CuPy raises its own errors
    _DEVICES = 0
if not _DEVICES:
    pytest.skip("no CUDA device", allow_module_level=True)

import chainrule as cr  # noqa: E402
import chainrule.numpy as cnp  # noqa: E402


def _host(x):
    assert isinstance(x, cp.ndarray), type(x)  # the result stayed on the device
    return cp.asnumpy(x)


def _rosen(x):
    return cnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def _f(a):
    return cnp.tanh(a) * cnp.log(a) + cnp.sqrt(a) / (1.0 + a ** 2)


def test_implicit_host_conversion_is_refused_by_cupy():
    with pytest.raises(TypeError):
        np.asarray(cp.ones(3))


def test_grad_value_and_grad_and_hvp_of_rosenbrock():
    x_np = np.linspace(-1.5, 1.5, 1001)
    v_np = np.cos(np.arange(1001.0))
    x, v = cp.asarray(x_np), cp.asarray(v_np)
    val, g = cr.value_and_grad(_rosen)(x)
    (hv,) = cr.hvp(_rosen, (x,), (v,))
    e_val, e_g = cr.value_and_grad(_rosen)(x_np)
    np.testing.assert_allclose(_host(val), e_val, rtol=1e-12)
    np.testing.assert_allclose(_host(g), e_g, rtol=1e-11, atol=1e-9)
    np.testing.assert_allclose(_host(hv), cr.hvp(_rosen, (x_np,), (v_np,))[0], rtol=1e-11,
                               atol=1e-9)
    a, b = x_np[:-1], x_np[1:]
    closed = np.zeros_like(x_np)
    closed[:-1] = -400.0 * a * (b - a ** 2) - 2.0 * (1.0 - a)
    closed[1:] += 200.0 * (b - a ** 2)
    np.testing.assert_allclose(_host(g), closed, rtol=1e-11, atol=1e-9)


def test_jvp_vjp_and_checkpoint_match_numpy():
    rng = np.random.default_rng(1)
    a_np = rng.uniform(0.5, 2.0, (40, 30))
    t_np = rng.standard_normal((40, 30))
    a, t = cp.asarray(a_np), cp.asarray(t_np)
    out, tan = cr.jvp(_f, (a,), (t,))
    (ct,) = cr.vjp(_f, a)[1](t)
    block = cr.checkpoint(_f)
    gc = cr.grad(lambda a: cnp.sum(block(a) * a))(a)
    e_out, e_tan = cr.jvp(_f, (a_np,), (t_np,))
    np.testing.assert_allclose(_host(out), e_out, rtol=1e-12)
    np.testing.assert_allclose(_host(tan), e_tan, rtol=1e-11)
    np.testing.assert_allclose(_host(ct), cr.vjp(_f, a_np)[1](t_np)[0], rtol=1e-11)
    np.testing.assert_allclose(_host(gc), cr.grad(lambda a: cnp.sum(_f(a) * a))(a_np),
                               rtol=1e-11)


def test_mlp_gradient_float32_on_the_device():
    rng = np.random.default_rng(2)
    X_np = rng.standard_normal((256, 8)).astype(np.float32)
    y_np = np.sin(X_np[:, 0])
    p_np = {"W1": (rng.standard_normal((8, 16)) / 3).astype(np.float32),
            "b1": np.zeros(16, np.float32),
            "W2": (rng.standard_normal((16,)) / 4).astype(np.float32)}

    def loss(p, X, y):
        h = cnp.tanh(X @ p["W1"] + p["b1"])
        return cnp.mean((h @ p["W2"] - y) ** 2)

    p = {k: cp.asarray(v) for k, v in p_np.items()}
    g = cr.grad(loss)(p, cp.asarray(X_np), cp.asarray(y_np))
    expect = cr.grad(loss)(p_np, X_np, y_np)
    for k in p_np:
        assert g[k].dtype == np.float32
        np.testing.assert_allclose(_host(g[k]), expect[k], rtol=1e-4, atol=1e-6)


def test_mixing_cupy_and_dask_in_one_operation_is_refused():
    da = pytest.importorskip("dask.array")
    x = cp.ones(3)
    other = da.ones(3, chunks=3)
    with pytest.raises(TypeError, match="cannot combine arrays of different libraries"):
        cr.grad(lambda x: cnp.sum(x * other))(x)


def test_results_never_alias_the_callers_device_arrays():
    # identity-like results (the input, a tangent or cotangent passed through, a reshape
    # or slice: views of the caller's memory) are copies on the device
    x_np, t_np = np.arange(1.0, 7.0), np.linspace(-1.0, 1.0, 6)
    x, t = cp.asarray(x_np), cp.asarray(t_np)
    out, tan = cr.jvp(lambda x: x, (x,), (t,))
    r_out, r_tan = cr.jvp(lambda x: cnp.reshape(x, (2, 3)), (x,), (t,))
    s_out = cr.vjp(lambda x: x[1:], x)[0]
    (ct,) = cr.vjp(lambda x: x, x)[1](t)
    twice = cr.jvp(lambda x: (x, x), (x,), (t,))[0]
    for r in (out, tan, r_out, r_tan, s_out, ct, *twice):
        assert isinstance(r, cp.ndarray) and r is not x and r is not t
        assert not cp.shares_memory(r, x) and not cp.shares_memory(r, t)
    assert not cp.shares_memory(twice[0], twice[1])
    out[0] = 100.0
    ct[...] = 0.0
    np.testing.assert_array_equal(_host(x), x_np)
    np.testing.assert_array_equal(_host(t), t_np)
    np.testing.assert_array_equal(_host(r_tan), t_np.reshape(2, 3))
