"""The rest of chainrule.scipy.special (primitives/special_integers.py, special_extra.py,
special_distributions.py, special_legendre.py): values and dtypes against SciPy's in float64 and
float32, the functions of integers and their refusal of traced arguments, SciPy's polynomial
objects and ufuncs on traced values, derivatives against SciPy's own derivative outputs and
closed forms at the points the generic rule tests do not draw, and the refusals. The generic
derivative checks (order 2, both modes, dot product, vmap, jit, complex) are the specs in
tests/test_rules.py."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.special as csp
from chainrule.primitives.special_functions import UnsupportedDerivativeError

ss = pytest.importorskip("scipy.special")
st = pytest.importorskip("scipy.stats")

X = np.array([0.15, 0.4, 0.75])
# name -> the arguments (x last, as an array) for the value comparison
VALUES = {
    "eval_sh_legendre": (3, X), "eval_sh_chebyt": (3, X), "eval_sh_chebyu": (3, X),
    "eval_chebyc": (3, X), "eval_chebys": (3, X), "eval_sh_jacobi": (3, 2.5, 1.5, X),
    "lpmv": (1, 2.5, X), "elliprf": (X, 1.2, 2.0), "elliprd": (X, 1.2, 2.0),
    "elliprg": (X, 1.2, 2.0), "elliprj": (X, 1.2, 2.0, 0.9), "elliprc": (X, 1.2),
    "ellipj": (X, 0.3), "agm": (X, 1.3), "ber": (X,), "bei": (X,), "ker": (X,), "kei": (X,),
    "berp": (X,), "beip": (X,), "kerp": (X,), "keip": (X,), "kelvin": (X,), "itairy": (X,),
    "iti0k0": (X,), "itj0y0": (X,), "it2i0k0": (X,), "it2j0y0": (X,), "itstruve0": (X,),
    "it2struve0": (X,), "itmodstruve0": (X,), "modfresnelp": (X,), "modfresnelm": (X,),
    "airye": (X,), "pbdv": (1.3, X), "pbvv": (1.3, X), "pbwa": (0.5, X),
    "mathieu_cem": (2, 1.5, 100 * X), "mathieu_sem": (2, 1.5, 100 * X),
    "mathieu_modcem1": (2, 1.5, X), "mathieu_modcem2": (2, 1.5, X),
    "mathieu_modsem1": (2, 1.5, X), "mathieu_modsem2": (2, 1.5, X),
    "pro_ang1": (1, 2, 1.5, X), "obl_ang1": (1, 2, 1.5, X), "pro_rad1": (1, 2, 1.5, 1 + X),
    "obl_rad1": (1, 2, 1.5, 1 + X), "pro_ang1_cv": (1, 2, 1.5, 2.8, X),
    "chndtr": (X, 3.0, 1.5), "chndtrix": (X, 3.0, 1.5), "nctdtr": (3.0, 1.5, X),
    "nctdtrit": (3.0, 1.5, X), "ncfdtr": (3.0, 5.0, 1.5, X), "ncfdtri": (3.0, 5.0, 1.5, X),
    "kolmogorov": (X,), "kolmogi": (X,), "smirnov": (5, X), "smirnovi": (5, X),
    "tklmbda": (X, 0.3), "nrdtrimn": (X, 1.2, 0.5), "nrdtrisd": (0.1, X, 2.0),
    "gdtria": (X, 2.5, 1.5), "wright_bessel": (0.5, 1.2, X), "log_wright_bessel": (0.5, 1.2, X),
    "besselpoly": (X, 1.5, 1.0), "diric": (X, 4), "legendre_p": (3, X),
    "assoc_legendre_p": (3, 1, X), "sph_legendre_p": (3, 1, X), "sph_harm_y": (3, 1, X, 0.4),
    "legendre_p_all": (3, X), "assoc_legendre_p_all": (3, 2, X),
    "sph_legendre_p_all": (3, 2, X), "sph_harm_y_all": (3, 2, X, 0.4),
    "assoc_laguerre": (X, 3, 0.5),
}


#: SciPy's spheroidal functions do not return on float32 input (SciPy 1.17); chainrule's compute
#: in float64 and return float32, compared here with SciPy's float64 values
FLOAT64_LOOP = {"pro_ang1", "obl_ang1", "pro_rad1", "obl_rad1", "pro_ang1_cv"}


def _leaves(x):
    return list(x) if isinstance(x, tuple) else [x]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", sorted(VALUES))
def test_values_and_dtypes_are_scipys(name):
    args = VALUES[name]
    for cast in (np.float64, np.float32):
        a = tuple(np.asarray(v, dtype=cast) if isinstance(v, np.ndarray) else v for v in args)
        ours = _leaves(getattr(csp, name)(*a))
        if name in FLOAT64_LOOP and cast is np.float32:
            theirs = [np.asarray(t).astype(np.float32)
                      for t in _leaves(getattr(ss, name)(*args))]
        else:
            theirs = _leaves(getattr(ss, name)(*a))
        assert len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            assert np.asarray(o).dtype == np.asarray(t).dtype, (name, cast)
            assert np.shape(o) == np.shape(t), name
            np.testing.assert_allclose(o, t, rtol=1e-14 if cast is np.float64 else 1e-6,
                                       atol=1e-15, err_msg=name)


def test_the_riccati_functions_are_scipys():
    for f in ("riccati_jn", "riccati_yn"):
        for n in (0, 1, 4):
            for o, t in zip(getattr(csp, f)(n, 1.7), getattr(ss, f)(n, 1.7)):
                np.testing.assert_allclose(o, t, rtol=1e-13)
    with pytest.raises(ValueError, match="scalar"):
        csp.riccati_jn(2, np.array([1.0, 2.0]))
    # (SciPy's riccati_jn gives nan for a float32 x; chainrule's does not)
    for o, t in zip(csp.riccati_jn(3, np.float32(1.7)), ss.riccati_jn(3, 1.7)):
        np.testing.assert_allclose(o, t, rtol=1e-6)


def test_functions_of_integers_are_scipys_and_refuse_traced_arguments():
    x, w = csp.roots_legendre(5)
    np.testing.assert_array_equal(x, ss.roots_legendre(5)[0])
    assert csp.p_roots(4)[1].sum() == pytest.approx(2.0)
    np.testing.assert_array_equal(csp.jn_zeros(2, 4), ss.jn_zeros(2, 4))
    np.testing.assert_array_equal(csp.bernoulli(6), ss.bernoulli(6))
    assert csp.factorial2(7, exact=True) == 105 and csp.stirling2(5, 2, exact=True) == 15
    with pytest.raises(TypeError, match="roots_hermite takes counts"):
        cr.grad(lambda n: csp.roots_hermite(n)[0].sum())(3.0)
    with pytest.raises(TypeError, match="jn_zeros"):
        cr.jvp(lambda n: csp.jn_zeros(n, 3), (1.0,), (1.0,))
    with pytest.raises(UnsupportedDerivativeError, match="lqn"):
        cr.grad(lambda z: csp.lqn(2, z)[0].sum())(0.5)
    with pytest.raises(UnsupportedDerivativeError, match="pro_rad2"):
        cr.grad(lambda x: csp.pro_rad2(1, 2, 1.5, x)[0])(1.5)
    # SciPy's float32 spheroidal loops never return: chainrule's compute in float64
    got = csp.obl_rad2(1, 2, 1.5, np.float32(1.5))
    assert got[0].dtype == np.float32
    np.testing.assert_allclose(got, ss.obl_rad2(1, 2, 1.5, 1.5), rtol=1e-6)
    assert csp.pro_cv(1, 2, np.float32([1.5])).dtype == np.float32
    # a quadrature rule: the nodes and weights are constants, the integrand differentiable
    g = cr.grad(lambda s: cnp.sum(w * cnp.exp(s * x)))(0.7)
    assert g == pytest.approx(np.sum(ss.roots_legendre(5)[1] * x * np.exp(0.7 * x)), rel=1e-14)


def test_polynomial_objects_and_scipy_ufuncs_differentiate_on_traced_values():
    x = np.array([-0.6, 0.2, 0.9])
    for name, evaluate, params in (("legendre", "eval_legendre", ()),
                                   ("chebyt", "eval_chebyt", ()), ("hermite", "eval_hermite", ()),
                                   ("genlaguerre", "eval_genlaguerre", (0.5,)),
                                   ("jacobi", "eval_jacobi", (0.5, 1.5)),
                                   ("sh_legendre", "eval_sh_legendre", ()),
                                   ("chebyc", "eval_chebyc", ()), ("chebys", "eval_chebys", ()),
                                   ("sh_jacobi", "eval_sh_jacobi", (2.5, 1.5))):
        p = getattr(csp, name)(4, *params)
        assert isinstance(p, np.poly1d)
        got = cr.grad(lambda t: cnp.sum(p(t)))(x)
        np.testing.assert_allclose(got, np.polyder(np.poly1d(p.coeffs))(x), rtol=1e-10,
                                   atol=1e-10, err_msg=name)
        ufunc = getattr(ss, evaluate)   # SciPy's own ufunc, called on a tracer
        got = cr.grad(lambda t: cnp.sum(ufunc(4, *params, t)))(x)
        np.testing.assert_allclose(got, np.polyder(np.poly1d(p.coeffs))(x), rtol=1e-10,
                                   atol=1e-10, err_msg=evaluate)
    monic = csp.hermite(3, monic=True)      # x³ − 3x/2
    assert cr.grad(monic)(0.5) == pytest.approx(3 * 0.25 - 1.5, rel=1e-13)
    with pytest.raises(TypeError, match="scipy.special._ellip_harm is not differentiable"):
        cr.grad(lambda t: ss.ellip_harm(5.0, 8.0, 1, 1, t))(2.5)


def test_error_handling_is_scipys():
    assert csp.SpecialFunctionError is ss.SpecialFunctionError
    assert csp.SpecialFunctionWarning is ss.SpecialFunctionWarning
    with csp.errstate(all="raise"):
        with pytest.raises(csp.SpecialFunctionError):
            csp.gammaln(0.0)
    assert csp.geterr() == ss.geterr()


def _both(f, x):
    rev = float(cr.grad(f)(x))
    fwd = float(cr.jvp(f, (x,), (1.0,))[1])
    assert rev == pytest.approx(fwd, rel=1e-13, abs=1e-15)
    return rev


def test_derivatives_are_scipys_own_derivative_outputs():
    x = 0.7
    assert _both(lambda t: csp.pbdv(1.3, t)[0], x) == pytest.approx(ss.pbdv(1.3, x)[1], rel=1e-13)
    assert _both(lambda t: csp.pro_ang1(1, 2, 1.5, t)[0], 0.4) == pytest.approx(
        ss.pro_ang1(1, 2, 1.5, 0.4)[1], rel=1e-13)
    # Mathieu's x is in degrees, SciPy's derivative per radian
    assert _both(lambda t: csp.mathieu_cem(2, 1.5, t)[0], 30.0) == pytest.approx(
        ss.mathieu_cem(2, 1.5, 30.0)[1] * np.pi / 180, rel=1e-13)
    assert _both(lambda t: csp.ber(t), x) == ss.berp(x)
    d = ss.legendre_p(3, x, diff_n=2)
    assert _both(lambda t: csp.legendre_p(3, t)[0], x) == pytest.approx(d[1], rel=1e-14)
    assert float(cr.grad(cr.grad(lambda t: csp.legendre_p(3, t)[0]))(x)) == pytest.approx(
        d[2], rel=1e-14)
    value, grad = ss.sph_harm_y(3, 1, 0.4, 0.7, diff_n=1)
    ours = cr.jacobian(lambda v: csp.sph_harm_y(3, 1, v[0], v[1]))(np.array([0.4, 0.7]))
    np.testing.assert_allclose(ours, grad, rtol=1e-13)
    # the densities are scipy.stats's
    assert _both(lambda t: csp.chndtr(t, 3.0, 1.5), x) == pytest.approx(st.ncx2.pdf(x, 3, 1.5),
                                                                         rel=1e-13)
    assert _both(lambda t: csp.nctdtr(3.0, 1.5, t), x) == pytest.approx(st.nct.pdf(x, 3, 1.5),
                                                                         rel=1e-12)
    assert _both(lambda t: csp.ncfdtr(3.0, 5.0, 1.5, t), x) == pytest.approx(
        st.ncf.pdf(x, 3, 5, 1.5), rel=1e-12)
    assert _both(csp.kolmogorov, 1.3) == pytest.approx(-st.kstwobign.pdf(1.3), rel=1e-12)
    assert _both(lambda d: csp.smirnov(5, d), 0.3) == pytest.approx(-st.ksone.pdf(0.3, 5),
                                                                    rel=1e-10)


def test_third_derivatives_of_the_legendre_functions_follow_their_equations():
    # SciPy gives two derivatives; the third is Legendre's equation differentiated
    h = 1e-5
    for ours, theirs, x in (
            (lambda t: csp.sph_legendre_p(3, 1, t)[0],
             lambda t: ss.sph_legendre_p(3, 1, t, diff_n=2)[2], 0.7),
            (lambda z: csp.assoc_legendre_p(3, 1, z, norm=True)[0],
             lambda z: ss.assoc_legendre_p(3, 1, z, norm=True, diff_n=2)[2], 0.4),
            (lambda z: csp.assoc_legendre_p(3, 2, z, branch_cut=3)[0],
             lambda z: ss.assoc_legendre_p(3, 2, z, branch_cut=3, diff_n=2)[2], 1.7),
            (lambda z: csp.legendre_p(4, z)[0], lambda z: ss.legendre_p(4, z, diff_n=2)[2], 0.4)):
        d2 = cr.grad(cr.grad(ours))
        assert float(d2(x)) == pytest.approx(theirs(x), rel=1e-13)
        fd = (theirs(x + h) - theirs(x - h)) / (2 * h)
        assert float(cr.grad(d2)(x)) == pytest.approx(fd, rel=1e-7)


def test_derivatives_at_the_special_points():
    # ellipj at m = 0: ∂φ/∂m = sin(2u)/8 − u/4, and the one-sided differences agree
    u = 0.8
    assert _both(lambda m: csp.ellipj(u, m)[3], 0.0) == pytest.approx(np.sin(2 * u) / 8 - u / 4,
                                                                      rel=1e-14)
    h = 1e-6
    fd = (ss.ellipj(u, 2 * h)[0] - ss.ellipj(u, h)[0]) / h
    assert _both(lambda m: csp.ellipj(u, m)[0], 1.5 * h) == pytest.approx(fd, rel=1e-5)
    # agm at a = b: ∂M/∂a = 1/2, and agm(a, a) = a
    assert _both(lambda a: csp.agm(a, 1.5), 1.5) == pytest.approx(0.5, rel=1e-14)
    # the Kelvin functions at 0: bei''(0) = 1/2, ber''(0) = 0
    assert float(cr.grad(cr.grad(csp.bei))(0.0)) == pytest.approx(0.5, rel=1e-14)
    assert float(cr.grad(cr.grad(csp.ber))(0.0)) == 0.0
    # integrands with a removable singularity: (I₀ − 1)/x and H₀/x at 0
    assert _both(lambda x: csp.it2i0k0(x)[0], 0.0) == 0.0
    assert _both(csp.it2struve0, 0.0) == pytest.approx(-2 / np.pi, rel=1e-15)
    # the Dirichlet kernel at its maxima: slope 0, value ±1 as SciPy's
    assert _both(lambda x: csp.diric(x, 4), 2 * np.pi) == 0.0
    assert float(csp.diric(2 * np.pi, 4)) == ss.diric(2 * np.pi, 4) == -1.0
    # Kolmogorov's density: the two series meet at y = 1, and it is 0 for y ≤ 0
    below, above = _both(csp.kolmogorov, 1.0 - 1e-12), _both(csp.kolmogorov, 1.0)
    assert below == pytest.approx(above, rel=1e-10)
    assert _both(csp.kolmogorov, -0.5) == 0.0
    # R_C's principal value for y < 0
    fd = (ss.elliprc(0.7, -0.4 + 1e-6) - ss.elliprc(0.7, -0.4 - 1e-6)) / 2e-6
    assert _both(lambda y: csp.elliprc(0.7, y), -0.4) == pytest.approx(fd, rel=1e-8)


def test_derivatives_without_a_closed_form_are_refused():
    for f, match in ((lambda n: csp.eval_sh_legendre(n, 0.3), "eval_sh_legendre.*n"),
                     (lambda q: csp.mathieu_cem(2, q, 30.0)[0], "mathieu_cem.*q"),
                     (lambda v: csp.pbdv(v, 0.5)[0], "pbdv.*v"),
                     (lambda c: csp.pro_ang1(1, 2, c, 0.4)[0], "pro_ang1.*c"),
                     (lambda df: csp.chndtr(1.0, df, 1.5), "chndtr.*df"),
                     (lambda a: csp.wright_bessel(a, 1.0, 0.5), "wright_bessel.*a"),
                     (lambda l: csp.tklmbda(0.5, l), "tklmbda.*lmbda")):
        with pytest.raises(UnsupportedDerivativeError, match=match):
            cr.grad(f)(1.5)
    with pytest.raises(TypeError, match="no derivative of bdtrik"):
        cr.grad(lambda y: csp.bdtrik(y, 8.0, 0.3))(0.5)
    with pytest.raises(UnsupportedDerivativeError, match="smirnov"):
        cr.grad(cr.grad(lambda d: csp.smirnov(5, d)))(0.3)
    with pytest.raises(TypeError, match="holomorphic"):
        cr.jvp(lambda z: csp.airye(z)[0], (1.0 + 0.5j,), (1.0 + 0j,))
    with pytest.raises(ValueError, match="diff_n"):
        csp.legendre_p(3, 0.5, diff_n=3)
    with pytest.raises(TypeError, match="degree and the order"):
        cr.grad(lambda n: csp.legendre_p(n, 0.5)[0])(3.0)
