"""chainrule.scipy.fftpack against SciPy's: the same results, traced values within rounding,
derivatives exact (the rule tests check each to second order, with the dot-product test that
the pseudo-differential operators' transposes need), and a spectral program ported from
fftpack."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.fftpack as F

sfft = pytest.importorskip("scipy.fftpack")
X = np.random.default_rng(3).standard_normal((3, 8))

CALLS = [(n, kw) for n in ("fft", "ifft", "rfft", "irfft", "dct", "idct", "dst", "idst")
         for kw in ([{}, {"n": 5}, {"axis": 0}] + ([{"type": t} for t in (1, 3, 4)] +
                                                   [{"norm": "ortho"}] if "ct" in n or "st" in n
                                                   else []))]
CALLS += [(n, {}) for n in ("fftn", "ifftn", "fft2", "ifft2", "dctn", "idctn", "dstn", "idstn")]
OPERATORS = ("diff", "tilbert", "itilbert", "hilbert", "ihilbert", "cs_diff", "sc_diff",
             "ss_diff", "cc_diff", "shift")
CALLS += [(n, {"args": a}) for n, a in [("diff", ()), ("diff", (2, 3.0)), ("tilbert", (0.5,)),
                                        ("itilbert", (0.5,)), ("hilbert", ()), ("ihilbert", ()),
                                        ("cs_diff", (0.5, 1.0)), ("sc_diff", (0.5, 1.0)),
                                        ("ss_diff", (0.5, 1.0)), ("cc_diff", (0.5, 1.0)),
                                        ("shift", (0.3,)), ("shift", (0.3, 2.0))]]


@pytest.mark.parametrize("name,kw", CALLS, ids=[f"{n}-{k}" for n, k in CALLS])
def test_values_are_scipys(name, kw):
    kw = dict(kw)
    args = kw.pop("args", ())
    x = X[0] if name in OPERATORS else X
    want = getattr(sfft, name)(x, *args, **kw)
    np.testing.assert_array_equal(getattr(F, name)(x, *args, **kw), want)   # SciPy's own
    got = cr.jvp(lambda x: getattr(F, name)(x, *args, **kw), (x,), (x,))[0]
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12 * np.abs(want).max())


def test_errors_and_edges():
    with pytest.raises(TypeError, match="real sequence"):
        cr.grad(lambda x: cnp.sum(F.rfft(x + 0j).real))(X[0])
    with pytest.raises(TypeError, match="differentiable in x only"):
        cr.grad(lambda a: cnp.sum(F.shift(X[0], a)))(0.3)
    with pytest.raises(AttributeError, match="not wrapped"):
        F.no_such_function
    assert F.convolve is sfft.convolve
    # order 0 is the identity (a copy); size-1 and float32 sequences
    x = X[0].copy()
    out = cr.jvp(lambda x: F.diff(x, 0), (x,), (x,))[0]
    np.testing.assert_array_equal(out, x)
    assert not np.shares_memory(out, x)
    np.testing.assert_allclose(cr.grad(lambda x: F.fft(x).real.sum())(np.array([2.0])), [1.0])
    x32 = X[0].astype(np.float32)
    assert cr.jvp(lambda x: F.fft(x), (x32,), (x32,))[0].dtype == sfft.fft(x32).dtype


def test_spectral_heat_equation_port():
    """A periodic heat equation stepped with fftpack's spectral second derivative (the way
    SciPy's fftpack tutorials write it), differentiated in the diffusivity: the exact solution
    of each Fourier mode is exp(-nu k² t), so d/dnu of the final state is known."""
    n, steps, dt = 32, 50, 1e-3
    x = np.linspace(0.0, 2 * np.pi, n, endpoint=False)
    u0 = np.sin(x) + 0.5 * np.sin(3 * x)

    def final(nu):
        u = u0
        for _ in range(steps):
            u = u + dt * nu * F.diff(u, 2)
        return u

    nu, t = 0.7, steps * dt
    du = cr.jacfwd(final)(nu)
    # forward Euler's own exact derivative: mode k decays as (1 - dt nu k²)^steps
    expect = sum(c * np.sin(k * x) * steps * (1 - dt * nu * k * k) ** (steps - 1) * (-dt * k * k)
                 for c, k in ((1.0, 1), (0.5, 3)))
    np.testing.assert_allclose(du, expect, atol=1e-12)
    assert abs(t) > 0
    g = cr.grad(lambda u: cnp.sum(F.diff(u, 2) * np.cos(x)))(u0)   # the transpose of d²/dx²
    np.testing.assert_allclose(g, F.diff(np.cos(x), 2), atol=1e-12)
