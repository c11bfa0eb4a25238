"""SciPy's tutorial: minimize the Rosenbrock function with BFGS, Newton-CG and trust-ncg,
the gradient, Hessian and Hessian-vector product supplied by chainrule.

Written in the style of the public program it names (not a copy); only the import lines are
chainrule's."""
import chainrule.numpy as np
from chainrule import grad, hessian, hvp
from scipy.optimize import minimize, rosen_der, rosen_hess, rosen_hess_prod

def rosen(x):
    """The Rosenbrock function"""
    return np.sum(100.0*(x[1:]-x[:-1]**2.0)**2.0 + (1-x[:-1])**2.0)

def main():
    x0 = np.array([1.3, 0.7, 0.8, 1.9, 1.2])
    r1 = minimize(rosen, x0, method='BFGS', jac=grad(rosen), options={'gtol': 1e-8})
    r2 = minimize(rosen, x0, method='Newton-CG', jac=grad(rosen), hess=hessian(rosen),
                  options={'xtol': 1e-8})
    r3 = minimize(rosen, x0, method='trust-ncg', jac=grad(rosen),
                  hessp=lambda x, p: hvp(rosen, (x,), (p,))[0], options={'gtol': 1e-8})
    print(r1.x, r2.x, r3.x, r1.nit, r2.nit, r3.nit)
    p = np.arange(5.0)
    print(abs(grad(rosen)(x0) - rosen_der(x0)).max(), abs(hessian(rosen)(x0) - rosen_hess(x0)).max(),
          abs(hvp(rosen, (x0,), (p,))[0] - rosen_hess_prod(x0, p)).max())
    return [grad(rosen)(x0), hessian(rosen)(x0), r1.x, r2.x, r3.x]
