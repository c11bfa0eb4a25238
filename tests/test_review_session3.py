"""Hostile review (session 3) of scipy.optimize, numpy.random, the distributions' methods,
NumPy's ufunc methods and pad: each test failed before its fix."""
import warnings

import numpy as np
import pytest
import scipy.optimize as so
import scipy.stats as ss

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.optimize as copt
import chainrule.scipy.stats as cst


# ---- scipy.optimize -----------------------------------------------------------------------
def test_root_scalar_with_fprime_true_differentiates_the_value_part():
    # SciPy's documented form: f returns (f, f') (and f'' with fprime2=True)
    for method, f in (("newton", lambda x, c: (x * x - c, 2 * x)),
                      ("halley", lambda x, c: (x * x - c, 2 * x, 2.0 + 0 * x))):
        kw = dict(fprime=True, fprime2=method == "halley" or None)
        g = cr.grad(lambda c: copt.root_scalar(f, args=(c,), x0=1.0, method=method,
                                               **kw).root)(4.0)
        assert g == pytest.approx(0.25, rel=1e-12)      # d √c / dc at c = 4


def test_newton_warns_when_its_unconverged_root_is_differentiated():
    with pytest.warns(RuntimeWarning, match="newton did not converge"):
        g = cr.grad(lambda a: copt.newton(lambda x, a: x ** 3 - a, 1.0, args=(a,),
                                          maxiter=2, disp=False))(2.0)
    x = so.newton(lambda x: x ** 3 - 2.0, 1.0, maxiter=2, disp=False)
    assert g == pytest.approx(1 / (3 * x * x), rel=1e-12)   # exact at the point returned
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cr.grad(lambda a: copt.newton(lambda x, a: x ** 3 - a, np.ones(2), args=(a,))[0])(
            np.array([2.0, 3.0]))


def test_newton_full_output_with_traced_arguments_as_scipy():
    def root(c):   # SciPy's (root, RootResults); it raised NotImplementedError
        x, r = copt.newton(lambda x, c: x * x - c, 1.0, args=(c,), full_output=True)
        assert r.converged and r.iterations > 0 and r.method == "secant"
        return x
    assert cr.grad(root)(4.0) == pytest.approx(0.25, rel=1e-12)
    def roots(c):  # an array x0: SciPy's (root, converged, zero_der)
        out = copt.newton(lambda x, c: x * x - c, np.ones(2), args=(c,), full_output=True)
        assert out.converged.all() and not out.zero_der.any()
        return out.root
    np.testing.assert_allclose(cr.jacobian(roots)(np.array([4.0, 9.0])),
                               np.diag([0.25, 1 / 6]), rtol=1e-10)


def test_toms748_and_least_squares_take_scipys_arguments_in_scipys_order():
    import inspect
    for name in ("toms748", "least_squares"):   # toms748 lacked k (a positional 2 was xtol)
        ours = list(inspect.signature(getattr(copt, name)).parameters)
        assert ours == list(inspect.signature(getattr(so, name)).parameters)
    f = lambda x: x ** 3 - 2  # noqa: E731
    assert copt.toms748(f, 0, 3, (), 2, full_output=True)[1].function_calls == \
        so.toms748(f, 0, 3, (), 2, full_output=True)[1].function_calls
    assert cr.grad(lambda c: copt.toms748(lambda x, c: x ** 3 - c, 0.0, 3.0, (c,), 2))(8.0) \
        == pytest.approx(1 / 12, rel=1e-12)
    # least_squares' default x_scale is SciPy's ('jac' for 'lm' since 1.16), not 1
    t = np.linspace(0, 1, 6)
    r = lambda p, t, y: p[0] * np.exp(-p[1] * t) - y  # noqa: E731
    args = (t, 2 * np.exp(-1.3 * t))
    assert copt.least_squares(r, np.ones(2), args=args, method="lm").nfev == \
        so.least_squares(r, np.ones(2), args=args, method="lm").nfev
    seen = []
    cr.grad(lambda y: copt.least_squares(lambda p, t, y: p[0] * cnp.exp(-p[1] * t) - y,
                                         np.ones(2), args=(t, y),
                                         callback=lambda x: seen.append(x)).x[0])(args[1])
    assert seen


def test_col_deriv_gets_the_exact_jacobian_in_columns():
    # MINPACK read chainrule's row Jacobian as columns: a transposed Jacobian, slower or lost
    F = lambda x: cnp.stack([x[0] + 3 * x[1] ** 2 - 4, x[0] ** 3 - x[1] + 0.5])  # noqa: E731
    rows = copt.fsolve(F, [1.0, 1.0], full_output=True)[1]["nfev"]
    assert copt.fsolve(F, [1.0, 1.0], col_deriv=1, full_output=True)[1]["nfev"] == rows
    assert copt.root(F, [1.0, 1.0], options={"col_deriv": 1}).nfev == rows


def test_curve_fit_starts_inside_the_bounds_as_scipy():
    # SciPy's own example: the default p0 of ones lies outside these bounds
    func = lambda x, a, b, c: a * cnp.exp(-b * x) + c  # noqa: E731
    x = np.linspace(0, 4, 50)
    y = 2.5 * np.exp(-1.3 * x) + 0.5 + 0.2 * np.sin(9 * x)
    bounds = (0, [3.0, 1.0, 0.5])
    ref = so.curve_fit(lambda x, a, b, c: a * np.exp(-b * x) + c, x, y, bounds=bounds)[0]
    np.testing.assert_allclose(copt.curve_fit(func, x, y, bounds=bounds)[0], ref, rtol=1e-6)
    popt, dpopt = cr.jvp(lambda y: copt.curve_fit(func, x, y, bounds=(0, [3, 2, 1.5]))[0],
                         (y,), (np.ones(50),))
    np.testing.assert_allclose(dpopt, [0, 0, 1], atol=1e-8)    # a shift moves c alone


def test_curve_fit_takes_list_data_and_fills_pcov_with_inf_without_dof():
    f = lambda x, a, b: a * x + b  # noqa: E731
    x = [0.0, 1.0, 2.0, 3.0]
    g = cr.grad(lambda y: copt.curve_fit(f, x, y)[0][0])(np.array([1.0, 3.0, 5.0, 8.0]))
    np.testing.assert_allclose(g, [-0.3, -0.1, 0.1, 0.3], atol=1e-10)
    with pytest.warns(so.OptimizeWarning):
        pcov = cr.vjp(lambda y: copt.curve_fit(f, np.array([0.0, 1.0]), y)[1],
                      np.array([1.0, 3.0]))[0]
    assert np.all(pcov == np.inf)          # SciPy's fill, not ±inf and nan from inf · pcov


def test_roots_of_functions_returning_lists_differentiate():
    # SciPy's own examples of root and fsolve return lists of the equations' values
    F = lambda x, a: [x[0] - a, x[1] - 2 * a]  # noqa: E731
    assert cr.grad(lambda a: copt.root(F, np.zeros(2), args=(a,)).x[1])(1.0) == 2.0
    assert cr.grad(lambda a: copt.fsolve(F, np.zeros(2), args=(a,))[1])(1.0) == 2.0
    assert cr.grad(lambda a: copt.root(F, np.zeros(2), args=(a,), method="lm").x[0])(1.0) \
        == pytest.approx(1.0, rel=1e-12)


def test_a_constant_integer_objective_and_float32_roots_as_scipy():
    np.testing.assert_array_equal(copt.minimize(lambda x: 3, np.zeros(2)).x,
                                  so.minimize(lambda x: 3, np.zeros(2)).x)
    x, t = cr.jvp(lambda c: copt.newton(lambda x, c: x * x - c, np.float32(1.0), args=(c,)),
                  (np.float32(4.0),), (np.float32(1.0),))
    ref = so.newton(lambda x: x * x - np.float32(4.0), np.float32(1.0))
    assert np.asarray(x).dtype == np.asarray(ref).dtype == np.float32 and x == ref
    assert t == pytest.approx(0.25, rel=1e-6)


def test_curve_fit_differentiates_a_value_its_model_closes_over():
    # curve_fit has no args=: the error asked for one; the closure is lifted as elsewhere
    x = np.linspace(0, 1, 5)
    y = 2 * x + 0.3 * np.sin(5 * x)
    g = cr.grad(lambda c: copt.curve_fit(lambda x, a: a * x + c, x, y)[0][0])(1.0)
    assert g == pytest.approx(-np.sum(x) / np.sum(x * x), rel=1e-12)   # ∂a/∂c of the fit
    fit = lambda c: copt.curve_fit(lambda x, a: a * cnp.exp(c * x), x, y)[0][0]  # noqa: E731
    h = 1e-4
    assert cr.hessian(fit)(0.5) == pytest.approx(
        (fit(0.5 + h) - 2 * fit(0.5) + fit(0.5 - h)) / h ** 2, rel=1e-5)


# ---- ufunc methods ------------------------------------------------------------------------
def test_ufunc_methods_keep_numpys_types_and_edge_cases():
    x32 = np.array([1.0, 2.0, 3.0], np.float32)
    assert cr.jvp(cnp.logaddexp2.reduce, (x32,), (x32,))[0].dtype == np.float32
    assert cr.jvp(lambda x: cnp.logaddexp2.reduceat(x, [0, 2]), (x32,), (x32,))[0].dtype \
        == np.float32
    # a 0-d array reduces to itself over axis 0 (it raised ZeroDivisionError)
    assert cr.jvp(np.subtract.reduce, (np.float64(3.0),), (1.0,)) == (3.0, 1.0)
    assert cr.grad(lambda x: np.add.reduce(x))(3.0) == 1.0
    y, _ = cr.jvp(cnp.hypot.reduce, (np.zeros(0),), (np.zeros(0),))
    assert y == 0.0 and np.asarray(y).dtype == np.float64     # the identity 0, as a float
    np.testing.assert_array_equal(
        cr.grad(lambda x: np.logaddexp.reduce(x, where=np.True_))(np.zeros(2)), [0.5, 0.5])
    y, t = cr.jvp(lambda x: np.add.reduceat(x, [], axis=1), (np.ones((2, 3)),),
                  (np.ones((2, 3)),))
    assert y.shape == t.shape == np.add.reduceat(np.ones((2, 3)), [], axis=1).shape


def test_pad_takes_numpys_dict_of_widths():
    x = np.arange(6.0).reshape(2, 3)
    for mode in ("constant", "reflect", "mean"):
        y, t = cr.jvp(lambda v: cnp.pad(v, {-1: (1, 2)}, mode), (x,), (np.ones_like(x),))
        np.testing.assert_array_equal(y, np.pad(x, {-1: (1, 2)}, mode))
        np.testing.assert_array_equal(t, np.pad(np.ones_like(x), {-1: (1, 2)}, mode))


# ---- numpy.random -------------------------------------------------------------------------
def test_a_list_holding_traced_parameters_is_reparameterized():
    cnp.random.seed(0)
    draw, tangent = cr.jvp(lambda m: cnp.random.normal([m, 2 * m], 1.0), (1.0,), (1.0,))
    np.random.seed(0)
    np.testing.assert_array_equal(draw, np.random.normal([1.0, 2.0], 1.0))
    np.testing.assert_array_equal(tangent, [1.0, 2.0])
    with pytest.raises(TypeError, match="not differentiable in this parameter"):
        cr.grad(lambda m: cnp.sum(cnp.random.wald([m, m], 1.0)))(1.0)


def test_a_misspelt_or_extra_argument_is_an_error_not_dropped():
    for draw in (lambda m: cnp.random.normal(m, sclae=2.0),       # it drew with scale 1
                 lambda m: cnp.random.default_rng(0).normal(m, sclae=2.0),
                 lambda m: cnp.random.normal(m, 1.0, 3, 4)):
        with pytest.raises(TypeError, match="takes the arguments loc, scale, size"):
            cr.jvp(draw, (1.0,), (1.0,))


def test_permutation_and_choice_of_a_traced_array_are_numpys_and_differentiate():
    x = np.arange(5.0) * 1.5
    cnp.random.seed(0)
    draw, tangent = cr.jvp(cnp.random.permutation, (x,), (x * 10,))
    np.random.seed(0)
    np.testing.assert_array_equal(draw, np.random.permutation(x))
    np.testing.assert_array_equal(tangent, draw * 10)
    p = [0.1, 0.2, 0.3, 0.2, 0.2]
    cnp.random.seed(1)
    draw, tangent = cr.jvp(lambda a: cnp.random.choice(a, (2, 2), p=p), (x,), (x * 10,))
    np.random.seed(1)
    np.testing.assert_array_equal(draw, np.random.choice(x, (2, 2), p=p))
    np.testing.assert_array_equal(tangent, draw * 10)
    with pytest.raises(TypeError, match="permutation"):   # in place: named the functional form
        cr.grad(lambda a: cnp.sum(cnp.random.shuffle(a)))(x)


@pytest.mark.parametrize("name, params", [
    ("normal", (1.0, 2.0)), ("lognormal", (0.3, 0.5)), ("uniform", (1.0, 3.0)),
    ("laplace", (1.0, 2.0)), ("gumbel", (1.0, 2.0)), ("exponential", (2.0,)),
    ("gamma", (2.0, 3.0))])
def test_default_rng_draws_numpys_numbers_differentiably(name, params):
    # NumPy's recommended Generator refused traced parameters (an error naming no way out)
    def draw(p, numpy=cnp):
        return getattr(numpy.random.default_rng(7), name)(*params[:-1], p, size=5)
    value, tangent = cr.jvp(draw, (params[-1],), (1.0,))
    # (NumPy's generator takes exp from the C library, chainrule from NumPy's vectorised exp:
    # on some CPUs they differ in the last bit)
    np.testing.assert_allclose(value, draw(params[-1], np), rtol=5e-16, atol=0)
    h = 1e-6
    fd = (draw(params[-1] + h, np) - draw(params[-1] - h, np)) / (2 * h)
    np.testing.assert_allclose(tangent, fd, rtol=1e-6, atol=1e-8)


def test_a_generators_stream_goes_on_as_numpys():
    ours, numpys = cnp.random.default_rng(5), np.random.default_rng(5)
    cr.grad(lambda m: cnp.sum(ours.normal(m, 1.0, 3)))(0.0)
    numpys.normal(0.0, 1.0, 3)
    assert ours.random() == numpys.random()
    assert isinstance(ours, np.random.Generator)
    with pytest.raises(TypeError, match="Generator.binomial: a draw is not differentiable"):
        cr.grad(lambda p: cnp.sum(ours.binomial(5, p, 3)))(0.5)


# ---- stats ----------------------------------------------------------------------------------
def test_rvs_refuses_a_negative_traced_scale_as_scipy():
    for scale in (-1.0, np.nan, np.array([1.0, -1.0])):
        with pytest.raises(ValueError, match="Domain error"):
            ss.norm.rvs(scale=scale, size=2, random_state=0)
        with pytest.raises(ValueError, match="Domain error"):  # it drew scale · z silently
            cr.jvp(lambda s: cst.gamma.rvs(2.0, scale=s, size=2, random_state=0), (scale,),
                   (np.ones_like(scale),))


def test_jit_draws_solves_and_integrates_again_for_other_parameters():
    # each replayed the first call's SciPy draw, quantile or support for any parameters
    checks = [(lambda a: cst.gamma.rvs(a, size=3, random_state=0),
               lambda a: ss.gamma.rvs(a, size=3, random_state=0), (2.0, 5.0)),
              (cst.gamma.median, ss.gamma.median, (2.0, 5.0)),
              (lambda c: cst.genpareto.expect(lambda x: x, (c,)),
               lambda c: ss.genpareto.expect(lambda x: x, (c,)), (-0.5, -0.25))]
    for ours, scipys, values in checks:
        jitted = cr.jit(ours)
        for v in values + values[:1]:
            np.testing.assert_allclose(jitted(v), scipys(v), rtol=1e-9)
    draw = cr.jit(lambda s: cst.norm.rvs(scale=s, size=2, random_state=0))
    draw(1.0)
    with pytest.raises(ValueError, match="Domain error"):
        draw(-1.0)


def test_size_and_moments_may_be_positional_as_in_scipy():
    np.testing.assert_array_equal(cst.norm.rvs(0, 1, 3, random_state=0),
                                  ss.norm.rvs(0, 1, 3, random_state=0))
    np.testing.assert_array_equal(cst.poisson.rvs(3.0, 0, 4, random_state=0),
                                  ss.poisson.rvs(3.0, 0, 4, random_state=0))
    assert cst.gamma.stats(2.0, 0, 1, "m") == ss.gamma.stats(2.0, 0, 1, "m")
    assert cst.gamma(2.0).stats("mvsk") == pytest.approx(ss.gamma(2.0).stats("mvsk"))
    g = cr.grad(lambda s: cst.norm.rvs(0.0, s, 3, random_state=0).sum())(2.0)
    assert g == pytest.approx(ss.norm.rvs(size=3, random_state=0).sum())


def test_expect_passes_quads_keywords_as_scipy():
    assert cst.norm.expect(lambda x: x ** 2, epsabs=1e-12, limit=100) == pytest.approx(1.0)
    g = cr.grad(lambda s: cst.norm(1.0, s).expect(lambda x: x ** 2, epsrel=1e-12))(2.0)
    assert g == pytest.approx(4.0, rel=1e-10)
    with pytest.raises(TypeError, match="foo"):
        cst.norm.expect(lambda x: x, foo=1)


@pytest.mark.parametrize("n, p", [
    ([5, 3], [0.2, 0.3, 0.5]), (5, [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]),
    (5, [0.2, 0.3, 0.6]), (5, [-0.2, 0.7, 0.5]), (-1, [0.2, 0.8])])
def test_multinomial_methods_as_scipy(n, p):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)   # SciPy's, for p not summing to 1
        for method in ("mean", "cov", "entropy"):
            got = getattr(cst.multinomial, method)(n, p)
            ref = getattr(ss.multinomial, method)(n, p)
            assert np.shape(got) == np.shape(ref)
            np.testing.assert_allclose(got, ref, rtol=1e-12, equal_nan=True)


def test_multinomial_under_jit_decides_each_call_afresh():
    mean = cr.jit(lambda p: cst.multinomial.mean(5, p))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        for p in ([0.2, 0.3, 0.5], [0.2, 0.3, 0.6], [-0.2, 0.7, 0.5], [0.2, 0.3, 0.5]):
            np.testing.assert_allclose(mean(np.array(p)), ss.multinomial.mean(5, p),
                                       equal_nan=True)


def test_multinomial_refuses_complex_probabilities():
    with pytest.raises(TypeError, match="real numbers"):   # SciPy drops the imaginary part
        cr.jvp(lambda p: cst.multinomial.mean(5, p), (np.array([0.2, 0.8]) + 0j,),
               (np.ones(2) + 0j,))


def test_multinomial_entropy_batched_under_vmap_and_differentiable():
    P = np.array([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")     # no adjustment warning for rows summing to 1
        np.testing.assert_allclose(cr.vmap(lambda p: cst.multinomial.entropy(5, p))(P),
                                   ss.multinomial.entropy(5, P), rtol=1e-12)
    # along the simplex (p + h·(1, −1, 0)), against SciPy's central differences
    d, h = np.array([1.0, -1.0, 0.0]), 1e-6
    fd = (ss.multinomial.entropy([5, 3], P + h * d) - ss.multinomial.entropy([5, 3], P - h * d))
    J = cr.jacobian(lambda p: cst.multinomial.entropy([5, 3], p))(P)
    np.testing.assert_allclose(np.einsum("ijk,k->i", J, d), fd / (2 * h), rtol=1e-7)


def test_entropy_of_a_degenerate_normal_as_scipy():
    for cov in (np.ones((2, 2)), np.diag([1.0, 0.0]), 0.0):
        assert cst.multivariate_normal.entropy(None, cov) == pytest.approx(
            ss.multivariate_normal.entropy(None, cov), rel=1e-12)
    g = cr.grad(lambda v: cst.multivariate_normal.entropy(None, np.diag([1.0, 0.0]) * v))(2.0)
    assert g == pytest.approx(0.25, rel=1e-12)          # ½ d log v / dv over the one direction
    with pytest.raises(ValueError, match="positive semidefinite"):
        cst.multivariate_normal.entropy(None, np.array([[1.0, 2.0], [2.0, 1.0]]))


def test_poly1d_leading_zero_coefficient_keeps_its_derivative():
    # NumPy drops a leading zero coefficient by value; its derivative (xⁿ) must stay
    import chainrule.numpy as _cnp
    g = cr.grad(lambda c: _cnp.poly1d(c)(2.0))(np.array([0.0, 0.0, 1.0]))
    np.testing.assert_array_equal(g, [4.0, 2.0, 1.0])
    assert _cnp.poly1d(np.array([0.0, 1.0])).order == np.poly1d([0.0, 1.0]).order == 0
    cr.check_grads(lambda c: _cnp.poly1d(c)(1.5), (np.array([0.0, 2.0, 1.0]),), order=2,
                   modes=("fwd", "rev"))
