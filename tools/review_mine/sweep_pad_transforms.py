"""Review sweep (sweep_pad_transforms): hostile calls printed as OK/BAD/ERR lines against NumPy/SciPy; run
with `PYTHONPATH=src python tools/review_mine/sweep_pad_transforms.py` (slow; not part of the test suite)."""
import warnings
import numpy as np
import chainrule as cr, chainrule.numpy as cnp
rng = np.random.default_rng(1)
x = rng.normal(size=(3, 4))
def run(name, fn):
    try:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            r = fn()
        if r is not True: print("BAD", name, "->", repr(r)[:300], [str(x.message)[:80] for x in w])
    except Exception as e:
        print("ERR", name, type(e).__name__, str(e)[:300])
cases = [("edge", {}), ("reflect", {}), ("symmetric", {}), ("wrap", {}), ("linear_ramp", {"end_values": (1.0, -2.0)}), ("maximum", {"stat_length": 2}),
         ("minimum", {}), ("mean", {"stat_length": (1, 3)}), ("median", {}), ("median", {"stat_length": 2}), ("constant", {"constant_values": 2.0})]
for mode, kw in cases:
    for pw in [((1, 2), (3, 0)), 5, ((0, 0), (7, 9))]:
        f = lambda x: cnp.pad(x, pw, mode=mode, **kw)
        run(f"check_grads {mode} {pw}", lambda: (cr.check_grads(lambda x: cnp.sum(f(x) ** 3), (x,), order=2, modes=("fwd", "rev")), True)[1])
        run(f"vmap {mode} {pw}", lambda: np.array_equal(cr.vmap(f)(np.stack([x, 2 * x])), np.stack([np.pad(x, pw, mode=mode, **kw), np.pad(2 * x, pw, mode=mode, **kw)])))
        run(f"vmap axis1 {mode} {pw}", lambda: np.array_equal(cr.vmap(f, in_axes=1)(np.stack([x, 2 * x], 1)), np.stack([np.pad(x, pw, mode=mode, **kw), np.pad(2 * x, pw, mode=mode, **kw)])))
        jf = cr.jit(f)
        run(f"jit {mode} {pw}", lambda: np.array_equal(jf(x), np.pad(x, pw, mode=mode, **kw)) and np.array_equal(jf(3 * x), np.pad(3 * x, pw, mode=mode, **kw)))
# linear_ramp traced end_values
run("ramp traced end", lambda: np.array_equal(cr.jvp(lambda e: cnp.pad(x, 2, mode="linear_ramp", end_values=e), (1.5,), (1.0,))[0], np.pad(x, 2, mode="linear_ramp", end_values=1.5)))
run("ramp traced end grad", lambda: (cr.check_grads(lambda e: cnp.sum(cnp.pad(x, 2, mode="linear_ramp", end_values=e) ** 2), (1.5,), order=2), True)[1])
run("ramp traced end vmap", lambda: cr.vmap(lambda e: cnp.pad(x, 2, mode="linear_ramp", end_values=e))(np.array([1.0, 2.0])).shape)
run("ramp traced end pair", lambda: cr.jvp(lambda e: cnp.pad(x, 2, mode="linear_ramp", end_values=(e, 2.0)), (1.5,), (1.0,))[0].shape)
run("ramp end array traced", lambda: cr.jvp(lambda e: cnp.pad(x, 2, mode="linear_ramp", end_values=e), (np.array([[1.0, 2.0], [3.0, 4.0]]),), (np.ones((2, 2)),))[0].shape)
run("constant traced cv", lambda: np.array_equal(cr.jvp(lambda c: cnp.pad(x, 2, constant_values=c), (1.5,), (1.0,))[0], np.pad(x, 2, constant_values=1.5)))
run("np.pad dispatch", lambda: np.array_equal(cr.jvp(lambda x: np.pad(x, 2, mode="reflect"), (x,), (x,))[0], np.pad(x, 2, mode="reflect")))
run("callable mode traced", lambda: cr.jvp(lambda x: cnp.pad(x, 2, mode=lambda v, w, i, k: None), (x,), (x,))[0])
run("empty mode traced", lambda: cr.jvp(lambda x: cnp.pad(x, 2, mode="empty"), (x,), (x,))[0].shape)
run("bad mode untraced", lambda: cnp.pad(x, 2, mode="bogus"))
run("bad mode traced", lambda: cr.jvp(lambda x: cnp.pad(x, 2, mode="bogus"), (x,), (x,)))
run("negative width traced", lambda: cr.jvp(lambda x: cnp.pad(x, -1, mode="edge"), (x,), (x,)))
run("negative width np", lambda: np.pad(x, -1, mode="edge"))
run("float width traced", lambda: cr.jvp(lambda x: cnp.pad(x, 1.5, mode="edge"), (x,), (x,)))
run("float width np", lambda: np.pad(x, 1.5, mode="edge"))
run("unknown kw traced", lambda: cr.jvp(lambda x: cnp.pad(x, 1, mode="edge", foo=1), (x,), (x,)))
run("unknown kw np", lambda: np.pad(x, 1, mode="edge", foo=1))
run("output not alias", lambda: (lambda out: not np.shares_memory(out, x))(cnp.pad(x, 0, mode="edge")))
