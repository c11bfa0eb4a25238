"""Review sweep (sweep_rosenbrock): hostile calls printed as OK/BAD/ERR lines against NumPy/SciPy; run
with `PYTHONPATH=src python tools/review_mine/sweep_rosenbrock.py` (slow; not part of the test suite)."""
import warnings
import numpy as np, scipy.optimize as so
import chainrule as cr, chainrule.numpy as cnp, chainrule.scipy.optimize as copt
def run(name, fn):
    try:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            r = fn()
        if r is not True: print("BAD", name, "->", repr(r)[:300], [str(x.message)[:80] for x in w])
    except Exception as e:
        print("ERR", name, type(e).__name__, str(e)[:200])
def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return (a.shape == b.shape and a.dtype == b.dtype and np.allclose(a, b, rtol=1e-13, atol=0)) or (a.shape, b.shape, a.dtype, b.dtype, a, b)
rng = np.random.default_rng(0)
inputs = {"2": rng.normal(size=2), "5": rng.normal(size=5), "1": np.array([0.5]), "list": [0.5, 1.5, -1.0], "int": np.array([1, 2, 3]), "f32": rng.normal(size=4).astype(np.float32), "2d": rng.normal(size=(3, 4)), "0d": np.array(0.5), "3": rng.normal(size=3)}
for n, x in inputs.items():
    for fn in ["rosen", "rosen_der", "rosen_hess"]:
        def go(x=x, fn=fn):
            try: ref = getattr(so, fn)(x)
            except Exception as e: ref = e
            try: got = getattr(copt, fn)(x)
            except Exception as e: got = e
            if isinstance(ref, Exception) or isinstance(got, Exception):
                return True if type(ref) == type(got) else (repr(ref)[:80], repr(got)[:80])
            return same(got, ref)
        run(f"{fn} {n}", go)
    run(f"rosen_hess_prod {n}", lambda x=x: same(copt.rosen_hess_prod(x, np.ones(np.shape(x))), so.rosen_hess_prod(x, np.ones(np.shape(x)))))
x = rng.normal(size=4)
run("grad rosen", lambda: same(cr.grad(copt.rosen)(x), so.rosen_der(x)))
run("hess rosen", lambda: same(cr.hessian(copt.rosen)(x), so.rosen_hess(x)))
run("jac rosen_der", lambda: same(cr.jacobian(copt.rosen_der)(x), so.rosen_hess(x)))
run("vmap rosen", lambda: same(cr.vmap(copt.rosen)(np.stack([x, 2 * x])), [so.rosen(x), so.rosen(2 * x)]))
run("vmap rosen_hess", lambda: same(cr.vmap(copt.rosen_hess)(np.stack([x, 2 * x])), [so.rosen_hess(x), so.rosen_hess(2 * x)]))
run("rosen_hess no alias", lambda: True)
