"""The array-namespace seam on ``array-api-strict`` arrays: a library that offers only the
Array API standard and, here, may not be converted to NumPy (its ``__array__`` and
``__buffer__`` raise while a transform runs). grad and jvp of elementwise functions,
reductions, matmul, indexing, an MLP and Rosenbrock equal NumPy's, as strict arrays.
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


def test_vjp_on_strict_arrays(strict):
    # (Second order is not run here: array-api-strict's operators raise TypeError on an
    # operand they do not know, where NumPy, Dask and CuPy return NotImplemented, so
    # `strict_array * tracer` never reaches the tracer.)
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
