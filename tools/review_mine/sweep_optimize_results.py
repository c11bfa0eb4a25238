"""Review sweep (sweep_optimize_results): hostile calls printed as OK/BAD/ERR lines against NumPy/SciPy; run
with `PYTHONPATH=src python tools/review_mine/sweep_optimize_results.py` (slow; not part of the test suite)."""
import warnings
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
loss = lambda x, a: cnp.sum((x - a) ** 2)
jm = cr.jit(lambda a: copt.minimize(loss, np.zeros(2), args=(a,)))
run("jit result", lambda: [(type(r), type(r.x), r.x, r.fun) for r in (jm(np.ones(2)), jm(2 * np.ones(2)))])
run("vmap result", lambda: (lambda r: (type(r), type(r.x), r.x, r.nit, r.jac))(cr.vmap(lambda a: copt.minimize(loss, np.zeros(2), args=(a,)))(np.array([[1.0, 2.0], [3.0, 4.0]]))))
run("jit root_scalar", lambda: (lambda r: (type(r), r.root, r.flag))(cr.jit(lambda c: copt.root_scalar(lambda x, c: x * x - c, args=(c,), bracket=[0, 5]))(4.0)))
run("vmap root_scalar", lambda: (lambda r: (type(r), r.root))(cr.vmap(lambda c: copt.root_scalar(lambda x, c: x * x - c, args=(c,), bracket=[0, 5]))(np.array([4.0, 9.0]))))
run("jit least_squares", lambda: (lambda r: (type(r), r.x, r.cost))(cr.jit(lambda y: copt.least_squares(lambda p, y: p - y, np.zeros(2), args=(y,)))(np.ones(2))))
run("grad of res.fun", lambda: cr.grad(lambda a: copt.minimize(lambda x, a: cnp.sum((x - a) ** 2) + cnp.sum(x ** 4), np.zeros(2), args=(a,)).fun)(np.ones(2)))
run("degenerate min", lambda: cr.grad(lambda a: copt.minimize_scalar(lambda x, a: (x - a) ** 4, args=(a,)).x)(0.0))
run("singular root system", lambda: cr.grad(lambda c: copt.root(lambda x, c: cnp.array([x[0]+x[1]-c, 2*x[0]+2*x[1]-2*c]), np.array([0.5, 0.5]), args=(c,)).x[0])(1.0))
run("singular root system fwd", lambda: cr.jvp(lambda c: copt.root(lambda x, c: cnp.array([x[0]+x[1]-c, 2*x[0]+2*x[1]-2*c]), np.array([0.5, 0.5]), args=(c,)).x, (1.0,), (1.0,)))
run("ls rank deficient", lambda: cr.jacobian(lambda y: copt.least_squares(lambda p, y: p[0] + p[1] + 0*p[2] - y, np.zeros(3), args=(y,)).x)(np.ones(4)))
run("numpy asarray fun traced", lambda: cr.grad(lambda a: copt.minimize(lambda x, a: np.sum((np.asarray(x)-a)**2), np.zeros(2), args=(a,)).x[0])(1.0))
run("ls kwargs traced", lambda: cr.grad(lambda s: copt.least_squares(lambda p, s=1.0: p - s, np.zeros(1), kwargs={"s": s}).x[0])(2.0))
run("trust-constr untraced", lambda: copt.minimize(lambda x: cnp.sum((x - 1.0) ** 2) + cnp.sum(x ** 4), np.array([0.3, -0.2]), method="trust-constr").x)
run("trust-constr traced", lambda: cr.grad(lambda a: copt.minimize(lambda x, a: cnp.sum((x - a) ** 2) + cnp.sum(x ** 4), np.array([0.3, -0.2]), args=(a,), method="trust-constr").x[0])(1.0))
run("x0 cotangent zero", lambda: np.signbit(cr.grad(lambda x0: copt.minimize(lambda x: cnp.sum((x-1)**2), x0).x[0])(np.zeros(2))).tolist())
