"""Fitting a rate constant to concentration data: the model's values from odeint of
dCa/dt = −k·Ca (a scalar initial value, the solution read as Casol[:, 0]), the fit by
scipy.optimize.curve_fit.

Source: J. Kitchin, "Fitting a numerical ODE solution to data", Kitchin group blog,
2013-02-18 (kitchingroup.cheme.cmu.edu; the post's expected output is k = 2.58893455). Only
the import lines name chainrule; the plot is left out."""
import chainrule.numpy as np
from scipy.optimize import curve_fit
from chainrule.scipy.integrate import odeint

# given data we want to fit
tspan = [0, 0.1, 0.2, 0.4, 0.8, 1]
Ca_data = [2.0081, 1.5512, 1.1903, 0.7160, 0.2562, 0.1495]


def fitfunc(t, k):
    'Function that returns Ca computed from an ODE for a k'
    def myode(Ca, t):
        return -k * Ca

    Ca0 = Ca_data[0]
    Casol = odeint(myode, Ca0, t)
    return Casol[:, 0]


def main():
    k_fit, kcov = curve_fit(fitfunc, tspan, Ca_data, p0=1.3)
    tfit = np.linspace(0, 1)
    fit = fitfunc(tfit, k_fit)
    return k_fit, kcov, tfit, fit
