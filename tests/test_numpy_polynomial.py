"""chainrule.numpy.polynomial against NumPy: the same results on plain inputs, NumPy's values
under tracing, derivatives against central differences, the classes, and the programs a
user writes first (Gauss-Hermite expectations, a Chebyshev fit and its derivative).

The rule tests (tests/test_rules.py, "numpy.polynomial" specs) check every function to
second order in both modes, with the dot-product test and vmap against a loop.
"""

import numpy as np
import numpy.polynomial as npp
import pytest

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.numpy.polynomial as cpoly
from chainrule.numpy.polynomial.series import BASES

RNG = np.random.default_rng(7)
C = RNG.standard_normal(4)
C2 = np.r_[RNG.standard_normal(1), 1.3]
X = RNG.uniform(-0.9, 0.9, 3)
XS, YS = np.linspace(-1.0, 1.0, 6), RNG.standard_normal(6)
ROOTS = np.array([-0.7, 0.1, 0.8])


def _calls(basis):
    """(function name, arguments, index of the argument differentiated) of one basis."""
    mod, p, _ = BASES[basis]
    out = [(p + "val", (X, C), 1), (p + "val", (X, C), 0), (p + "vander", (X, 3), 0),
           (p + "line", (0.3, 2.0), 0), (p + "add", (C, C2), 0), (p + "sub", (C2, C), 1),
           (p + "mul", (C, C2), 1), (p + "mulx", (C,), 0), (p + "pow", (C2, 3), 0),
           (p + "div", (C, C2), 1), (p + "der", (C, 2), 0), (p + "int", (C, 2), 0),
           (p + "fromroots", (ROOTS,), 0), (p + "companion", (C,), 0),
           (p + "roots", (getattr(mod, p + "fromroots")(ROOTS),), 0),
           (p + "val2d", (X, X, C.reshape(2, 2)), 2), (p + "val3d", (X, X, X, C.reshape(2, 2, 1)), 0),
           (p + "grid2d", (X, X[:2], C.reshape(2, 2)), 1),
           (p + "grid3d", (X, X, X, C.reshape(1, 2, 2)), 2),
           (p + "vander2d", (X, X, [1, 2]), 1), (p + "vander3d", (X, X, X, [1, 1, 2]), 2)]
    if basis == "polynomial":
        out.append(("polyvalfromroots", (X, ROOTS), 1))
    else:
        out += [(p + "2poly", (C,), 0), ("poly2" + p, (C,), 0), (p + "weight", (X,), 0)]
    return [(basis, name, args, i) for name, args, i in out]


CALLS = [c for b in BASES for c in _calls(b)]


def _flat(out):
    if isinstance(out, (tuple, list)):
        return np.concatenate([np.ravel(np.asarray(o)) for o in out])
    return np.ravel(np.asarray(out))


@pytest.mark.parametrize("basis,name,args,i", CALLS, ids=[f"{c[1]}-{c[3]}" for c in CALLS])
def test_plain_inputs_give_numpys_result(basis, name, args, i):
    ours = getattr(getattr(cpoly, basis), name)(*args)
    theirs = getattr(getattr(npp, basis), name)(*args)
    assert type(ours) is type(theirs)
    np.testing.assert_array_equal(_flat(ours), _flat(theirs))


@pytest.mark.parametrize("basis,name,args,i", CALLS, ids=[f"{c[1]}-{c[3]}" for c in CALLS])
def test_traced_values_are_numpys_and_derivatives_match_differences(basis, name, args, i):
    fn = getattr(getattr(cpoly, basis), name)
    a0 = np.asarray(args[i], dtype=np.float64)

    def f(a):
        return fn(*args[:i], a, *args[i + 1:])
    t = RNG.standard_normal(a0.shape)
    value, tangent = cr.jvp(f, (a0,), (t,))
    want = getattr(getattr(npp, basis), name)(*args)
    np.testing.assert_array_equal(_flat(value), _flat(want))   # the same bits
    h = 1e-6
    fd = (_flat(f(a0 + h * t)) - _flat(f(a0 - h * t))) / (2 * h)
    np.testing.assert_allclose(_flat(tangent), fd, rtol=1e-6, atol=1e-7)
    # reverse mode: the dot-product test against forward mode
    u = RNG.standard_normal(_flat(value).shape)
    _, pull = cr.vjp(lambda a: cnp.concatenate([cnp.ravel(o) for o in f(a)])
                     if isinstance(value, tuple) else cnp.ravel(f(a)), a0)
    (ct,) = pull(u)
    np.testing.assert_allclose(np.vdot(u, _flat(tangent)), np.vdot(np.ravel(ct), np.ravel(t)),
                               rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("basis", list(BASES))
def test_fit_matches_numpy_and_differentiates_in_x_y_w(basis):
    mod, p, _ = BASES[basis]
    fit = getattr(getattr(cpoly, basis), p + "fit")
    w = np.linspace(0.5, 1.5, 6)
    c = cr.jvp(lambda y: fit(XS, y, 2, w=w), (YS,), (YS,))[0]
    np.testing.assert_allclose(c, getattr(mod, p + "fit")(XS, YS, 2, w=w), rtol=1e-13, atol=1e-14)
    cr.check_grads(lambda x, y, w: fit(x, y, 2, w=w), (XS, YS, w), order=2, modes=("fwd", "rev"))
    c, (resid, rank, sv, rcond) = fit(XS, YS, [0, 2], full=True)
    c_np, (resid_np, rank_np, _, _) = getattr(mod, p + "fit")(XS, YS, [0, 2], full=True)
    np.testing.assert_array_equal(c, c_np)
    assert rank == rank_np == 2


def test_trailing_zeros_are_trimmed_as_numpy_does():
    c = np.array([1.0, 2.0, 0.0])
    g = cr.grad(lambda c: cnp.sum(cpoly.chebyshev.chebadd(c, [0.0, -2.0])))(c)
    assert cpoly.chebyshev.chebadd(c, [0.0, -2.0]).tolist() == [1.0]   # NumPy: [1.]
    np.testing.assert_array_equal(g, [1.0, 0.0, 0.0])
    out = cr.jvp(lambda c: cpoly.chebyshev.chebadd(c, [0.0, -2.0]), (c,), (c,))[0]
    assert out.shape == (1,)
    g = cr.grad(lambda c: cnp.sum(cpoly.legendre.legtrim(c, 0.5)))(np.array([1.0, 2.0, 0.1]))
    np.testing.assert_array_equal(g, [1.0, 1.0, 0.0])


def test_edges_a_user_tries():
    P = cpoly.polynomial
    # a constant series, size 1; a zero series; integer coefficients; float32
    assert cr.grad(lambda c: P.polyval(2.0, c))(np.array([3.0])).tolist() == [1.0]
    assert cr.grad(lambda x: P.polyval(x, [0.0]))(2.0) == 0.0
    assert cr.grad(lambda x: P.polyval(x, [1, 2, 3]))(2.0) == 2 + 6 * 2
    c32 = np.array([1.0, 2.0], dtype=np.float32)
    v, g = cr.value_and_grad(lambda c: cpoly.chebyshev.chebval(np.float32(0.5), c))(c32)
    assert v.dtype == npp.chebyshev.chebval(np.float32(0.5), c32).dtype and g.dtype == np.float32
    # roots of a degree-0 series: none; of degree 1: NumPy's formula
    assert P.polyroots(np.array([2.0])).shape == (0,)
    assert cr.grad(lambda c: P.polyroots(c)[0])(np.array([1.0, 2.0])).tolist() == [-0.5, 0.25]
    # inf and nan propagate as in NumPy
    assert np.isnan(cr.jvp(lambda c: P.polyval(np.nan, c), (C,), (C,))[0])
    assert np.isnan(cr.jvp(lambda c: P.polyval(np.inf, c), (C,), (C,))[0])   # as NumPy:
    big = cr.jvp(lambda c: P.polyval(1e308, c), (np.array([0.0, 10.0]),), (np.ones(2),))
    assert np.isinf(big[0]) and big[1] == 1e308             # overflow, as NumPy
    assert np.isnan(npp.polynomial.polyval(np.inf, C))      # NumPy's inf * 0 in Horner's start
    # NumPy's errors
    with pytest.raises(ZeroDivisionError):
        cr.grad(lambda c: cnp.sum(P.polydiv(c, [0.0, 0.0])[0]))(C)
    with pytest.raises(ValueError, match="non-negative"):
        cr.grad(lambda c: cnp.sum(P.polypow(c, -1)))(C)
    with pytest.raises(ValueError, match="Too many integration constants"):
        cr.grad(lambda k: cnp.sum(P.polyint(C, 1, k=k)))(np.ones(2))
    with pytest.raises(AttributeError, match="not wrapped"):
        cpoly.chebyshev.no_such_function


def test_outputs_never_alias_inputs():
    c = np.array([1.0, 2.0, 3.0])
    for fn in (cpoly.chebyshev.chebtrim, cpoly.polynomial.polyadd):
        out = fn(c, [0.0]) if fn is cpoly.polynomial.polyadd else fn(c)
        assert not np.shares_memory(out, c)
    out = cr.jvp(lambda c: cpoly.chebyshev.chebpow(c, 1), (c,), (c,))[0]
    assert not np.shares_memory(out, c)


@pytest.mark.parametrize("name", [b[2] for b in BASES.values()])
def test_classes(name):
    ours, theirs = getattr(cpoly, name), getattr(npp, name)
    assert issubclass(ours, theirs)
    p = ours([1.0, 2.0, 3.0])
    assert isinstance(p, theirs) and p == ours([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(p.coef, theirs([1.0, 2.0, 3.0]).coef)
    # evaluation, calculus and arithmetic with traced coefficients: NumPy's values
    c = np.array([1.0, 2.0, 3.0])

    def program(c):
        q = ours(c, domain=[0.0, 2.0])
        r = (q * q - 2.0 * q + 1.0).deriv().integ(lbnd=0.5)
        return r(1.3) + q.roots().real.sum() + (q // ours([1.0, 1.0], domain=[0.0, 2.0]))(0.2)

    def numpy_program(c):
        q = theirs(c, domain=[0.0, 2.0])
        r = (q * q - 2.0 * q + 1.0).deriv().integ(lbnd=0.5)
        return r(1.3) + q.roots().real.sum() + (q // theirs([1.0, 1.0], domain=[0.0, 2.0]))(0.2)
    value = cr.jvp(program, (c,), (c,))[0]
    np.testing.assert_allclose(value, numpy_program(c), rtol=1e-12)
    cr.check_grads(program, (c,), order=2, modes=("fwd", "rev"))
    # printing a traced series prints its values
    seen = []
    cr.grad(lambda c: seen.append((str(ours(c)), repr(ours(c)), f"{ours(c)}")) or
            ours(c)(0.1))(c)
    assert seen[0] == (str(theirs(c)), repr(theirs(c)).replace(name, name), f"{theirs(c)}")


@pytest.mark.parametrize("name", [b[2] for b in BASES.values()])
def test_class_fit_is_differentiable_in_the_data_and_its_domain(name):
    ours, theirs = getattr(cpoly, name), getattr(npp, name)
    x = np.array([0.0, 0.4, 1.1, 1.7, 2.5, 3.0])
    y = np.sin(x)

    def fitted(x, y):
        return ours.fit(x, y, 2)(1.5)
    value = cr.jvp(fitted, (x, y), (x, y))[0]
    np.testing.assert_allclose(value, theirs.fit(x, y, 2)(1.5), rtol=1e-12)
    cr.check_grads(fitted, (x, y), order=2, modes=("fwd", "rev"))
    # the domain follows the data: its derivative is part of the coefficients'
    g = cr.grad(lambda x: cnp.sum(ours.fit(x, y, 2).coef))(x)
    h = 1e-6
    fd = [(np.sum(theirs.fit(x + h * e, y, 2).coef) - np.sum(theirs.fit(x - h * e, y, 2).coef))
          / (2 * h) for e in np.eye(6)]
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)


def test_convert_with_traced_coefficients():
    c = np.array([1.0, 2.0, 3.0])
    got = cr.jvp(lambda c: cpoly.Chebyshev(c).convert(kind=cpoly.Polynomial).coef, (c,), (c,))[0]
    np.testing.assert_allclose(got, npp.Chebyshev(c).convert(kind=npp.Polynomial).coef)
    with pytest.raises(TypeError, match="evaluate the series instead"):
        cr.grad(lambda c: cpoly.Chebyshev(c).convert(domain=[0, 1])(0.5))(c)


def test_under_jit_and_vmap():
    f = cr.jit(cr.grad(lambda c, x: cpoly.hermite.hermval(x, c)))
    for x in (0.3, -0.2):
        np.testing.assert_allclose(f(C, x), cr.grad(lambda c: cpoly.hermite.hermval(x, c))(C))
    batch = RNG.standard_normal((5, 4))
    got = cr.vmap(lambda c: cpoly.legendre.legroots(cpoly.legendre.legder(c)))(batch)
    want = np.stack([npp.legendre.legroots(npp.legendre.legder(c)) for c in batch])
    np.testing.assert_allclose(got, want, rtol=1e-10)


def test_gauss_hermite_expectation_port():
    """A program as written with NumPy (E[exp(X)] for X ~ N(mu, sigma²) by Gauss-Hermite
    quadrature), unchanged but for the import: its gradient in (mu, sigma) is exact."""
    np_ = cnp   # the program's "np"

    def expected_exp(mu, sigma, n=20):
        x, w = np_.polynomial.hermite.hermgauss(n)
        return np_.sum(w * np_.exp(mu + np_.sqrt(2.0) * sigma * x)) / np_.sqrt(np_.pi)
    mu, sigma = 0.3, 0.5
    value, (gm, gs) = cr.value_and_grad(expected_exp, argnums=(0, 1))(mu, sigma)
    exact = np.exp(mu + sigma ** 2 / 2)
    np.testing.assert_allclose([value, gm, gs], [exact, exact, sigma * exact], rtol=1e-12)


def test_chebyshev_approximation_of_a_derivative():
    """Fit a Chebyshev series to samples, differentiate the series, and differentiate that
    again with respect to the samples (NumPy's documentation example, extended)."""
    x = np.cos(np.pi * (np.arange(16) + 0.5) / 16)     # Chebyshev points

    def slope_at(y, t):
        return cpoly.Chebyshev.fit(x, y, 15).deriv()(t)
    y = np.exp(x)
    np.testing.assert_allclose(slope_at(y, 0.2), np.exp(0.2), rtol=1e-10)
    g = cr.grad(slope_at)(y, 0.2)        # the differentiation weights of the 16 samples
    np.testing.assert_allclose(g @ np.exp(x), np.exp(0.2), rtol=1e-10)
    np.testing.assert_allclose(g @ x ** 3, 3 * 0.2 ** 2, atol=1e-10)
