"""Review sweep (sweep_optimize_args): hostile calls printed as OK/BAD/ERR lines against NumPy/SciPy; run
with `PYTHONPATH=src python tools/review_mine/sweep_optimize_args.py` (slow; not part of the test suite)."""
import warnings, traceback
import numpy as np, scipy.optimize as so
import chainrule as cr, chainrule.numpy as cnp, chainrule.scipy.optimize as copt
def run(name, fn):
    try:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            r = fn()
        print("OK ", name, "->", repr(r)[:200], [str(x.message)[:80] for x in w])
    except Exception as e:
        print("ERR", name, type(e).__name__, str(e)[:200])

f = lambda x: cnp.sum((x - 1.0) ** 2) + cnp.sum(x ** 4)
fn = lambda x: np.sum((x - 1.0) ** 2) + np.sum(x ** 4)
x0 = np.array([0.3, -0.2])
# untraced equality
for m in [None, "BFGS", "CG", "L-BFGS-B", "TNC", "SLSQP", "Newton-CG", "trust-ncg", "trust-krylov", "trust-exact", "dogleg", "trust-constr", "Nelder-Mead", "Powell", "COBYLA"]:
    def cmp(m=m):
        a = copt.minimize(f, x0, method=m)
        b = so.minimize(fn, x0, method=m, jac=(lambda x: 2*(x-1)+4*x**3) if m not in ("Nelder-Mead","Powell","COBYLA") else None,
                        hess=(lambda x: np.diag(2+12*x**2)) if m in ("Newton-CG","trust-ncg","trust-krylov","trust-exact","dogleg","trust-constr") else None)
        return (type(a) is type(b), np.max(np.abs(a.x - b.x)), a.nfev, b.nfev)
    run(f"untraced {m}", cmp)
# jac=True
run("jac=True", lambda: copt.minimize(lambda x: (f(x), 2*(x-1)+4*x**3), x0, jac=True).x)
run("jac=True traced", lambda: cr.grad(lambda a: copt.minimize(lambda x, a: (cnp.sum((x-a)**2)+cnp.sum(x**4), 2*(x-a)+4*x**3), x0, args=(a,), jac=True).x[0])(1.0))
run("jac callable traced", lambda: cr.grad(lambda a: copt.minimize(lambda x, a: cnp.sum((x-a)**2)+cnp.sum(x**4), x0, args=(a,), jac=lambda x, a: 2*(x-a)+4*x**3).x[0])(1.0))
run("hess='2-point' trust-constr", lambda: copt.minimize(f, x0, method="trust-constr", hess="2-point").x)
run("hess=BFGS() trust-constr", lambda: copt.minimize(f, x0, method="trust-constr", hess=so.BFGS()).x)
run("jac='2-point'", lambda: copt.minimize(f, x0, jac="2-point").x)
run("jac='3-point' traced", lambda: cr.grad(lambda a: copt.minimize(lambda x, a: cnp.sum((x-a)**2)+cnp.sum(x**4), x0, args=(a,), jac="3-point").x[0])(1.0))
run("bounds list", lambda: copt.minimize(f, x0, bounds=[(-1, 2), (-1, 2)]).x)
run("bounds list traced", lambda: cr.grad(lambda a: copt.minimize(lambda x, a: cnp.sum((x-a)**2)+cnp.sum(x**4), x0, args=(a,), bounds=[(-1, 2), (-1, 2)]).x[0])(1.0))
run("bounds Bounds traced", lambda: cr.grad(lambda a: copt.minimize(lambda x, a: cnp.sum((x-a)**2)+cnp.sum(x**4), x0, args=(a,), bounds=so.Bounds(-1, 2)).x[0])(1.0))
run("bounds with None traced", lambda: cr.grad(lambda a: copt.minimize(lambda x, a: cnp.sum((x-a)**2)+cnp.sum(x**4), x0, args=(a,), bounds=[(None, 2), (-1, None)]).x[0])(1.0))
run("constraints dict untraced", lambda: copt.minimize(f, x0, constraints={"type": "ineq", "fun": lambda x: x[0]}).x)
run("callback", lambda: copt.minimize(f, x0, callback=lambda xk: None).x)
run("args nontuple", lambda: copt.minimize(lambda x, a: cnp.sum((x-a)**2), x0, args=1.0).x)
run("args nontuple traced", lambda: cr.grad(lambda a: copt.minimize(lambda x, a: cnp.sum((x-a)**2)+cnp.sum(x**4), x0, args=a).x[0])(1.0))
run("args array nontuple", lambda: copt.minimize(lambda x, a: cnp.sum((x-a)**2), x0, args=np.array([1.0, 2.0])).x)
run("args array nontuple scipy", lambda: so.minimize(lambda x, a: np.sum((x-a)**2), x0, args=np.array([1.0, 2.0])).x)
run("x0 list", lambda: copt.minimize(f, [0.3, -0.2]).x)
run("x0 scalar", lambda: copt.minimize(f, 0.3).x)
run("x0 scalar scipy", lambda: so.minimize(fn, 0.3).x)
run("x0 2d", lambda: copt.minimize(f, np.zeros((2, 2))).x)
run("x0 2d scipy", lambda: so.minimize(fn, np.zeros((2, 2))).x)
run("x0 scalar traced", lambda: cr.grad(lambda a: copt.minimize(lambda x, a: cnp.sum((x-a)**2)+cnp.sum(x**4), 0.3, args=(a,)).x[0])(1.0))
run("x0 2d traced", lambda: cr.grad(lambda a: copt.minimize(lambda x, a: cnp.sum((x-a)**2)+cnp.sum(x**4), np.zeros((2,2)), args=(a,)).x[0,0])(1.0))
run("traced x0 only", lambda: cr.grad(lambda x0: copt.minimize(f, x0).x[0])(x0))
run("traced x0 fun", lambda: cr.grad(lambda x0: copt.minimize(f, x0).fun)(x0))
run("nelder traced", lambda: cr.grad(lambda a: copt.minimize(lambda x, a: cnp.sum((x-a)**2)+cnp.sum(x**4), x0, args=(a,), method="Nelder-Mead").x[0])(1.0))
run("powell traced", lambda: cr.grad(lambda a: copt.minimize(lambda x, a: cnp.sum((x-a)**2)+cnp.sum(x**4), x0, args=(a,), method="Powell").x[0])(1.0))
run("numpy fun traced", lambda: cr.grad(lambda a: copt.minimize(lambda x, a: np.sum((x-a)**2)+np.sum(x**4), x0, args=(a,)).x[0])(1.0))
run("numpy asarray fun traced", lambda: cr.grad(lambda a: copt.minimize(lambda x, a: np.sum((np.asarray(x)-a)**2)+np.sum(np.asarray(x)**4), x0, args=(a,)).x[0])(1.0))
run("numpy asarray(a) fun traced", lambda: cr.grad(lambda a: copt.minimize(lambda x, a: np.sum((x-np.asarray(a))**2)+np.sum(x**4), x0, args=(a,)).x[0])(1.0))
run("float32", lambda: copt.minimize(f, x0.astype(np.float32)).x.dtype)
run("float32 traced", lambda: cr.grad(lambda a: copt.minimize(lambda x, a: cnp.sum((x-a)**2)+cnp.sum(x**4), x0.astype(np.float32), args=(a,)).x[0])(np.float32(1.0)))
run("options maxiter=1 traced", lambda: cr.grad(lambda a: copt.minimize(lambda x, a: cnp.sum((x-a)**2)+cnp.sum(x**4), x0, args=(a,), options={"maxiter": 1}).x[0])(1.0))
run("method callable", lambda: copt.minimize(f, x0, method=lambda fun, x0, args, **kw: so.OptimizeResult(x=x0, fun=fun(x0), success=True)).x)
