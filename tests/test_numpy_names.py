"""Values of the NumPy names added for breadth (NumPy 2's names, polynomials, sets, the
functions that call the user's function, the integer and in-place functions) against
NumPy's: edge cases included (size 0 and 1, float32 kept, inf and nan), on plain arrays and
through a transformation (jvp with zero tangents, so that the traced path computes them).
The derivatives are checked in tests/test_rules.py (order 2, both modes, vmap, jit)."""

import warnings

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.core.primitive import InPlaceError

rng = np.random.default_rng(11)
A = rng.standard_normal((2, 3, 3))
V = rng.standard_normal(3)
Z = A + 1j * A[::-1]


def same(a, b):
    """Same structure, shapes, dtypes and values (nan where nan)."""
    if isinstance(b, tuple):
        assert isinstance(a, tuple) and len(a) == len(b) and type(a).__name__ == type(b).__name__
        for p, q in zip(a, b):
            same(p, q)
        return
    if isinstance(b, list):
        assert len(a) == len(b)
        for p, q in zip(a, b):
            same(p, q)
        return
    assert np.shape(a) == np.shape(b), (np.shape(a), np.shape(b))
    assert np.result_type(a) == np.result_type(b), (np.result_type(a), np.result_type(b))
    # (float32: the sums may be associated otherwise than NumPy's, an ulp apart)
    tol = 1e-6 if np.result_type(b) in (np.float32, np.complex64) else 1e-12
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol, equal_nan=True)


def traced(f, *args):
    """f's value computed on traced arguments (a jvp with zero tangents; the floating-point
    array arguments are traced, the others passed as they are)."""
    floats = [i for i, a in enumerate(args)
              if isinstance(a, (np.ndarray, np.generic)) and np.result_type(a).kind in "fc"]

    def g(*xs):
        full = list(args)
        for i, x in zip(floats, xs):
            full[i] = x
        return f(*full)
    xs = tuple(args[i] for i in floats)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cr.jvp(g, xs, tuple(np.zeros_like(a) for a in xs))[0]


def both(f, g, *args):
    """f (chainrule) equals g (NumPy) on plain arguments and on traced ones."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = g(*args)
        same(f(*args), want)
    same(traced(f, *args), want)


# ---- NumPy 2 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("f,g,args", [
    (cnp.vecdot, np.vecdot, (A, V)),
    (lambda a, b: cnp.vecdot(a, b, axis=1), lambda a, b: np.vecdot(a, b, axis=1), (Z, A)),
    (cnp.matvec, np.matvec, (A, V)),
    (cnp.vecmat, np.vecmat, (Z[:, 0], A)),
    (lambda x: cnp.unstack(x, axis=2), lambda x: np.unstack(x, axis=2), (A,)),
    (cnp.matrix_transpose, np.matrix_transpose, (A,)),
    (lambda x: cnp.cumulative_sum(x, axis=1, include_initial=True),
     lambda x: np.cumulative_sum(x, axis=1, include_initial=True), (A,)),
    (lambda x: cnp.cumulative_prod(x, include_initial=True),
     lambda x: np.cumulative_prod(x, include_initial=True), (V.astype(np.float32),)),
    (cnp.cumulative_sum, np.cumulative_sum, (np.float64(3.0),)),
    (lambda x: cnp.cumulative_sum(x, axis=1, include_initial=True),
     lambda x: np.cumulative_sum(x, axis=1, include_initial=True), (np.ones((2, 0)),)),
    (cnp.linalg.svdvals, np.linalg.svdvals, (A,)),
    (lambda x: cnp.linalg.matrix_norm(x, ord="nuc"), lambda x: np.linalg.matrix_norm(x, ord="nuc"),
     (A,)),
    (lambda x: cnp.linalg.vector_norm(x, axis=(0, 2), ord=1, keepdims=True),
     lambda x: np.linalg.vector_norm(x, axis=(0, 2), ord=1, keepdims=True), (A,)),
    (cnp.linalg.vector_norm, np.linalg.vector_norm, (np.array([3.0, np.inf]),)),
    (lambda x: cnp.linalg.cross(x, x[::-1], axis=1),
     lambda x: np.linalg.cross(x, x[::-1], axis=1), (A,)),
    (lambda x: cnp.linalg.diagonal(x, offset=-1), lambda x: np.linalg.diagonal(x, offset=-1), (A,)),
    (cnp.linalg.trace, np.linalg.trace, (A.astype(np.float32),)),
    (lambda x: cnp.linalg.tensorinv(x, ind=1), lambda x: np.linalg.tensorinv(x, ind=1),
     (rng.standard_normal((6, 2, 3)),)),
    (cnp.linalg.outer, np.linalg.outer, (V, V[:1])),
])
def test_numpy2_names(f, g, args):
    both(f, g, *args)


def test_numpy2_names_refuse_what_numpy_refuses():
    with pytest.raises(ValueError, match="axis"):
        cnp.cumulative_sum(A)
    with pytest.raises(ValueError, match="lengths 3 and 2"):
        cnp.vecdot(V, V[:2])
    with pytest.raises(ValueError, match="one-dimensional"):
        cnp.linalg.outer(A, V)
    with pytest.raises(ValueError, match="3-dimensional"):
        cnp.linalg.cross(V[:2], V[:2])


def test_numpy_dispatches_the_numpy2_names_to_chainrule():
    g = cr.grad(lambda a: np.sum(np.vecdot(a, V)) + np.sum(np.linalg.vector_norm(a, axis=1))
                + np.sum(np.cumulative_sum(a, axis=0)) + np.sum(np.matvec(a, V)))(A)
    assert g.shape == A.shape and np.all(np.isfinite(g))


@pytest.mark.parametrize("kw", [dict(axis=1, where=np.array([True, False, True])),
                                dict(where=np.array([[False] * 3, [True] * 3, [True] * 3])),
                                dict(axis=1, correction=1), dict(axis=0, keepdims=True,
                                                                 where=np.array([1, 0, 1], bool))])
@pytest.mark.parametrize("name", ["var", "std"])
def test_var_std_where_and_correction_as_numpy(name, kw):
    x = A[0].astype(np.float32)
    both(lambda v: getattr(cnp, name)(v, **kw), lambda v: getattr(np, name)(v, **kw), x)


def test_var_given_mean_and_numpys_positional_order():
    x = A[0]
    m = x.mean(axis=1, keepdims=True)
    both(lambda v: cnp.var(v, axis=1, mean=m), lambda v: np.var(v, axis=1, mean=m), x)
    same(cnp.std(x, 0, None, None, 1), np.std(x, 0, None, None, 1))   # axis, dtype, out, ddof
    with pytest.raises(ValueError, match="simultaneously"):
        cnp.var(x, ddof=1, correction=1)
    # the entries left out may be nan: neither value nor derivative sees them
    y = np.array([1.0, np.nan, 3.0])
    g = cr.grad(lambda v: cnp.std(v, where=~np.isnan(y)))(y)
    np.testing.assert_allclose(g, [-0.5, 0.0, 0.5])


# ---- elementwise ------------------------------------------------------------------------------------
SPECIAL = np.array([-np.inf, -2.5, -0.0, 0.0, 0.75, 3.0, np.inf, np.nan])


@pytest.mark.parametrize("name", ["modf", "frexp", "spacing", "i0"])
def test_unary_values_at_special_points(name):
    for x in (SPECIAL, SPECIAL.astype(np.float32), np.float64(2.5), np.zeros(0)):
        both(getattr(cnp, name), getattr(np, name), x)


def test_binary_values():
    x, y = SPECIAL, SPECIAL[::-1]
    for name in ("copysign", "nextafter"):
        both(getattr(cnp, name), getattr(np, name), x, y)
        both(getattr(cnp, name), getattr(np, name), x.astype(np.float32), y.astype(np.float32))
    both(lambda v: cnp.ldexp(v, np.arange(8) - 3), lambda v: np.ldexp(v, np.arange(8) - 3), x)


def test_elementwise_derivatives_closed_forms():
    x = np.array([-2.5, 0.3, 5.0])
    np.testing.assert_allclose(cr.grad(lambda v: cnp.sum(cnp.frexp(v)[0]))(x), [0.25, 2.0, 0.125])
    np.testing.assert_allclose(cr.grad(lambda v: cnp.sum(cnp.copysign(v, -1.0)))(x), [1, -1, -1])
    np.testing.assert_allclose(cr.grad(lambda v: cnp.sum(cnp.nextafter(v, 0.0)))(x), 1.0)
    # i0' = i1 and i0'' = (i0 + i2)/2, by the series (no SciPy)
    i1 = {-2.5: -2.5167162452886984, 0.3: 0.15169384000359, 5.0: 24.335642142450524}
    np.testing.assert_allclose(cr.grad(lambda v: cnp.sum(cnp.i0(v)))(x), list(i1.values()),
                               rtol=1e-13)
    np.testing.assert_allclose(cr.grad(cr.grad(cnp.i0))(0.0), 0.5, rtol=1e-14)
    assert cr.grad(cnp.i0)(800.0) == np.inf       # I1 overflows where I0 does


def test_integer_functions_are_numpys():
    a, b = np.array([12, -18, 7, 0]), np.array([8, 12, 0, 5])
    for name in ("gcd", "lcm", "bitwise_and", "bitwise_or", "bitwise_xor", "left_shift",
                 "right_shift", "bitwise_left_shift", "bitwise_right_shift"):
        same(getattr(cnp, name)(a, np.abs(b) % 4), getattr(np, name)(a, np.abs(b) % 4))
    for name in ("invert", "bitwise_not", "bitwise_invert", "bitwise_count"):
        same(getattr(cnp, name)(a), getattr(np, name)(a))
    d = np.array(["NaT", "2020-01-01"], dtype="datetime64[D]")
    same(cnp.isnat(d), np.isnat(d))
    same(cr.vmap(lambda v: cnp.gcd(v, 6))(np.array([4, 9])), np.array([2, 3]))


# ---- polynomials ------------------------------------------------------------------------------------
P, Q = rng.standard_normal(5), rng.standard_normal(3)


@pytest.mark.parametrize("f,args", [
    ("polyadd", (P, Q)), ("polysub", (Q, P)), ("polymul", (P, Q)), ("polyder", (P, 3)),
    ("polyder", (P, 0)), ("polyint", (Q, 2, [1.0, 2.0])), ("polyint", (Q, 3, 5.0)),
    ("polydiv", (P, Q)), ("polydiv", (Q, P)), ("polydiv", (np.array([1.0, 0.0, -1.0]), [1.0, 1.0])),
    ("poly", (Q,)), ("poly", (np.array([1 + 1j, 1 - 1j, 2]),)), ("poly", (A[0],)),
    ("roots", (np.array([1.0, -3.0, 2.0]),)), ("roots", (np.array([0.0, 1.0, -3.0, 2.0, 0.0]),)),
    ("roots", (P,)), ("roots", (np.array([2.0]),)), ("roots", (np.array([1.0, -3.0, 2.0], np.float32),)),
    ("roots", (np.array([1, 2, 3], np.complex64),)), ("polyint", (np.array([3.0], np.float32),)),
])
def test_polynomials_as_numpy(f, args):
    both(lambda *a: getattr(cnp, f)(*a), getattr(np, f), *args)


def test_poly_and_roots_of_nothing():
    assert cnp.poly([]) == np.poly([]) == 1.0
    same(cnp.roots(np.zeros(2)), np.roots(np.zeros(2)))


@pytest.mark.parametrize("kw", [dict(), dict(w=np.linspace(0.5, 1.5, 7)), dict(cov=True),
                                dict(cov="unscaled")])
def test_polyfit_as_numpy(kw):
    x = np.linspace(0.0, 1.0, 7)
    y = np.stack([np.sin(3 * x), x ** 2], axis=1) if "w" in kw else np.sin(3 * x)
    both(lambda a, b: cnp.polyfit(a, b, 2, **kw), lambda a, b: np.polyfit(a, b, 2, **kw), x, y)
    full, expect = cnp.polyfit(x, np.sin(x), 2, full=True), np.polyfit(x, np.sin(x), 2, full=True)
    same(full[:2] + full[3:], expect[:2] + expect[3:])
    assert full[2] == expect[2]


def test_poly1d_as_numpy():
    p, q = cnp.poly1d([1.0, 2.0, 3.0]), np.poly1d([1.0, 2.0, 3.0])

    def same_poly(a, b):
        if isinstance(b, tuple):
            for x, y in zip(a, b):
                same_poly(x, y)
            return
        assert isinstance(a, cnp.poly1d) == isinstance(b, np.poly1d)
        same(a.coeffs if isinstance(a, cnp.poly1d) else a, b.coeffs if isinstance(b, np.poly1d)
             else b)
    for op in (lambda t: t(2.0), lambda t: t(np.arange(3.0)), lambda t: t + 1, lambda t: 2 * t,
               lambda t: t * t, lambda t: 1 - t, lambda t: -t, lambda t: t ** 3, lambda t: t(t),
               lambda t: t.deriv(), lambda t: t.integ(2, 1.0), lambda t: t / t.deriv(),
               lambda t: t.roots, lambda t: t[0], lambda t: t[5]):
        same_poly(op(p), op(q))
    assert p.order == q.order == len(p) and p == cnp.poly1d(q) and repr(p) == repr(q)
    # the functions take either class and give a poly1d back, as NumPy's
    same_poly(cnp.polyder(q), np.polyder(q))
    same_poly(cnp.polydiv(p, [1.0, 1.0]), np.polydiv(q, [1.0, 1.0]))
    for c in ([0.0, 0.0, 1.0, 2.0], [0.0, 0.0]):
        same(cnp.poly1d(c).coeffs, np.poly1d(c).coeffs)
    same(cnp.poly1d([1.0, 2.0], r=True).coeffs, np.poly1d([1.0, 2.0], r=True).coeffs)
    np.testing.assert_allclose(cr.grad(lambda c: cnp.poly1d(c)(2.0))(np.ones(3)), [4.0, 2.0, 1.0])


# ---- the functions that call the user's function --------------------------------------------------
@pytest.mark.parametrize("axis", [0, 1, 2])
@pytest.mark.parametrize("fn", [lambda v: v.sum(), lambda v: v[::-1], lambda v: v[:, None] * v])
def test_apply_along_axis_shapes_as_numpy(axis, fn):
    both(lambda a: cnp.apply_along_axis(fn, axis, a), lambda a: np.apply_along_axis(fn, axis, a), A)


def test_apply_along_axis_and_over_axes_under_vmap():
    got = cr.vmap(lambda x: cnp.apply_along_axis(lambda v: v @ v, 0, x))(A)
    same(got, np.stack([np.apply_along_axis(lambda v: v @ v, 0, a) for a in A]))
    same(cnp.apply_over_axes(cnp.sum, A, [0, 2]), np.apply_over_axes(np.sum, A, [0, 2]))
    same(cr.vmap(lambda a: cnp.apply_over_axes(cnp.sum, a, 1))(A),
         np.stack([np.apply_over_axes(np.sum, a, 1) for a in A]))
    with pytest.raises(ValueError, match="iteration dimensions are 0"):
        cnp.apply_along_axis(np.sum, 0, np.zeros((2, 0)))


def test_vectorize_as_numpy_and_differentiable():
    def f(a, b):
        return a * b if a > 0 else b     # a branch on each element's value
    x = np.array([[-1.0, 2.0], [3.0, -4.0]])
    both(lambda a: cnp.vectorize(f)(a, 3.0), lambda a: np.vectorize(f)(a, 3.0), x)
    np.testing.assert_array_equal(cr.grad(lambda a: cnp.vectorize(f)(a, 3.0).sum())(x),
                                  [[0.0, 3.0], [3.0, 0.0]])
    same(cr.jit(lambda a: cnp.vectorize(f)(a, 3.0))(x), np.vectorize(f)(x, 3.0))
    sig = "(n),(n)->(),(n)"

    def h(v, w):
        return v @ w, v * w.sum()
    both(lambda a: cnp.vectorize(h, signature=sig)(a, V), lambda a: np.vectorize(h, signature=sig)(a, V),
         A[0])
    # NumPy's options: otypes, excluded, the decorator form; size 0 needs otypes
    same(cnp.vectorize(lambda a: a * 2, otypes=[float])(np.arange(3)), np.arange(3) * 2.0)
    same(cnp.vectorize(lambda a, b: a + b[0], excluded={1})(np.arange(2.0), [5.0]), [5.0, 6.0])
    same(cnp.vectorize(lambda a: a, otypes="d")(np.zeros(0)), np.zeros(0))
    with pytest.raises(ValueError, match="otypes"):
        cnp.vectorize(lambda a: a)(np.zeros(0))
    with pytest.raises(ValueError, match="signature"):
        cnp.vectorize(lambda a: a, signature="(n")(V)


def test_fromfunction_and_piecewise():
    both(lambda c: cnp.fromfunction(lambda i, j: c * i + j, (2, 3)),
         lambda c: np.fromfunction(lambda i, j: c * i + j, (2, 3)), np.float64(2.0))
    x = np.linspace(-2.0, 2.0, 5)

    def pieces(lib):
        return lambda v: lib.piecewise(v, [v < 0, v > 1], [lambda u: u * u, lib.exp, 0.5])
    both(pieces(cnp), pieces(np), x)
    same(cr.vmap(pieces(cnp))(np.stack([x, -x])), np.stack([pieces(np)(x), pieces(np)(-x)]))
    same(cnp.piecewise(np.float64(3.0), [True], [lambda v: v * 2]),
         np.piecewise(np.float64(3.0), [True], [lambda v: v * 2]))
    same(cnp.piecewise(np.arange(4), [np.arange(4) > 1], [lambda v: v * 2, -1]),
         np.piecewise(np.arange(4), [np.arange(4) > 1], [lambda v: v * 2, -1]))


# ---- the rest -----------------------------------------------------------------------------------------
NANS = np.array([[1.0, np.nan, 2.0], [np.nan, np.nan, np.nan], [0.0, 3.0, -1.0]])


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_nan_functions(axis):
    for name in ("nancumsum", "nancumprod", "nanmedian"):
        both(lambda a: getattr(cnp, name)(a, axis=axis), lambda a: getattr(np, name)(a, axis=axis),
             NANS)
    y = NANS[[0, 2]]
    for name in ("nanargmax", "nanargmin"):
        both(lambda a: getattr(cnp, name)(a, axis=axis), lambda a: getattr(np, name)(a, axis=axis), y)
    with pytest.raises(ValueError):
        cnp.nanargmax(NANS, axis=1)
    same(cnp.nancumsum(np.arange(3)), np.nancumsum(np.arange(3)))
    same(cnp.nancumprod(NANS.astype(np.float32)), np.nancumprod(NANS.astype(np.float32)))


@pytest.mark.parametrize("trim", ["fb", "f", "b", "F"])
def test_trim_zeros(trim):
    for v in (np.array([0.0, 0.0, 1.0, 0.0, 2.0, 0.0]), np.zeros(3), np.array([1.0, 0.0])):
        both(lambda a: cnp.trim_zeros(a, trim), lambda a: np.trim_zeros(a, trim), v)
    m = np.array([[0, 0, 0.0], [0, 1.0, 0], [0, 0, 0]])
    for axis in (None, 1):
        both(lambda a: cnp.trim_zeros(a, trim, axis=axis),
             lambda a: np.trim_zeros(a, trim, axis=axis), m)


def test_resize_extract_sort_complex_diagflat():
    v = np.array([1.0, 2.0, 3.0])
    for new in ((2, 2), 5, (0,), (3, 0), (1,)):
        both(lambda a: cnp.resize(a, new), lambda a: np.resize(a, new), v)
    same(cnp.resize(np.array([]), 3), np.resize(np.array([]), 3))
    m = np.array([[1.0, 2.0], [3.0, 0.0]])
    both(lambda a: cnp.extract(a > 1, a), lambda a: np.extract(a > 1, a), m)
    same(cr.vmap(lambda a: cnp.extract(a > 0, a))(np.array([[0, 1.0, 2], [3.0, 0, 4]])),
         np.array([[1.0, 2.0], [3.0, 4.0]]))
    for a in (np.array([3.0, 1, 2]), np.array([3, 1, 2], np.int8), np.array([1 + 2j, 1 + 1j, 0]),
              np.array([3.0, 1.0], np.float32)):
        both(cnp.sort_complex, np.sort_complex, a)
    both(lambda a: cnp.diagflat(a, -1), lambda a: np.diagflat(a, -1), m)


@pytest.mark.parametrize("kw", [dict(), dict(axis=0), dict(discont=4.0), dict(period=5.0)])
def test_unwrap(kw):
    phases = np.cumsum(rng.uniform(-3, 3, (2, 8)), axis=1)
    both(lambda p: cnp.unwrap(p, **kw), lambda p: np.unwrap(p, **kw), phases)
    same(cnp.unwrap(np.array([0, 5, 12, 3]) % 8, period=8),
         np.unwrap(np.array([0, 5, 12, 3]) % 8, period=8))
    np.testing.assert_array_equal(cr.grad(lambda p: cnp.sum(cnp.unwrap(p) * np.arange(8.0)))(
        phases[0]), np.arange(8.0))


# ---- sets, unique_*, histograms, bits -------------------------------------------------------------
S1, S2 = np.array([3.0, 1.0, 2.0, 1.0, np.nan]), np.array([[1.0, 5.0], [3.0, np.nan]])


@pytest.mark.parametrize("op", ["union1d", "intersect1d", "setdiff1d", "setxor1d"])
def test_set_operations(op):
    both(getattr(cnp, op), getattr(np, op), S1, S2)
    if op != "union1d":
        a, b = np.array([3.0, 1.0, 2.0]), np.array([2.0, 7.0])
        both(lambda x, y: getattr(cnp, op)(x, y, assume_unique=True),
             lambda x, y: getattr(np, op)(x, y, assume_unique=True), a, b)
    same(getattr(cnp, op)(np.zeros(0), np.zeros(0)), getattr(np, op)(np.zeros(0), np.zeros(0)))


def test_set_values_are_selections():
    both(lambda a, b: cnp.intersect1d(a, b, return_indices=True),
         lambda a, b: np.intersect1d(a, b, return_indices=True), S1, S2)
    g = cr.grad(lambda a: cnp.sum(cnp.union1d(a, np.array([5.0])) * np.arange(3.0)))
    np.testing.assert_array_equal(g(np.array([1.0, 1.0, 2.0])), [0.0, 0.0, 1.0])


@pytest.mark.parametrize("op", ["unique_values", "unique_counts", "unique_inverse", "unique_all"])
def test_unique_namedtuples(op):
    x = np.concatenate([S2.ravel(), [np.nan, 3.0]])
    both(getattr(cnp, op), getattr(np, op), x)
    both(getattr(cnp, op), getattr(np, op), S2)


@pytest.mark.parametrize("kw", [dict(), dict(bins=[2, 3], density=True), dict(bins=3, weights=True),
                                dict(range=[(-1, 1), (-2, 2)], bins=4, weights=True, density=True),
                                dict(bins=[np.array([-3, 0, 3.0]), 2])])
def test_histograms(kw):
    s = rng.standard_normal((20, 2))
    if kw.get("weights") is True:
        kw = dict(kw, weights=rng.uniform(size=20))
    both(lambda a: cnp.histogramdd(a, **kw), lambda a: np.histogramdd(a, **kw), s)
    both(lambda x, y: cnp.histogram2d(x, y, **kw), lambda x, y: np.histogram2d(x, y, **kw),
         s[:, 0], s[:, 1])


def test_lexsort_bits_array_equiv():
    keys = rng.standard_normal((2, 3, 4))
    same(cr.vmap(lambda k: cnp.lexsort(k), in_axes=1)(keys),
         np.stack([np.lexsort(keys[:, i]) for i in range(3)]))
    both(lambda a, b: cnp.lexsort((a, b)), lambda a, b: np.lexsort((a, b)),
         np.array([1.0, 0.0, 2.0]), np.array([2.0, 2.0, 1.0]))
    bits = keys[0] > 0
    same(cr.vmap(lambda b: cnp.packbits(b))(bits), np.stack([np.packbits(b) for b in bits]))
    same(cnp.unpackbits(cnp.packbits(bits, axis=1), axis=1, count=4), bits.astype(np.uint8))
    assert cnp.array_equiv(np.ones(2), 1.0) is True
    assert cnp.array_equiv(np.ones(2), np.ones(3)) is False


@pytest.mark.parametrize("transform", ["grad", "jit", "vmap"])
def test_array_equal_of_traced_arrays(transform):
    # NumPy's array_equal answered False for any traced array (its asarray fails, and it
    # catches that), x == x included
    seen = []

    def f(x):
        seen.append((cnp.array_equal(x, x), cnp.array_equal(x, x + 1.0),
                     cnp.array_equal(x, x[:2]), cnp.array_equal(x / 0.0 * 0.0, x / 0.0 * 0.0),
                     cnp.array_equal(x / 0.0 * 0.0, x / 0.0 * 0.0, equal_nan=True)))
        return cnp.sum(x)

    x = np.array([1.0, 2.0, 3.0])
    with np.errstate(all="ignore"):
        if transform == "grad":
            cr.grad(f)(x)
        elif transform == "jit":
            cr.jit(cr.grad(f))(x), cr.jit(cr.grad(f))(x)
        else:
            answers = cr.vmap(lambda x: (f(x), seen.pop())[1])(np.stack([x, x]))
            seen.append(answers)
    for answers in seen:
        assert [bool(np.all(a)) for a in answers] == [True, False, False, False, True]
    assert cnp.array_equal([1, 2], np.array([1, 2]), equal_nan=True) is True


# ---- conversions and in-place writers ------------------------------------------------------------
@pytest.mark.parametrize("name", ["asanyarray", "ascontiguousarray", "asfortranarray",
                                  "asarray_chkfinite", "require"])
def test_conversions_never_alias(name):
    a = np.ones((2, 2))
    out = getattr(cnp, name)(a)
    same(out, getattr(np, name)(a))
    assert not np.shares_memory(out, a)
    for transformed in (cr.jit(getattr(cnp, name)), lambda x: cr.vjp(getattr(cnp, name), x)[0]):
        assert not np.shares_memory(transformed(a), a)
    np.testing.assert_array_equal(cr.grad(lambda x: cnp.sum(getattr(cnp, name)(x) ** 2))(a), 2 * a)


def test_asarray_chkfinite_refuses_nonfinite_traced_values_too():
    with pytest.raises(ValueError, match="infs or NaNs"):
        cr.grad(lambda x: cnp.sum(cnp.asarray_chkfinite(x * np.inf)))(np.ones(2))


def test_in_place_writers_work_on_plain_arrays():
    b = np.zeros(4)
    cnp.put(b, [0, 2], [1.0, 2.0])
    cnp.putmask(b, b > 1, 9.0)
    cnp.copyto(b, 3.0, where=b == 0)
    cnp.place(b, b > 3, [7.0])
    np.testing.assert_array_equal(b, [1.0, 3.0, 7.0, 3.0])
    c = np.zeros((2, 2))
    cnp.fill_diagonal(c, 5.0)
    np.testing.assert_array_equal(c, 5.0 * np.eye(2))


@pytest.mark.parametrize("call,advice", [
    (lambda x: cnp.put(np.zeros(3), [0], x[0]), r"chainrule\.numpy\.at\(a\.ravel\(\)\)\[ind\]\.set\(v\)"),
    (lambda x: np.copyto(np.zeros(3), x), r"chainrule\.numpy\.where\(where, src, dst\)"),
    (lambda x: np.fill_diagonal(x.reshape(1, 3), 1.0), r"chainrule\.numpy\.at\(a\)\[chainrule\.numpy\.diag_indices_from"),
    (lambda x: np.putmask(x, np.ones(3, bool), 1.0), r"chainrule\.numpy\.where\(mask, values, a\)"),
    (lambda x: np.place(np.zeros(3), np.ones(3, bool), x), r"chainrule\.numpy\.at\(arr\)\[mask\]\.set"),
])
def test_in_place_writers_refuse_traced_values_naming_the_alternative(call, advice):
    with pytest.raises(InPlaceError, match=advice):
        cr.grad(lambda x: cnp.sum(call(x)))(np.ones(3))
