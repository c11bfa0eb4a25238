"""Gradients the caller owns (issue 14's cheaper check): a gradient leaf that is, or is a
view of, an input or another gradient is copied, however the arrays' memory was
obtained."""

import mmap

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.transforms.args import ArraySet

# A custom rule that hands back the array it is given: the gradient is then exactly that
# array (an input, another leaf), the case the ownership check exists for.
pass_through = cr.custom_vjp(lambda x, c: cnp.sum(x * c))
pass_through.defvjp(lambda x, c: (cnp.sum(x * c), c), lambda c, g: (c, None))


def _views(base):
    """Arrays over ``base``'s memory, made in the ways NumPy offers."""
    n = base.size
    return {
        "itself": base,
        "slice": base[1:],
        "reversed": base[::-1],
        "reshape": base.reshape(2, n // 2)[0],
        "frombuffer": np.frombuffer(base, dtype=base.dtype),
        "ndarray(buffer=)": np.ndarray((n,), base.dtype, buffer=base),
        "as_strided": np.lib.stride_tricks.as_strided(base, (n,), base.strides),
        "memoryview": np.asarray(memoryview(base)),
    }


@pytest.mark.parametrize("how", list(_views(np.zeros(4))))
def test_array_set_finds_memory_shared_however_made(how):
    base = np.arange(4.0)
    view = _views(base)[how]
    other = np.arange(4.0)
    for filed, probe in (([base], view), ([view], base), ([other, view], base[2:])):
        s = ArraySet(filed)
        assert s.overlaps(probe) == any(np.shares_memory(probe, a) for a in filed)
    assert not ArraySet([base]).overlaps(other)
    assert not ArraySet([base[:2]]).overlaps(base[2:])  # one owner, disjoint halves


def test_array_set_memory_from_a_buffer_no_array_owns():
    buf = mmap.mmap(-1, 64)
    a = np.frombuffer(buf, dtype=np.float64)
    b = np.frombuffer(buf, dtype=np.float64)[2:]  # another array over the same buffer
    assert ArraySet([a]).overlaps(b) and ArraySet([b]).overlaps(a)
    assert not ArraySet([a[:2]]).overlaps(b)
    del a, b


@pytest.mark.parametrize("how", list(_views(np.zeros(4))))
def test_gradient_equal_to_an_input_is_copied(how):
    base = np.arange(1.0, 5.0)
    c = _views(base)[how]
    p = {"w": np.ones(c.shape), "b": np.ones(3)}
    before = base.copy()
    g = cr.grad(lambda p, c: pass_through(p["w"], c) + cnp.sum(p["b"]))(p, c)
    assert not np.shares_memory(g["w"], base) and g["w"].flags.writeable
    np.testing.assert_array_equal(g["w"], c)
    g["w"] += 1.0
    np.testing.assert_array_equal(base, before)


def test_gradient_equal_to_another_input_leaf_is_copied():
    # The differentiated leaves are views of one array, and a gradient is one of them.
    base = np.arange(6.0)
    p = {"a": base[:3], "b": base[3:]}
    g = cr.grad(lambda p: pass_through(p["a"], p["b"]))(p)
    np.testing.assert_array_equal(g["a"], base[3:])
    assert not np.shares_memory(g["a"], base) and not np.shares_memory(g["b"], base)


def test_two_leaves_given_one_closure_constant_get_separate_arrays():
    c = np.arange(1.0, 4.0)
    f = lambda p: pass_through(p["a"], c) + pass_through(p["b"], c)  # noqa: E731
    g = cr.grad(f)({"a": np.ones(3), "b": np.ones(3)})
    np.testing.assert_array_equal(g["a"], c)
    np.testing.assert_array_equal(g["b"], c)
    assert not np.shares_memory(g["a"], g["b"])


class _Tagged(np.ndarray):
    """A user's ndarray subclass (np.memmap, np.recarray are others)."""


@pytest.mark.parametrize("kind", ["memmap", "subclass"])
def test_results_never_alias_the_callers_ndarray_subclasses(kind, tmp_path):
    # own() once took only exact np.ndarray for an array: a memmap or a subclass came back
    # as it was, so a vjp of the identity returned the caller's cotangent itself (writing
    # into the "gradient" wrote the caller's file), and jvp its primal and tangent.
    def make(values):
        if kind == "subclass":
            return np.array(values).view(_Tagged)
        m = np.memmap(tmp_path / f"{len(list(tmp_path.iterdir()))}.dat", dtype=np.float64,
                      mode="w+", shape=(len(values),))
        m[:] = values
        return m
    x, ct = make([1.0, 2.0, 3.0]), make([0.5, -1.0, 2.0])
    before = (np.array(x), np.array(ct))
    out, back = cr.vjp(lambda y: y, x)
    (g,) = back(ct)
    p, t = cr.jvp(lambda y: y, (x,), (ct,))
    w = cr.grad(lambda w, c: pass_through(w, c))(np.ones(3), ct)
    results = {"vjp primal": out, "vjp cotangent": g, "jvp primal": p, "jvp tangent": t,
               "grad": w}
    for name, r in results.items():
        for a in (x, ct):
            assert not np.shares_memory(r, a), name
        r[...] = 7.0
    np.testing.assert_array_equal(x, before[0])
    np.testing.assert_array_equal(ct, before[1])


@pytest.mark.parametrize("transform", ["grad", "value_and_grad", "vjp", "jvp"])
def test_aux_never_aliases_the_callers_arguments(transform):
    # ``return loss, x`` hands back the caller's x through its tracer; a write into the
    # aux must not change the argument. An aux array of the function's own is untouched,
    # and a non-array leaf comes back as it was returned.
    x = np.arange(3.0)
    mine = np.ones(2)

    def f(x):
        return cnp.sum(x * x), {"x": x, "view": x[1:], "mine": mine, "n": 3, "s": 0.5}

    if transform == "grad":
        _, aux = cr.grad(f, has_aux=True)(x)
    elif transform == "value_and_grad":
        (_, aux), _ = cr.value_and_grad(f, has_aux=True)(x)
    elif transform == "vjp":
        _, _, aux = cr.vjp(f, x, has_aux=True)
    else:
        _, _, aux = cr.jvp(f, (x,), (np.ones(3),), has_aux=True)
    assert not np.shares_memory(aux["x"], x) and not np.shares_memory(aux["view"], x)
    np.testing.assert_array_equal(aux["x"], [0.0, 1.0, 2.0])
    np.testing.assert_array_equal(aux["view"], [1.0, 2.0])
    aux["x"][:] = -1.0
    aux["view"][:] = -1.0
    np.testing.assert_array_equal(x, [0.0, 1.0, 2.0])
    assert aux["mine"] is mine and aux["n"] == 3 and type(aux["s"]) is float
