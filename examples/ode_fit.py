"""Fit a damped oscillator's stiffness and damping to noisy observations of its position.

x'' + c x' + k x = 0 is integrated with ``odeint`` (SciPy's LSODA underneath); the gradient of the
squared error with respect to (log k, log c) comes from the adjoint method (one backward ODE solve,
whatever the number of parameters). The fit uses SciPy's L-BFGS-B fed by ``value_and_grad``.

    python examples/ode_fit.py
"""
import numpy as onp
from scipy.optimize import minimize

import chainrule.autograd as autograd
import chainrule.autograd.numpy as np
import chainrule.autograd.numpy.random as npr
from chainrule.autograd.builtins import tuple
from chainrule.autograd.scipy.integrate import odeint

TRUE_LOG_PARAMS = onp.log([4.0, 0.3])          # k = 4 (ω ≈ 2), c = 0.3
Y0 = onp.array([1.0, 0.0])                     # released from x = 1 at rest
T = onp.linspace(0.0, 4.0, 21)
TOL = dict(rtol=1e-8, atol=1e-8)


def oscillator(state, t, params):
    x, v = state[0], state[1]
    k, c = params[0], params[1]
    return np.array([v, -k * x - c * v])


def trajectory(log_params):
    # the parameters travel as one array in a traced tuple (autograd's builtins.tuple), as autograd's
    # odeint needs them; chainrule's odeint would take a plain tuple (k, c) as well
    return odeint(oscillator, Y0, T, tuple((np.exp(log_params),)), **TOL)[:, 0]


def make_data(seed=0, noise=0.05):
    rs = npr.RandomState(seed)
    return trajectory(TRUE_LOG_PARAMS) + noise * rs.randn(len(T))


def make_loss(observed):
    def loss(log_params):
        return np.mean((trajectory(log_params) - observed) ** 2)
    return loss


def main(verbose=True):
    observed = make_data()
    loss = make_loss(observed)
    start = onp.log([3.0, 0.8])
    initial = float(loss(start))
    result = minimize(autograd.value_and_grad(loss), start, jac=True, method="L-BFGS-B",
                      options={"maxiter": 50})
    final = float(result.fun)
    fitted = onp.exp(result.x)
    if verbose:
        print(f"mean squared error: {initial:.5f} -> {final:.5f} ({result.nit} L-BFGS steps)")
        print(f"fitted k = {fitted[0]:.4f} (true 4), c = {fitted[1]:.4f} (true 0.3)")
    return {"initial": initial, "final": final, "params": fitted, "loss": loss, "start": start}


if __name__ == "__main__":
    main()
