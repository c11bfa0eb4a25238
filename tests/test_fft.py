"""chainrule.numpy.fft: values against NumPy, NumPy's dispatch, and derivatives against JAX.

The rules themselves are checked with every other primitive's in tests/test_rules.py (central
differences to second order, the dot-product test, vmap), on real and complex inputs.
"""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4, 5))
Z = X + 1j * RNG.standard_normal((3, 4, 5))

CALLS = [
    ("fft", {}), ("fft", {"n": 7, "axis": 1}), ("fft", {"n": 3, "norm": "ortho"}),
    ("ifft", {"axis": 0, "norm": "forward"}), ("fft2", {}), ("ifft2", {"s": (3, 6)}),
    ("fftn", {}), ("fftn", {"axes": (0, 2), "norm": "ortho"}), ("ifftn", {"s": (2, 2, 2)}),
    ("fftshift", {}), ("ifftshift", {"axes": (1,)}),
]
REAL_CALLS = [
    ("rfft", {}), ("rfft", {"n": 8, "axis": 0, "norm": "ortho"}), ("rfft2", {}),
    ("rfftn", {"s": (2, 3, 4)}), ("irfft", {}), ("irfft", {"n": 9, "norm": "forward"}),
    ("irfft2", {}), ("irfftn", {"axes": (0, 1)}),
]


@pytest.mark.parametrize("name,kw", CALLS + REAL_CALLS, ids=lambda v: str(v))
def test_values_match_numpy(name, kw):
    for x in ((X, Z) if (name, kw) in CALLS or name.startswith("irfft") else (X,)):
        want = getattr(np.fft, name)(x, **kw)
        got = getattr(cnp.fft, name)(x, **kw)
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_numpy_fft_dispatches_to_chainrule_on_tracers():
    x = X[0, 0]
    f = lambda x: np.sum(np.abs(np.fft.rfft(x)) ** 2)
    g = lambda x: cnp.sum(cnp.abs(cnp.fft.rfft(x)) ** 2)
    np.testing.assert_allclose(cr.grad(f)(x), cr.grad(g)(x), rtol=1e-14)


def test_parseval():
    # Σ|fft x|² = N Σ|x|², so its gradient is 2N·conj(x) (JAX's convention) for complex x
    z = Z[0, 0]
    g = cr.grad(lambda z: cnp.sum(cnp.abs(cnp.fft.fft(z)) ** 2))(z)
    np.testing.assert_allclose(g, 2 * 5 * np.conj(z), rtol=1e-13)


def test_against_jax():
    x = np.array([1.0, 0.0, -1.0, 0.5])
    z = np.array([1.0 + 0.5j, -0.3 + 0.2j, 0.7 - 1j])
    # jax.grad(lambda x: jnp.sum(jnp.abs(jnp.fft.rfft(x))))(x)
    np.testing.assert_allclose(cr.grad(lambda x: cnp.sum(cnp.abs(cnp.fft.rfft(x))))(x),
                               [0.9701425001453319, 1.757464374963667, -0.9701425001453319,
                                2.242535625036333], rtol=1e-12)
    # jax.grad(lambda z: jnp.sum(jnp.abs(jnp.fft.irfft(z, n=5, norm="ortho")) ** 3))(z)[1]
    g = cr.grad(lambda z: cnp.sum(cnp.abs(cnp.fft.irfft(z, n=5, norm="ortho")) ** 3))(z)
    np.testing.assert_allclose(g[1], -5.548013153632592 - 4.453942687642412j, rtol=1e-12)
    # jax.grad(lambda z: jnp.sum(jnp.abs(jnp.fft.irfft(z, n=4)) ** 3))(z)
    g = cr.grad(lambda z: cnp.sum(cnp.abs(cnp.fft.irfft(z, n=4)) ** 3))(z)
    np.testing.assert_allclose(g, [0.3271875, -0.3825 - 0.046875j, 0.2821875], rtol=1e-12)
    # jax.grad(lambda x: jnp.sum(jnp.abs(jnp.fft.rfft(x, n=6, norm="forward")) ** 3))(x)
    g = cr.grad(lambda x: cnp.sum(cnp.abs(cnp.fft.rfft(x, n=6, norm="forward")) ** 3))(x)
    np.testing.assert_allclose(g, [0.07891353609823568, -0.005216406692023022,
                                   -0.07593932145852025, 0.04911143455567191], rtol=1e-12)
    # jax.grad(lambda z: jnp.abs(jnp.sum(jnp.fft.fft(z, n=5) * jnp.arange(5.0))))(z)
    g = cr.grad(lambda z: cnp.abs(cnp.sum(cnp.fft.fft(z, n=5) * cnp.arange(5.0))))(z)
    np.testing.assert_allclose(g, [8.129276915307008 - 5.823646352093896j,
                                   -0.028428841266766813 + 4.253159031206533j,
                                   -1.5592648779041964 + 2.116252134502157j], rtol=1e-12)


def test_frequencies_and_errors():
    np.testing.assert_array_equal(cnp.fft.fftfreq(6, 0.1), np.fft.fftfreq(6, 0.1))
    np.testing.assert_array_equal(cnp.fft.rfftfreq(7), np.fft.rfftfreq(7))
    with pytest.raises(TypeError, match="real"):
        cnp.fft.rfft(Z[0, 0])
    with pytest.raises(ValueError, match="norm"):
        cnp.fft.fft(X, norm="bad")
    with pytest.raises(ValueError, match="out of bounds"):
        cnp.fft.fft(X, axis=3)
    with pytest.raises(AttributeError, match="not wrapped"):
        cnp.fft.no_such_transform
