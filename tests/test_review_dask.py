"""A hostile review of the array-namespace seam on the CPU (Dask and array-api-strict):
each test failed before its fix. Dask runs on the synchronous scheduler; "nothing
computed" is checked with a scheduler that raises."""

import functools
import warnings

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")

import chainrule as cr  # noqa: E402
import chainrule.numpy as cnp  # noqa: E402


def _forbid(dsk, keys, **kwargs):
    raise AssertionError("a Dask graph was computed before the caller asked")


def _compute(x):
    return dask.compute(x, scheduler="sync")[0]


def _lazy(f):
    """``f()`` with computing refused: everything it returns is lazy."""
    with dask.config.set(scheduler=_forbid):
        return f()


RNG = np.random.default_rng(7)
A = RNG.uniform(0.5, 1.5, (4, 6))
TALL = RNG.standard_normal((6, 3))


# ---- diagonals: the transpose of diagonal wrote a Dask cotangent into a NumPy array,
# computing it in the backward pass (outside the guard) -------------------------------------
@pytest.mark.parametrize("f", [
    lambda x: cnp.trace(x[:, :4]),
    lambda x: cnp.sum(cnp.diag(x[:, :4]) ** 2),
    lambda x: cnp.einsum("ii->", x[:, 1:5]),
    lambda x: cnp.sum(cnp.diagonal(x, 1)[:2] * cnp.diagonal(x, -2)),
], ids=["trace", "diag", "einsum-trace", "diagonal-offsets"])
def test_diagonal_gradients_stay_lazy(f):
    x = da.from_array(A, chunks=(2, 3))
    g = _lazy(lambda: cr.grad(f)(x))
    assert isinstance(g, da.Array) and g.chunks == x.chunks
    np.testing.assert_allclose(_compute(g), cr.grad(f)(A), rtol=1e-13)
    t = np.linspace(-1.0, 1.0, A.size).reshape(A.shape)
    out, tan = _lazy(lambda: cr.jvp(f, (x,), (t,)))
    np.testing.assert_allclose(_compute(tan), cr.jvp(f, (A,), (t,))[1], rtol=1e-13)


# ---- linalg: Dask's cholesky is the upper factor by default; qr's and svd's NumPy
# keywords are not Dask's ----------------------------------------------------------------
def test_cholesky_of_a_dask_array_is_the_lower_factor():
    spd = TALL.T @ TALL + np.eye(3)
    x = da.from_array(spd, chunks=3)
    np.testing.assert_allclose(_compute(_lazy(lambda: cnp.linalg.cholesky(x))),
                               np.linalg.cholesky(spd), rtol=1e-13)

    def f(m):
        return cnp.sum(cnp.linalg.cholesky(m.T @ m + np.eye(3)) * np.arange(9.0).reshape(3, 3))
    t = da.from_array(TALL, chunks=(2, 3))
    g = _lazy(lambda: cr.grad(f)(t))
    np.testing.assert_allclose(_compute(g), cr.grad(f)(TALL), rtol=1e-12)
    with pytest.raises(NotImplementedError, match=r"cholesky of a stack.*Dask"):
        cr.grad(lambda m: cnp.sum(cnp.linalg.cholesky(cnp.stack([m.T @ m] * 2))))(t)


@pytest.mark.parametrize("f", [
    lambda m: cnp.sum(cnp.linalg.qr(m)[1] ** 2),
    lambda m: cnp.sum(cnp.linalg.svd(m, full_matrices=False)[0] ** 4),
    lambda m: cnp.sum(cnp.linalg.svd(m, compute_uv=False)),
    lambda m: cnp.linalg.norm(m, 2),
    lambda m: cnp.linalg.norm(m, "nuc"),
], ids=["qr", "svd", "svdvals", "norm-2", "nuclear"])
def test_reduced_qr_and_svd_of_a_tall_dask_matrix(f):
    # (functions of the factors that do not depend on their columns' signs, which are
    # Dask's own choice)
    x = da.from_array(TALL, chunks=(2, 3))
    g = _lazy(lambda: cr.grad(f)(x))
    assert isinstance(g, da.Array) and g.chunks == x.chunks
    np.testing.assert_allclose(_compute(g), cr.grad(f)(TALL), rtol=1e-10)


def test_full_svd_and_complete_qr_are_refused_naming_them():
    x = da.from_array(TALL, chunks=(2, 3))
    with pytest.raises(NotImplementedError, match=r"svd\(full_matrices=True\).*Dask"):
        cr.grad(lambda m: cnp.sum(cnp.linalg.svd(m)[1]))(x)
    with pytest.raises(NotImplementedError, match=r"qr\(mode='complete'\).*Dask"):
        cr.grad(lambda m: cnp.sum(cnp.linalg.qr(m, mode="complete")[0]))(x)


# ---- the guard against computing: it looked for Dask values only among the arguments and
# the function's own closure cells, and was off during the backward pass ------------------
_DATA = da.from_array(np.arange(12.0).reshape(4, 3) + 5 * np.eye(4, 3), chunks=2)


def _det_of_global(w):
    return cnp.linalg.det(_DATA[:3] * w)


def _det_in_a_comprehension(w):  # the global is read by the comprehension's code
    return [cnp.linalg.det(_DATA[:3] * v) for v in (w,)][0]


def _det_of(w, X):
    return cnp.linalg.det(X[:3] * w)


class _Model:
    def __init__(self, X):
        self.X = X

    def loss(self, w):
        return cnp.linalg.det(self.X[:3] * w)

    __call__ = loss


def _nested():
    X = _DATA

    def inner(w):
        return cnp.linalg.det(X[:3] * w)
    return lambda w: inner(w) * 1.0


@pytest.mark.parametrize("f", [
    _det_of_global, _det_in_a_comprehension, functools.partial(_det_of, X=_DATA),
    _Model(_DATA).loss, _Model(_DATA), _nested()],
    ids=["global", "comprehension", "partial", "method", "callable-object", "nested-closure"])
def test_dask_data_reached_through_globals_partials_and_objects_is_guarded(f):
    from chainrule.transforms.lazy import LazyComputeError
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # Dask's own, before the refusal
        with pytest.raises(LazyComputeError, match=r"numpy\.linalg\.det.*Dask"):
            _lazy(lambda: cr.grad(f)(np.ones(3)))


@cr.custom_vjp
def _converts_in_backward(x):
    return x * 2.0


# a backward rule that converts its cotangent to NumPy (which computes a Dask array)
_converts_in_backward.defvjp(lambda x: (_converts_in_backward(x), None),
                             lambda res, g: (g * 2.0 + np.asarray(g).sum() * 0.0,))


def test_the_backward_pass_is_guarded_too():
    from chainrule.transforms.lazy import LazyComputeError
    x = da.from_array(np.arange(4.0), chunks=2)
    with pytest.raises(LazyComputeError, match="grad: a Dask value was converted"):
        _lazy(lambda: cr.grad(lambda x: cnp.sum(_converts_in_backward(x)))(x))
    pull = cr.vjp(_converts_in_backward, x)[1]
    with pytest.raises(LazyComputeError, match="vjp: a Dask value was converted"):
        _lazy(lambda: pull(da.ones(4, chunks=2)))
    # with NumPy values the same rule runs
    np.testing.assert_array_equal(cr.grad(lambda x: cnp.sum(_converts_in_backward(x)))(
        np.arange(4.0)), 2.0)


# ---- indexing: Dask's item assignment failed at an integer next to a reversed slice ------
@pytest.mark.parametrize("index", [
    (-2, slice(None, None, -1)), (1, slice(None, None, -2)), (None, -1, slice(4, 0, -2)),
    (1, None, Ellipsis, slice(None, None, -3)), (Ellipsis, 0), (np.int64(-2),), (1, -1)],
    ids=str)
def test_integer_and_reversed_slice_indexing_of_a_dask_array(index):
    x3 = np.arange(48.0).reshape(2, 4, 6) / 7.0

    def f(x):
        return cnp.sum(cnp.sin(x[index]) * x[index])
    x = da.from_array(x3, chunks=(1, 2, 3))
    g = _lazy(lambda: cr.grad(f)(x))
    assert g.chunks == x.chunks
    np.testing.assert_allclose(_compute(g), cr.grad(f)(x3), rtol=1e-14)


# ---- unknown chunk sizes (after a boolean index): a graph that failed only when computed,
# Dask's "cannot convert float NaN to integer" from inside a rule, and cnp.mean/var of such
# an array silently nan (Dask's own mean counts the elements) ----------------------------------
def test_unknown_chunk_sizes_mean_and_data_parallel_gradients():
    xn = np.linspace(0.1, 1.2, 8)
    Xn = np.arange(24.0).reshape(8, 3) / 10
    keep_n = xn > 0.5
    x, X = da.from_array(xn, chunks=3), da.from_array(Xn, chunks=(3, 3))
    keep = x > 0.5
    m, Xm = x[keep], X[keep]
    assert np.isnan(m.shape[0])
    np.testing.assert_allclose(_compute(cnp.mean(m)), np.mean(xn[keep_n]), rtol=1e-14)
    np.testing.assert_allclose(_compute(cnp.var(Xm, axis=0, ddof=1)),
                               np.var(Xn[keep_n], axis=0, ddof=1), rtol=1e-13)

    def loss(w, X, y):  # data-parallel over the rows the mask keeps
        return cnp.mean((X @ w - y) ** 2) + cnp.sum(cnp.mean(X * w, axis=0) ** 2)
    w = np.array([0.5, -1.0, 2.0])
    value, g = _lazy(lambda: cr.value_and_grad(loss)(w, Xm, m))
    ev, eg = cr.value_and_grad(loss)(w, Xn[keep_n], xn[keep_n])
    np.testing.assert_allclose(_compute(value), ev, rtol=1e-13)
    np.testing.assert_allclose(_compute(g), eg, rtol=1e-13)
    h = _lazy(lambda: cr.hvp(lambda w: loss(w, Xm, m), (w,), (np.ones(3),))[0])
    np.testing.assert_allclose(_compute(h), cr.hvp(lambda w: loss(w, Xn[keep_n], xn[keep_n]),
                                                   (w,), (np.ones(3),))[0], rtol=1e-13)


def test_unknown_chunk_sizes_are_refused_where_the_shape_is_needed():
    x = da.from_array(np.linspace(0.1, 1.2, 8), chunks=3)
    masked = x[x > 0.5]
    with pytest.raises(ValueError, match=r"grad: argument 0.*unknown chunk sizes.*"
                                         r"compute_chunk_sizes\(\).*cnp\.where"):
        _lazy(lambda: cr.grad(lambda x: cnp.sum(x ** 2))(masked))
    with pytest.raises(ValueError, match=r"jvp: argument 0.*unknown chunk sizes"):
        _lazy(lambda: cr.jvp(lambda x: x ** 2, (masked,), (masked,)))
    X = da.from_array(np.arange(24.0).reshape(8, 3), chunks=(3, 3))[x > 0.5]
    with pytest.raises(ValueError, match="unknown chunk sizes"):  # (max's transpose)
        _lazy(lambda: cr.grad(lambda w: cnp.max(X @ w))(np.ones(3)))
    # what the message advises: the chunk sizes computed first
    Xk = X.compute_chunk_sizes()
    g = _lazy(lambda: cr.grad(lambda w: cnp.max(Xk @ w))(np.ones(3)))
    np.testing.assert_allclose(_compute(g), np.arange(24.0).reshape(8, 3)[-1])


# ---- array-api-strict: NumPy's result_type, ufunc-less functions and partial indices
# converted strict arrays to NumPy (or failed: "Could not convert", "'DType' object has no
# attribute 'kind'", "the multi-axes index only specifies 1 dimensions") ---------------------
@pytest.fixture
def strict(monkeypatch):
    """The strict namespace, with conversion of its arrays to NumPy refused."""
    xp = pytest.importorskip("array_api_strict")
    pytest.importorskip("array_api_compat")
    Array = type(xp.asarray(0.0))

    def refuse(self, *args, **kwargs):
        raise AssertionError("an array-api-strict array was converted to NumPy")
    monkeypatch.setattr(Array, "__array__", refuse)
    monkeypatch.setattr(Array, "__buffer__", refuse, raising=False)
    return xp


STRICT_CASES = {
    "prod": lambda x: cnp.prod(x) + cnp.sum(cnp.prod(x, axis=1)),
    "var-std": lambda x: cnp.var(x) + cnp.sum(cnp.std(x, axis=0, ddof=1)),
    "norm": lambda x: cnp.linalg.norm(x) + cnp.sum(cnp.linalg.norm(x, axis=1)),
    "diff": lambda x: cnp.sum(cnp.diff(x, axis=1) ** 2),
    "logaddexp": lambda x: cnp.sum(cnp.logaddexp(0.5, x) + cnp.logaddexp(x, -x)),
    "real-imag": lambda x: cnp.sum(cnp.real(x * (1 + 2j)) * cnp.imag(x * (2 - 1j))),
    "row-index": lambda x: x[0] @ x[1] + cnp.sum(x[-1] * x[-2, ::-1]) + cnp.sum(x[:1] ** 2),
    "like": lambda x: cnp.sum(x * cnp.full_like(x, 2.0) + cnp.ones_like(x) * x ** 2
                              + cnp.zeros_like(x)),
    "cumsum": lambda x: cnp.sum(cnp.cumsum(x) ** 2) + cnp.sum(cnp.cumsum(x, axis=0) ** 2),
    "roll-tile": lambda x: cnp.sum(cnp.roll(x, 2) * x) + cnp.sum(cnp.tile(x[0], 3) ** 2),
    "triangles": lambda x: cnp.sum(cnp.tril(x, -1) ** 2 + cnp.triu(x, 1) ** 3),
    "diagonals": lambda x: cnp.trace(x) + cnp.trace(x, 1) + cnp.sum(cnp.diag(x) ** 2)
    + cnp.sum(cnp.diagonal(x, -1, 1, 0) ** 3) + cnp.sum(cnp.diag(x[0], 1) ** 2),
    "sort": lambda x: cnp.sum(cnp.sort(x, axis=1)[:, 0] * 2.0)
    + cnp.sum(cnp.sort(x, axis=0)[-1] ** 2) + cnp.sum(cnp.sort(x, axis=None)[:3]),
}


@pytest.mark.parametrize("name", sorted(STRICT_CASES))
def test_reductions_elementwise_and_indexing_on_strict_arrays(name, strict):
    f = STRICT_CASES[name]
    a = A[:, :4]
    x = strict.asarray(a)
    g = cr.grad(f)(x)
    assert type(g) is type(x)
    np.testing.assert_allclose(np.from_dlpack(g), cr.grad(f)(a), rtol=1e-13)
    t = np.linspace(-1.0, 1.0, a.size).reshape(a.shape)
    out, tan = cr.jvp(f, (x,), (strict.asarray(t),))
    assert type(tan) is type(x)
    np.testing.assert_allclose(np.from_dlpack(tan), cr.jvp(f, (a,), (t,))[1], rtol=1e-13)


def test_take_along_axis_of_strict_arrays_with_repeated_indices_is_refused(strict):
    # (the transpose of a permutation is taken along its inverse; a repeated index needs
    # an indexed add, which the standard lacks)
    x = strict.asarray(A[:3, :4])
    with pytest.raises(NotImplementedError, match="not a permutation.*array_api_strict"):
        cr.grad(lambda x: cnp.sum(cnp.take_along_axis(x, np.array([[0, 0, 1, 1]] * 3),
                                                      axis=1)))(x)


def test_einsum_of_strict_arrays_is_refused_naming_it(strict):
    x = strict.asarray(A)
    with pytest.raises(NotImplementedError, match="einsum.*array_api_strict arrays"):
        cr.grad(lambda x: cnp.einsum("ij,ij->", x, x))(x)


def test_full_like_of_a_dask_array_stays_lazy_and_chunked():
    # (it made a NumPy array of the Dask array's full size)
    x = da.ones((10 ** 9,), chunks=10 ** 8)
    y = _lazy(lambda: cnp.full_like(x, 2.0))
    assert isinstance(y, da.Array) and y.chunks == x.chunks
    g = _lazy(lambda: cr.grad(lambda x: cnp.sum(x[:4] * cnp.full_like(x, 3.0)[:4]))(x[:6]))
    np.testing.assert_array_equal(_compute(g), [3.0, 3.0, 3.0, 3.0, 0.0, 0.0])


# ---- Jacobians of Dask inputs were NumPy arrays where the map is linear (made from the
# NumPy basis alone); value_and_grad handed back a 0-d Dask input as the value ---------------
@pytest.mark.parametrize("name, f, jac", [
    ("jacfwd", lambda x: x * 2.0, cr.jacfwd), ("jacrev", lambda x: x - 1.0, cr.jacrev),
    ("jacobian", lambda x: x[::-1] / 4.0, cr.jacobian),
    ("jacobian-scalar", lambda x: cnp.sum(x * 2.0), cr.jacobian),
    ("hessian", lambda x: cnp.sum(x * 3.0), cr.hessian),
    ("hessian-cubic", lambda x: cnp.sum(x ** 3), cr.hessian),
    ("jacfwd-sin", cnp.sin, cr.jacfwd), ("jacrev-product", lambda x: cnp.sin(x) * x, cr.jacrev)])
def test_jacobians_of_dask_inputs_are_lazy_dask_arrays(name, f, jac):
    xn = np.linspace(0.1, 1.0, 5)
    x = da.from_array(xn, chunks=(2, 3))
    J = _lazy(lambda: jac(f)(x))
    assert isinstance(J, da.Array)
    assert J.chunks[-1] == x.chunks[0]  # the columns in x's chunks
    np.testing.assert_allclose(_compute(J), jac(f)(xn), rtol=1e-14, atol=1e-300)


def test_value_and_grad_of_the_identity_does_not_hand_back_the_dask_input():
    x = da.from_array(np.array(2.0))
    value, g = _lazy(lambda: cr.value_and_grad(lambda x: x)(x))
    assert value is not x and g is not x and isinstance(value, da.Array)
    assert _compute(value) == 2.0 and _compute(g) == 1.0


def test_a_slice_bound_computed_from_a_traced_dask_value_is_refused_clearly():
    # (Dask refused the tracer itself: "('Invalid index type', ReverseTracer)")
    x = da.from_array(np.linspace(0.1, 1.2, 8), chunks=3)
    with pytest.raises(TypeError, match=r"lazy.*cnp\.where"):
        _lazy(lambda: cr.grad(lambda x: cnp.sum(x[:cnp.sum(x).astype(int)]))(x))


# ---- mixing libraries: a strict condition in where, a strict constant on the left -----------
def test_mixing_dask_and_strict_arrays_in_where_is_refused_clearly():
    xp = pytest.importorskip("array_api_strict")
    xn = np.linspace(0.1, 1.2, 8)
    x, s = da.from_array(xn, chunks=3), xp.asarray(xn)
    # ("Cannot interpret 'array_api_strict.bool' as a data type" before)
    with pytest.raises(TypeError, match=r"different libraries \(array_api_strict and dask\)"):
        cr.grad(lambda x: cnp.sum(cnp.where(s > 0.5, x, 0.0)))(x)
    g = cr.grad(lambda x: cnp.sum(cnp.where(s > 0.5, x ** 2, 0.0)))(s)
    np.testing.assert_allclose(np.from_dlpack(g), np.where(xn > 0.5, 2 * xn, 0.0))


def test_a_strict_constant_left_of_a_traced_value_in_a_fresh_process():
    # Until a strict array had been the input of a transform, strict's operators raised
    # "Expected Array or Python scalar; got ReverseTracer" for s + x.
    pytest.importorskip("array_api_strict")
    import json
    import subprocess
    import sys
    code = (
        "import json, numpy as np, dask.array as da, array_api_strict as xp\n"
        "import chainrule as cr, chainrule.numpy as cnp\n"
        "s = xp.asarray(np.linspace(0.0, 1.0, 4))\n"
        "g = cr.grad(lambda x: cnp.sum(s * x + s @ x))(np.ones(4))\n"
        "print(json.dumps(np.from_dlpack(g).tolist()))\n"
        "try:\n"
        "    cr.grad(lambda x: cnp.sum(s + x))(da.ones(4, chunks=2))\n"
        "except TypeError as e:\n"
        "    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    # sum(s * x + s @ x): the scalar s @ x is broadcast over 4 elements, so 5 s
    np.testing.assert_allclose(json.loads(lines[0]), 5 * np.linspace(0.0, 1.0, 4))
    assert "different libraries (array_api_strict and dask)" in lines[1]


def test_jit_refuses_a_dask_argument_saying_why():
    # ("an argument leaf of type Array is neither an array nor a number nor hashable")
    x = da.from_array(np.linspace(0.1, 1.0, 5), chunks=2)
    with pytest.raises(TypeError, match=r"jit: an argument is an array of dask.*NumPy arrays "
                                        r"and numbers only.*without jit"):
        cr.jit(lambda x: cnp.sum(x ** 2))(x)
    # a jitted function differentiated, and one closing over Dask data, stay lazy
    g = _lazy(lambda: cr.grad(cr.jit(lambda x: cnp.sum(x ** 2)))(x))
    np.testing.assert_allclose(_compute(g), 2 * np.linspace(0.1, 1.0, 5))
    X = da.from_array(np.arange(12.0).reshape(4, 3) / 10, chunks=(2, 3))
    f = cr.jit(cr.grad(lambda w: cnp.sum(cnp.sin(X @ w))))
    for k in range(3):  # traced, then replayed
        w = np.array([0.5, -0.2, 0.1]) + k
        g = _lazy(lambda: f(w))
        Xn = _compute(X)
        np.testing.assert_allclose(_compute(g), Xn.T @ np.cos(Xn @ w), rtol=1e-13)


# ---- repeat's transpose added into a NumPy array with np.add.at (a TypeError naming
# __array_ufunc__); pad converted its Dask operand to NumPy -----------------------------------
@pytest.mark.parametrize("f", [
    lambda x: cnp.sum(cnp.repeat(x, 2, axis=0) ** 2),
    lambda x: cnp.sum(cnp.sin(cnp.repeat(x, 3, axis=1))),
    lambda x: cnp.sum(cnp.repeat(x, 0, axis=1)) + cnp.sum(x),
    lambda x: cnp.sum(cnp.pad(x, 1) ** 2),
    lambda x: cnp.sum(cnp.pad(x, ((1, 0), (2, 3)), constant_values=1.5) ** 3),
], ids=["repeat-rows", "repeat-columns", "repeat-none", "pad", "pad-widths"])
def test_repeat_and_pad_of_dask_arrays(f):
    x = da.from_array(A, chunks=(2, 3))
    g = _lazy(lambda: cr.grad(f)(x))
    assert isinstance(g, da.Array) and g.chunks == x.chunks
    np.testing.assert_allclose(_compute(g), cr.grad(f)(A), rtol=1e-13)
    t = np.linspace(-1.0, 1.0, A.size).reshape(A.shape)
    tan = _lazy(lambda: cr.jvp(f, (x,), (t,))[1])
    np.testing.assert_allclose(_compute(tan), cr.jvp(f, (A,), (t,))[1], rtol=1e-13)


def test_jvp_tangents_are_in_the_outputs_library():
    # A NumPy tangent of a Dask primal through a linear map came back a NumPy array; a
    # tangent chunked otherwise than the primal gave linearize's J·t its chunks.
    x = da.from_array(A, chunks=(2, 3))
    t = da.from_array(np.ones_like(A), chunks=(3, 4))
    tan = _lazy(lambda: cr.linearize(cnp.sin, x)[1](t))
    assert tan.chunks == x.chunks
    np.testing.assert_allclose(_compute(tan), np.cos(A), rtol=1e-15)
    out, tan = _lazy(lambda: cr.jvp(lambda x: x * 2.0 - 1.0, (x,), (np.ones_like(A),)))
    assert isinstance(tan, da.Array) and tan.chunks == x.chunks
    np.testing.assert_array_equal(_compute(tan), np.full(A.shape, 2.0))
    out, tan = _lazy(lambda: cr.jvp(cnp.sum, (x,), (np.ones_like(A),)))
    assert isinstance(tan, da.Array) and _compute(tan) == A.size


def test_a_comparison_handed_out_of_a_transform_is_dasks_again():
    # A comparison returned as aux refused bool() and float() after the transform too,
    # saying its value was traced.
    x = da.from_array(np.linspace(-1.0, 2.0, 6), chunks=3)
    (_, (mask, positive)), g = cr.value_and_grad(
        lambda x: (cnp.sum(x ** 2), (x > 0, cnp.sum(x) > 0)), has_aux=True)(x)
    assert bool(positive) is True and float(positive) == 1.0
    np.testing.assert_array_equal(_compute(mask), np.linspace(-1.0, 2.0, 6) > 0)
    with pytest.raises(TypeError, match=r"cnp\.where"):  # inside one it is refused
        cr.grad(lambda x: cnp.sum(x) if cnp.sum(x) > 0 else 0.0)(x)


def test_jacobians_and_hessians_of_empty_dask_inputs_are_dask_arrays():
    x = da.from_array(np.zeros(0, np.float32), chunks=1)
    for jac in (cr.jacfwd(cnp.sin), cr.jacrev(cnp.sin), cr.hessian(lambda x: cnp.sum(x ** 3))):
        J = _lazy(lambda: jac(x))
        assert isinstance(J, da.Array) and J.shape == (0, 0) and J.dtype == np.float32


def test_numpy_tangents_and_cotangents_of_strict_primals(strict):
    # t * cos(x) with a NumPy t and a strict x converted x to NumPy.
    xn = np.linspace(0.1, 1.2, 5)
    x = strict.asarray(xn)

    def f(x):
        return cnp.sum(cnp.sin(x) * x ** 2)
    out, tan = cr.jvp(f, (x,), (np.ones(5),))
    np.testing.assert_allclose(np.from_dlpack(tan), np.sum(np.cos(xn) * xn ** 2 + 2 * xn * np.sin(xn)))
    (ct,) = cr.vjp(cnp.sin, x)[1](np.ones(5))
    assert type(ct) is type(x)
    np.testing.assert_allclose(np.from_dlpack(ct), np.cos(xn))
    tan = cr.linearize(cnp.sin, x)[1](np.linspace(0.0, 1.0, 5))
    np.testing.assert_allclose(np.from_dlpack(tan), np.cos(xn) * np.linspace(0.0, 1.0, 5))


# ---- scipy.special: gammaln's and digamma's derivatives call SciPy's polygamma, a Python
# function that converted (computed) its Dask argument --------------------------------------
def test_gammaln_and_digamma_of_dask_arrays_differentiate_lazily():
    pytest.importorskip("scipy")
    import chainrule.scipy.special as csp
    from scipy import special
    xn = np.linspace(0.5, 3.0, 7)
    x = da.from_array(xn, chunks=3)
    g = _lazy(lambda: cr.grad(lambda x: cnp.sum(csp.gammaln(x) + csp.digamma(x)))(x))
    np.testing.assert_allclose(_compute(g), special.digamma(xn) + special.polygamma(1, xn),
                               rtol=1e-13)
    h = _lazy(lambda: cr.hessian(lambda x: cnp.sum(csp.gammaln(x)))(x))
    np.testing.assert_allclose(np.diag(_compute(h)), special.polygamma(1, xn), rtol=1e-13)


# ---- x.at[...].set/add: the scatters copied a Dask array into a NumPy one (computing it) ----
@pytest.mark.parametrize("f", [
    lambda x: cnp.sum(x.at[0, :].set(x[1] * 2.0) ** 2),
    lambda x: cnp.sum(x.at[1:, ::2].add(x[:2, 1::2]) ** 3),
    lambda x: cnp.sum(x.at[1, ::-1].set(x[0] * 2.0) ** 2),
    lambda x: cnp.sum(x.at[-1, ::-2].add(3.0) ** 2),
    lambda x: cnp.sum(x.at[..., 1].add(x[..., 2]) ** 2),
], ids=["set-row", "add-strided", "set-reversed", "add-constant", "add-ellipsis"])
def test_functional_updates_of_dask_arrays(f):
    a = np.arange(1.0, 13.0).reshape(3, 4) / 10
    x = da.from_array(a, chunks=2)
    g = _lazy(lambda: cr.grad(f)(x))
    assert isinstance(g, da.Array) and g.chunks == x.chunks
    np.testing.assert_allclose(_compute(g), cr.grad(f)(a), rtol=1e-13)
    tan = _lazy(lambda: cr.jvp(f, (x,), (np.ones_like(a),))[1])
    np.testing.assert_allclose(_compute(tan), cr.jvp(f, (a,), (np.ones_like(a),))[1], rtol=1e-13)
    np.testing.assert_array_equal(_compute(x), a)  # the caller's array is unchanged


def test_functional_update_at_an_index_array_of_a_dask_array_is_refused_clearly():
    x = da.from_array(np.ones((3, 4)), chunks=2)
    with pytest.raises(NotImplementedError, match=r"x\.at\[.*Dask.*slices and integers"):
        cr.grad(lambda x: cnp.sum(x.at[np.array([0, 2])].set(1.0)))(x)


# ---- integer-array and boolean-mask indices: their transpose needed an indexed add, which
# Dask lacks (NotImplementedError); now added block by block, bit for bit NumPy's ------------
_COLS_MASK = np.array([True, False, True, True, False])


@pytest.mark.parametrize("f", [
    lambda x: cnp.sum(x[np.array([0, 5, 2])] ** 2),
    lambda x: cnp.sum(cnp.sin(x[np.array([1, 1, 4, 1])])),
    lambda x: cnp.sum(x[np.array([-1, 0, -6])] ** 3),
    lambda x: cnp.sum(x[:, np.array([4, 0, 4])] ** 2),
    lambda x: cnp.sum(x[np.array([True, False, True, False, False, True])] ** 2),
    lambda x: cnp.sum(x[:, _COLS_MASK] ** 2),
    lambda x: cnp.sum(x[[3, 3, 0]] * np.arange(15.0).reshape(3, 5)),
    lambda x: cnp.sum(x[np.array([], dtype=int)]) + cnp.sum(x),
    lambda x: cnp.sum(cnp.take(x, [1, 3], axis=1) ** 2),
], ids=["rows", "repeated", "negative", "columns", "row-mask", "column-mask", "list", "empty",
        "take"])
def test_integer_array_and_mask_indices_of_dask_arrays(f):
    a = np.arange(1.0, 31.0).reshape(6, 5) / 10
    x = da.from_array(a, chunks=(2, 3))
    g = _lazy(lambda: cr.grad(f)(x))
    assert isinstance(g, da.Array) and g.chunks == x.chunks
    np.testing.assert_array_equal(_compute(g), cr.grad(f)(a))
    h = _lazy(lambda: cr.hvp(f, (x,), (np.ones_like(a),))[0])
    np.testing.assert_allclose(_compute(h), cr.hvp(f, (a,), (np.ones_like(a),))[0], rtol=1e-13)


# ---- convolve/correlate: the windows were gathered with a 2-D integer index, which Dask
# cannot take ("'>=' not supported between instances of 'list' and 'int'") -----------------
@pytest.mark.parametrize("f", [
    lambda x, w: cnp.sum(cnp.convolve(x, w) ** 2),
    lambda x, w: cnp.sum(cnp.convolve(w, x, "valid") ** 2),
    lambda x, w: cnp.sum(cnp.correlate(x, w, "same") ** 3),
], ids=["full", "valid-short-first", "correlate-same"])
def test_convolutions_of_dask_sequences(f):
    xn, wn = np.linspace(0.1, 1.2, 8), np.array([0.2, 0.5, 0.3])
    x, w = da.from_array(xn, chunks=3), da.from_array(wn, chunks=2)
    gx, gw = _lazy(lambda: cr.grad(f, argnums=(0, 1))(x, w))
    assert gx.chunks == x.chunks and gw.chunks == w.chunks
    ex, ew = cr.grad(f, argnums=(0, 1))(xn, wn)
    np.testing.assert_allclose(_compute(gx), ex, rtol=1e-13)
    np.testing.assert_allclose(_compute(gw), ew, rtol=1e-13)
    gx = _lazy(lambda: cr.grad(f)(x, wn))  # a NumPy kernel
    np.testing.assert_allclose(_compute(gx), ex, rtol=1e-13)
