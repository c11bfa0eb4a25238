"""Complex numbers, with JAX's convention, checked against JAX on a table of examples.

The convention (docs/complex.md): forward mode carries the real-linear derivative; reverse
mode is its transpose under the pairing ⟨c, t⟩ = Re Σ c·t (no conjugate), so ``grad`` of a
real function of z = x + iy is ∂f/∂x − i ∂f/∂y (|z|² gives 2·conj(z)), and
``holomorphic=True`` gives f'(z). The expected values below were produced with JAX 0.10.2
(``jax.config.update("jax_enable_x64", True)``), by the call named in each row's kind:
``grad`` = ``jax.grad(f, holomorphic=...)(*args)``, ``grad2`` = ``jax.grad(f, argnums=(0, 1))``,
``jvp`` = ``jax.jvp(f, args, (tangent,))[1]``, ``vjp`` = ``jax.vjp(f, *args)[1](cotangent)[0]``,
``jacfwd``/``jacrev`` = ``jax.jacfwd``/``jax.jacrev(f, holomorphic=...)(*args)``; each
function is written once for both libraries (``np_`` is ``jax.numpy`` or ``chainrule.numpy``).
"""

import warnings

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

A = np.array([[1.0 + 0.5j, 0.3 - 0.2j], [-0.4 + 0.1j, 2.0 - 1.0j]])
H = np.array([[2.0, 0.5 - 0.3j], [0.5 + 0.3j, 1.0]])
U = np.array([[0.6 + 0.8j, 0.1], [0.2j, 1.0 - 0.5j], [0.3, -0.7j]])
H3 = np.array([[3.0, 0.5 - 0.3j, 0.2j], [0.5 + 0.3j, 2.0, -0.4 + 0.1j], [-0.2j, -0.4 - 0.1j, 1.0]])
W3 = np.array([[1.0, 2.0, 0.5], [0.3, -1.0, 2.0], [1.5, 0.2, -0.7]])
W32 = np.array([[1.0, 2.0], [0.5, -1.0], [0.3, 0.7]])

def _eig(np_, a):
    if np_ is cnp:
        return cnp.linalg.eig(a)
    import jax
    return jax.lax.linalg.eig(a, compute_left_eigenvectors=False, enable_eigvec_derivs=True)


EXAMPLES = [
    ("abs2-grad", "grad", lambda np_: lambda z: np_.abs(z) ** 2, (3.0 + 4.0j,), {}),
    ("abs-of-real-times-phase", "grad", lambda np_: lambda x: np_.abs(x * (1 + 1j)), (1.0,), {}),
    ("unit-circle", "grad", lambda np_: lambda x: np_.abs(np_.exp(1j * x)) ** 2, (0.7,), {}),
    ("real-times-imag", "grad", lambda np_: lambda z: np_.real(z) * np_.imag(z), (1.0 + 2.0j,), {}),
    ("sin-holomorphic", "grad", lambda np_: np_.sin, (1.0 + 2.0j,), {"holomorphic": True}),
    ("exp-times-z-holomorphic", "grad", lambda np_: lambda z: np_.exp(z) * z, (0.3 - 0.8j,),
     {"holomorphic": True}),
    ("z-conj-z-jvp", "jvp", lambda np_: lambda z: z * np_.conj(z), (1.0 + 2.0j,), {"tangent": 0.5 - 1.0j}),
    ("exp-iz-vjp", "vjp", lambda np_: lambda z: np_.exp(1j * z), (0.3 + 0.1j,), {"cotangent": 1.0 - 2.0j}),
    ("fourier-sum", "grad", lambda np_: lambda x: np_.real(np_.sum(np_.exp(1j * x * np_.arange(3.0)))),
     (0.4,), {}),
    ("square-jacfwd-holomorphic", "jacfwd", lambda np_: lambda z: z ** 2,
     (np.array([1.0 + 1.0j, 2.0 - 1.0j]),), {"holomorphic": True}),
    ("sin-z-jacrev-holomorphic", "jacrev", lambda np_: lambda z: np_.sin(z) * z,
     (np.array([0.5 + 0.2j, -1.0 + 0.3j]),), {"holomorphic": True}),
    ("angle", "grad", lambda np_: np_.angle, (1.0 + 1.0j,), {}),
    ("abs-jvp", "jvp", lambda np_: np_.abs, (3.0 + 4.0j,), {"tangent": 1.0 + 1.0j}),
    ("real-power", "grad", lambda np_: lambda z: np_.real(z ** 3 * np_.conj(z)), (0.5 + 0.25j,), {}),
    ("conj-vjp", "vjp", lambda np_: lambda z: np_.conj(z) * 2j, (1.0 + 1.0j,), {"cotangent": 1.0 + 0.0j}),
    ("imag-log", "grad", lambda np_: lambda z: np_.imag(np_.log(z)), (1.0 + 1.0j,), {}),
    ("two-real-args", "grad2", lambda np_: lambda x, y: np_.abs(x + 1j * y), (3.0, 4.0), {}),
    ("sqrt-vjp", "vjp", lambda np_: np_.sqrt, (-1.0 + 0.5j,), {"cotangent": 0.3 + 0.4j}),
    ("matmul-real-input", "grad", lambda np_: lambda x: np_.sum(np_.abs(U @ x) ** 2),
     (np.array([0.5, -1.5]),), {}),
    ("complex-matrix-det", "grad", lambda np_: lambda a: np_.real(np_.linalg.det(a)), (A,), {}),
    ("complex-matrix-inv-trace", "grad", lambda np_: lambda a: np_.abs(np_.trace(np_.linalg.inv(a))),
     (A,), {}),
    ("matmul-conj", "grad", lambda np_: lambda a: np_.real(np_.sum(a @ np_.conj(a).T)), (A,), {}),
    ("solve-complex", "grad", lambda np_: lambda b: np_.sum(np_.abs(np_.linalg.solve(A, b)) ** 2),
     (np.array([1.0 - 1.0j, 0.5j]),), {}),
    ("log-jvp", "jvp", lambda np_: np_.log, (2.0 - 1.0j,), {"tangent": 1.0j}),
    ("division", "grad", lambda np_: lambda z: np_.abs(1.0 / (z + 2.0)), (0.5 - 0.5j,), {}),
    ("mean-abs2", "grad", lambda np_: lambda z: np_.mean(np_.abs(z) ** 2),
     (np.array([1.0 + 1.0j, -2.0 + 0.5j, 0.3j]),), {}),
    ("tanh-holomorphic", "grad", lambda np_: np_.tanh, (0.2 + 0.3j,), {"holomorphic": True}),
    ("power-complex-exponent", "grad", lambda np_: lambda x: np_.real(x ** (1.0 + 1.0j)), (1.5,), {}),
    # Hermitian eigh and cholesky, complex svd and qr: H and H3 are Hermitian, and both libraries
    # differentiate along Hermitian directions (JAX's symmetrize_input); the functions of
    # eigenvectors and singular vectors are phase-free (|V|², V diag(w³) Vᴴ, U diag(s) Uᴴ…), so
    # the free phases do not enter.
    ("eigh-hermitian-eigenvalues", "grad",
     lambda np_: lambda a: np_.sum(np_.linalg.eigh(a)[0] * np_.array([1.0, 2.0, 3.0])), (H3,), {}),
    ("eigh-hermitian-vectors", "grad",
     lambda np_: lambda a: np_.sum(np_.abs(np_.linalg.eigh(a)[1]) ** 2 * W3), (H3,), {}),
    ("eigh-hermitian-jvp", "jvp",
     lambda np_: lambda a: (lambda w, v: (v * w ** 3) @ np_.conj(v).T)(*np_.linalg.eigh(a)),
     (H3,), {"tangent": np.array([[0.1, 0.2 + 0.1j, -0.3j], [0.2 - 0.1j, -0.5, 0.4],
                                  [0.3j, 0.4, 0.2]])}),
    ("eigvalsh-hermitian", "grad", lambda np_: lambda a: np_.linalg.eigvalsh(a)[0], (H,), {}),
    ("cholesky-hermitian", "grad",
     lambda np_: lambda a: np_.real(np_.sum(np_.linalg.cholesky(a)
                                            * np_.array([[1.0, 0.0], [2.0 - 1.0j, 0.5]]))),
     (H,), {}),
    ("cholesky-hermitian-vjp", "vjp", lambda np_: np_.linalg.cholesky, (H3,),
     {"cotangent": np.array([[1.0, 0.0, 0.0], [0.5 + 0.5j, -1.0, 0.0], [0.2j, 0.3 - 0.1j, 2.0]])}),
    ("svd-complex-values", "grad",
     lambda np_: lambda a: np_.sum(np_.linalg.svd(a, full_matrices=False)[1] * np_.array([1.0, 3.0])),
     (U,), {}),
    ("svd-complex-vectors", "grad",
     lambda np_: lambda a: (lambda u, s, vt: np_.sum(np_.abs(u) ** 2 * W32)
                            + np_.real(np_.sum((u * s ** 2) @ vt)))(
         *np_.linalg.svd(a, full_matrices=False)), (U,), {}),
    ("svd-complex-wide-jvp", "jvp",
     lambda np_: lambda a: (lambda u, s, vt: (np_.abs(vt) ** 2, (u * s) @ np_.conj(u).T))(
         *np_.linalg.svd(a, full_matrices=False)),
     (U.T,), {"tangent": np.array([[0.1j, 0.2, -0.3 + 0.1j], [0.5, -0.2j, 0.4]])}),
    ("qr-complex", "grad",
     lambda np_: lambda a: (lambda q, r: np_.sum(np_.abs(q) ** 2 * W32) + np_.real(
         np_.sum(r * np_.array([[1.0, 2.0 + 1.0j], [0.0, -0.5]]))))(*np_.linalg.qr(a)), (U,), {}),
    # eig (general, complex eigenvalues): JAX differentiates eigenvectors only with
    # jax.lax.linalg.eig(..., enable_eigvec_derivs=True), hence _eig; both differentiate LAPACK's
    # normalisation (unit norm, largest component real).
    ("eig-complex-eigenvalues", "grad",
     lambda np_: lambda a: np_.real(np_.sum(np_.linalg.eigvals(a) * np_.array([1.0, 2.0 - 1.0j]))),
     (A,), {}),
    ("eig-real-matrix-eigenvalues", "grad",
     lambda np_: lambda a: np_.real(np_.sum(np_.linalg.eigvals(a) ** 2
                                            * np_.array([1.0, 0.5j, -2.0]))), (W3,), {}),
    ("eig-complex-vectors-scale-free", "grad",
     lambda np_: lambda a: (lambda w, v: np_.sum(
         np_.abs(v) ** 2 / np_.sum(np_.abs(v) ** 2, axis=0)
         * np_.array([[1.0, 2.0], [0.5, -1.0]])))(*_eig(np_, a)), (A,), {}),
    ("eig-complex-jvp", "jvp",
     lambda np_: lambda a: (lambda w, v: ((v * w ** 2) @ np_.linalg.inv(v), v))(*_eig(np_, a)),
     (A,), {"tangent": np.array([[0.1j, 0.2], [-0.3 + 0.1j, 0.5]])}),
]


# jax 0.10.2, float64; see the module docstring for the call behind each kind.
JAX = {
    'abs2-grad': (6-8j),
    'abs-of-real-times-phase': (1.414213562373095+0j),
    'unit-circle': (-4.1699712280552425e-17+0j),
    'real-times-imag': (2-1j),
    'sin-holomorphic': (2.0327230070196656-3.0518977991518j),
    'exp-times-z-holomorphic': (0.4479288443072251-2.011192819037369j),
    'z-conj-z-jvp': (-3+0j),
    'exp-iz-vjp': (1.461450663579004+1.3992196837217512j),
    'fourier-sum': (-1.8241305241076962+0j),
    'square-jacfwd-holomorphic': [[(2+2j), 0j], [0j, (4-2j)]],
    'sin-z-jacrev-holomorphic': [[(0.9559475763643484+0.3074647135205172j), (-0+0j)], [0j, (-1.5212943359045208+0.0777276683911565j)]],
    'angle': (-0.5-0.5j),
    'abs-jvp': (1.4+0j),
    'real-power': (0.5+0.0625j),
    'conj-vjp': -2j,
    'imag-log': (-0.5-0.5j),
    'two-real-args': ((0.6+0j), (0.8+0j)),
    'sqrt-vjp': (0.21668144756473123-0.09460893043866087j),
    'matmul-real-input': [1.2500000000000002, -5.29],
    'complex-matrix-det': [[(2-1j), (0.4-0.1j)], [(-0.3+0.2j), (1+0.5j)]],
    'complex-matrix-inv-trace': [[(-0.5373468073987405+0.47390987604946244j), (-0.18137964129372058+0.0372768815598893j)], [(0.13840768060662595-0.08404556166512077j), (-0.06016820780108354-0.18016133280229873j)]],
    'matmul-conj': [[(1.2-1.2j), (4.6+2.4j)], [(1.2-1.2j), (4.6+2.4j)]],
    'solve-complex': [(1.4677869493953133+1.5933019299774074j), (-0.2510299611641884-0.21854373089588164j)],
    'log-jvp': (-0.2+0.4j),
    'division': (-0.15085856549091078-0.030171713098182153j),
    'mean-abs2': [(0.6666666666666666-0.6666666666666666j), (-1.3333333333333333-0.3333333333333333j), -0.19999999999999998j],
    'tanh-holomorphic': (1.0413009036715828-0.1276297365398248j),
    'power-complex-exponent': (0.5244728367251389+0j),
    'eigh-hermitian-eigenvalues': [[(2.783583369718538+0j), (0.3474156356707013+0.19974484867697084j), (0.021761331813624454-0.14383055196779648j)], [(0.3474156356707013-0.19974484867697084j), (2.066990766563511+0j), (-0.37470643119009117-0.08279594189071038j)], [(0.021761331813624454+0.14383055196779648j), (-0.37470643119009117+0.08279594189071038j), (1.1494258637179522+0j)]],
    'eigh-hermitian-vectors': [[(-0.9022260538151985+0j), (0.536391282360249+0.3848607549981446j), (-0.15756496395498773+0.03479060704394804j)], [(0.536391282360249-0.3848607549981446j), (0.895373353002559+0j), (-0.16462443022445092-0.11993858953360657j)], [(-0.15756496395498773-0.03479060704394804j), (-0.16462443022445092+0.11993858953360657j), (0.006852700812639452+0j)]],
    'eigh-hermitian-jvp': [[(2.7359999999999998+8.881784197001252e-16j), (2.2260000000000018+4.071j), (0.6939999999999993-4.659000000000001j)], [(2.2260000000000013-4.070999999999999j), (-7.220000000000002+0j), (4.492000000000002-0.8799999999999996j)], [(0.6939999999999995+4.659000000000002j), (4.492000000000002+0.8799999999999999j), (-1.4349999999999996-2.7755575615628914e-17j)]],
    'eigvalsh-hermitian': [[(0.17452772254794033+0j), (-0.32547227745205976-0.19528336647123584j)], [(-0.32547227745205976+0.19528336647123584j), (0.8254722774520602+0j)]],
    'cholesky-hermitian': [[(0.14706859195545505+0j), (0.638504118692991+0.3123917930971398j)], [(0.638504118692991-0.3123917930971398j), (0.2744106499742259+0j)]],
    'cholesky-hermitian-vjp': [[(0.26274636360745546+0j), (0.1987113624579005-0.09327934028991929j), (-0.0460848747779769-0.03207216910048987j)], [(0.1987113624579005+0.09327934028991929j), (-0.2968471624620692+0j), (0.32060266141920374+0.07348902125223727j)], [(-0.0460848747779769+0.03207216910048987j), (0.32060266141920374-0.07348902125223727j), (1.0495694125364892+0j)]],
    'svd-complex-values': [[(1.5963610111492095-2.0100436143613516j), (-0.6727223598074833-0.7106264030255721j)], [(-0.44686629638111175+0.5825022623789218j), (1.0809474928380556+0.6298470056952502j)], [(0.04613722629907588+0.0610353965788834j), (0.02615802710523575+0.585764134565765j)]],
    'svd-complex-vectors': [[(0.9413320560825502+0.056803911173362365j), (1.3292763965121017-0.7134311695880559j)], [(2.3346017479116026-0.8455678277867558j), (3.0348447739403923+0.819600715524703j)], [(0.34608752261814235+0.12695174421344868j), (1.4330034880311375+1.7566828020110437j)]],
    'svd-complex-wide-jvp': ([[0.21504837734079238, -0.050387450100903015, -0.16466092723988926], [-0.12494139684807683, 0.09208773938451595, 0.03285365746356087]], [[(-0.030406787433459787+0j), (0.21766081352772615+0.12172029720525493j)], [(0.21766081352772615-0.12172029720525492j), (0.09823117371781649+1.1102230246251565e-16j)]]),
    'qr-complex': [[(-0.5695446035686303+0.6373545302074827j), (-2.162915636277783+0.732229647304147j)], [(-2.1704344587845723-0.7937176540454965j), (-0.38132213670414405+0.2434258234048424j)], [(-1.2338257525846623-1.5074180975464673j), (-0.6460363275199145+1.0141485556903398j)]],
    'eig-complex-eigenvalues': [[(0.9396996590865305-0.03137644469560506j), (-0.33383197855668045-0.013789055408810674j)], [(0.2789760574610342-0.08683018335647368j), (2.0603003409134697-0.968623555304395j)]],
    'eig-real-matrix-eigenvalues': [[2.8436430034471236, 2.2909426294978337, -0.07795080431886581], [-0.5655593258446645, 3.21022607063395, 2.0525924091885734], [3.141718436393088, -3.2318411918596315, 2.826927783770497]],
    'eig-complex-vectors-scale-free': [[(0.04944849817984674+0.09070069639825279j), (0.5217543730451878+0.37538283057759636j)], [(0.11333959739508259+0.007674962938167268j), (-0.04944849817984674-0.09070069639825279j)]],
    'eig-complex-jvp': ([[(-0.25000000000000017+0.3100000000000003j), (0.7700000000000004-0.1700000000000002j)], [(-1.0600000000000003+0.46000000000000046j), (1.850000000000001-0.8900000000000006j)]], [[(-0.029185841384692185+0j), (0.03646689814495392+0.048673018927005596j)], [(0.12466300737056626+0.05247067769510493j), (-0.010921549833919915+0j)]]),
}


def _run(kind, fn, args, extra):
    f = fn(cnp)
    if kind == "grad":
        return cr.grad(f, holomorphic=extra.get("holomorphic", False))(*args)
    if kind == "grad2":
        return cr.grad(f, argnums=(0, 1))(*args)
    if kind == "jvp":
        return cr.jvp(f, args, (np.asarray(extra["tangent"], dtype=np.result_type(args[0])),))[1]
    if kind == "vjp":
        out, pullback = cr.vjp(f, *args)
        return pullback(np.asarray(extra["cotangent"], dtype=np.result_type(out)))[0]
    if kind == "jacfwd":
        return cr.jacfwd(f, holomorphic=extra.get("holomorphic", False))(*args)
    if kind == "jacrev":
        return cr.jacrev(f, holomorphic=extra.get("holomorphic", False))(*args)
    raise ValueError(kind)


@pytest.mark.parametrize("name,kind,fn,args,extra", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_agrees_with_jax(name, kind, fn, args, extra):
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # never a ComplexWarning
        got = _run(kind, fn, args, extra)
    want = JAX[name]
    got_leaves = got if isinstance(got, tuple) else (got,)
    want_leaves = want if isinstance(want, tuple) else (want,)
    for g, w, a in zip(got_leaves, want_leaves, args if kind == "grad2" else args * 2):
        np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-12, atol=1e-12)
        if kind.startswith("grad") and np.asarray(a).dtype.kind == "f":
            # the gradient of a real input is real (its cotangent's real part)
            assert np.asarray(g).dtype.kind == "f", (name, np.asarray(g).dtype)


# ---- the transforms and applications on complex values ----------------------------------
def test_vmap_of_complex_functions_and_their_gradients():
    z = np.array([1.0 + 1.0j, -2.0 + 0.5j, 0.3j])
    f = lambda z: cnp.abs(cnp.sin(z)) ** 2
    np.testing.assert_allclose(cr.vmap(f)(z), [f(w) for w in z], rtol=1e-14)
    np.testing.assert_allclose(cr.vmap(cr.grad(f))(z), [cr.grad(f)(w) for w in z], rtol=1e-14)
    g = cr.vmap(cr.grad(cnp.sin, holomorphic=True))(z)
    np.testing.assert_allclose(g, np.cos(z), rtol=1e-14)


def test_checkpoint_on_complex_values():
    f = lambda z: cnp.abs(cnp.exp(1j * z) * cnp.conj(z)) ** 2
    z = 0.4 - 0.7j
    want = cr.grad(f)(z)
    np.testing.assert_allclose(cr.grad(cr.checkpoint(f))(z), want, rtol=1e-14)
    # ∂u/∂x − i ∂u/∂y for u = Re sin: sin'(z) itself (Cauchy–Riemann)
    np.testing.assert_allclose(cr.grad(lambda z: cr.checkpoint(cnp.sin)(z).real)(z),
                               np.cos(z), rtol=1e-14)


def test_gmres_on_a_complex_matrix_and_a_complex_jvp():
    from chainrule.solvers import gmres
    rng = np.random.default_rng(0)
    n = 30
    A = 3 * np.eye(n) + 0.3 * (rng.standard_normal((n, n)) + 1j * rng.standard_normal((n, n)))
    b = rng.standard_normal(n) + 1j * rng.standard_normal(n)
    for orth in ("mgs", "cgs2"):
        for restart in (4, 30):
            x, info = gmres(A, b, tol=1e-12, restart=restart, orthogonalization=orth)
            assert info.converged and x.dtype == np.complex128
            np.testing.assert_allclose(A @ x, b, atol=1e-10)
    # a real b with a complex operator, and the operator given as the JVP of a holomorphic map
    z = rng.standard_normal(n) + 0.5j * rng.standard_normal(n)
    F = lambda w: cnp.sin(w) + 2.0 * w                      # J = diag(cos z + 2)
    jv = lambda v: cr.jvp(F, (z,), (v,))[1]
    with pytest.raises(TypeError, match="complex"):   # a real b: the iterate would be real
        gmres(A, np.ones(n))
    x, info = gmres(jv, np.ones(n, complex), tol=1e-12)
    assert info.converged
    np.testing.assert_allclose(x, 1.0 / (np.cos(z) + 2.0), rtol=1e-10)


def test_explain_shows_complex_values():
    e = cr.explain(lambda z: cnp.abs(z * (1 + 2j)) ** 2, 1.0 - 0.5j, quiet=True)
    text = str(e)
    assert "1-0.5j" in text and "2+1.5j" in text and "10+5j" in text
    assert "(4-3j) · (1+2j) = 10+5j" in text
    np.testing.assert_allclose(e.gradient[0], cr.grad(lambda z: cnp.abs(z * (1 + 2j)) ** 2)(1 - 0.5j))
    # a real input through complex intermediates: a real gradient, no ComplexWarning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        e = cr.explain(lambda x: cnp.abs(x * (1 + 1j)), 1.0, quiet=True)
    assert np.asarray(e.gradient[0]).dtype.kind == "f"
    np.testing.assert_allclose(e.gradient[0], np.sqrt(2), rtol=1e-14)


def test_values_of_conjugating_functions_agree_with_numpy():
    """NumPy conjugates inside vdot (first argument), correlate (second), cov and corrcoef."""
    a = np.array([1 + 1j, 2.0, 3 - 1j])
    b = np.array([0.5j, 1.0, 2 - 1j])
    c = np.array([1j, 2.0])
    np.testing.assert_allclose(cnp.vdot(a, b), np.vdot(a, b))
    for mode in ("full", "same", "valid"):
        np.testing.assert_allclose(cnp.correlate(a, b, mode), np.correlate(a, b, mode))
        np.testing.assert_allclose(cnp.correlate(c, a, mode), np.correlate(c, a, mode))
    z = np.stack([a, b])
    np.testing.assert_allclose(cnp.cov(z), np.cov(z))
    np.testing.assert_allclose(cnp.corrcoef(z), np.corrcoef(z))
