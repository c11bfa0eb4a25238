"""Review sweep (sweep_meshgrid_equal_odeint): hostile calls printed as OK/BAD/ERR lines against NumPy/SciPy; run
with `PYTHONPATH=src python tools/review_mine/sweep_meshgrid_equal_odeint.py` (slow; not part of the test suite)."""
import warnings
import numpy as np
import chainrule as cr, chainrule.numpy as cnp
def run(name, fn):
    try:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            r = fn()
        if r is not True: print("BAD", name, "->", repr(r)[:300], [str(x.message)[:80] for x in w])
    except Exception as e:
        print("ERR", name, type(e).__name__, str(e)[:300])
a, b, c = np.arange(3.0), np.arange(4.0) + 0.5, np.array([7.0, 8.0])
def eq(u, v):
    return type(u) == type(v) and len(u) == len(v) and all(np.array_equal(p, q) and np.asarray(p).shape == np.asarray(q).shape and np.asarray(p).dtype == np.asarray(q).dtype for p, q in zip(u, v))
for kw in [{}, {"indexing": "ij"}, {"sparse": True}, {"sparse": True, "indexing": "ij"}, {"copy": False}]:
    for args in [(a,), (a, b), (a, b, c), (), (np.float32(2.0), b), (a.reshape(3, 1), b)]:
        run(f"meshgrid {kw} {len(args)}", lambda: eq(cnp.meshgrid(*args, **kw), np.meshgrid(*args, **kw)))
        if args:
            run(f"meshgrid traced {kw} {len(args)}", lambda: eq(list(cr.jvp(lambda *t: tuple(cnp.meshgrid(*t, **kw)), args, tuple(np.ones_like(np.asarray(t)) for t in args))[0]), list(np.meshgrid(*args, **kw))) or (cr.jvp(lambda *t: tuple(cnp.meshgrid(*t, **kw)), args, tuple(np.ones_like(np.asarray(t)) for t in args))[0]))
run("meshgrid type tuple", lambda: (type(np.meshgrid(a, b)), type(cnp.meshgrid(a, b)), type(cr.jvp(lambda a: cnp.meshgrid(a, b)[0], (a,), (a,))[0])))
run("meshgrid grad", lambda: (cr.check_grads(lambda a, b: cnp.sum(cnp.meshgrid(a, b)[0] ** 2 * cnp.meshgrid(a, b)[1]), (a, b), order=2), True)[1])
run("meshgrid vmap", lambda: np.array_equal(cr.vmap(lambda a: cnp.meshgrid(a, b)[0])(np.stack([a, 2 * a])), np.stack([np.meshgrid(a, b)[0], np.meshgrid(2 * a, b)[0]])))
run("meshgrid np dispatch", lambda: cr.grad(lambda a: np.sum(np.meshgrid(a, b)[0]))(a).tolist() == [4.0] * 3)
run("meshgrid no alias", lambda: not np.shares_memory(cnp.meshgrid(a, copy=True)[0], a))
run("meshgrid 0d", lambda: eq(cnp.meshgrid(np.array(2.0)), np.meshgrid(np.array(2.0))))
run("meshgrid jit", lambda: np.array_equal(cr.jit(lambda a: cnp.meshgrid(a, b)[1])(a), np.meshgrid(a, b)[1]))
run("meshgrid bad index", lambda: cnp.meshgrid(a, indexing="xy2"))
run("meshgrid bad index traced", lambda: cr.jvp(lambda a: cnp.meshgrid(a, indexing="xy2")[0], (a,), (a,)))
# array_equal
x = np.array([1.0, np.nan, 2.0])
for u, v, kw in [(x, x, {}), (x, x, {"equal_nan": True}), (a, a, {}), (a, a[:2], {}), (a, a + 1, {}), (a, a.reshape(3, 1), {}), (np.array([1 + 1j, np.nan]), np.array([1 + 1j, np.nan]), {"equal_nan": True}), (np.zeros(0), np.zeros(0), {}), (np.array(1.0), 1.0, {})]:
    run(f"array_equal {u} {v} {kw}", lambda: cr.jvp(lambda t: cnp.array_equal(t, v, **kw), (u,), (np.ones_like(u),))[0] == np.array_equal(u, v, **kw))
    run(f"array_equal type {kw}", lambda: type(cnp.array_equal(u, v, **kw)) == type(np.array_equal(u, v, **kw)))
run("array_equal vmap", lambda: cr.vmap(lambda t: cnp.array_equal(t, a))(np.stack([a, a + 1])).tolist())
run("array_equal jit", lambda: [cr.jit(lambda t: cnp.array_equal(t, a))(t) for t in (a, a + 1)])
run("array_equal grad", lambda: cr.grad(lambda t: cnp.sum(t) * cnp.array_equal(t, a))(a).tolist())
run("np.array_equal dispatch", lambda: cr.jvp(lambda t: np.array_equal(t, t), (a,), (a,))[0])
# odeint
try:
    from chainrule.scipy.integrate import odeint
    import scipy.integrate as si
    t = np.linspace(0, 1, 5)
    run("odeint scalar y0", lambda: (odeint(lambda y, t: -y, 1.0, t).shape, si.odeint(lambda y, t: -y, 1.0, t).shape))
    run("odeint scalar y0 values", lambda: np.allclose(odeint(lambda y, t: -y, 1.0, t), si.odeint(lambda y, t: -y, 1.0, t), rtol=1e-6))
    run("odeint scalar y0 traced shape", lambda: cr.jvp(lambda y0: odeint(lambda y, t: -y, y0, t), (1.0,), (1.0,))[0].shape)
    run("odeint scalar y0 grad", lambda: cr.grad(lambda y0: odeint(lambda y, t: -y, y0, t)[-1, 0])(1.0))
    run("odeint 0d array y0", lambda: (odeint(lambda y, t: -y, np.array(1.0), t).shape, si.odeint(lambda y, t: -y, np.array(1.0), t).shape))
    run("odeint 1d y0", lambda: (odeint(lambda y, t: -y, np.array([1.0]), t).shape, si.odeint(lambda y, t: -y, np.array([1.0]), t).shape))
    run("odeint scalar traced args", lambda: cr.grad(lambda k: odeint(lambda y, t, k: -k * y, 1.0, t, args=(k,))[-1, 0])(1.0))
    run("odeint scalar full_output", lambda: (lambda r: (type(r), len(r), r[0].shape))(odeint(lambda y, t: -y, 1.0, t, full_output=True)))
    run("odeint scalar vmap", lambda: cr.vmap(lambda y0: odeint(lambda y, t: -y, y0, t))(np.array([1.0, 2.0])).shape)
    run("odeint scalar jit", lambda: cr.jit(lambda y0: odeint(lambda y, t: -y, y0, t))(1.0).shape)
    run("odeint scalar tfirst", lambda: (odeint(lambda t, y: -y, 1.0, t, tfirst=True).shape))
    run("odeint int y0", lambda: (odeint(lambda y, t: -y, 1, t).dtype, si.odeint(lambda y, t: -y, 1, t).dtype))
    run("odeint list y0", lambda: (odeint(lambda y, t: -y, [1.0, 2.0], t).shape))
    run("odeint f returns list", lambda: (odeint(lambda y, t: [-y[0]], [1.0], t).shape))
except ImportError as e:
    print("no odeint", e)
