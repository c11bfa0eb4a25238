"""Multiple integrals (nquad, dblquad, tplquad: SciPy's values on plain inputs, derivatives in
limits, args and closed-over values) and the names of scipy.integrate and scipy.signal
passed through unchanged. The rule tests (tests/test_rules.py) check the derivatives to
first order in both modes, ⟨u,Jv⟩ and vmap."""
import warnings

import numpy as np
import pytest
import scipy.integrate as si
import scipy.signal as ss

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.integrate as cint
import chainrule.scipy.signal as csig


def test_plain_values_are_scipys():
    f = lambda y, x: np.exp(-x * y) * np.cos(x + y)  # noqa: E731
    assert cint.dblquad(f, 0, 1, 0, lambda x: 1 + x) == si.dblquad(f, 0, 1, 0, lambda x: 1 + x)
    g = lambda z, y, x: x * y + z  # noqa: E731
    assert cint.tplquad(g, 0, 1, 0, 2, 0, 3) == si.tplquad(g, 0, 1, 0, 2, 0, 3)
    h = lambda x, y, s: np.sin(s * x * y)  # noqa: E731
    ranges = [lambda y, s: (0.0, y), (0.0, 1.0)]
    assert cint.nquad(h, ranges, args=(2.0,)) == si.nquad(h, ranges, args=(2.0,))


def test_derivatives_in_limits_args_and_closures_against_closed_forms():
    # ∫₀ᵃ∫₀ˣ c·x·y dy dx = c a⁴/8: in a and in c (passed in args, or closed over)
    F = lambda a, c: cint.dblquad(lambda y, x, c: c * x * y, 0.0, a, 0.0, lambda x: x,  # noqa
                                  args=(c,))[0]
    ga, gc = cr.grad(F, argnums=(0, 1))(1.5, 2.0)
    np.testing.assert_allclose([ga, gc], [2.0 * 1.5 ** 3 / 2, 1.5 ** 4 / 8], rtol=1e-10)
    G = lambda c: cint.dblquad(lambda y, x: c * x * y, 0.0, 1.5, 0.0, lambda x: x)[0]  # noqa
    np.testing.assert_allclose(cr.jvp(G, (2.0,), (1.0,))[1], 1.5 ** 4 / 8, rtol=1e-10)
    # the volume of the cube [0, s]³ and its derivative 3s²
    vol = lambda s: cint.tplquad(lambda z, y, x: 1.0, 0, s, 0, s, 0, s)[0]  # noqa: E731
    np.testing.assert_allclose(cr.grad(vol)(1.7), 3 * 1.7 ** 2, rtol=1e-10)


def test_under_jit_and_vmap():
    F = lambda c: cint.nquad(lambda x, y: c * x * y, [(0.0, 1.0), (0.0, 2.0)])[0]  # noqa
    jf = cr.jit(cr.grad(F))
    assert jf(1.0) == cr.grad(F)(1.0) == jf(3.0)
    np.testing.assert_allclose(cr.vmap(F)(np.array([1.0, 2.0])), [1.0, 2.0], rtol=1e-12)


def test_full_output_is_refused_clearly():
    with pytest.raises(NotImplementedError, match="full_output"):
        cint.nquad(lambda x: x, [(0, 1)], full_output=True)


def test_passed_through_names_are_scipys_objects():
    assert cint.IntegrationWarning is si.IntegrationWarning
    assert cint.RK45 is si.RK45 and cint.ode is si.ode
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=cint.IntegrationWarning)
    solver = cint.RK45(lambda t, y: -y, 0.0, np.array([1.0]), 1.0)
    while solver.status == "running":
        solver.step()
    np.testing.assert_allclose(solver.y, np.exp(-1.0), rtol=1e-3)
    assert csig.lti is ss.lti and csig.StateSpace is ss.StateSpace
    for got, want in zip(csig.tf2ss([1.0], [1.0, 2.0, 3.0]), ss.tf2ss([1.0], [1.0, 2.0, 3.0])):
        np.testing.assert_array_equal(got, want)
    z, p, k = csig.buttap(3)
    np.testing.assert_array_equal(p, ss.buttap(3)[1])
    # a traced signal into a passed-through function is refused, never dropped
    with pytest.raises(TypeError):
        cr.grad(lambda x: cnp.sum(csig.residue(x, [1.0, 2.0])[0]))(np.array([1.0]))
    # a name SciPy does not have: not passed through, the error says it is not wrapped
    with pytest.raises(AttributeError, match="not wrapped"):
        csig.no_such_filter
