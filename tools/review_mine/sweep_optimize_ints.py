"""Review sweep (sweep_optimize_ints): hostile calls printed as OK/BAD/ERR lines against NumPy/SciPy; run
with `PYTHONPATH=src python tools/review_mine/sweep_optimize_ints.py` (slow; not part of the test suite)."""
import warnings, traceback
import numpy as np, scipy.optimize as so
import chainrule as cr, chainrule.numpy as cnp, chainrule.scipy.optimize as copt
def run(name, fn):
    try:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            r = fn()
        print("OK ", name, "->", repr(r)[:300], [str(x.message)[:80] for x in w])
    except Exception as e:
        print("ERR", name, type(e).__name__, str(e)[:300])
t = np.linspace(0, 1, 6)
y = np.array([1.0, 1.3, 1.9, 2.2, 3.1, 3.3])
res = lambda p, y: p[0] + p[1] * t + p[2]*t**2 - y
run("so ls Bounds scalar", lambda: so.least_squares(res, np.zeros(3), args=(y,), bounds=so.Bounds(-10, 10)).x)
run("ls Bounds scalar untraced", lambda: copt.least_squares(res, np.zeros(3), args=(y,), bounds=so.Bounds(-10, 10)).x)
run("ls bounds active", lambda: cr.jacobian(lambda y: copt.least_squares(res, np.ones(3), args=(y,), bounds=([-10, -10, 0.5], [10]*3)).x)(y))
run("ls bounds scalar pair traced", lambda: cr.jacobian(lambda y: copt.least_squares(res, np.ones(3), args=(y,), bounds=(-10, 10)).x)(y).shape)
run("ls bounds Bounds vec traced", lambda: cr.jacobian(lambda y: copt.least_squares(res, np.ones(3), args=(y,), bounds=so.Bounds([-10]*3, [10]*3)).x)(y).shape)
f = lambda x: cnp.sum((x - 1.0) ** 2) + cnp.sum(x ** 4)
run("min int x0", lambda: copt.minimize(f, [0, 1]).x)
run("min int x0 newton-cg", lambda: copt.minimize(f, [0, 1], method="Newton-CG").x)
run("min int x0 trust-exact", lambda: copt.minimize(f, [0, 1], method="trust-exact").x)
run("root int x0", lambda: copt.root(lambda x: x**3 - 8, [1, 1]).x)
run("root int x0 lm", lambda: copt.root(lambda x: x**3 - 8, [1, 1], method="lm").x)
run("fsolve int x0", lambda: copt.fsolve(lambda x: x**3 - 8, 1))
run("so fsolve int x0", lambda: so.fsolve(lambda x: x**3 - 8, 1))
run("ls int x0", lambda: copt.least_squares(lambda x: x**3 - 8, 1).x)
run("newton int x0", lambda: copt.newton(lambda x: x**3 - 8, 1))
run("root_scalar newton int x0", lambda: copt.root_scalar(lambda x: x**3 - 8, method="newton", x0=1).root)
run("root_scalar halley int x0", lambda: copt.root_scalar(lambda x: x**3 - 8, method="halley", x0=1).root)
run("so root_scalar newton no fprime", lambda: so.root_scalar(lambda x: x**3 - 8, method="newton", x0=1).root)
run("root_scalar newton traced int x0", lambda: cr.grad(lambda c: copt.root_scalar(lambda x, c: x**3 - c, args=(c,), method="newton", x0=1).root)(8.0))
run("minimize_scalar int", lambda: cr.grad(lambda a: copt.minimize_scalar(lambda x, a: (x-a)**2, args=(a,)).x)(1.0))
run("cf int ydata", lambda: copt.curve_fit(lambda x, a, b: a*x+b, np.arange(5), np.arange(5)*2+1)[0])
run("cf int xdata traced ydata", lambda: cr.grad(lambda y: copt.curve_fit(lambda x, a, b: a*x+b, np.arange(5), y)[0][0])(np.arange(5)*2.0+1))
# minimize result under vmap
run("min vmap result fields", lambda: (lambda r: (r.nit, r.success, type(r.x)))(cr.vmap(lambda a: copt.minimize(lambda x, a: cnp.sum((x-a)**2), np.zeros(2), args=(a,)))(np.ones((3,2)))))
