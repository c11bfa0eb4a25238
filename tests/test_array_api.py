"""The array-namespace seam on ``array-api-strict`` arrays: a library that offers only the
Array API standard and, here, may not be converted to NumPy (its ``__array__`` and
``__buffer__`` raise while a transform runs). grad, jvp, hvp and hessian of elementwise
functions, reductions, matmul, indexing, an MLP and Rosenbrock equal NumPy's, as strict
arrays.
"""

import numpy as np
import pytest

xp = pytest.importorskip("array_api_strict")
pytest.importorskip("array_api_compat")

import chainrule as cr  # noqa: E402
import chainrule.numpy as cnp  # noqa: E402

Array = type(xp.asarray(0.0))


@pytest.fixture
def strict(monkeypatch):
    """Inside the block, converting a strict array to NumPy raises."""
    def refuse(self, *args, **kwargs):
        raise AssertionError("an array-api-strict array was converted to NumPy")

    class Strict:
        def __enter__(self):
            monkeypatch.setattr(Array, "__array__", refuse)
            monkeypatch.setattr(Array, "__buffer__", refuse, raising=False)

        def __exit__(self, *exc):
            monkeypatch.undo()

    return Strict()


def _np(x):
    assert type(x) is Array, type(x)
    return np.from_dlpack(x)


def _rosen(x):
    return cnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def _mlp(params, X):
    h = cnp.tanh(cnp.matmul(X, params["W1"]) + params["b1"])
    out = cnp.matmul(h, params["W2"]) + params["b2"]
    return cnp.mean(out ** 2)


RNG = np.random.default_rng(0)
X_NP = RNG.standard_normal((5, 4))
CASES = {
    "elementwise": (lambda x: cnp.sum(cnp.exp(x) * cnp.log(x) / (1.0 + x ** 2) - cnp.tanh(x)
                                      + cnp.sqrt(x) * cnp.sin(x) - cnp.cos(x) ** 3),
                    RNG.uniform(0.5, 2.0, (3, 4))),
    "reductions": (lambda x: cnp.sum(cnp.mean(x, axis=0) ** 2) + cnp.max(x) + cnp.sum(x, axis=1)[1],
                   RNG.standard_normal((3, 4))),
    "matmul": (lambda x: cnp.sum(cnp.tanh(cnp.matmul(cnp.matmul(x, x.T), x))),
               RNG.standard_normal((3, 4)) / 2),
    "indexing": (lambda x: cnp.sum(x[1:, :2] * x[:-1, 2:]) + x[0, 3] * x[2, 0],
                 RNG.standard_normal((3, 4))),
    "broadcasting": (lambda x: cnp.sum((x - cnp.mean(x, axis=1, keepdims=True)) ** 2 * x[0, :]),
                     RNG.standard_normal((3, 4))),
    "rosenbrock": (_rosen, np.linspace(-1.2, 1.2, 9)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_grad_and_jvp_on_strict_arrays_equal_numpy(name, strict):
    f, x_np = CASES[name]
    t_np = np.cos(np.arange(x_np.size, dtype=float)).reshape(x_np.shape)
    x, t = xp.asarray(x_np), xp.asarray(t_np)
    with strict:
        v, g = cr.value_and_grad(f)(x)
        out, tan = cr.jvp(f, (x,), (t,))
    ev, eg = cr.value_and_grad(f)(x_np)
    np.testing.assert_allclose(_np(v), ev, rtol=1e-13)
    np.testing.assert_allclose(_np(g), eg, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(_np(out), ev, rtol=1e-13)
    # forward and reverse agree: J t = <grad, t>
    np.testing.assert_allclose(_np(tan), np.sum(eg * t_np), rtol=1e-11)


def test_rosenbrock_gradient_against_its_closed_form(strict):
    x_np = np.linspace(-1.2, 1.2, 9)
    with strict:
        g = cr.grad(_rosen)(xp.asarray(x_np))
    a, b = x_np[:-1], x_np[1:]
    expect = np.zeros_like(x_np)
    expect[:-1] = -400.0 * a * (b - a ** 2) - 2.0 * (1.0 - a)
    expect[1:] += 200.0 * (b - a ** 2)
    np.testing.assert_allclose(_np(g), expect, rtol=1e-13)


def test_mlp_gradient_wrt_strict_parameters(strict):
    params_np = {"W1": RNG.standard_normal((4, 6)) / 2, "b1": RNG.standard_normal(6) / 4,
                 "W2": RNG.standard_normal((6, 2)) / 2, "b2": np.zeros(2)}
    params = {k: xp.asarray(v) for k, v in params_np.items()}
    with strict:
        g = cr.grad(_mlp)(params, xp.asarray(X_NP))
    expect = cr.grad(_mlp)(params_np, X_NP)
    for k in params_np:
        np.testing.assert_allclose(_np(g[k]), expect[k], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", sorted(CASES))
def test_hvp_and_hessian_on_strict_arrays_equal_numpy(name, strict):
    # Second order puts a plain strict array on the left of a tracer inside the rules
    # (the cotangent times a primal traced by the outer jvp: `g * (1 - ans * ans)` for
    # tanh); array-api-strict's operators raise TypeError there unless chainrule made
    # them defer to tracers.
    f, x_np = CASES[name]
    v_np = np.cos(np.arange(x_np.size, dtype=float)).reshape(x_np.shape)
    x, v = xp.asarray(x_np), xp.asarray(v_np)
    with strict:
        (hv,) = cr.hvp(f, (x,), (v,))                                    # forward over reverse
        rof = cr.grad(lambda x: cr.jvp(f, (x,), (v,))[1])(x)              # reverse over forward
        ror = cr.grad(lambda x: cnp.sum(cr.grad(f)(x) * v))(x)            # reverse over reverse
        H = cr.hessian(f)(x)
    (e_hv,) = cr.hvp(f, (x_np,), (v_np,))
    e_H = cr.hessian(f)(x_np)
    for got in (hv, rof, ror):
        np.testing.assert_allclose(_np(got), e_hv, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(_np(H), e_H, rtol=1e-12, atol=1e-13)
    assert e_H.shape == x_np.shape * 2 and np.any(e_H != 0)
    # the Hessian applied to v is the Hessian-vector product
    np.testing.assert_allclose(e_H.reshape(x_np.size, -1) @ v_np.ravel(), e_hv.ravel(),
                               rtol=1e-11, atol=1e-12)


def test_rosenbrock_hessian_against_its_closed_form(strict):
    x_np = np.linspace(-1.2, 1.2, 9)
    with strict:
        H = _np(cr.hessian(_rosen)(xp.asarray(x_np)))
    a, b = x_np[:-1], x_np[1:]
    expect = np.zeros((9, 9))
    expect[np.arange(8), np.arange(8)] += 1200.0 * a ** 2 - 400.0 * b + 2.0
    expect[np.arange(1, 9), np.arange(1, 9)] += 200.0
    expect[np.arange(8), np.arange(1, 9)] = expect[np.arange(1, 9), np.arange(8)] = -400.0 * a
    np.testing.assert_allclose(H, expect, rtol=1e-13, atol=1e-12)


def test_mlp_hvp_wrt_strict_parameters(strict):
    params_np = {"W1": RNG.standard_normal((4, 6)) / 2, "b1": RNG.standard_normal(6) / 4,
                 "W2": RNG.standard_normal((6, 2)) / 2, "b2": np.zeros(2)}
    vec_np = {k: np.cos(np.arange(v.size, dtype=float)).reshape(v.shape)
              for k, v in params_np.items()}
    with strict:
        (hv,) = cr.hvp(lambda p: _mlp(p, xp.asarray(X_NP)),
                       ({k: xp.asarray(v) for k, v in params_np.items()},),
                       ({k: xp.asarray(v) for k, v in vec_np.items()},))
    (expect,) = cr.hvp(lambda p: _mlp(p, X_NP), (params_np,), (vec_np,))
    for k in params_np:
        np.testing.assert_allclose(_np(hv[k]), expect[k], rtol=1e-11, atol=1e-14)
    assert all(np.any(expect[k] != 0) for k in expect)


def test_a_strict_constant_left_of_a_traced_value(strict):
    # `W @ x` and `c * x` with a closed-over strict array on the left: its operator defers
    # to the tracer (Python then calls the tracer's reflected operator)
    W_np = RNG.standard_normal((3, 3))
    c_np = RNG.uniform(1.0, 2.0, 3)
    W, c = xp.asarray(W_np), xp.asarray(c_np)
    x_np = np.linspace(0.5, 1.5, 3)
    with strict:
        g = cr.grad(lambda x: cnp.sum((W @ x) * (c - x)))(xp.asarray(x_np))
        assert (W @ xp.asarray(x_np)).shape == (3,)  # plain operands: the operator as before
        with pytest.raises(TypeError):  # and what it refused, it still refuses
            W @ np.ones(3)
    expect = W_np.T @ (c_np - x_np) - W_np @ x_np
    np.testing.assert_allclose(_np(g), expect, rtol=1e-13)


def test_vjp_on_strict_arrays(strict):
    x_np = RNG.uniform(0.5, 2.0, (3, 4))
    v_np = np.cos(x_np)
    with strict:
        out, pull = cr.vjp(lambda x: cnp.sin(x) * x, xp.asarray(x_np))
        (ct,) = pull(xp.asarray(v_np))
    np.testing.assert_allclose(_np(out), np.sin(x_np) * x_np, rtol=1e-14)
    np.testing.assert_allclose(_np(ct), (np.cos(x_np) * x_np + np.sin(x_np)) * v_np, rtol=1e-13)


def test_a_function_the_standard_lacks_is_refused_naming_it():
    x = xp.asarray(np.linspace(0.1, 1.0, 4))
    with pytest.raises(NotImplementedError, match=r"cbrt is not provided by the array "
                                                  r"namespace array_api_strict"):
        cr.grad(lambda x: cnp.sum(cnp.cbrt(x)))(x)


def test_results_never_alias_the_callers_strict_arrays(strict):
    # identity-like results (the input, a tangent or cotangent passed through, a reshape
    # or slice: a view of the caller's memory) are copies, in the strict namespace
    x_np, t_np = np.arange(1.0, 7.0), np.linspace(-1.0, 1.0, 6)
    x, t = xp.asarray(x_np), xp.asarray(t_np)
    with strict:
        out, tan = cr.jvp(lambda x: x, (x,), (t,))
        r_out, r_tan = cr.jvp(lambda x: cnp.reshape(x, (2, 3)), (x,), (t,))
        s_out, pull = cr.vjp(lambda x: x[1:], x)
        (ct,) = cr.vjp(lambda x: x, x)[1](t)
        lin_out, f_lin = cr.linearize(lambda x: x, x)
        lin_tan = f_lin(t)
        twice = cr.jvp(lambda x: (x, x), (x,), (t,))[0]
        results = [out, tan, r_out, r_tan, s_out, ct, lin_out, lin_tan, *twice]
    inputs = [np.from_dlpack(x), np.from_dlpack(t)]
    for r in results:
        assert type(r) is Array and r is not x and r is not t
        assert not any(np.shares_memory(np.from_dlpack(r), a) for a in inputs)
    assert not np.shares_memory(np.from_dlpack(twice[0]), np.from_dlpack(twice[1]))
    np.testing.assert_array_equal(_np(out), x_np)
    np.testing.assert_array_equal(_np(r_tan), t_np.reshape(2, 3))
    np.testing.assert_array_equal(_np(s_out), x_np[1:])
    np.testing.assert_array_equal(_np(ct), t_np)
    # writing into a result leaves the caller's arrays as they were
    out[0] = 100.0
    ct[...] = 0.0
    np.testing.assert_array_equal(_np(x), x_np)
    np.testing.assert_array_equal(_np(t), t_np)
    # a result that is a fresh array is not copied again
    g = cr.grad(lambda x: cnp.sum(x * x))(x)
    np.testing.assert_array_equal(_np(g), 2 * x_np)


# ---- arrays on a device other than the default: what CuPy arrays on a second GPU are ------
# array-api-strict's Device("device1") refuses to combine with default-device arrays and to be
# converted to NumPy, so every array chainrule creates (the seed 1 of grad, zeros padding a
# slice's cotangent, a NumPy constant moved into the library) must be made on the input's
# device, and no value may pass through the host.
DEVICE = xp.Device("device1")


def _from_device(x):
    assert type(x) is Array and x.device == DEVICE, (type(x), getattr(x, "device", None))
    return np.from_dlpack(x.to_device(xp.Device("CPU_DEVICE")))


@pytest.mark.parametrize("name", sorted(CASES))
def test_transforms_keep_arrays_on_their_device(name, strict):
    f, x_np = CASES[name]
    v_np = np.cos(np.arange(x_np.size, dtype=float)).reshape(x_np.shape)
    x, v = xp.asarray(x_np, device=DEVICE), xp.asarray(v_np, device=DEVICE)
    with strict:
        value, g = cr.value_and_grad(f)(x)
        _, tan = cr.jvp(f, (x,), (v,))
        out, pull = cr.vjp(f, x)
        (ct,) = pull(value * 0.0 + 2.0)
        (hv,) = cr.hvp(f, (x,), (v,))
    e_value, e_g = cr.value_and_grad(f)(x_np)
    (e_hv,) = cr.hvp(f, (x_np,), (v_np,))
    np.testing.assert_allclose(_from_device(value), e_value, rtol=1e-13)
    np.testing.assert_allclose(_from_device(g), e_g, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(_from_device(tan), np.sum(e_g * v_np), rtol=1e-11)
    np.testing.assert_allclose(_from_device(ct), 2.0 * e_g, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(_from_device(hv), e_hv, rtol=1e-12, atol=1e-13)


def test_mlp_gradient_and_hessian_on_a_device(strict):
    params_np = {"W1": RNG.standard_normal((4, 6)) / 2, "b1": RNG.standard_normal(6) / 4,
                 "W2": RNG.standard_normal((6, 2)) / 2, "b2": np.zeros(2)}
    params = {k: xp.asarray(v, device=DEVICE) for k, v in params_np.items()}
    X = xp.asarray(X_NP, device=DEVICE)
    x_np = np.linspace(-1.2, 1.2, 5)
    with strict:
        g = cr.grad(_mlp)(params, X)
        H = cr.hessian(_rosen)(xp.asarray(x_np, device=DEVICE))
    expect = cr.grad(_mlp)(params_np, X_NP)
    for k in params_np:
        np.testing.assert_allclose(_from_device(g[k]), expect[k], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(_from_device(H), cr.hessian(_rosen)(x_np), rtol=1e-13, atol=1e-12)


def _examples(x_np, k=3):
    # k examples around x_np, stacked on a new leading axis
    return np.stack([x_np * (1.0 + 0.1 * i) + 0.05 * i for i in range(k)])


@pytest.mark.parametrize("name", sorted(CASES))
def test_vmap_and_per_example_gradients_on_strict_arrays(name, strict):
    # vmap's batching rules run on the strict arrays themselves (no conversion to NumPy),
    # for the function and for its gradient: each row is the example's NumPy result
    f, x_np = CASES[name]
    xs_np = _examples(x_np)
    xs = xp.asarray(xs_np)
    with strict:
        values = cr.vmap(f)(xs)
        grads = cr.vmap(cr.grad(f))(xs)
        moved = cr.vmap(cr.grad(f), out_axes=-1)(xs)
    assert type(values) is Array and type(grads) is Array and type(moved) is Array
    expect_v = np.array([f(x) for x in xs_np])
    expect_g = np.stack([cr.grad(f)(x) for x in xs_np])
    np.testing.assert_allclose(_np(values), expect_v, rtol=1e-13)
    np.testing.assert_allclose(_np(grads), expect_g, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(_np(moved), np.moveaxis(expect_g, 0, -1), rtol=1e-12,
                               atol=1e-14)


def test_per_example_gradients_of_the_mlp_with_shared_strict_parameters(strict):
    params_np = {"W1": RNG.standard_normal((4, 6)) / 2, "b1": RNG.standard_normal(6) / 4,
                 "W2": RNG.standard_normal((6, 2)) / 2, "b2": np.zeros(2)}
    params = {k: xp.asarray(v) for k, v in params_np.items()}

    def loss(p, x):  # one example: x of shape (4,)
        return _mlp(p, cnp.reshape(x, (1, 4)))

    with strict:
        g = cr.vmap(cr.grad(loss), in_axes=(None, 0))(params, xp.asarray(X_NP))
    for k in params_np:
        expect = np.stack([cr.grad(loss)(params_np, x)[k] for x in X_NP])
        assert type(g[k]) is Array and g[k].shape == (5,) + params_np[k].shape
        np.testing.assert_allclose(_np(g[k]), expect, rtol=1e-12, atol=1e-15)
    # per-example gradients average to the batch gradient
    batch = cr.grad(_mlp)(params_np, X_NP)
    np.testing.assert_allclose(np.mean(_np(g["W1"]), axis=0), batch["W1"], rtol=1e-12)


def test_vmap_and_jacobians_keep_arrays_on_their_device(strict):
    x_np = RNG.uniform(0.5, 2.0, (4, 3))
    f = lambda v: cnp.sum(cnp.sin(v) * v[0] + cnp.tanh(v) ** 2)  # noqa: E731
    x = xp.asarray(x_np, device=DEVICE)
    with strict:
        per_row = cr.vmap(cr.grad(f))(x)
        J = cr.jacrev(lambda v: cnp.sin(v) * 2.0)(x[0, ...])
        H = cr.hessian(f)(x[0, ...])
    expect = np.stack([cr.grad(f)(row) for row in x_np])
    np.testing.assert_allclose(_from_device(per_row), expect, rtol=1e-13)
    np.testing.assert_allclose(_from_device(J), np.diag(2.0 * np.cos(x_np[0])), rtol=1e-14)
    np.testing.assert_allclose(_from_device(H), cr.hessian(f)(x_np[0]), rtol=1e-13)


def test_numpy_tangents_and_cotangents_of_a_quotient_on_a_device(strict):
    # a NumPy tangent (cotangent) over a device array: the NaN-safe quotient moves it, and
    # the zero test of its numerator, onto the result's device (not the default one)
    x_np = np.array([0.5, 1.0, 2.0])
    v_np = np.array([1.0, 0.0, -1.0])
    x = xp.asarray(x_np, device=DEVICE)

    def f(x):
        return x / (cnp.sum(x) + 1.0)

    with strict:
        _, tan = cr.jvp(f, (x,), (v_np,))
        (ct,) = cr.vjp(f, x)[1](v_np)
    np.testing.assert_allclose(_from_device(tan), cr.jvp(f, (x_np,), (v_np,))[1], rtol=1e-15)
    np.testing.assert_allclose(_from_device(ct), cr.vjp(f, x_np)[1](v_np)[0], rtol=1e-15)


def test_gradients_through_stack_and_concatenate_of_2d_strict_arrays(strict):
    # concatenate's VJP slices the cotangent along one axis of a 2-D array: the index
    # names every axis (the Array API refuses x[a:b] on a 2-D array)
    x_np = np.array([0.3, 0.0, -0.7, 1.2])
    c = np.arange(1.0, 5.0)

    def f(x):
        m = cnp.stack([x, c])
        return (cnp.sum(m ** 3) + cnp.sum(cnp.concatenate([m, 2.0 * m], axis=1) ** 2)
                + cnp.sum(cnp.stack([x, x * x], axis=1)[:, 1] * 3.0))

    x = xp.asarray(x_np, device=DEVICE)
    with strict:
        g = cr.grad(f)(x)
    expect = 3.0 * x_np ** 2 + 2.0 * x_np + 8.0 * x_np + 6.0 * x_np
    np.testing.assert_allclose(_from_device(g), expect, rtol=1e-14)
    np.testing.assert_allclose(cr.grad(f)(x_np), expect, rtol=1e-14)


def test_maximum_and_minimum_on_strict_arrays(strict):
    # their rules build a mask in the operands' dtype: read from the strict array's own
    # dtype (NumPy cannot), cast with the standard's astype (no method); a tie splits it
    x_np = np.array([0.3, 0.0, -0.7, 1.2])
    v_np = np.array([1.0, -2.0, 0.5, 3.0])

    def f(x):
        return (cnp.sum(cnp.maximum(x, 0.25) ** 2) + cnp.sum(cnp.minimum(x * 2.0, x))
                + cnp.sum(cnp.maximum(x, x)))

    x, v = xp.asarray(x_np, device=DEVICE), xp.asarray(v_np, device=DEVICE)
    x32 = xp.asarray(x_np.astype(np.float32), device=DEVICE)
    with strict:
        g = cr.grad(f)(x)
        _, tan = cr.jvp(f, (x,), (v,))
        g32 = cr.grad(f)(x32)
    expect = (np.where(x_np > 0.25, 2.0 * x_np, 0.0) + 1.0  # at x = 0, 2x and x tie: 1.5
              + np.where(x_np < 0, 2.0, np.where(x_np == 0, 1.5, 1.0)))
    np.testing.assert_allclose(_from_device(g), expect, rtol=1e-15)
    np.testing.assert_allclose(cr.grad(f)(x_np), expect, rtol=1e-15)
    np.testing.assert_allclose(_from_device(tan), np.sum(expect * v_np), rtol=1e-14)
    assert g32.dtype == xp.float32  # the Python 0.25 does not widen the mask
    np.testing.assert_allclose(_from_device(g32), expect, rtol=1e-6)


@pytest.mark.parametrize("device", [None, DEVICE], ids=["default", "device1"])
def test_numpy_array_constants_next_to_strict_arrays(device, strict):
    # A NumPy array in the function (weights, a mask) is recorded in the array's library and
    # on its device, so the rules' `g * c` meet two arrays of one library: grad raised
    # array-api-strict's TypeError and jvp handed back a NumPy array before.
    kw = {} if device is None else {"device": device}
    c = np.array([1.0, 2.0, 3.0])
    fs = {"mul": lambda x: cnp.sum(cnp.multiply(x, c) * cnp.sin(x) / c),
          "pow": lambda x: cnp.sum(cnp.power(x, c)),
          "where": lambda x: cnp.sum(cnp.where(c > 1, x * c, c) ** 2)}
    x_np = np.array([0.5, 1.5, 2.0])
    x, v = xp.asarray(x_np, **kw), xp.asarray(np.cos(x_np), **kw)
    back = (lambda r: _np(r)) if device is None else _from_device
    for name, f in fs.items():
        with strict:
            g = cr.grad(f)(x)
            _, tan = cr.jvp(lambda x: cnp.multiply(c, x) * x, (x,), (v,))
            (hv,) = cr.hvp(f, (x,), (v,))
            per_row = cr.vmap(cr.grad(lambda r: cnp.sum(r * c[:1])))(x)
        np.testing.assert_allclose(back(g), cr.grad(f)(x_np), rtol=1e-13, err_msg=name)
        np.testing.assert_allclose(back(tan), 2 * c * x_np * np.cos(x_np), rtol=1e-13)
        np.testing.assert_allclose(back(hv), cr.hvp(f, (x_np,), (np.cos(x_np),))[0],
                                   rtol=1e-12, err_msg=name)
        np.testing.assert_array_equal(back(per_row), np.ones(3))


def test_jacfwd_of_grad_with_a_numpy_constant_on_a_device(strict):
    # The Hessian of x * c is constant (c, recorded on x's device): vmap's output that does
    # not vary was converted with np.asarray, which a device array refuses.
    c = np.array([1.0, 2.0, 3.0])
    x_np = np.array([0.5, 1.5, 2.0])
    x = xp.asarray(x_np, device=DEVICE)
    for f in (lambda x: cnp.sum(x * c) ** 2, lambda x: cnp.sum(cnp.maximum(x, c - 1) ** 2)):
        with strict:
            h = cr.jacfwd(cr.grad(f))(x)
            same = cr.vmap(lambda r: x)(xp.stack([x, x]))
        assert h.device == DEVICE and same.device == DEVICE
        np.testing.assert_allclose(_from_device(h), cr.hessian(f)(x_np), rtol=1e-13)
        np.testing.assert_array_equal(_from_device(same), np.stack([x_np, x_np]))


@pytest.mark.parametrize("device", [None, DEVICE], ids=["default", "device1"])
def test_clip_of_strict_arrays_stays_strict(device, strict):
    # np.clip converted a strict array to NumPy (hvp handed back a NumPy array) and failed
    # on a device: clip computes with the standard's clip
    kw = {} if device is None else {"device": device}
    c = np.array([1.0, 2.0, 3.0])
    x_np = np.array([-0.7, 2.5, 2.0])  # below, above, inside its bounds
    x, v = xp.asarray(x_np, **kw), xp.asarray(np.cos(x_np), **kw)
    f = lambda x: cnp.sum(cnp.clip(x, c - 1.5, c) ** 3)  # noqa: E731
    with strict:
        g = cr.grad(f)(x)
        (hv,) = cr.hvp(f, (x,), (v,))
        y = cnp.clip(x, 0.7, None)
    for r in (g, hv, y):
        assert type(r) is Array and r.device == x.device
    back = (lambda r: _np(r)) if device is None else _from_device
    np.testing.assert_array_equal(back(g), [0.0, 0.0, 12.0])  # 3 x**2 inside
    np.testing.assert_allclose(back(hv), cr.hvp(f, (x_np,), (np.cos(x_np),))[0], rtol=1e-13)
    np.testing.assert_array_equal(back(y), np.clip(x_np, 0.7, None))


def test_vmap_constant_output_of_a_dtype_the_library_lacks(strict):
    # an output made of constants moves to the inputs' library, except where that library has
    # no such dtype (array-api-strict has no float16): then NumPy's, as before
    x = xp.asarray(np.ones(3), device=DEVICE)
    with strict:
        half = cr.vmap(lambda v: np.float16([1, 2]))(x)
        kept = cr.vmap(lambda v: np.float64([1, 2]))(x)
    assert type(half) is np.ndarray and half.dtype == np.float16 and half.shape == (3, 2)
    np.testing.assert_array_equal(_from_device(kept), np.ones((3, 1)) * [1.0, 2.0])


_S = X_NP[:3, :3] @ X_NP[:3, :3].T + 3.0 * np.eye(3)   # symmetric positive definite
_LINALG = {
    "inv": lambda a: cnp.sum(cnp.linalg.inv(a) ** 2),
    "det": cnp.linalg.det,
    "slogdet": lambda a: cnp.linalg.slogdet(a)[1],
    "solve": lambda a: cnp.sum(cnp.linalg.solve(a, a[:, 0]) * cnp.linalg.solve(a, a)[1]),
    "cholesky": lambda a: cnp.sum(cnp.linalg.cholesky(a) ** 2),
    "eigh": lambda a: cnp.linalg.eigh(a)[0][2] + cnp.sum(cnp.abs(cnp.linalg.eigh(a)[1]) ** 3),
    "eigvalsh-upper": lambda a: cnp.linalg.eigvalsh(a + cnp.triu(a, 1), UPLO="U")[0],
    "svd": lambda a: cnp.sum(cnp.linalg.svd(a)[1]) + cnp.linalg.norm(a, 2),
    "qr": lambda a: cnp.sum(cnp.linalg.qr(a)[1] ** 2),
    "pinv": lambda a: cnp.sum(cnp.linalg.pinv(a) ** 2),
}


@pytest.mark.parametrize("name", sorted(_LINALG))
def test_linalg_on_strict_arrays_stays_in_their_library(name, strict):
    """numpy.linalg's functions converted strict arrays to NumPy's and returned NumPy arrays
    (silently leaving the caller's library); now the standard's linalg extension computes
    them, and values, gradients and Hessian-vector products equal NumPy's."""
    f = _LINALG[name]
    want_v, want_g = cr.value_and_grad(f)(_S)
    (want_h,) = cr.hvp(f, (_S,), (np.ones_like(_S),))
    with strict:
        v, g = cr.value_and_grad(f)(xp.asarray(_S))
        (h,) = cr.hvp(f, (xp.asarray(_S),), (xp.ones_like(xp.asarray(_S)),))
    np.testing.assert_allclose(_np(v), want_v, rtol=1e-12)
    np.testing.assert_allclose(_np(g), want_g, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(_np(h), want_h, rtol=1e-9, atol=1e-11)


def test_det_gradient_at_a_singular_strict_matrix_is_its_adjugate(strict):
    a = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.5, -1.0, 2.0]])   # rank 2
    want = cr.grad(cnp.linalg.det)(a)
    with strict:
        got = cr.grad(cnp.linalg.det)(xp.asarray(a))
    np.testing.assert_allclose(_np(got), want, rtol=1e-10, atol=1e-12)
    z = a + 1j * np.eye(3)   # complex: the conjugations of the adjugate's formula
    with strict:
        got = cr.grad(lambda z: cnp.abs(cnp.linalg.det(z)) ** 2)(xp.asarray(z))
    np.testing.assert_allclose(_np(got), cr.grad(lambda z: cnp.abs(cnp.linalg.det(z)) ** 2)(z),
                               rtol=1e-10)


def test_linalg_the_standard_lacks_is_refused_on_strict_arrays():
    with pytest.raises(NotImplementedError, match="eig is not in the Array API standard"):
        cnp.linalg.eig(xp.asarray(_S))
    with pytest.raises(NotImplementedError, match="rtol"):
        cnp.linalg.matrix_rank(xp.asarray(_S), tol=1e-3)
    assert int(cnp.linalg.matrix_rank(xp.asarray(_S))) == 3
