"""Empirical NTK: the methods agree with each other and with explicit Jacobians."""

import tracemalloc

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.ntk import (empirical_ntk, ntk_vector_product, choose_method, NTKChoice,
                           param_count)


def mlp(params, x):
    for w, b in params[:-1]:
        x = cnp.tanh(x @ w + b)
    w, b = params[-1]
    return x @ w + b


def init(rng, sizes):
    return [(rng.normal(size=(m, n)) / np.sqrt(m), rng.normal(size=n) * 0.1)
            for m, n in zip(sizes[:-1], sizes[1:])]


def explicit_jacobian(f, params, x):
    """(N, O, P) by one jacrev per example, no vmap: the reference."""
    rows = []
    for i in range(len(x)):
        J = cr.jacrev(lambda p: cnp.reshape(f(p, x[i:i + 1]), (-1,)))(params)
        o = np.shape(cr.tree.leaves(J)[0])[0]
        rows.append(np.concatenate([np.reshape(l, (o, -1)) for l in cr.tree.leaves(J)], axis=1))
    return np.stack(rows)


@pytest.fixture(scope="module")
def setup():
    rng = np.random.default_rng(1)
    params = init(rng, [4, 8, 8, 3])
    x1, x2 = rng.normal(size=(6, 4)), rng.normal(size=(5, 4))
    J1, J2 = explicit_jacobian(mlp, params, x1), explicit_jacobian(mlp, params, x2)
    return params, x1, x2, J1, J2


@pytest.mark.parametrize("method", ["jacobian", "ntk_vp", "auto"])
@pytest.mark.parametrize("trace", [True, False])
@pytest.mark.parametrize("chunk", [None, 1, 7])
def test_methods_agree_with_explicit_contraction(setup, method, trace, chunk):
    params, x1, x2, J1, J2 = setup
    ref = np.einsum("iap,jap->ij", J1, J2) if trace else np.einsum("iap,jbp->ijab", J1, J2)
    K = empirical_ntk(mlp, params, x1, x2, method=method, trace_outputs=trace,
                      chunk_size=chunk)
    assert K.shape == ref.shape
    np.testing.assert_allclose(K, ref, rtol=1e-10, atol=1e-10)


def test_same_inputs_symmetric_psd(setup):
    params, x1, _, J1, _ = setup
    K = empirical_ntk(mlp, params, x1, method="ntk_vp")
    np.testing.assert_allclose(K, K.T, atol=1e-10)
    np.testing.assert_allclose(K, np.einsum("iap,jap->ij", J1, J1), rtol=1e-10, atol=1e-10)
    assert np.linalg.eigvalsh(K).min() > -1e-10


def test_scalar_output_and_dict_params():
    rng = np.random.default_rng(2)
    params = {"w": rng.normal(size=(3, 5)), "v": rng.normal(size=5)}
    f = lambda p, x: cnp.tanh(x @ p["w"]) @ p["v"]
    x = rng.normal(size=(4, 3))
    Kj = empirical_ntk(f, params, x, method="jacobian", trace_outputs=False)
    Kv = empirical_ntk(f, params, x, method="ntk_vp", trace_outputs=False)
    assert Kj.shape == (4, 4)
    np.testing.assert_allclose(Kj, Kv, rtol=1e-10, atol=1e-12)


def test_kernel_vector_product(setup):
    params, x1, x2, J1, J2 = setup
    rng = np.random.default_rng(3)
    v = rng.normal(size=len(x2))
    Kt = np.einsum("iap,jap->ij", J1, J2)
    np.testing.assert_allclose(ntk_vector_product(mlp, params, x1, x2, v), Kt @ v,
                               rtol=1e-10, atol=1e-10)
    V = rng.normal(size=(len(x2), 3))
    Kf = np.einsum("iap,jbp->ijab", J1, J2)
    np.testing.assert_allclose(ntk_vector_product(mlp, params, x1, x2, V, trace_outputs=False),
                               np.einsum("ijab,jb->ia", Kf, V), rtol=1e-10, atol=1e-10)


def test_auto_explains_and_respects_memory(setup):
    params, x1, x2, _, _ = setup
    c = choose_method(mlp, params, x1, x2)
    assert isinstance(c, NTKChoice) and c.method in ("jacobian", "ntk_vp")
    assert "P=" in c.reason and set(c.predicted) == {"jacobian", "ntk_vp"}
    tiny = choose_method(mlp, params, x1, x2, memory_limit=1000)
    assert tiny.method == "ntk_vp" and "not fit" in tiny.reason
    K, ch = empirical_ntk(mlp, params, x1, x2, memory_limit=1000, return_choice=True)
    assert ch.method == "ntk_vp"
    with pytest.raises(ValueError):
        empirical_ntk(mlp, params, x1, method="nope")


def test_ntk_vp_memory_below_jacobian_size():
    rng = np.random.default_rng(4)
    params = init(rng, [16, 256, 256, 10])       # ~73k parameters
    x = rng.normal(size=(8, 16))
    P, O, N = param_count(params), 10, 8
    j_bytes = 8 * N * O * P                      # one explicit J (x1 = x2)
    empirical_ntk(mlp, params, x[:2], method="ntk_vp", chunk_size=4)  # warm up imports
    tracemalloc.start()
    try:
        K = empirical_ntk(mlp, params, x, method="ntk_vp", chunk_size=4)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert K.shape == (N, N)
    assert peak < 0.5 * j_bytes, (peak, j_bytes)
