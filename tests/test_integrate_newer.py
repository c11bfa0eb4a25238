"""scipy.integrate's newer functions: tanhsinh, nsum, cubature, qmc_quad (SciPy's values; the
derivatives against closed forms and central differences), and the names passed through."""
import warnings

import numpy as np
import pytest
import scipy.integrate as si
from scipy.stats import qmc

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.integrate as ci


def _traced(f, x):
    """f's value at x with x traced."""
    return cr.jvp(f, (x,), (np.ones_like(x),))[0]


# ---- tanhsinh ------------------------------------------------------------------------------------
def test_tanhsinh_values_are_scipys():
    # SciPy's docstring example: ∫₀¹ f, f = x e^x ... , and a plain call is SciPy's own object
    plain = ci.tanhsinh(lambda x: x * np.exp(x), 0.0, 1.0)
    assert type(plain) is type(si.tanhsinh(lambda x: x, 0.0, 1.0))
    s = np.array([0.5, 1.0, 2.0])
    got = _traced(lambda s: ci.tanhsinh(lambda x, s: cnp.exp(-s * x * x), 0.0, np.inf,
                                        args=(s,)).integral, s)
    want = si.tanhsinh(lambda x, s: np.exp(-s * x * x), 0.0, np.inf, args=(s,))
    np.testing.assert_array_equal(got, want.integral)


def test_tanhsinh_derivatives_closed_forms():
    s = np.array([0.5, 1.0, 2.0])
    f = lambda s: ci.tanhsinh(lambda x, s: cnp.exp(-s * x * x), 0.0, np.inf,   # noqa: E731
                              args=(s,)).integral
    want = -0.25 * np.sqrt(np.pi) * s ** -1.5
    np.testing.assert_allclose(cr.jacrev(f)(s), np.diag(want), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(cr.jvp(f, (s,), (np.ones(3),))[1], want, rtol=1e-10)
    second = cr.grad(cr.grad(f))(1.0)
    assert abs(second - 0.375 * np.sqrt(np.pi)) < 1e-9
    # the limits, a closed-over vector and an argument broadcast against them
    k = np.array([1.0, 2.0])
    ga, gb, gk = cr.grad(lambda a, b, k: cnp.sum(ci.tanhsinh(
        lambda x: cnp.cos(k[0] * x) + k[1], a, b).integral), argnums=(0, 1, 2))(0.2, 1.1, k)
    assert abs(ga + np.cos(0.2) + 2.0) < 1e-12 and abs(gb - np.cos(1.1) - 2.0) < 1e-12
    antiderivative = lambda x: np.sin(x) - x * np.cos(x)   # of x sin x   # noqa: E731
    np.testing.assert_allclose(gk, [antiderivative(0.2) - antiderivative(1.1), 0.9], rtol=1e-10)


def test_log_integrals_are_the_logarithms_derivatives():
    def ours(s, b):
        return ci.tanhsinh(lambda x, s: -s * x * x, 0.0, b, args=(s,), log=True).integral

    def plain(s, b):
        return cnp.log(ci.tanhsinh(lambda x, s: cnp.exp(-s * x * x), 0.0, b, args=(s,)).integral)
    for b in (1.3, np.inf):
        np.testing.assert_allclose(cr.grad(ours, argnums=(0, 1))(1.5, b),
                                   cr.grad(plain, argnums=(0, 1))(1.5, b), rtol=1e-12)
    cr.check_grads(ours, (1.5, 1.3), order=2, modes=("fwd", "rev"))
    zeta = lambda s: ci.nsum(lambda k, s: -s * cnp.log(k), 1.0, np.inf, args=(s,),   # noqa
                             log=True).sum
    assert abs(cr.grad(zeta)(2.0) + 0.9375482543158437 / (np.pi ** 2 / 6)) < 1e-10


def test_tanhsinh_refusals():
    with pytest.raises(NotImplementedError, match="preserve_shape"):
        cr.grad(lambda s: ci.tanhsinh(lambda x: s * x, 0.0, 1.0,
                                      preserve_shape=True).integral)(1.0)
    # the value with log=True is SciPy's (here under vmap, which traces without differentiating)
    got = cr.vmap(lambda s: ci.tanhsinh(lambda x, s: -s * x, 0.0, 1.0, args=(s,),
                                        log=True).integral)(np.array([1.0, 2.0]))
    np.testing.assert_array_equal(got, si.tanhsinh(lambda x, s: -s * x, 0.0, 1.0, log=True,
                                                   args=(np.array([1.0, 2.0]),)).integral)


# ---- nsum ----------------------------------------------------------------------------------------
def test_nsum_values_and_derivatives():
    zeta = lambda s: ci.nsum(lambda k, s: k ** -s, 1.0, np.inf, args=(s,)).sum   # noqa: E731
    assert _traced(zeta, 2.0) == si.nsum(lambda k: k ** -2.0, 1.0, np.inf).sum
    # ζ'(2) = −Σ log k / k²
    assert abs(cr.grad(zeta)(2.0) + 0.9375482543158437) < 1e-8
    assert abs(cr.jvp(zeta, (2.0,), (1.0,))[1] + 0.9375482543158437) < 1e-8
    # a closed-over value, a finite sum, and SciPy's report fields
    res = cr.jvp(lambda c: ci.nsum(lambda k: c * k, 1.0, 4.0).sum, (2.0,), (1.0,))
    assert res == (20.0, 10.0)
    report = ci.nsum(lambda k: 2.0 * cr.stop_gradient(1.0) * k, 1.0, 4.0)
    assert report.success and report.status == 0


def test_nsum_limits_are_refused():
    with pytest.raises(TypeError, match="choose the terms"):
        cr.grad(lambda a: ci.nsum(lambda k: k ** -2.0, a, np.inf).sum)(1.0)
    with pytest.raises(TypeError, match="choose the terms"):
        cr.jvp(lambda b: ci.nsum(lambda k: k ** -2.0, 1.0, b).sum, (10.0,), (1.0,))
    with pytest.raises(TypeError, match="step"):
        cr.grad(lambda h: ci.nsum(lambda k: k ** -2.0, 1.0, 9.0, step=h).sum)(1.0)


# ---- cubature ------------------------------------------------------------------------------------
def test_cubature_values_and_derivatives():
    f = lambda x, s: cnp.exp(-s * cnp.sum(x * x, axis=-1))   # noqa: E731
    want = si.cubature(lambda x: np.exp(-cnp.sum(x * x, axis=-1)), [0.0, 0.0], [1.0, 1.0])
    got = _traced(lambda s: ci.cubature(f, [0.0, 0.0], [1.0, 1.0], args=(s,)).estimate, 1.0)
    assert got == want.estimate
    # a rectangle's area, and the limits of ∫₀^∞ e^(−s x²): the face integrals
    area = lambda r: ci.cubature(lambda x: cnp.ones(x.shape[0]), [0.0, 0.0],   # noqa: E731
                                 [r, 2.0]).estimate
    assert cr.grad(area)(1.5) == pytest.approx(2.0, rel=1e-12)
    g = cr.grad(lambda s: ci.cubature(lambda x: cnp.exp(-s * x[:, 0] ** 2), [0.0],
                                      [np.inf]).estimate)(1.0)
    assert abs(g + 0.25 * np.sqrt(np.pi)) < 1e-9
    # central differences of SciPy's cubature, in the limits and a closed-over vector
    a, b, c = np.array([0.1, -0.2]), np.array([1.0, 0.7]), np.array([1.3, 0.4])

    def ours(a, b, c):
        return ci.cubature(lambda x: cnp.stack([cnp.sin(c[0] * x[:, 0]) * x[:, 1],
                                                x[:, 0] * x[:, 1] ** 2 * c[1]], axis=-1),
                           a, b).estimate
    cr.check_grads(ours, (a, b, c), order=1, modes=("fwd", "rev"))


def test_cubature_refusals_and_report():
    res = ci.cubature(lambda x: x[:, 0] * cr.stop_gradient(1.0), [0.0], [1.0])
    assert res.status == "converged" and res.subdivisions == 0
    with pytest.raises(NotImplementedError, match="workers"):
        cr.grad(lambda s: ci.cubature(lambda x: s * x[:, 0], [0.0], [1.0],
                                      points=[np.array([0.5])]).estimate)(1.0)


# ---- qmc_quad ------------------------------------------------------------------------------------
def _qmc(s, b=1.0, log=False, lo=0.0, mod=ci, np_=cnp):
    func = (lambda x: -s * x[0] + np_.log(x[1] + 1.0)) if log else \
        (lambda x: np_.exp(-s * x[0]) * (x[1] + 1.0))
    return mod.qmc_quad(func, [lo, 0.0], [b, 1.0], n_estimates=4, n_points=32,
                        qrng=qmc.Halton(2, seed=7), log=log)


def test_qmc_quad_values_are_scipys():
    for kw in ({}, {"lo": 1.5}):
        got = cr.jvp(lambda s: tuple(_qmc(s, **kw)), (1.0,), (1.0,))[0]
        want = _qmc(1.0, mod=si, np_=np, **kw)
        np.testing.assert_allclose(got, tuple(want), rtol=1e-14)
    got = cr.jvp(lambda s: tuple(_qmc(s, log=True)), (1.0,), (1.0,))[0]
    np.testing.assert_allclose(got, tuple(_qmc(1.0, log=True, mod=si, np_=np)), rtol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        zero = cr.grad(lambda b: _qmc(1.0, b=b, lo=1.0).integral)(1.0)
    assert zero == 0.0


def test_qmc_quad_derivative_is_the_estimators():
    # the same points for every s: central differences of SciPy's estimate see the derivative
    eps = 1e-6
    for which in ("integral", "standard_error"):
        fd = (getattr(_qmc(1.0 + eps, mod=si, np_=np), which) -
              getattr(_qmc(1.0 - eps, mod=si, np_=np), which)) / (2 * eps)
        assert abs(cr.grad(lambda s: getattr(_qmc(s), which))(1.0) - fd) < 1e-7
    fd = (_qmc(1.0, b=1.0 + eps, mod=si, np_=np).integral -
          _qmc(1.0, b=1.0 - eps, mod=si, np_=np).integral) / (2 * eps)
    assert abs(cr.grad(lambda b: _qmc(1.0, b=b).integral)(1.0) - fd) < 1e-7
    assert abs(cr.grad(cr.grad(lambda s: _qmc(s).integral))(1.0)) > 0.1


# ---- the names --------------------------------------------------------------------------------------
def test_nothing_of_scipy_integrate_is_missing():
    assert [n for n in si.__all__ if not hasattr(ci, n)] == []
    for name in ("dop", "lsoda", "odepack", "quadpack", "vode"):
        assert getattr(ci, name) is getattr(si, name)


def test_float32_nan_and_empty_inputs():
    s32 = np.float32(1.0)
    cases = [
        (lambda s: ci.tanhsinh(lambda x, s: s * x, np.float32(0.0), np.float32(1.0),
                               args=(s,)).integral,
         si.tanhsinh(lambda x: s32 * x, np.float32(0.0), np.float32(1.0)).integral),
        (lambda s: ci.nsum(lambda k, s: s * k ** -2, np.float32(1.0), np.float32(np.inf),
                           args=(s,)).sum,
         si.nsum(lambda k: s32 * k ** -2, np.float32(1.0), np.float32(np.inf)).sum),
        (lambda s: ci.cubature(lambda x: s * x[:, 0], np.float32([0.0]),
                               np.float32([1.0])).estimate,
         si.cubature(lambda x: s32 * x[:, 0], np.float32([0.0]), np.float32([1.0])).estimate)]
    for f, want in cases:
        value, tangent = cr.jvp(f, (s32,), (s32,))
        assert value.dtype == want.dtype == np.float32 and value == want and tangent == want
    # a nan limit: nan, not a zero derivative; an empty batch of arguments
    assert np.isnan(cr.grad(lambda b: ci.tanhsinh(lambda x: x, 0.0, b).integral)(np.nan))
    assert np.isnan(cr.grad(lambda b: ci.cubature(lambda x: x[:, 0], [0.0],
                                                  cnp.stack([b])).estimate)(np.nan))
    value, tangent = cr.jvp(lambda s: ci.tanhsinh(lambda x, s: s * x, 0.0, 1.0,
                                                  args=(s,)).integral, (np.zeros(0),),
                            (np.zeros(0),))
    assert value.shape == tangent.shape == (0,)
    got = cr.jvp(lambda s: _qmc(s).integral, (np.float32(1.0),), (np.float32(1.0),))[0]
    assert got.dtype == np.float64   # (the limits are float64 lists)
