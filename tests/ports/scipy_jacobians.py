"""SciPy tutorial programs that take derivatives: SLSQP with constraint Jacobians, trust-constr
with a nonlinear constraint's Jacobian and Hessian, root with jac=, a stiff ODE (Robertson)
integrated by BDF with the Jacobian from chainrule.

Written in the style of the SciPy tutorials (not a copy); only the import lines are chainrule's."""
import chainrule.numpy as np
from chainrule import grad, jacobian, hessian
from scipy.optimize import minimize, root, Bounds, NonlinearConstraint, LinearConstraint
from scipy.integrate import solve_ivp

def main():
    # constrained minimisation (SciPy tutorial: SLSQP and trust-constr)
    fun = lambda x: (x[0] - 1) ** 2 + (x[1] - 2.5) ** 2
    cons = ({'type': 'ineq', 'fun': lambda x: x[0] - 2 * x[1] + 2},
            {'type': 'ineq', 'fun': lambda x: -x[0] - 2 * x[1] + 6},
            {'type': 'ineq', 'fun': lambda x: -x[0] + 2 * x[1] + 2})
    for c in cons:
        c['jac'] = jacobian(c['fun'])
    r1 = minimize(fun, np.array([2.0, 0.0]), method='SLSQP', jac=grad(fun), constraints=cons,
                  bounds=((0, None), (0, None)))
    cons_f = lambda x: np.array([x[0] ** 2 + x[1], x[0] ** 2 - x[1]])
    nlc = NonlinearConstraint(cons_f, -np.inf, 1, jac=jacobian(cons_f),
                              hess=lambda x, v: np.tensordot(v, hessian(cons_f)(x), axes=1))
    rosen = lambda x: np.sum(100.0 * (x[1:] - x[:-1] ** 2.0) ** 2.0 + (1 - x[:-1]) ** 2.0)
    lc = LinearConstraint([[1, 2], [2, 1]], [-np.inf, 1], [1, 1])
    r2 = minimize(rosen, np.array([0.5, 0]), method='trust-constr', jac=grad(rosen),
                  hess=hessian(rosen), constraints=[lc, nlc], bounds=Bounds([0, -0.5], [1.0, 2.0]))
    # root finding with an exact Jacobian
    def F(x):
        return np.array([x[0] + 0.5 * (x[0] - x[1]) ** 3 - 1.0,
                         0.5 * (x[1] - x[0]) ** 3 + x[1]])
    r3 = root(F, np.array([0.0, 0.0]), jac=jacobian(F), method='hybr')
    # a stiff ODE with the Jacobian for an implicit method
    def rober(t, y):
        k1, k2, k3 = 0.04, 3e7, 1e4
        return np.array([-k1 * y[0] + k3 * y[1] * y[2],
                         k1 * y[0] - k2 * y[1] ** 2 - k3 * y[1] * y[2],
                         k2 * y[1] ** 2])
    jac = jacobian(rober, argnums=1)
    sol = solve_ivp(rober, (0, 40), np.array([1.0, 0.0, 0.0]), method='BDF', jac=jac, rtol=1e-6)
    print(r1.x, r2.x, r3.x, sol.y[:, -1], sol.njev)
    return [r1.x, r2.x, r3.x, sol.y[:, -1]]
