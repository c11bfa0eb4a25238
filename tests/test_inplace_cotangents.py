"""In-place cotangents: the backward pass writes a contribution into a cotangent it owns.

The last use of a cotangent the pass created itself (a product, a sum) may take the
contribution in place (``g *= cos(x)``), with the same arithmetic as the out-of-place
rule, so gradients must be bit-identical to those computed with every rule out of place,
and no array the caller or another cotangent holds may ever be written.
"""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.interpreters import reverse
from chainrule.testing import central_difference

N = 300
X = np.linspace(-0.9, 0.9, N)
Y = np.linspace(0.2, 1.1, N)


@pytest.fixture
def counted(monkeypatch):
    """Count the in-place rules that actually wrote; the rules themselves unchanged."""
    hits = {"n": 0}

    def wrap(r):
        def rule(*args, **params):
            out = r(*args, **params)
            hits["n"] += out is not None
            return out
        return None if r is None else rule
    wrapped = {p: tuple(wrap(r) for r in rules) for p, rules in reverse.inplace_vjp_rules.items()}
    monkeypatch.setattr(reverse, "inplace_vjp_rules", wrapped)
    return hits


def _out_of_place(f, *args, argnums=0):
    saved = dict(reverse.inplace_vjp_rules)
    diagonal = dict(reverse.inplace_diagonal_rules)
    reverse.inplace_vjp_rules.clear()
    reverse.inplace_diagonal_rules.clear()
    try:
        return cr.grad(f, argnums=argnums)(*args)
    finally:
        reverse.inplace_vjp_rules.update(saved)
        reverse.inplace_diagonal_rules.update(diagonal)


PROGRAMS = {
    "affine chain": lambda x: cnp.sum(((x * 0.5 + 0.1) * (x * 0.5 + 0.1) + 0.2) * 3.0),
    "x * x": lambda x: cnp.sum(cnp.sin(x) * cnp.sin(x)),
    # x + y hands g itself to both operands: neither may then be written in place.
    "x + x": lambda x: cnp.sum(cnp.cos(cnp.tanh(x * 2.0) + cnp.tanh(x * 2.0))),
    "cos(x) - x passes g to one operand": lambda x: cnp.sum(cnp.sin(cnp.cos(x * 2.0) - x)),
    "x - x": lambda x: cnp.sum(cnp.exp(cnp.sin(x * 2.0) - cnp.sin(x))),
    "negation": lambda x: cnp.sum(-cnp.tanh(-cnp.sin(x))),
    "unary family": lambda x: cnp.sum(cnp.arctan(cnp.sinh(x * 1.0)) * 2.0),
    "nan-safe family": lambda x: cnp.sum(cnp.log(cnp.sqrt(cnp.exp(x) + 1.0))),
    # h's cotangent already holds a contribution when the square adds its two: the order
    # of the additions must be the out-of-place rules' ((prev + g*h) + h*g).
    "a square after another use": lambda x: (lambda h: cnp.sum((1.0 - h * h) * h))(cnp.tanh(x)),
    "one value, many uses": lambda x: cnp.sum(cnp.sin(x) * 2.0 + cnp.sin(x) * cnp.cos(x)),
}


@pytest.mark.parametrize("name", PROGRAMS)
def test_bit_identical_to_out_of_place_rules(name, counted):
    f = PROGRAMS[name]
    g = cr.grad(f)(X)
    assert counted["n"] > 0, "no rule ran in place: the test would not test anything"
    np.testing.assert_array_equal(g, _out_of_place(f, X))
    # and right: a directional derivative by central differences
    v = np.cos(3 * X)
    fd = float(central_difference(f, (X,), (v,)))
    assert abs(float(g @ v) - fd) <= 1e-6 * (1 + abs(fd))


def test_broadcast_operands_are_summed_not_written():
    # y is (N,), the product (2, N): y's contribution needs a sum, never g's buffer.
    A = np.stack([X, 2 * X])
    f = lambda a, y: cnp.sum(cnp.sin(cnp.sin(a) * y) * 1.5)
    ga, gy = cr.grad(f, argnums=(0, 1))(A, Y)
    oa, oy = _out_of_place(f, A, Y, argnums=(0, 1))
    np.testing.assert_array_equal(ga, oa)
    np.testing.assert_array_equal(gy, oy)
    assert gy.shape == Y.shape


def test_dtype_changes_are_not_written_in_place():
    # float32 cotangent times a float64 array: the product is float64, as out of place.
    x32 = X.astype(np.float32)
    w64 = np.linspace(1.0, 2.0, N)
    f = lambda x: cnp.sum(cnp.sin(x) * w64)
    g = cr.grad(f)(x32)
    o = _out_of_place(f, x32)
    assert g.dtype == o.dtype
    np.testing.assert_array_equal(g, o)
    f32 = lambda x: cnp.sum(cnp.tanh(cnp.sin(x) * 2.0))  # stays float32 throughout
    g32 = cr.grad(f32)(x32)
    assert g32.dtype == np.float32
    np.testing.assert_array_equal(g32, _out_of_place(f32, x32))


def test_complex_cotangent_of_a_real_operand_keeps_its_real_part():
    f = lambda x: cnp.abs(cnp.sum(cnp.sin(x) * (1.0 + 2.0j))) ** 2
    g = cr.grad(f)(X)
    assert g.dtype == np.float64
    np.testing.assert_array_equal(g, _out_of_place(f, X))


def test_a_real_operands_view_of_a_complex_cotangent_is_not_overwritten():
    # x - z with x real, z complex: x's contribution is Re(g), a view of g; z's in-place
    # negation of g must not then flip it (nor may an add hand g on as z's, owned).
    sub = lambda x, y: cnp.abs(cnp.sum((cnp.sin(x * 1.0) - cnp.sin(y * 1.0) * (1 + 2j))
                                       * (2 - 1j))) ** 2
    add = lambda x, y: (lambda s: cnp.abs(cnp.sum(s * (2 - 1j) + s * s)) ** 2)(
        cnp.sin(x * 1.0) + cnp.sin(y * 1.0) * (1 + 2j))
    v = np.cos(3 * X)
    for f in (sub, add):
        gx, gy = cr.grad(f, argnums=(0, 1))(X, Y)
        ox, oy = _out_of_place(f, X, Y, argnums=(0, 1))
        np.testing.assert_array_equal(gx, ox)
        np.testing.assert_array_equal(gy, oy)
        fd = float(central_difference(lambda x: f(x, Y), (X,), (v,)))
        assert abs(float(gx @ v) - fd) <= 1e-6 * (1 + abs(fd))


def test_complex_products_are_never_taken_in_place():
    # A complex x*g and g*x may differ in the last bit (fused multiply-adds), and so may
    # a complex g * f and g *= f of size 1: complex products are never taken in place.
    rng = np.random.default_rng(0)
    z = rng.standard_normal(N) + 1j * rng.standard_normal(N)
    w = rng.standard_normal(N) + 1j * rng.standard_normal(N)
    prod = lambda z, w: cnp.abs(cnp.sum(cnp.sin(cnp.sin(z * 1.0) * cnp.cos(w * 1.0)))) ** 2
    square = lambda z, w: cnp.abs(cnp.sum(cnp.sin(z * w) * cnp.sin(z * w) * w)) ** 2
    one = lambda z, w: cnp.abs(cnp.sum(cnp.square(cnp.sum(z, keepdims=True)) * w)) ** 2
    cases = [(prod, z, w), (square, z, w)] + [(one, z[k:], w[k:]) for k in range(40)]
    for f, a, b in cases:  # size 1 differs for some values only: forty of them
        got = cr.grad(f, argnums=(0, 1))(a, b)
        for u, v in zip(got, _out_of_place(f, a, b, argnums=(0, 1))):
            np.testing.assert_array_equal(u, v)


def test_zero_wins_where_a_derivative_is_infinite():
    # sqrt at 0 has an infinite derivative; where selects the other branch, so the
    # gradient there is exactly 0, not nan, in place as out of place.
    x = X.copy()
    x[::7] = 0.0
    f = lambda x: cnp.sum(cnp.where(x > 0, cnp.sqrt(cnp.abs(x) * 1.0), 0.0) * 2.0)
    g = cr.grad(f)(x)
    assert np.isfinite(g).all()
    np.testing.assert_array_equal(g, _out_of_place(f, x))
    h = lambda x: cnp.sum(cnp.exp(x * 1000.0) * 0.0)  # exp overflows: inf * 0 -> 0
    with np.errstate(over="ignore"):
        np.testing.assert_array_equal(cr.grad(h)(X), _out_of_place(h, X))


def test_inf_and_nan_cotangents_propagate_as_out_of_place():
    x = X.copy()
    x[3] = np.inf
    x[5] = np.nan
    f = lambda x: cnp.sum(cnp.tanh(cnp.sin(x) * 2.0) * 3.0)
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(cr.grad(f)(x), _out_of_place(f, x))


def test_the_callers_arrays_and_the_seed_are_never_written():
    x = X.copy()
    w = Y.copy()
    seed = np.ones(N)
    out, vjp_fn = cr.vjp(lambda x: cnp.tanh(cnp.sin(x) * w) + 1.0, x)
    (gx,) = vjp_fn(seed)
    np.testing.assert_array_equal(x, X)
    np.testing.assert_array_equal(w, Y)
    np.testing.assert_array_equal(seed, np.ones(N))
    assert gx is not seed


def test_identity_and_size_zero_and_size_one():
    for x in (np.zeros(0), np.ones(1), np.float64(0.5)):
        f = lambda x: cnp.sum(cnp.sin(x * 1.0) * 2.0 + 0.0)
        np.testing.assert_array_equal(cr.grad(f)(x), _out_of_place(f, x))
    x = X.copy()
    g = cr.grad(lambda x: cnp.sum(x))(x)
    g[0] = 99.0  # the gradient is the caller's to write: x must not change
    np.testing.assert_array_equal(x, X)


def test_second_order_runs_the_rules_out_of_place_on_tracers():
    f = lambda x: cnp.sum(cnp.sin(x) * cnp.sin(x) * 0.5)
    v = np.cos(X)
    (hv,) = cr.hvp(f, (X,), (v,))
    expected = np.cos(2 * X) * v  # d²/dx² sin²(x)/2 = cos 2x
    np.testing.assert_allclose(hv, expected, rtol=1e-12, atol=1e-12)


def test_a_cotangent_another_trace_recorded_is_not_written():
    # Reverse over reverse in y only: x's values are plain arrays, y's are the outer
    # trace's. The inner pass computes g * v for u (v holds y: the outer trace records
    # that product, keeping g); v's contribution u * g must then not be g *= u.
    c = np.linspace(1.0, 2.0, N)
    f = lambda x, y: cnp.sum((cnp.sin(x) * (x * cnp.cos(y))) * c)
    h = lambda y: cnp.sum(cr.grad(f, argnums=0)(X, y) * 1.0)
    v = np.cos(3 * X)
    g = cr.grad(h)(Y)
    fd = float(central_difference(h, (Y,), (v,)))
    assert abs(float(g @ v) - fd) <= 1e-6 * (1 + abs(fd))


def test_a_square_takes_both_contributions_in_two_operations(monkeypatch):
    # x * x: g*x + x*g is exactly 2·(g*x), written into g with no new array.
    calls = []
    rule = reverse.inplace_diagonal_rules[cnp.multiply]
    monkeypatch.setitem(reverse.inplace_diagonal_rules, cnp.multiply,
                        lambda *a: calls.append(1) or rule(*a))
    def f(x):
        t = cnp.tanh(x * 1.5)          # one value used twice: a square
        return cnp.sum(t * t * 2.0)

    def h(x):                          # complex arithmetic after the real square
        t = cnp.tanh(x * 1.5)
        return cnp.abs(cnp.sum(t * t * (2.0 + 1.0j))) ** 2
    for fn, x in ((f, X), (f, X.astype(np.float32)), (h, X)):
        calls.clear()
        g = cr.grad(fn)(x)
        np.testing.assert_array_equal(g, _out_of_place(fn, x))
        assert g.dtype == x.dtype
        assert calls, "the square's in-place rule was not used"
    y = X * 0.5
    sq = lambda x: cnp.sum((x * 2.0) * (x * 2.0) * 3.0)
    np.testing.assert_allclose(cr.grad(sq)(y), 24.0 * y, rtol=1e-15)


def test_a_square_whose_cotangent_is_not_ours_computes_one_product(monkeypatch):
    # sum(h * h): h*h's cotangent is the sum's broadcast seed, which the pass may not
    # write into; g*h and h*g are equal for real arrays, so one product is computed and
    # added twice, with the same bits as the two out-of-place products.
    used = []
    diagonal = reverse._diagonal
    monkeypatch.setattr(reverse, "_diagonal", lambda *a: used.append(diagonal(*a)) or used[-1])
    programs = [lambda x: cnp.sum(cnp.tanh(x) * cnp.tanh(x)),      # two values: not a square
                lambda x: (lambda h: cnp.sum(h * h))(cnp.tanh(x)),
                lambda x: (lambda h: cnp.sum(h * h) + cnp.sum(h) * 0.5)(cnp.tanh(x))]
    for k, f in enumerate(programs):
        for x in (X, X.astype(np.float32), X[:1], X[:0]):
            used.clear()
            g = cr.grad(f)(x)
            np.testing.assert_array_equal(g, _out_of_place(f, x))
            assert g.dtype == x.dtype
            assert used == ([] if k == 0 else [True]), (k, x.shape, used)
    # complex values take the two out-of-place products (complex products need not commute
    # bit for bit): the shortcut declines
    used.clear()
    z = X * (1.0 + 0.5j)
    f = lambda z: cnp.real(cnp.sum(z * z))
    np.testing.assert_array_equal(cr.grad(f)(z), _out_of_place(f, z))
    assert used == [False]


def test_the_default_threshold_and_the_long_records_give_the_same_bits(monkeypatch):
    # conftest sets lean_tape["min_bytes"] = 0: the default 4096 (small arrays neither
    # dropped nor owned, so the written-out step of compact records declines to own them
    # while the long records' step owns any size) and lean_tape off must give the same
    # bits, for arrays on both sides of the threshold, Python floats (scalar records
    # laid out field by field) and a caller's cotangent, which must stay unwritten.
    from chainrule.interpreters.reverse import lean_tape
    idx = np.array([0, 2, 2, 1])
    programs = [
        lambda x: cnp.sum(cnp.sin(x) * cnp.sin(x) + 2.0 * x - (1.5 - x) * x),
        lambda x: sum(x[i] * x[i + 1] for i in range(3)) + cnp.sum(cnp.tanh(x) * x),
        lambda x: cnp.sum(x[idx] * x[idx] * 0.5) + cnp.sum(cnp.exp(x * x) / (x * x + 1.0)),
        lambda x: x * x * x - 2.0 * x if np.ndim(x) == 0 else cnp.sum(x - x * 3.0),
    ]
    points = [X[:8] + 0.3, np.linspace(-0.9, 0.9, 700), np.linspace(-0.9, 0.9, 700, dtype=np.float32),
              0.7, np.float64(-0.4)]

    def bits(f, x):
        ct = np.cos(np.arange(np.size(x), dtype=np.result_type(x))).reshape(np.shape(x)) + 0.25
        before = ct.copy()
        vs = []
        for h in (lambda y: f(y) * y, lambda y: y * y + 1.0, lambda y: 2.0 - cnp.sin(y) * y):
            vs.append(cr.vjp(h, x)[1](ct)[0])  # (the constant's step receives ct itself)
            assert ct.tobytes() == before.tobytes(), "the caller's cotangent was written"
        return [np.asarray(a).tobytes() for a in (cr.grad(f)(x), *vs, cr.grad(cr.grad(f))(x)
                                                 if np.ndim(x) == 0 else b"")]

    for k, f in enumerate(programs):
        for x in points:
            if np.ndim(x) == 0 and k in (1, 2):
                continue  # (indexing)
            reference = bits(f, x)
            for settings in ({"min_bytes": 4096}, {"enabled": False}):
                for key, value in settings.items():
                    monkeypatch.setitem(lean_tape, key, value)
                assert bits(f, x) == reference, (settings, np.shape(x))
                monkeypatch.setitem(lean_tape, "min_bytes", 0)
                monkeypatch.setitem(lean_tape, "enabled", True)


def test_indexed_contributions_added_in_place_give_the_out_of_place_bits(monkeypatch):
    # The out-of-place rule of x[index] adds zeros with g written at the index: prev + g at
    # the index, prev + 0.0 elsewhere, and for an integer-array index np.add.at's sum of
    # repeated entries before they meet prev. The in-place form (an owned cotangent) adds g
    # at a slice only: the same bits, except that a -0.0 outside the slice stays -0.0 (the
    # + 0.0 would cost a pass over the whole cotangent per step); an integer-array index
    # takes the out-of-place rule, bit for bit.
    from chainrule.interpreters.reverse import lean_tape, accumulate_rules
    monkeypatch.setitem(lean_tape, "min_bytes", 0)
    M = np.linspace(-1.0, 1.0, 42).reshape(6, 7)
    tiny = np.array([1.2e-16, 1.2e-16])
    exact = {  # no -0.0 in play: the same bits
        "repeated integer index": (X, lambda x: cnp.sum(x[np.array([0, 0])] * tiny) + cnp.sum(x)),
        "a row loop": (M, lambda m: sum(cnp.sum(m[i] * (i + 0.5)) for i in range(6))),
        "two slices (a stencil)": (X, lambda x: cnp.sum((x[1:] - x[:-1] ** 2) ** 2)
                                   + cnp.sum(x[2:-3] * x[3:-2])),
    }
    signed = {  # -0.0 outside a slice: equal values, other bits only on zeros' signs
        "signed zeros around a slice": (X, lambda x: cnp.sum(x[1:] * 0.0) + cnp.sum(x * -0.0)),
        "two slices (a stencil)": (X, lambda x: cnp.sum((x[1:] - x[:-1] ** 2) ** 2 * -0.0)
                                   + cnp.sum(x[2:-3] * x[3:-2]) + cnp.sum(x * -0.0)),
        "a box of a matrix": (M, lambda m: cnp.sum(m[1:4, 2:] * -0.0) + cnp.sum(m[2] * 3.0)
                              + cnp.sum(m[..., 1:3] * 0.5) + cnp.sum(m * -0.0)),
        "an int, -1 and an Ellipsis": (M, lambda m: cnp.sum(m[-1] * -0.0) + cnp.sum(m[0, ..., 3])
                                       + cnp.sum(m * -0.0)),
        "strided and reversed slices": (X, lambda x: cnp.sum(x[::2] * -0.0) + cnp.sum(x[::-1] * x)
                                        + cnp.sum(x * -0.0)),
        "an empty slice": (X, lambda x: cnp.sum(x[5:5] * 2.0) + cnp.sum(x * -0.0)),
        "size one": (np.array([0.5]), lambda x: cnp.sum(x[0:1] * -0.0) + cnp.sum(x[:0] * 1.0)
                     + cnp.sum(x * -0.0)),
    }
    for programs, bit_exact in ((exact, True), (signed, False)):
        for name, (x, f) in programs.items():
            in_place = cr.grad(f)(x)
            saved = dict(accumulate_rules)
            accumulate_rules.clear()
            try:
                reference = cr.grad(f)(x)
            finally:
                accumulate_rules.update(saved)
            if bit_exact:
                assert in_place.tobytes() == reference.tobytes(), name
            else:
                differ = (in_place != reference) | (np.signbit(in_place) != np.signbit(reference))
                assert np.array_equal(in_place, reference) and np.all(in_place[differ] == 0), name
    # (the signed-zero programs do reach -0.0: a test that could not fail would not test)
    assert np.signbit(cr.grad(lambda x: cnp.sum(x * -0.0))(X)).all()


def test_a_loop_over_rows_accumulates_each_row_in_place(monkeypatch):
    # One row's cotangent per step, added into the slice of the owned cotangent: no full-size
    # zeros and no full-size sum per row (a loop over n rows would be quadratic in n).
    from chainrule.interpreters.reverse import lean_tape, accumulate_rules
    from chainrule.core.primitive import Primitive
    monkeypatch.setitem(lean_tape, "min_bytes", 0)
    getitem = next(p for p in accumulate_rules if isinstance(p, Primitive) and p.name == "getitem")
    rule = accumulate_rules[getitem]
    taken = []
    monkeypatch.setitem(accumulate_rules, getitem,
                        lambda *a, **k: taken.append(rule(*a, **k)) or taken[-1])
    m = np.linspace(-1.0, 1.0, 60).reshape(20, 3)
    g = cr.grad(lambda m: sum(cnp.sum(cnp.sin(m[i])) for i in range(20)))(m)
    np.testing.assert_allclose(g, np.cos(m), rtol=1e-15)
    assert taken.count(True) == 19  # every row after the first one written
