"""The first-calls sweep's findings (tools/edge_sweep.py), each checked against NumPy's or
SciPy's own answer, with derivatives against central differences (check_grads: both modes,
second order)."""

import importlib.util
import os
import pathlib
import signal

import numpy as np
import pytest
import scipy.fft
import scipy.linalg
import scipy.stats

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.fft as cfft
import chainrule.scipy.linalg as csl
import chainrule.scipy.special as csp
import chainrule.scipy.stats as cstats
from chainrule.testing import check_grads

A = np.array([[2.0, 0.3, 0.1], [0.3, 1.5, 0.2], [0.1, 0.2, 1.8]])


def _same_outcome(ours, theirs, *args):
    """Both raise the same exception type, or both answer the same values and dtype."""
    try:
        want = theirs(*args)
    except Exception as exc:   # noqa: BLE001 - the twin's exception is the expectation
        with pytest.raises(type(exc)):
            ours(*args)
        return
    got = ours(*args)
    assert np.asarray(got).dtype == np.asarray(want).dtype
    assert np.shape(got) == np.shape(want)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


# ---- take: indices converted as NumPy converts them ----------------------------------------
@pytest.mark.parametrize("index", [0.5, 1.7, -0.5, np.float64(2.2), [0.5, 2.9], [True],
                                   np.array([True, False]), np.array(0.5), np.array([0.5]),
                                   np.nan, 2, [], 1 + 0j])
def test_take_converts_indices_as_numpy(index):
    a = np.linspace(0.2, 0.9, 4)
    _same_outcome(cnp.take, np.take, a, index)


def test_take_with_a_float_index_is_differentiable_in_the_data():
    a = np.linspace(0.2, 0.9, 4)
    check_grads(lambda x: cnp.take(x, [1.7, 0.2, 3.5]) ** 2, (a,))
    with pytest.raises(TypeError, match="astype"):
        cnp.take(a, np.array([0.5]))


# ---- scipy.fft: one bin along the last axis, 0-d inputs, empty DCT/DST axes ----------------
@pytest.mark.parametrize("name", ["irfftn", "hfftn", "irfft2", "hfft2", "rfftn", "ihfftn"])
@pytest.mark.parametrize("x", [np.array([0.6]), np.array([[2.0]]), np.ones((2, 1)),
                               np.ones((3, 1)) * [[0.5], [1.0], [2.0]], np.array(0.5)])
def test_scipy_nd_real_transforms_answer_as_scipy(name, x):
    _same_outcome(getattr(cfft, name), getattr(scipy.fft, name), x)


def test_inverse_real_transform_of_one_bin_is_differentiable():
    x = np.array([[0.5], [1.0], [2.0]])
    check_grads(lambda v: cfft.irfftn(v) ** 2, (x,))
    check_grads(lambda v: cfft.hfftn(v * (1 + 0.5j)).sum() ** 2, (x,))


@pytest.mark.parametrize("name", ["dct", "idct", "dst", "idst", "dctn", "idctn", "dstn",
                                  "idstn"])
def test_trig_transform_of_an_empty_axis_raises_valueerror(name):
    with pytest.raises(ValueError):
        getattr(scipy.fft, name)(np.zeros(0))
    with pytest.raises(ValueError, match="invalid number of data points"):
        getattr(cfft, name)(np.zeros(0))


# ---- scipy.linalg.eigh and eig_banded: SciPy's eigenvectors, signs included -----------------
def _band(a, lower):
    n = a.shape[0]
    if lower:
        return np.array([np.diagonal(a, 0), np.r_[np.diagonal(a, -1), 0.0]])
    return np.array([np.r_[0.0, np.diagonal(a, 1)], np.diagonal(a)])


MATRICES = [A, A.astype(np.float32), np.array([[3, 1, 0], [1, 4, 1], [0, 1, 5]]),
            np.array([[1.0, -0.5, 0.0], [-0.5, 2.0, 0.7], [0.0, 0.7, -1.0]]),
            A + 1j * (np.triu(A, 1) - np.tril(A, -1))]


@pytest.mark.parametrize("a", MATRICES)
@pytest.mark.parametrize("lower", [True, False])
def test_eigenvectors_are_scipys(a, lower):
    for (w, v), (sw, sv) in ((csl.eigh(a, lower=lower), scipy.linalg.eigh(a, lower=lower)),
                             (csl.eig_banded(_band(a, lower), lower=lower),
                              scipy.linalg.eig_banded(_band(a, lower), lower=lower))):
        assert v.dtype == sv.dtype and w.dtype == sv.real.dtype
        np.testing.assert_allclose(v, sv, rtol=1e-5, atol=1e-6)   # (float32 too)
        np.testing.assert_allclose(w, sw, rtol=1e-6)


def _gauged(v):
    """Each eigenvector with a positive first entry: a smooth function of the matrix (LAPACK's
    own sign may flip under a perturbation of 1e-7: syevr's and syevd's do at A)."""
    return v * cr.stop_gradient(cnp.sign(v[..., :1, :]))


def test_eigenvector_derivatives_follow_scipys_vectors():
    weights = np.arange(1.0, 10.0).reshape(3, 3)
    signs = np.sign(scipy.linalg.eigh(A)[1][:1])

    def scipy_branch(a):   # the smooth branch through SciPy's vectors at A
        v = scipy.linalg.eigh(a)[1]
        return np.sum(v * np.sign(v[:1]) * signs * weights)

    g = cr.grad(lambda a: cnp.sum(csl.eigh(a)[1] * weights))(A)
    for i, j in ((0, 1), (1, 2), (0, 0)):
        d = np.zeros((3, 3))
        d[i, j] = d[j, i] = 1.0
        fd = (scipy_branch(A + 1e-6 * d) - scipy_branch(A - 1e-6 * d)) / 2e-6
        assert abs(np.sum(g * d) - fd) < 1e-6
    sym = lambda m: (m + m.T) / 2   # noqa: E731 - the rules differentiate along herm(dA)
    check_grads(lambda a: _gauged(csl.eigh(sym(a))[1]) * weights, (A,))
    check_grads(lambda a: _gauged(csl.eigh(sym(a), lower=False)[1])[:, 1], (A,))
    check_grads(lambda ab: _gauged(csl.eig_banded(ab, lower=True)[1]) * weights,
                (_band(A, True),))


def test_eigh_under_vmap_keeps_scipys_vectors():
    stack = np.stack([A, A + np.diag([0.5, -0.3, 0.1])])
    got = cr.vmap(lambda a: csl.eigh(a)[1])(stack)
    for k in range(2):
        np.testing.assert_allclose(got[k], scipy.linalg.eigh(stack[k])[1], atol=1e-12)


# ---- quantile and percentile: differentiable in q for the continuous methods ---------------
CONTINUOUS = ["linear", "hazen", "weibull", "median_unbiased", "normal_unbiased",
              "interpolated_inverted_cdf"]
DATA = np.array([4.0, 1.0, 3.0, 2.0, 7.5, 0.5])


@pytest.mark.parametrize("method", CONTINUOUS)
def test_quantile_derivative_in_q_is_the_slope_of_numpys(method):
    for q in (0.05, 0.3, 0.62, 0.97):
        fd = (np.quantile(DATA, q + 1e-7, method=method)
              - np.quantile(DATA, q - 1e-7, method=method)) / 2e-7
        assert abs(cr.grad(lambda t: cnp.quantile(DATA, t, method=method))(q) - fd) < 1e-6
        assert abs(cr.jacfwd(lambda t: cnp.nanquantile(DATA, t, method=method))(q) - fd) < 1e-6
    check_grads(lambda q: cnp.quantile(DATA, q, method=method), (np.array([0.3, 0.62]),))
    check_grads(lambda x, q: cnp.quantile(x, q, method=method) ** 2,
                (DATA, np.array([0.3, 0.7])))


def test_percentile_and_nan_aware_derivatives_in_q():
    a = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, np.nan]])
    fd = (np.nanpercentile(a, 30 + 1e-5, axis=1) - np.nanpercentile(a, 30 - 1e-5, axis=1)) / 2e-5
    jac = cr.jacfwd(lambda p: cnp.nanpercentile(a, p, axis=1))(30.0)
    np.testing.assert_allclose(jac, fd, atol=1e-6)
    check_grads(lambda p: cnp.percentile(DATA, p), (np.array([10.0, 55.0]),))
    # under jit the indices are guarded: another q reads other order statistics
    jitted = cr.jit(cr.grad(lambda q: cnp.quantile(DATA, q)))
    assert float(jitted(0.3)) == pytest.approx(5 * (2.0 - 1.0))
    assert float(jitted(0.9)) == pytest.approx(5 * (7.5 - 4.0))


@pytest.mark.parametrize("method", ["lower", "higher", "nearest", "midpoint", "inverted_cdf",
                                    "averaged_inverted_cdf", "closest_observation"])
def test_step_methods_refuse_a_derivative_in_q(method):
    with pytest.raises(TypeError, match="step function of q.*stop_gradient"):
        cr.grad(lambda q: cnp.quantile(DATA, q, method=method))(0.3)
    # the data stay differentiable, q a constant
    check_grads(lambda x: cnp.quantile(x, 0.3, method=method), (DATA,), order=1)


# ---- circstd at one sample (R = 1) -------------------------------------------------------------
def test_circstd_derivative_at_equal_samples_is_zero_and_elsewhere_exact():
    for x in (np.array([0.6]), np.array([0.6, 0.6])):
        assert float(cstats.circstd(x)) == scipy.stats.circstd(x)
        np.testing.assert_array_equal(cr.grad(cstats.circstd)(x), np.zeros_like(x))
    check_grads(cstats.circstd, (np.array([0.6, 0.7, 1.9]),))
    assert np.isnan(cstats.circstd(np.array([np.nan, 1.0])))


# ---- Mathieu functions where SciPy 1.17 crashes -------------------------------------------
@pytest.mark.parametrize("name", ["mathieu_cem", "mathieu_sem", "mathieu_modcem1",
                                  "mathieu_modcem2", "mathieu_modsem1", "mathieu_modsem2"])
def test_mathieu_functions_answer_nan_where_scipy_crashes(name):
    f = getattr(csp, name)
    m = np.array([np.inf, 1.0, 1.0, 1.0, 2.0])
    q = np.array([0.4, np.inf, -np.inf, np.nan, 0.4])
    value, slope = f(m, q, np.full(5, 0.3))
    assert np.isnan(value[:4]).all() and np.isnan(slope[:4]).all()
    want = getattr(scipy.special, name)(2.0, 0.4, 0.3)   # (finite arguments only)
    np.testing.assert_allclose([value[4], slope[4]], want, rtol=1e-13)
    check_grads(lambda x: f(2.0, 0.4, x)[0], (np.array([0.3, 0.5]),))


# ---- small first-call differences ---------------------------------------------------------
def test_gstd_and_zmap_refuse_a_number_along_an_axis_as_scipy():
    _same_outcome(cstats.gstd, scipy.stats.gstd, np.array(0.6))
    _same_outcome(cstats.zmap, scipy.stats.zmap, np.array(0.6), np.array(0.7))
    _same_outcome(cstats.zmap, scipy.stats.zmap, np.array(0.6), np.array([0.7, 0.9]))


def test_roll_refuses_a_traced_shift_and_repeat_truncates_float_counts():
    a = np.array([0.6, 0.7, 0.9])
    with pytest.raises(TypeError, match="shift must be a constant"):
        cr.grad(lambda s: cnp.sum(cnp.roll(a, s)))(1.0)
    for counts in (1.5, [1.5, 2.5, 0.2], 2):
        _same_outcome(cnp.repeat, np.repeat, a, counts)
    _same_outcome(cnp.repeat, np.repeat, a, np.array([2.0, 1.0, 1.0]))   # both refuse
    check_grads(lambda x: cnp.repeat(x, [1.5, 2.5, 1.0]) ** 2, (a,))


@pytest.mark.parametrize("name", ["polyder", "polyint", "roots"])
def test_polynomial_functions_refuse_a_number_as_numpy(name):
    for p in (np.array(0.6), 0.6):
        with pytest.raises(TypeError):
            getattr(np, name)(p)
        with pytest.raises(TypeError, match=r"pass \[p\]"):
            getattr(cnp, name)(p)


def test_poly1d_coefficients_keep_their_derivative_through_asarray():
    c = np.array([0.6, 0.7, -0.2])
    check_grads(lambda v: cnp.asarray(cnp.poly1d(v)) ** 2, (c,))
    with pytest.raises(TypeError, match="lost silently"):
        cr.grad(lambda v: np.asarray(cnp.poly1d(v)).sum())(c)


def test_fiedler_khatri_rao_solve_circulant_empty_and_one_entry():
    for a in (np.zeros(0), np.array(0.6), np.array([0.6])):
        _same_outcome(csl.fiedler, scipy.linalg.fiedler, a)
    for a, b in (((0, 0), (0, 0)), ((2, 0), (3, 0)), ((0, 2), (3, 2))):
        _same_outcome(csl.khatri_rao, scipy.linalg.khatri_rao, np.ones(a), np.ones(b))
    for c, b in ((np.zeros(0), np.zeros(0)), (np.array(0.6), np.array(0.67)),
                 (np.array([0.6]), np.array(0.67))):
        _same_outcome(csl.solve_circulant, scipy.linalg.solve_circulant, c, b)
    check_grads(lambda c, b: csl.solve_circulant(c, b), (np.array(0.6), np.array(0.67)))


def test_one_dimensional_lu_factor_and_band_storage_say_what_to_pass():
    with pytest.raises(ValueError, match=r"a\[:, None\]"):
        csl.lu_factor(np.linspace(0.2, 0.9, 4))
    for f in (csl.cholesky_banded, lambda ab: csl.solveh_banded(ab, np.ones(4))):
        with pytest.raises(ValueError, match=r"ab\[None, :\]"):
            f(np.linspace(0.2, 0.9, 4))


# ---- the sweep itself: a twin that ends its process is a finding, not the sweep's end ------
def _sweep_tool():
    path = pathlib.Path(__file__).resolve().parent.parent / "tools" / "edge_sweep.py"
    spec = importlib.util.spec_from_file_location("edge_sweep", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the sweep isolates names by os.fork")
def test_sweep_isolation_reports_a_crash_and_keeps_answers():
    tool = _sweep_tool()
    assert tool._in_child(lambda: [("a", "b", "c")]) == (True, [("a", "b", "c")])
    ok, why = tool._in_child(lambda: os.kill(os.getpid(), signal.SIGKILL))
    assert not ok and f"signal {int(signal.SIGKILL)}" in why
    ok, answer = tool._call_apart(lambda: os.kill(os.getpid(), signal.SIGKILL), ())
    assert not ok and isinstance(answer, tool.TwinCrash)
    assert tool._call_apart(np.add, (1.0, 2.0)) == (True, 3.0)


def test_known_findings_are_narrow():
    tool = _sweep_tool()
    assert tool.known("chainrule.numpy.quantile", "size0[vv]", "answers; the twin raises")
    assert tool.known("chainrule.numpy.quantile", "size1[vv]", "grad arg 1: ...") is None
    assert tool.known("chainrule.scipy.linalg.eig", "base[m]", "anything")
