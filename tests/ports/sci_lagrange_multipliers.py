"""The point of a plane nearest the origin by Lagrange multipliers: the gradient of the
augmented Lagrange function by autograd, its zero by fsolve, checked against
scipy.optimize.minimize with an equality constraint.

Source: J. Kitchin, "Constrained optimization with Lagrange multipliers and autograd",
Kitchin group blog, 2018 (kitchingroup.cheme.cmu.edu). Only the import lines name
chainrule."""
import chainrule.autograd.numpy as np
from chainrule.autograd import grad
from scipy.optimize import minimize, fsolve


def objective(X):
    x, y, z = X
    return x**2 + y**2 + z**2


def eq(X):
    x, y, z = X
    return 2 * x - y + z - 3


def F(L):
    'Augmented Lagrange function'
    x, y, z, _lambda = L
    return objective([x, y, z]) - _lambda * eq([x, y, z])


dfdL = grad(F, 0)


def obj(L):
    x, y, z, _lambda = L
    dFdx, dFdy, dFdz, dFdlam = dfdL(L)
    return [dFdx, dFdy, dFdz, eq([x, y, z])]


def main():
    sol = minimize(objective, [1, -0.5, 0.5], constraints={'type': 'eq', 'fun': eq})
    x, y, z, _lam = fsolve(obj, [0.0, 0.0, 0.0, 1.0])
    return sol.x, np.array([x, y, z]), _lam
