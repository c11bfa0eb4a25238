"""Review sweep (sweep_optimize_fits): hostile calls printed as OK/BAD/ERR lines against NumPy/SciPy; run
with `PYTHONPATH=src python tools/review_mine/sweep_optimize_fits.py` (slow; not part of the test suite)."""
import warnings, traceback
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
t = np.linspace(0, 1, 6)
y = np.array([1.0, 1.3, 1.9, 2.2, 3.1, 3.3])
res = lambda p, y: p[0] + p[1] * t + p[2]*t**2 - y
resn = lambda p, y: p[0] + p[1] * t + p[2]*t**2 - y
run("ls untraced eq", lambda: (copt.least_squares(res, np.zeros(3), args=(y,)).x - so.least_squares(resn, np.zeros(3), args=(y,)).x))
A = np.stack([np.ones(6), t, t**2], 1)
run("ls jac vs pinv", lambda: np.max(np.abs(cr.jacobian(lambda y: copt.least_squares(res, np.zeros(3), args=(y,)).x)(y) - np.linalg.pinv(A))))
run("ls bounds inactive", lambda: np.max(np.abs(cr.jacobian(lambda y: copt.least_squares(res, np.zeros(3), args=(y,), bounds=([-10]*3, [10]*3)).x)(y) - np.linalg.pinv(A))))
run("ls bounds Bounds", lambda: np.max(np.abs(cr.jacobian(lambda y: copt.least_squares(res, np.zeros(3), args=(y,), bounds=so.Bounds(-10, 10)).x)(y) - np.linalg.pinv(A))))
run("ls bounds active", lambda: cr.jacobian(lambda y: copt.least_squares(res, np.zeros(3), args=(y,), bounds=([-10, -10, 0.5], [10]*3)).x)(y))
run("ls kwargs", lambda: np.max(np.abs(cr.jacobian(lambda y: copt.least_squares(lambda p, y, s=1.0: (p[0] + p[1] * t + p[2]*t**2 - y)*s, np.zeros(3), args=(y,), kwargs={"s": 2.0}).x)(y) - np.linalg.pinv(A))))
run("ls kwargs traced", lambda: cr.grad(lambda s: copt.least_squares(lambda p, y, s=1.0: (p[0] + p[1] * t + p[2]*t**2 - y)*s + p[0]*0.0 + (p[0]-s)*0.1, np.zeros(3), args=(y,), kwargs={"s": s}).x[0])(2.0))
run("ls lm", lambda: np.max(np.abs(cr.jacobian(lambda y: copt.least_squares(res, np.zeros(3), args=(y,), method="lm").x)(y) - np.linalg.pinv(A))))
run("ls dogbox", lambda: np.max(np.abs(cr.jacobian(lambda y: copt.least_squares(res, np.zeros(3), args=(y,), method="dogbox").x)(y) - np.linalg.pinv(A))))
run("ls 2-point", lambda: np.max(np.abs(cr.jacobian(lambda y: copt.least_squares(res, np.zeros(3), args=(y,), jac="2-point").x)(y) - np.linalg.pinv(A))))
run("ls soft_l1", lambda: cr.jacobian(lambda y: copt.least_squares(res, np.zeros(3), args=(y,), loss="soft_l1").x)(y))
run("ls fun/cost", lambda: (lambda r: (r.fun, r.cost, r.jac.shape, r.grad, r.optimality))(copt.least_squares(res, np.zeros(3), args=(cnp.asarray(y),))))
run("ls vmap", lambda: cr.vmap(lambda y: copt.least_squares(res, np.zeros(3), args=(y,)).x)(np.stack([y, 2*y])))
run("ls jit", lambda: [cr.jit(lambda y: copt.least_squares(res, np.zeros(3), args=(y,)).x)(yy) for yy in (y, 2*y)])
run("ls hess of cost", lambda: (cr.hessian(lambda y: copt.least_squares(res, np.zeros(3), args=(y,)).cost)(y), (np.eye(6) - A @ np.linalg.pinv(A))))
run("ls x0 list", lambda: copt.least_squares(res, [0., 0, 0], args=(y,)).x)
run("ls x0 scalar", lambda: copt.least_squares(lambda p: p**2 - 4, 1.0).x)
run("ls x0 scalar traced", lambda: cr.grad(lambda c: copt.least_squares(lambda p, c: p**2 - c, 1.0, args=(c,)).x[0])(4.0))
run("ls numpy fn", lambda: cr.grad(lambda c: copt.least_squares(lambda p, c: np.exp(p) - c, 1.0, args=(c,)).x[0])(4.0))
run("ls numpy asarray fn untraced", lambda: copt.least_squares(lambda p, c: np.asarray(p)**2 - c, 1.0, args=(4.0,)).x)
run("ls rank deficient", lambda: cr.jacobian(lambda y: copt.least_squares(lambda p, y: p[0] + p[1] + 0*p[2] - y, np.zeros(3), args=(y,)).x)(y))
# curve_fit
f = lambda x, a, b: a * cnp.exp(-b * x)
fn = lambda x, a, b: a * np.exp(-b * x)
xd = np.linspace(0, 2, 8); yd = 2.0 * np.exp(-1.3 * xd) + 0.05 * np.sin(7 * xd)
run("cf untraced", lambda: [np.max(np.abs(u - v)) for u, v in zip(copt.curve_fit(f, xd, yd), so.curve_fit(fn, xd, yd))])
def traced_vs(sigma=None, absolute_sigma=False, **kw):
    a = copt.curve_fit(f, xd, cnp.asarray(yd) if False else yd, sigma=sigma, absolute_sigma=absolute_sigma, **kw)
    out = cr.jvp(lambda yy: copt.curve_fit(f, xd, yy, sigma=sigma, absolute_sigma=absolute_sigma, **kw), (yd,), (np.zeros_like(yd),))[0]
    b = so.curve_fit(fn, xd, yd, sigma=sigma, absolute_sigma=absolute_sigma, **kw)
    return [np.max(np.abs(np.asarray(u) - v)/np.abs(v).max()) for u, v in zip(out, b)]
run("cf traced values", lambda: traced_vs())
sig1 = 0.1 + 0.05 * np.arange(8)
run("cf traced sigma1", lambda: traced_vs(sig1))
run("cf traced sigma1 abs", lambda: traced_vs(sig1, True))
C = np.diag(sig1**2) + 0.001
run("cf traced sigma2", lambda: traced_vs(C))
run("cf traced sigma2 abs", lambda: traced_vs(C, True))
run("cf traced p0", lambda: traced_vs(p0=[1.0, 1.0]))
run("cf traced bounds", lambda: traced_vs(bounds=([0, 0], [10, 10])))
run("cf traced lm", lambda: traced_vs(method="lm"))
run("cf traced trf", lambda: traced_vs(method="trf"))
run("cf p0 traced", lambda: cr.grad(lambda p0: copt.curve_fit(f, xd, yd, p0=p0)[0][0])(np.array([1.0, 1.0])))
run("cf p0 traced values", lambda: (copt.curve_fit(f, xd, yd, p0=cnp.asarray([1.0, 1.0]))[1], so.curve_fit(fn, xd, yd)[1]))
run("cf grad sigma2", lambda: cr.grad(lambda C: copt.curve_fit(f, xd, yd, sigma=C)[0][0])(C))
run("cf grad ydata closed (linear)", lambda: cr.jacobian(lambda y: copt.curve_fit(lambda x, a, b: a*x+b, xd, y)[1])(yd).shape)
# pcov derivative vs FD
def pc(y): return copt.curve_fit(f, xd, y)[1]
def fd(fun, x, h=1e-6):
    return np.stack([(np.asarray(fun(x + h*e)) - np.asarray(fun(x - h*e)))/(2*h) for e in np.eye(len(x))], -1)
run("cf pcov jac vs fd", lambda: np.max(np.abs(cr.jacobian(pc)(yd) - fd(lambda y: so.curve_fit(fn, xd, y, p0=so.curve_fit(fn, xd, yd)[0], xtol=1e-14, ftol=1e-14)[1], yd))))
run("cf xdata 2d", lambda: cr.grad(lambda xx: copt.curve_fit(lambda X, a, b: a*X[0]+b*X[1], xx, yd)[0][0])(np.stack([xd, xd**2])))
run("cf vmap", lambda: cr.vmap(lambda y: copt.curve_fit(f, xd, y)[0])(np.stack([yd, 2*yd])))
run("cf jit", lambda: [cr.jit(lambda y: copt.curve_fit(f, xd, y)[0])(yy) for yy in (yd, 2*yd)])
run("cf kwargs maxfev", lambda: cr.grad(lambda y: copt.curve_fit(f, xd, y, maxfev=2000)[0][0])(yd))
run("cf full_output untraced", lambda: len(copt.curve_fit(f, xd, yd, full_output=True)))
run("cf numpy fn traced", lambda: cr.grad(lambda y: copt.curve_fit(fn, xd, y)[0][0])(yd))
run("cf float32", lambda: cr.grad(lambda y: copt.curve_fit(f, xd, y)[0][0])(yd.astype(np.float32)))
run("cf nan_policy omit", lambda: cr.grad(lambda y: copt.curve_fit(f, xd, y, nan_policy="omit")[0][0])(np.where(np.arange(8)==3, np.nan, yd)))
run("cf p0 list", lambda: copt.curve_fit(f, xd, yd, p0=[1, 1])[0])
run("cf 1 param", lambda: cr.grad(lambda y: copt.curve_fit(lambda x, a: a * x, xd, y)[0][0])(yd))
run("cf varargs", lambda: copt.curve_fit(lambda x, *p: p[0] * x, xd, yd, p0=[1.0])[0])
run("cf varargs no p0", lambda: copt.curve_fit(lambda x, *p: p[0] * x, xd, yd))
run("cf jac given traced", lambda: cr.grad(lambda y: copt.curve_fit(f, xd, y, jac=lambda x, a, b: np.stack([np.exp(-b*x), -a*x*np.exp(-b*x)], 1))[0][0])(yd))
run("cf untraced check_finite", lambda: copt.curve_fit(f, xd, yd, check_finite=True)[0])
run("cf method dogbox traced", lambda: cr.grad(lambda y: copt.curve_fit(f, xd, y, method="dogbox")[0][0])(yd))
