"""chainrule.scipy.interpolate.interp1d beyond the rule specs: SciPy's bounds handling (also
per example under vmap and on jit's replay), closed-form derivatives, refused kinds."""

import numpy as np
import pytest
import scipy.interpolate

import chainrule as cr
import chainrule.scipy.interpolate as cinterp

X = np.array([0.0, 1.0, 3.0])
Y = np.array([2.0, 4.0, 0.0])


def test_bounds_as_scipy_also_under_vmap_and_jit():
    for fn in (cinterp.interp1d(X, Y), scipy.interpolate.interp1d(X, Y)):
        with pytest.raises(ValueError, match="above the interpolation range"):
            fn(np.array([0.5, 3.5]))
        with pytest.raises(ValueError, match="below the interpolation range"):
            fn(-0.1)
    f = cinterp.interp1d(X, Y)
    with pytest.raises(ValueError, match="above"):
        cr.vmap(f)(np.array([0.5, 3.5]))
    jf = cr.jit(lambda t: f(t))
    np.testing.assert_allclose(jf(np.array([0.5])), [3.0])
    with pytest.raises(ValueError, match="above"):
        jf(np.array([3.5]))   # the replay checks again
    np.testing.assert_array_equal(cinterp.interp1d(X, Y, bounds_error=False)(np.array([-1.0, 4.0])),
                                  [np.nan, np.nan])


def test_derivatives_closed_form():
    # in x_new: the slope of the segment; in y: the hat functions' weights; in x: −slope·(1 − w)
    t = 2.0
    assert float(cr.grad(lambda t: cinterp.interp1d(X, Y)(t))(t)) == pytest.approx(-2.0)
    np.testing.assert_allclose(cr.grad(lambda y: cinterp.interp1d(X, y)(t))(Y), [0.0, 0.5, 0.5])
    g = cr.grad(lambda x: cinterp.interp1d(x, Y)(t))(X)
    np.testing.assert_allclose(g, [0.0, 1.0, 1.0], atol=1e-14)   # -slope·(x_hi−t)/h, -slope·(t−x_lo)/h


def test_unknown_kinds_refused_and_too_few_points_as_scipy():
    # every SciPy kind is served (tests/test_scipy_interpolate_more.py); unknown ones and
    # too few points raise SciPy's errors
    for kind in ("spam", "akima"):
        with pytest.raises(NotImplementedError, match="unsupported"):
            cinterp.interp1d(X, Y, kind=kind)
    for kind in ("cubic", 3):
        with pytest.raises(ValueError):
            scipy.interpolate.interp1d(X, Y, kind=kind)
        with pytest.raises(ValueError):
            cinterp.interp1d(X, Y, kind=kind)
    with pytest.raises(ValueError, match="at least 2"):
        cinterp.interp1d(X[:1], Y[:1])
