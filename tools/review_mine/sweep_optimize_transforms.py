"""Review sweep (sweep_optimize_transforms): hostile calls printed as OK/BAD/ERR lines against NumPy/SciPy; run
with `PYTHONPATH=src python tools/review_mine/sweep_optimize_transforms.py` (slow; not part of the test suite)."""
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
loss = lambda x, a: cnp.sum((x - a) ** 2) + cnp.sum(x ** 4)
x0 = np.zeros(2)
val = lambda a: copt.minimize(loss, x0, args=(a,), tol=1e-12).fun
loc = lambda a: copt.minimize(loss, x0, args=(a,), tol=1e-12).x
a = np.array([0.5, 1.0])
xs = loc(a)
# closed forms: value V(a); dV/da = -2(x-a) = 4x^3 ; d2V/da2 = 12x^2 dx/da, dx/da = 1/(1+6x^2)
run("grad val", lambda: (cr.grad(val)(a), 4*xs**3))
run("hess val", lambda: (cr.hessian(val)(a), np.diag(12*xs**2/(1+6*xs**2))))
run("jacfwd loc", lambda: (cr.jacfwd(loc)(a), np.diag(1/(1+6*xs**2))))
run("hess loc0", lambda: (cr.hessian(lambda a: loc(a)[0])(a), ))
d2 = -12*xs/(1+6*xs**2)**3
run("hess loc0 closed", lambda: d2)
run("vmap loc", lambda: (cr.vmap(loc)(np.array([[0.5, 1.0], [2.0, -1.0]])), loc(np.array([2.0,-1.0]))))
run("vmap min res", lambda: {k: v for k, v in cr.vmap(lambda a: copt.minimize(loss, x0, args=(a,)).nit)(np.array([[0.5, 1.0], [2.0, -1.0]])).items()} if False else None)
run("jit loc", lambda: [cr.jit(loc)(np.array([0.5, 1.0])), cr.jit(loc)(np.array([2.0, -1.0])), loc(np.array([2.0,-1.0]))])
jl = cr.jit(loc)
run("jit loc same fn", lambda: [jl(np.array([0.5, 1.0])), jl(np.array([2.0, -1.0])), jl(np.array([3.0, 3.0])), loc(np.array([3.0,3.0]))])
jg = cr.jit(cr.grad(val))
run("jit grad val", lambda: [jg(np.array([0.5, 1.0])), jg(np.array([2.0, -1.0])), cr.grad(val)(np.array([2.0,-1.0]))])
run("vmap grad val", lambda: [cr.vmap(cr.grad(val))(np.array([[0.5, 1.0], [2.0, -1.0]]))])
run("jit vmap", lambda: [cr.jit(cr.vmap(loc))(np.array([[0.5, 1.0], [2.0, -1.0]]))])
# scalar
ms = lambda a: copt.minimize_scalar(lambda x, a: (x - a) ** 2 + x ** 4, args=(a,), tol=1e-12)
run("ms vmap", lambda: (cr.vmap(lambda a: ms(a).x)(np.array([0.5, 1.0])), ms(1.0).x))
run("ms jit", lambda: (cr.jit(lambda a: ms(a).x)(1.0), ms(1.0).x))
run("ms bounded", lambda: cr.grad(lambda a: copt.minimize_scalar(lambda x, a: (x - a) ** 2 + x ** 4, args=(a,), bounds=(-3, 3), method="bounded").x)(1.0))
run("ms bracket", lambda: cr.grad(lambda a: copt.minimize_scalar(lambda x, a: (x - a) ** 2 + x ** 4, args=(a,), bracket=(-1, 2)).x)(1.0))
run("ms untraced", lambda: (copt.minimize_scalar(lambda x: (x - 1) ** 2 + x ** 4).x, so.minimize_scalar(lambda x: (x - 1) ** 2 + x ** 4).x))
# degenerate: x^4 minimum at a=0 -> hessian 0 at solution
run("degenerate min", lambda: cr.grad(lambda a: copt.minimize_scalar(lambda x, a: (x - a) ** 4, args=(a,)).x)(0.0))
run("degenerate root", lambda: cr.grad(lambda c: copt.brentq(lambda x, c: x ** 3 - c, -1.0, 2.0, args=(c,)))(0.0))
run("degenerate fsolve 2d", lambda: cr.jacobian(lambda c: copt.fsolve(lambda x, c: cnp.array([x[0]**2 - c, x[1] - c]), np.array([0.5, 0.5]), args=(c,)))(0.0))
run("singular root system", lambda: cr.grad(lambda c: copt.root(lambda x, c: cnp.array([x[0]+x[1]-c, 2*x[0]+2*x[1]-2*c]), np.array([0.5, 0.5]), args=(c,)).x[0])(1.0))
# root
F = lambda x, a: cnp.array([x[0] + x[1] ** 3 - a, x[0] - x[1]])
for m in ["hybr", "lm", "broyden1", "krylov", "df-sane", "anderson", "linearmixing", "excitingmixing", "diagbroyden", "broyden2"]:
    run(f"root {m}", lambda m=m: cr.grad(lambda a: copt.root(F, np.array([0.5, 0.5]), args=(a,), method=m).x[0])(2.0))
run("root closed", lambda: 1/(1+3*copt.root(F, np.array([0.5,0.5]), args=(2.0,)).x[1]**2))
run("root jac=True", lambda: cr.grad(lambda a: copt.root(lambda x, a: (F(x, a), cnp.array([[1.0, 3*x[1]**2], [1.0, -1.0]])), np.array([0.5, 0.5]), args=(a,), jac=True).x[0])(2.0))
run("root untraced jac=True", lambda: copt.root(lambda x: (F(x, 2.0), np.array([[1.0, 3*x[1]**2], [1.0, -1.0]])), np.array([0.5, 0.5]), jac=True).x)
run("root fun", lambda: copt.root(F, np.array([0.5, 0.5]), args=(cnp.asarray(2.0),)).fun)
run("root x0 list", lambda: copt.root(F, [0.5, 0.5], args=(2.0,)).x)
run("root x0 2d", lambda: (copt.root(lambda x: x**2 - 4, np.ones((2,2))).x, so.root(lambda x: x**2 - 4, np.ones((2,2))).x))
run("root x0 2d traced", lambda: cr.grad(lambda c: cnp.sum(copt.root(lambda x, c: x**2 - c, np.ones((2,2)), args=(c,)).x))(4.0))
run("fsolve 2d x0 traced", lambda: cr.grad(lambda c: cnp.sum(copt.fsolve(lambda x, c: x**2 - c, np.ones((2,2)), args=(c,))))(4.0))
run("fsolve 2d x0", lambda: (copt.fsolve(lambda x: x**2 - 4, np.ones((2,2))), so.fsolve(lambda x: x**2 - 4, np.ones((2,2)))))
run("fsolve full traced", lambda: cr.grad(lambda c: copt.fsolve(lambda x, c: x**2 - c, 1.0, args=(c,), full_output=True)[0][0])(4.0))
run("fsolve numpy fn traced", lambda: cr.grad(lambda c: copt.fsolve(lambda x, c: np.exp(x) - c, 1.0, args=(c,))[0])(4.0))
run("fsolve fprime", lambda: cr.grad(lambda c: copt.fsolve(lambda x, c: x**2 - c, 1.0, args=(c,), fprime=lambda x, c: np.diag(2*x))[0])(4.0))
run("fsolve vmap", lambda: cr.vmap(lambda c: copt.fsolve(lambda x, c: x**2 - c, 1.0, args=(c,))[0])(np.array([4.0, 9.0])))
run("fsolve nonconv", lambda: cr.grad(lambda c: copt.fsolve(lambda x, c: x**2 + c, 1.0, args=(c,))[0])(4.0))
# newton
run("newton array fprime", lambda: cr.jacobian(lambda c: copt.newton(lambda x, c: x**2 - c, np.array([1.0, 1.0]), fprime=lambda x, c: 2*x, args=(c,)))(np.array([4.0, 9.0])))
run("newton array fprime closed", lambda: np.diag(1/(2*np.array([2.0,3.0]))))
run("newton array secant", lambda: cr.jacobian(lambda c: copt.newton(lambda x, c: x**2 - c, np.array([1.0, 1.0]), args=(c,)))(np.array([4.0, 9.0])))
run("newton halley", lambda: cr.grad(lambda c: copt.newton(lambda x, c: x**2 - c, 1.0, fprime=lambda x, c: 2*x, fprime2=lambda x, c: 2.0, args=(c,)))(4.0))
run("newton untraced", lambda: (copt.newton(lambda x: x**2 - 4, 1.0), so.newton(lambda x: x**2 - 4, 1.0)))
run("newton untraced type", lambda: (type(copt.newton(lambda x: x**2 - 4, 1.0)), type(so.newton(lambda x: x**2 - 4, 1.0))))
run("newton traced type", lambda: (type(cr.jit(lambda c: copt.newton(lambda x, c: x**2 - c, 1.0, args=(c,)))(4.0))))
run("newton traced x0", lambda: cr.grad(lambda x0: copt.newton(lambda x: x**2 - 4, x0))(1.0))
run("newton vmap", lambda: cr.vmap(lambda c: copt.newton(lambda x, c: x**2 - c, 1.0, args=(c,)))(np.array([4.0, 9.0])))
run("newton vmap arr", lambda: cr.vmap(lambda c: copt.newton(lambda x, c: x**2 - c, np.array([1.0, 2.0]), args=(c,)))(np.array([[4.0, 9.0], [1.0, 16.0]])))
run("newton nonconv", lambda: cr.grad(lambda c: copt.newton(lambda x, c: x**2 + c, 1.0, args=(c,)))(4.0))
run("newton numpy fprime traced", lambda: cr.grad(lambda c: copt.newton(lambda x, c: np.exp(x) - c, 1.0, fprime=lambda x, c: np.exp(x), args=(c,)))(4.0))
# root_scalar
for m in [None, "brentq", "bisect", "newton", "secant", "halley", "toms748", "ridder", "brenth"]:
    kw = dict(bracket=[0.0, 3.0]) if m in (None, "brentq", "bisect", "toms748", "ridder", "brenth") else dict(x0=1.0, x1=2.0) if m=="secant" else dict(x0=1.0)
    run(f"root_scalar {m}", lambda m=m, kw=kw: cr.grad(lambda c: copt.root_scalar(lambda x, c: x**2 - c, args=(c,), method=m, **kw).root)(4.0))
    run(f"root_scalar untraced {m}", lambda m=m, kw=kw: (copt.root_scalar(lambda x: x**2 - 4, method=m, **kw).root, so.root_scalar(lambda x: x**2 - 4, method=m, **dict(kw, fprime=(lambda x: 2*x) if m in ("newton","halley") else None, fprime2=(lambda x: 2.0) if m=="halley" else None)).root))
run("root_scalar x0 traced", lambda: cr.grad(lambda x0: copt.root_scalar(lambda x: x**2 - 4, method="newton", x0=x0).root)(1.0))
run("root_scalar vmap", lambda: cr.vmap(lambda c: copt.root_scalar(lambda x, c: x**2 - c, args=(c,), bracket=[0.0, 5.0]).root)(np.array([4.0, 9.0])))
run("root_scalar newton numpy fn", lambda: cr.grad(lambda c: copt.root_scalar(lambda x, c: np.exp(x) - c, args=(c,), method="newton", x0=1.0).root)(4.0))
run("root_scalar newton numpy fn untraced", lambda: copt.root_scalar(lambda x: float(np.exp(x)) - 4, method="newton", x0=1.0).root)
# bracketing
for n in ["brentq", "brenth", "ridder", "bisect", "toms748"]:
    run(f"{n} vmap", lambda n=n: cr.vmap(lambda c: getattr(copt, n)(lambda x, c: x**2 - c, 0.0, 5.0, args=(c,)))(np.array([4.0, 9.0])))
    run(f"{n} jit", lambda n=n: [cr.jit(lambda c: getattr(copt, n)(lambda x, c: x**2 - c, 0.0, 5.0, args=(c,)))(c) for c in (4.0, 9.0)])
    run(f"{n} traced end", lambda n=n: cr.grad(lambda b: getattr(copt, n)(lambda x: x**2 - 4, 0.0, b))(3.0))
    run(f"{n} type", lambda n=n: (type(getattr(copt, n)(lambda x: x**2 - 4, 0.0, 3.0)), type(cr.jit(lambda c: getattr(copt, n)(lambda x, c: x**2 - c, 0.0, 5.0, args=(c,)))(4.0))))
run("brentq hess", lambda: (cr.hessian(lambda c: copt.brentq(lambda x, c: x**2 - c, 0.0, 5.0, args=(c,)))(4.0), -0.25*4.0**-1.5))
run("brentq full_output", lambda: cr.grad(lambda c: copt.brentq(lambda x, c: x**2 - c, 0.0, 5.0, args=(c,), full_output=True)[0])(4.0))
run("brentq float32", lambda: cr.grad(lambda c: copt.brentq(lambda x, c: x**2 - c, 0.0, 5.0, args=(c,)))(np.float32(4.0)))
run("brentq args arr", lambda: cr.grad(lambda c: copt.brentq(lambda x, c: x**2 - c[0]*c[1], 0.0, 5.0, args=(c,)))(np.array([2.0, 2.0])))
run("brentq dict args", lambda: cr.grad(lambda c: copt.brentq(lambda x, d: x**2 - d["c"], 0.0, 5.0, args=({"c": c},)))(4.0))
