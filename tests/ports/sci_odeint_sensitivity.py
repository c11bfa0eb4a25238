"""Time-dependent sensitivity of an ODE solution to its rate constants: autograd's
`odeint` inside a function, differentiated with `jacobian`.

Source: J. Kitchin, "Sensitivity analysis using automatic differentiation in Python",
Kitchin group blog, 2018 (kitchingroup.cheme.cmu.edu). Only the import lines name
chainrule; the plots are left out."""
import chainrule.autograd.numpy as np
from chainrule.autograd.scipy.integrate import odeint
from chainrule.autograd import jacobian
from chainrule.autograd.builtins import tuple

Ca0 = 1.0
k1 = k_1 = 3.0

tspan = np.linspace(0, 0.5)


def C(K):
    k1, k_1 = K

    def dCdt(Ca, t, k1, k_1):
        return -k1 * Ca + k_1 * (Ca0 - Ca)
    sol = odeint(dCdt, Ca0, tspan, tuple((k1, k_1)))
    return sol


def main():
    dCdk = jacobian(C, 0)
    k_sensitivity = dCdk(np.array([k1, k_1]))
    k1_sensitivity = k_sensitivity[:, 0, 0]
    k_1_sensitivity = k_sensitivity[:, 0, 1]
    return C([k1, k_1]), k1_sensitivity, k_1_sensitivity
