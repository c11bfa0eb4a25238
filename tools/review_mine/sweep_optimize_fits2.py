"""Review sweep (sweep_optimize_fits2): hostile calls printed as OK/BAD/ERR lines against NumPy/SciPy; run
with `PYTHONPATH=src python tools/review_mine/sweep_optimize_fits2.py` (slow; not part of the test suite)."""
import warnings
import numpy as np, scipy.optimize as so
import chainrule as cr, chainrule.numpy as cnp, chainrule.scipy.optimize as copt
def run(name, fn):
    try:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            r = fn()
        print("OK ", name, "->", repr(r)[:400], [str(x.message)[:80] for x in w])
    except Exception as e:
        print("ERR", name, type(e).__name__, str(e)[:300])
f = lambda x, a, b: a * cnp.exp(-b * x)
xd = np.linspace(0, 2, 8); yd = 2.0 * np.exp(-1.3 * xd) + 0.05 * np.sin(7 * xd)
sig1 = 0.1 + 0.05 * np.arange(8); C = np.diag(sig1**2) + 0.001
for kw in [{}, {"sigma": sig1}, {"sigma": sig1, "absolute_sigma": True}, {"sigma": C}, {"sigma": C, "absolute_sigma": True}, {"method": "trf"}, {"method": "dogbox"}, {"bounds": ([0, 0], [10, 10])}]:
    def cmp(kw=kw):
        u = copt.curve_fit(f, xd, yd, **kw)
        t = cr.jvp(lambda y: copt.curve_fit(f, xd, y, **kw), (yd,), (np.zeros_like(yd),))[0]
        return [float(np.max(np.abs(np.asarray(a) - b) / np.abs(b).max())) for a, b in zip(t, u)]
    run(f"cf traced vs untraced {list(kw)}", cmp)
run("cf m==n untraced", lambda: copt.curve_fit(f, xd[:2], yd[:2]))
run("cf m==n so", lambda: so.curve_fit(lambda x, a, b: a*np.exp(-b*x), xd[:2], yd[:2]))
run("cf m==n traced", lambda: cr.jvp(lambda y: copt.curve_fit(f, xd[:2], y), (yd[:2],), (np.ones(2),))[0])
yn = np.where(np.arange(8) == 3, np.nan, yd)
run("cf nan omit untraced", lambda: copt.curve_fit(f, xd, yn, nan_policy="omit"))
run("cf nan omit traced", lambda: cr.jvp(lambda y: copt.curve_fit(f, xd, y, nan_policy="omit"), (yn,), (np.ones(8),)))
run("cf nan raise traced", lambda: cr.jvp(lambda y: copt.curve_fit(f, xd, y, nan_policy="raise"), (yn,), (np.ones(8),)))
run("cf nan none traced", lambda: cr.jvp(lambda y: copt.curve_fit(f, xd, y), (yn,), (np.ones(8),)))
run("cf nan none untraced", lambda: copt.curve_fit(f, xd, yn))
run("root lm nonsquare untraced", lambda: copt.root(lambda x: cnp.array([x[0] - 1, x[1] - 2, x[0] + x[1] - 3.5]), np.zeros(2), method="lm").x)
run("root lm nonsquare traced", lambda: cr.grad(lambda c: copt.root(lambda x, c: cnp.array([x[0] - c, x[1] - 2, x[0] + x[1] - 3.5]), np.zeros(2), args=(c,), method="lm").x[0])(1.0))
run("min f32 untraced", lambda: (lambda r: (r.success, r.message))(copt.minimize(lambda x, a: cnp.sum((x - a) ** 2) + cnp.sum(x ** 4), np.zeros(2), args=(np.float32(1.0),))))
run("so min f32", lambda: (lambda r: (r.success, r.message))(so.minimize(lambda x, a: np.sum((x - a) ** 2) + np.sum(x ** 4), np.zeros(2), args=(np.float32(1.0),), jac=lambda x, a: 2*(x-a)+4*x**3)))
run("fsolve mismatched shape", lambda: cr.grad(lambda c: copt.fsolve(lambda x, c: cnp.array([x[0] - c, x[1]]), np.zeros(3), args=(c,))[0])(1.0))
run("minimize fun returns (1,)", lambda: cr.grad(lambda a: copt.minimize(lambda x, a: cnp.reshape(cnp.sum((x - a) ** 2), (1,)), np.zeros(2), args=(a,)).x[0])(1.0))
run("minimize value vector", lambda: cr.grad(lambda a: copt.minimize(lambda x, a: (x - a) ** 2, np.zeros(2), args=(a,)).x[0])(1.0))
run("newton fprime vs no fprime untraced equal", lambda: copt.newton(lambda x: x**3 - 8, 1.0) == so.newton(lambda x: x**3 - 8, 1.0))
run("newton traced tol", lambda: cr.grad(lambda c: copt.newton(lambda x, c: x**3 - c, 1.0, args=(c,), tol=1e-2))(8.0))
run("brentq traced value equals scipy", lambda: float(cr.jvp(lambda c: copt.brentq(lambda x, c: x**2 - c, 0.0, 3.0, args=(c,)), (2.0,), (1.0,))[0]) == so.brentq(lambda x, c: x**2 - c, 0.0, 3.0, args=(2.0,)))
run("minimize traced value equals scipy", lambda: np.array_equal(cr.jvp(lambda a: copt.minimize(lambda x, a: cnp.sum((x - a) ** 2) + cnp.sum(x ** 4), np.zeros(2), args=(a,)).x, (np.ones(2),), (np.ones(2),))[0], copt.minimize(lambda x, a: cnp.sum((x - a) ** 2) + cnp.sum(x ** 4), np.zeros(2), args=(np.ones(2),)).x))
run("minimize traced fun equals scipy", lambda: (cr.jvp(lambda a: copt.minimize(lambda x, a: cnp.sum((x - a) ** 2) + cnp.sum(x ** 4), np.zeros(2), args=(a,)).fun, (np.ones(2),), (np.ones(2),))[0], copt.minimize(lambda x, a: cnp.sum((x - a) ** 2) + cnp.sum(x ** 4), np.zeros(2), args=(np.ones(2),)).fun))
run("grad hessian of fun wrt a vs closed", lambda: None)
