"""chainrule.scipy.spatial.distance against SciPy: values (bit for bit for cdist/pdist, which
are SciPy's own), the edges a user tries first, and a kernel program. The rule tests
(derivatives to second order in both modes, ⟨u,Jv⟩, vmap) are specced in tests/test_rules.py."""
import numpy as np
import pytest
import scipy.spatial.distance as sd

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.spatial as cspatial
from chainrule.scipy.spatial import distance as cd

RNG = np.random.default_rng(7)
XA, XB = RNG.normal(size=(5, 3)), RNG.normal(size=(4, 3))
METRICS = ["braycurtis", "canberra", "chebyshev", "cityblock", "correlation", "cosine",
           "euclidean", "jensenshannon", "mahalanobis", "minkowski", "seuclidean",
           "sqeuclidean", "hamming", "jaccard", "dice", "yule", "russellrao",
           "rogerstanimoto", "sokalsneath"]


@pytest.mark.parametrize("metric", METRICS)
def test_values_are_scipys(metric):
    a, b = (np.abs(XA), np.abs(XB)) if metric == "jensenshannon" else (XA, XB)
    if metric in ("jaccard", "dice", "yule", "russellrao", "rogerstanimoto", "sokalsneath"):
        a, b = a > 0, b > 0
    np.testing.assert_array_equal(cd.cdist(a, b, metric), sd.cdist(a, b, metric))
    np.testing.assert_array_equal(cd.pdist(a, metric), sd.pdist(a, metric))
    if metric not in ("mahalanobis", "seuclidean", "jensenshannon"):
        np.testing.assert_allclose(getattr(cd, metric)(a[0], b[1]),
                                   getattr(sd, metric)(a[0], b[1]), rtol=1e-15, atol=0)


def test_aliases_keywords_and_callables():
    np.testing.assert_array_equal(cd.cdist(XA, XB, "e"), sd.cdist(XA, XB, "euclidean"))
    np.testing.assert_array_equal(cd.cdist(XA, XB, "minkowski", p=1.5),
                                  sd.cdist(XA, XB, "minkowski", p=1.5))
    w = RNG.uniform(0.5, 2.0, 3)
    np.testing.assert_array_equal(cd.pdist(XA, "euclidean", w=w), sd.pdist(XA, "euclidean", w=w))
    f = lambda u, v: np.sum(np.abs(u - v) ** 3)  # noqa: E731
    np.testing.assert_allclose(cd.cdist(XA, XB, f), sd.cdist(XA, XB, f), rtol=1e-15)
    np.testing.assert_allclose(cd.pdist(XA, f), sd.pdist(XA, f), rtol=1e-15)
    with pytest.raises(ValueError, match="Unknown Distance Metric"):
        cd.cdist(XA, XB, "no-such-metric")
    with pytest.raises(TypeError, match="unexpected keyword"):
        cd.cdist(XA, XB, "euclidean", q=3)


def test_first_calls_a_user_tries():
    # size 0 and 1, lists, float32 and integers (SciPy answers in float64)
    assert cd.pdist(np.zeros((0, 3))).shape == sd.pdist(np.zeros((0, 3))).shape == (0,)
    assert cd.pdist(np.zeros((1, 3))).shape == (0,)
    assert cd.cdist(np.zeros((0, 3)), XB).shape == (0, 4)
    np.testing.assert_array_equal(cd.cdist([[0.0, 0.0]], [[3.0, 4.0]]), [[5.0]])
    f32 = cd.cdist(XA.astype(np.float32), XB.astype(np.float32))
    assert f32.dtype == sd.cdist(XA.astype(np.float32), XB.astype(np.float32)).dtype
    ints = np.arange(6).reshape(3, 2)
    np.testing.assert_array_equal(cd.pdist(ints), sd.pdist(ints))
    np.testing.assert_array_equal(cd.squareform(np.array([])), sd.squareform(np.array([])))
    np.testing.assert_array_equal(cd.squareform(np.zeros((1, 1))), sd.squareform(np.zeros((1, 1))))
    # SciPy's errors
    with pytest.raises(ValueError, match="same number of columns"):
        cd.cdist(XA, XB[:, :2])
    with pytest.raises(ValueError, match="2-dimensional"):
        cd.cdist(XA[0], XB)
    with pytest.raises(ValueError, match="symmetric"):
        cd.squareform(np.arange(4.0).reshape(2, 2))
    with pytest.raises(ValueError, match="non-negative"):
        cd.euclidean(XA[0], XB[0], w=-np.ones(3))
    # inf and nan propagate as in SciPy
    bad = XA.copy()
    bad[0, 0], bad[1, 1] = np.inf, np.nan
    np.testing.assert_array_equal(cd.cdist(bad, XB), sd.cdist(bad, XB))


def test_complex_points_are_refused_not_cast():
    z = XA + 1j
    with pytest.raises(ValueError, match="complex"):
        cd.cdist(z, XB)
    with pytest.raises(TypeError, match="real vectors"):
        cd.euclidean(z[0], XB[0])


def test_coincident_points_have_a_zero_gradient():
    # the diagonal of cdist(X, X): the kink of the norm gives 0 (no nan)
    g = cr.grad(lambda X: cnp.sum(cnp.exp(-cd.cdist(X, X))))(XA)
    assert np.all(np.isfinite(g))
    twice = np.vstack([XA[:1], XA[:1]])
    np.testing.assert_array_equal(cr.grad(lambda X: cd.pdist(X).sum())(twice), 0.0)
    np.testing.assert_array_equal(cr.grad(lambda u: cd.euclidean(u, u))(XA[0]), 0.0)


def test_results_are_fresh_and_out_is_refused_when_traced():
    out = np.empty((5, 4))
    assert cd.cdist(XA, XB, out=out) is out
    np.testing.assert_array_equal(out, sd.cdist(XA, XB))
    with pytest.raises(TypeError, match="assign the result"):
        cr.grad(lambda a: cd.cdist(a, XB, out=np.empty((5, 4))).sum())(XA)
    d = cd.cdist(XA, XB)
    assert not np.shares_memory(d, XA) and not np.shares_memory(d, XB)


def test_jit_replays_scipys_values_and_vmap_matches_the_loop():
    f = cr.jit(cr.value_and_grad(lambda a: cd.cdist(a, XB, "cosine").sum()))
    eager = cr.value_and_grad(lambda a: cd.cdist(a, XB, "cosine").sum())(XA)
    for _ in range(2):
        v, g = f(XA)
        assert v == eager[0]
        np.testing.assert_array_equal(g, eager[1])
    stack = RNG.normal(size=(3, 4, 2))
    batched = cr.vmap(lambda X: cd.pdist(X, "cityblock"))(stack)
    np.testing.assert_array_equal(batched, np.stack([sd.pdist(X, "cityblock") for X in stack]))


def test_directed_hausdorff_and_the_rest_of_scipy_spatial():
    u, v = RNG.normal(size=(6, 2)), RNG.normal(size=(5, 2))
    d, i, j = cd.directed_hausdorff(u, v)
    assert (d, i, j) == sd.directed_hausdorff(u, v)
    g = cr.grad(lambda u: cd.directed_hausdorff(u, v)[0])(u)
    expected = np.zeros_like(u)
    expected[i] = (u[i] - v[j]) / np.linalg.norm(u[i] - v[j])
    np.testing.assert_allclose(g, expected, rtol=1e-14)
    import scipy.spatial
    assert cspatial.KDTree is scipy.spatial.KDTree
    with pytest.raises(AttributeError, match="no attribute"):
        cspatial.no_such_thing
    with pytest.raises(AttributeError, match="not wrapped"):
        cd.no_such_metric_function


def test_gaussian_process_marginal_likelihood_gradient():
    """A GP regression's log marginal likelihood in the length scale, the way scikit-learn's
    RBF kernel is written (cdist of scaled points, squareform of pdist): d/dℓ against
    central differences."""
    X, y = RNG.uniform(0, 5, size=(12, 1)), RNG.normal(size=12)

    def nll(log_ell):
        K = cnp.exp(-0.5 * cd.squareform(cd.pdist(X / cnp.exp(log_ell), "sqeuclidean")))
        K = K + 0.1 * np.eye(12)
        L = cnp.linalg.cholesky(K)
        alpha = cnp.linalg.solve(K, y)
        return 0.5 * y @ alpha + cnp.sum(cnp.log(cnp.diag(L)))

    h = 1e-6
    fd = (nll(0.3 + h) - nll(0.3 - h)) / (2 * h)
    np.testing.assert_allclose(cr.grad(nll)(0.3), fd, rtol=1e-7)
    cr.check_grads(nll, (0.3,), order=2, modes=("fwd", "rev"))
