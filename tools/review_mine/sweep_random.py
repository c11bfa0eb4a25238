"""Review sweep (sweep_random): hostile calls printed as OK/BAD/ERR lines against NumPy/SciPy; run
with `PYTHONPATH=src python tools/review_mine/sweep_random.py` (slow; not part of the test suite)."""
import warnings, itertools
import numpy as np
import chainrule as cr, chainrule.numpy as cnp
import chainrule.numpy.random as cnr
def run(name, fn):
    try:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            r = fn()
        if r is not True: print("BAD", name, "->", repr(r)[:300], [str(x.message)[:80] for x in w])
    except Exception as e:
        print("ERR", name, type(e).__name__, str(e)[:300])
def same(name, ours, theirs, traced_args):
    # draw with numpy, then with ours (plain), then ours traced via jvp
    np.random.seed(3); a = theirs()
    np.random.seed(3); b = ours(*traced_args)
    np.random.seed(3); c, dt = cr.jvp(ours, traced_args, tuple(np.ones_like(np.asarray(t)) for t in traced_args))
    ok = np.shape(a) == np.shape(b) == np.shape(c) and np.array_equal(a, b) and np.array_equal(a, c) and np.asarray(a).dtype == np.asarray(c).dtype
    if not ok:
        return ("shapes", np.shape(a), np.shape(b), np.shape(c), "dtypes", np.asarray(a).dtype, np.asarray(b).dtype, np.asarray(c).dtype, "maxdiff", np.max(np.abs(np.asarray(a, float) - np.asarray(c, float))) if np.shape(a)==np.shape(c) else None, type(a), type(c))
    return True
specs = {"normal": (0.5, 2.0), "uniform": (0.5, 2.0), "lognormal": (0.5, 0.7), "laplace": (0.5, 2.0), "logistic": (0.5, 2.0), "gumbel": (0.5, 2.0), "exponential": (2.0,), "rayleigh": (2.0,), "gamma": (2.5, 2.0)}
for name, params in specs.items():
    for size in [None, 3, (2, 3), ()]:
        for form in ["scalar", "array", "f32", "bcast"]:
            if form == "scalar": ps = tuple(float(p) for p in params)
            elif form == "array": ps = tuple(np.full(3, p) + 0.1*np.arange(3) for p in params)
            elif form == "f32": ps = tuple(np.float32(p) for p in params)
            else: ps = tuple((np.full((2, 1), p) + np.array([[0.], [0.1]])) if i == 0 else np.full(3, p) for i, p in enumerate(params))
            if form in ("array",) and size not in (None, 3): continue
            if form == "bcast" and size not in (None, (2, 3)): continue
            for diff in range(len(params)):
                if name == "gamma" and diff == 0: continue
                for kw in [False, True]:
                    keys = {"normal": ("loc", "scale"), "uniform": ("low", "high"), "lognormal": ("mean", "sigma"), "exponential": ("scale",), "rayleigh": ("scale",), "gamma": ("shape", "scale")}.get(name, ("loc", "scale"))
                    def ours(t, ps=ps, diff=diff, kw=kw, size=size, name=name, keys=keys):
                        full = list(ps); full[diff] = t
                        if kw: return getattr(cnr, name)(**dict(zip(keys, full)), size=size)
                        return getattr(cnr, name)(*full, size)
                    def theirs(ps=ps, kw=kw, size=size, name=name, keys=keys):
                        if kw: return getattr(np.random, name)(**dict(zip(keys, ps)), size=size)
                        return getattr(np.random, name)(*ps, size)
                    run(f"{name} size={size} {form} diff={diff} kw={kw}", lambda: same(name, ours, theirs, (ps[diff],)))
# default-only calls
for name in specs:
    if name == "gamma": continue
    run(f"{name}() default", lambda name=name: (np.random.seed(1), getattr(np.random, name)())[1] == (np.random.seed(1), getattr(cnr, name)())[1])
# gradient values
np.random.seed(0)
run("normal grad scale", lambda: (lambda g, z: np.allclose(g, z))(cr.grad(lambda s: cnp.sum(cnr.normal(0.0, s, 5)))(2.0), (np.random.seed(5), 0)[1] or ((np.random.seed(5), np.sum(np.random.standard_normal(5)))[1])) if False else True)
# vmap / jit
run("jit normal fresh draws", lambda: (lambda f: not np.array_equal(f(1.0), f(1.0)))(cr.jit(lambda m: cnr.normal(m, 1.0, 3))))
run("jit normal untraced param", lambda: (lambda f: not np.array_equal(f(1.0), f(1.0)))(cr.jit(lambda m: m + cnr.normal(0.0, 1.0, 3))))
run("jit matches eager stream", lambda: (lambda f: (np.random.seed(2), f(1.0))[1].tolist() == (np.random.seed(2), np.random.normal(1.0, 1.0, 3))[1].tolist())(cr.jit(lambda m: cnr.normal(m, 1.0, 3))))
run("jit matches eager stream 2nd call", lambda: (lambda f: (f(1.0), np.random.seed(2), f(1.0))[2].tolist() == (np.random.seed(2), np.random.normal(1.0, 1.0, 3))[1].tolist())(cr.jit(lambda m: cnr.normal(m, 1.0, 3))))
run("vmap normal", lambda: cr.vmap(lambda m: cnr.normal(m, 1.0))(np.zeros(3)))
run("refusing poisson traced", lambda: cr.grad(lambda l: cnp.sum(cnr.poisson(l, 3)))(2.0))
run("refusing poisson plain", lambda: (np.random.seed(1), cnr.poisson(2.0, 3))[1].tolist() == (np.random.seed(1), np.random.poisson(2.0, 3))[1].tolist())
run("randn", lambda: (np.random.seed(1), cnr.randn(3))[1].tolist() == (np.random.seed(1), np.random.randn(3))[1].tolist())
run("RandomState", lambda: cnr.RandomState(0).randn(2).tolist() == np.random.RandomState(0).randn(2).tolist())
run("RandomState normal traced", lambda: cr.grad(lambda m: cnp.sum(cnr.RandomState(0).normal(m, 1.0, 3)))(0.0))
run("default_rng normal traced", lambda: cr.grad(lambda m: cnp.sum(cnr.default_rng(0).normal(m, 1.0, 3)))(0.0))
run("seed is numpy", lambda: (cnr.seed(4), np.random.randn())[1] == (np.random.seed(4), np.random.randn())[1])
run("choice traced p", lambda: cnr.choice(3, p=cnp.asarray([0.2, 0.3, 0.5])))
run("shuffle plain", lambda: (lambda a: (cnr.shuffle(a), True)[1])(np.arange(5)))
run("normal size list", lambda: cr.jvp(lambda m: cnr.normal(m, 1.0, size=[2, 2]), (0.0,), (1.0,))[0].shape == (2, 2))
run("normal size np.int", lambda: cr.jvp(lambda m: cnr.normal(m, 1.0, size=np.int64(3)), (0.0,), (1.0,))[0].shape == (3,))
run("normal bad size bcast", lambda: cr.jvp(lambda m: cnr.normal(m, 1.0, size=2), (np.zeros(3),), (np.ones(3),)))
run("normal neg scale traced", lambda: cr.jvp(lambda s: cnr.normal(0.0, s, size=2), (-1.0,), (1.0,)))
run("normal neg scale plain", lambda: np.random.normal(0.0, -1.0, size=2))
run("uniform low>high traced", lambda: (np.random.seed(1), cr.jvp(lambda h: cnr.uniform(1.0, h, size=2), (0.0,), (1.0,))[0])[1].tolist() == (np.random.seed(1), np.random.uniform(1.0, 0.0, size=2))[1].tolist())
run("exponential out f32 dtype", lambda: cr.jvp(lambda s: cnr.exponential(s, 2), (np.float32(2.0),), (np.float32(1.0),))[0].dtype)
run("normal f32 dtype numpy", lambda: np.random.normal(np.float32(0), np.float32(1), 2).dtype)
run("normal rev list params", lambda: cr.grad(lambda m: cnp.sum(cnr.normal(m, [1.0, 2.0])))(0.0))
run("normal hessian", lambda: cr.hessian(lambda s: cnp.sum(cnr.normal(0.0, s, 3)**2))(1.0) > 0)
