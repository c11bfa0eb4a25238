"""Values against NumPy's and SciPy's own, on every rule-test case, real and complex.

tests/test_rules.py checks derivatives; this file checks that the value each registered
function returns is the one NumPy (or SciPy) returns for the same inputs. It is generated
from the same specs: each case is run once as written and once with the function under test
swapped for NumPy's (SciPy's) function of the same name, everything else in the case left as
is, so a difference can only come from the function under test. Three legs: the float64
inputs of the rule tests, the same in float32 (the result's dtype must be NumPy's too), and
complex ones (the real inputs plus 0.3i·noise, as in the complex derivative leg).
"""

import types
import warnings

import numpy as np
import pytest
import scipy.fft
import scipy.integrate
import scipy.linalg
import scipy.ndimage
import scipy.interpolate
import scipy.signal
import scipy.special

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.fft as csfft
import chainrule.scipy.integrate as cint
import chainrule.scipy.linalg as csl
import chainrule.scipy.ndimage as cndi
import chainrule.scipy.interpolate as cinterp
import chainrule.scipy.signal as csig
import chainrule.scipy.special as csp
from test_rules import SPECS, complex_case, _complex_excluded, _flat

N, LA, SL, IN = "chainrule.numpy.", "chainrule.numpy.linalg.", "chainrule.scipy.linalg.", \
    "chainrule.scipy.integrate."

#: chainrule namespace -> (the module the specs call it through, the reference module).
MODULES = {"chainrule.numpy": (cnp, np), "chainrule.numpy.linalg": (cnp.linalg, np.linalg),
           "chainrule.numpy.fft": (cnp.fft, np.fft),
           "chainrule.scipy.special": (csp, scipy.special),
           "chainrule.scipy.linalg": (csl, scipy.linalg),
           "chainrule.scipy.signal": (csig, scipy.signal),
           "chainrule.scipy.integrate": (cint, scipy.integrate),
           "chainrule.scipy.fft": (csfft, scipy.fft),
           "chainrule.scipy.ndimage": (cndi, scipy.ndimage),
           "chainrule.scipy.interpolate": (cinterp, scipy.interpolate)}


def _put_along_axis(arr, indices, values, axis):
    out = np.array(arr, copy=True)
    np.put_along_axis(out, indices, values, axis)
    return out


def _cho_factor(a, lower=False, **kw):
    c, low = scipy.linalg.cho_factor(a, lower=lower, **kw)
    return (np.tril(c) if low else np.triu(c)), low


#: Where chainrule differs from NumPy on purpose (documented in its docstring), the reference
#: is NumPy's function adapted to that documented difference.
REFERENCE = {
    N + "put_along_axis": _put_along_axis,   # functional: returns the array NumPy fills in place
    SL + "cho_factor": _cho_factor,          # the unused triangle is zero, not arbitrary
    N + "trapz": np.trapezoid,               # NumPy 2 removed the old name
}
#: Names compared by value but not dtype, with the documented reason.
DTYPE_DIFFERS = {
    LA + "eig": "always complex (as JAX's); NumPy returns a real dtype when the eigenvalues of a "
                "real matrix happen to be real",
    LA + "eigvals": "always complex, as eig",
    SL + "eig": "always complex, as numpy.linalg.eig (SciPy's eigenvectors of a real matrix are "
                "real when its eigenvalues are)",
}
#: Cases NumPy cannot run at all, with the reason.
NO_REFERENCE = {
    (N + "r_", "bmat-string"): "NumPy's r_['x, y'] looks the names up in its caller's frame, "
                               "here the counting wrapper's (tests/test_numpy_breadth.py "
                               "compares it)",
    N + "at": "chainrule's functional x.at[...] has no NumPy counterpart",
    "chainrule.scipy.ndimage.generic_gradient_magnitude": "SciPy calls the derivative function "
        "with an output array to fill, which chainrule's filters refuse (they return new "
        "arrays); tests/test_scipy_ndimage_more.py compares it with a SciPy-protocol function",
    "chainrule.scipy.ndimage.generic_laplace": "as generic_gradient_magnitude",
    (IN + "odeint", "decay-time-points"): "SciPy's odeint takes a one-dimensional y0; "
                                          "chainrule's takes any shape",
    # These cases reach the function through an operator or a method of the traced array,
    # not through its name; the other cases of the same names check the value.
    (N + "diagonal", "method"): "x.diagonal()", (N + "divmod", "operator"): "divmod(x, y)",
    (N + "matmul", "operator"): "x @ y",
    # NumPy's own ufunc methods dispatching to chainrule's: the reference would be NumPy's
    # ufunc called by NumPy's ufunc (tests/test_ufunc_methods.py compares these values)
    (N + "subtract", "outer-numpy"): "np.subtract.outer(x, y)",
    (N + "multiply", "accumulate-numpy"): "np.multiply.accumulate(x)",
    (N + "add", "reduce-numpy-axes"): "np.add.reduce(x, axis=(0, 1))",
    (N + "maximum", "reduce-numpy"): "np.maximum.reduce(x, axis=1)",
    # signal2: SciPy's lsim and dlsim store the states in real arrays when the system is real
    # (a complex input or state loses its imaginary part, with a ComplexWarning); chainrule
    # computes in complex. Their real values are compared in tests/test_scipy_signal2.py.
    **{("chainrule.scipy.signal." + n, c): "SciPy drops the imaginary part (ComplexWarning)"
       for n, c in (("dlsim", "ss"), ("dlsim", "tf-t"), ("lsim", "ss-hold-b-x0"))},
    # interp2: these cases build chainrule's spline objects, which SciPy's function does not
    # take (tests/test_scipy_interpolate_fitpack.py compares their values with SciPy's)
    **{("chainrule.scipy.interpolate." + n, c): "SciPy's function takes SciPy's spline objects"
       for n, c in (("BPoly", "from-power-basis"), ("PPoly", "from-bernstein-basis"),
                    ("PPoly", "from-spline"), ("insert", "bspline"), ("splder", "bspline-der2"),
                    ("splint", "bspline"))},
}


def _swapped(fn, obj, new):
    """``fn`` with its direct references to ``obj`` (itself, a default, a closure cell) made
    ``new``; references through a module attribute are swapped by the caller."""
    if fn is obj:
        return new
    if not isinstance(fn, types.FunctionType):
        return fn
    defaults = tuple(new if d is obj else d for d in fn.__defaults__ or ()) or None
    cells = fn.__closure__
    if cells:
        cells = tuple(types.CellType(new) if c.cell_contents is obj else c for c in cells)
    out = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__, defaults, cells)
    out.__kwdefaults__ = fn.__kwdefaults__
    return out


class _Counted:
    """The reference function, counting its calls (so a case that never reaches the function
    under test is noticed); subscriptable for the index tricks r_ and c_."""

    def __init__(self, ref):
        self.ref, self.calls = ref, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.ref(*args, **kwargs)

    def __getitem__(self, key):
        self.calls += 1
        return self.ref[key]

    def __getattr__(self, attr):  # a ufunc's methods: cnp.hypot.outer becomes np.hypot.outer
        if attr.startswith("__"):
            raise AttributeError(attr)
        self.calls += 1
        return getattr(self.ref, attr)


#: Names whose float32 leg has no reference, with the reason.
NO_FLOAT32_REFERENCE = {
    f"chainrule.scipy.special.{kind}_{f}{cv}": "SciPy's float32 loops of the spheroidal "
    "functions never return (SciPy 1.17); chainrule computes them in float64 "
    "(tests/test_special_more.py compares them with SciPy's float64 values)"
    for kind in ("pro", "obl") for f in ("ang1", "rad1") for cv in ("", "_cv")}
NO_FLOAT32_REFERENCE["chainrule.scipy.special.riccati_jn"] = (
    "SciPy's riccati_jn gives nan for a float32 x (SciPy 1.17); tests/test_special_more.py "
    "compares chainrule's with SciPy's float64 values")


def _value_cases():
    for name in sorted(SPECS):
        namespace, attr = name.rsplit(".", 1)
        if namespace not in MODULES or name in NO_REFERENCE:
            continue
        for case in SPECS[name]:
            if (name, case.label) in NO_REFERENCE:
                continue
            label = f"{name[len('chainrule.'):]}-{case.label}"
            yield pytest.param(name, case, 1e-9, id=label)
            if name not in NO_FLOAT32_REFERENCE:
                yield pytest.param(name, float32_case(case), 2e-4, id=f"{label}-float32")
            if not _complex_excluded(name, case.label):
                yield pytest.param(name, complex_case(case), 1e-9, id=f"{label}-complex")


def float32_case(case):
    """The case with float32 inputs (NumPy's dtype rules: float32 data often stay float32)."""
    def maker(m):
        def make(rng):
            x = m(rng)
            return np.float32(x) if np.ndim(x) == 0 else np.asarray(x, dtype=np.float32)
        return make
    return type(case)(case.label, case.fn, *[maker(m) for m in case.makers])


def _reference_value(name, case, args):
    namespace, attr = name.rsplit(".", 1)
    module, ref_module = MODULES[namespace]
    ref = _Counted(REFERENCE.get(name) or getattr(ref_module, attr))
    ours = getattr(module, attr)
    setattr(module, attr, ref)
    try:
        out = _swapped(case.fn, ours, ref)(*args)
    finally:
        setattr(module, attr, ours)
    assert ref.calls, f"the case never calls {name}: it checks nothing"
    return out


@pytest.mark.parametrize("name,case,rtol", list(_value_cases()))
def test_value_matches_numpy(name, case, rtol):
    args = case.args(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error", np.exceptions.ComplexWarning)  # no silent real cast
        ours = case.fn(*args)
        theirs = _reference_value(name, case, args)
    ours, theirs = _flat(ours), _flat(theirs)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        a, b = np.asarray(a), np.asarray(b)
        assert a.shape == b.shape
        if name not in DTYPE_DIFFERS:
            assert a.dtype == b.dtype, (a.dtype, b.dtype)
        np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol * 1e-3)


def test_value_exclusions_name_real_specs():
    for key in NO_REFERENCE:
        name, label = key if isinstance(key, tuple) else (key, None)
        assert name in SPECS, name
        assert label is None or label in [c.label for c in SPECS[name]], key


@pytest.mark.parametrize("weights", ["aweights", "fweights"])
def test_cov_refuses_complex_weights(weights):
    """NumPy casts complex weights to float, dropping the imaginary part with a warning;
    chainrule raises instead."""
    m = np.arange(6.0).reshape(2, 3)
    with pytest.raises(TypeError, match=weights):
        cnp.cov(m, **{weights: np.array([1.0, 2.0, 1.0 + 1.0j])})


def test_interp_refuses_complex_abscissae_and_takes_complex_ordinates():
    xp, fp = np.array([0.0, 1.0, 2.0]), np.array([1.0, 1j, 2.0 - 1j])
    np.testing.assert_allclose(cnp.interp(np.array([0.5, 1.5]), xp, fp),
                               np.interp(np.array([0.5, 1.5]), xp, fp))
    for x, p in ((np.array([0.5 + 1j]), xp), (np.array([0.5]), xp + 0j)):
        with pytest.raises(TypeError):
            np.interp(x, p, fp)
        with pytest.raises(TypeError, match="real"):
            cnp.interp(x, p, fp)


def test_a_low_precision_base_has_its_log_in_the_results_precision():
    # float16(1.5) ** y with y float64 is a float64 power: d/dy = ans·log(1.5) in float64,
    # not with log(1.5) rounded to float16 (off by 1e-4), in reverse and forward mode.
    y = np.array([0.3, 0.5])
    exact = 1.5 ** y * np.log(1.5)
    for base, fn in ((np.float16(1.5), cnp.power), (np.float32(1.5), cnp.power),
                     (np.float16(1.5), cnp.float_power), (np.float32(1.5), cnp.float_power)):
        f = lambda y: fn(base, y)
        g = cr.grad(lambda y: cnp.sum(f(y)))(y)
        np.testing.assert_allclose(g, exact, rtol=1e-14)
        np.testing.assert_allclose(cr.jvp(f, (y,), (np.ones(2),))[1], exact, rtol=1e-14)
