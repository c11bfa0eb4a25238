"""Plain NumPy numerics with preallocated arrays filled in place: an explicit heat-equation
solver and the Thomas algorithm. The in-place writes are the one change beyond the imports:
`u[i] = v` became `u = np.at(u)[i].set(v)` (traced arrays are immutable; the error raised by
`u[i] = v` names that fix)."""
import chainrule.numpy as np
from chainrule import grad, jacobian

def heat_explicit(u0, kappa, nt=40, dx=0.1, dt=0.004):
    u = u0.copy()
    for n in range(nt):
        un = u.copy()
        u = np.at(u)[1:-1].set(un[1:-1] + kappa * dt / dx**2 * (un[2:] - 2 * un[1:-1] + un[:-2]))
        u = np.at(u)[0].set(0.0)
        u = np.at(u)[-1].set(0.0)
    return u

def tridiag_solve(a, b, c, d):
    """Thomas algorithm, written with explicit loops and preallocated arrays."""
    n = len(d)
    cp = np.zeros(n)
    dp = np.zeros(n)
    cp = np.at(cp)[0].set(c[0] / b[0])
    dp = np.at(dp)[0].set(d[0] / b[0])
    for i in range(1, n):
        m = b[i] - a[i] * cp[i - 1]
        cp = np.at(cp)[i].set(c[i] / m)
        dp = np.at(dp)[i].set((d[i] - a[i] * dp[i - 1]) / m)
    x = np.zeros(n)
    x = np.at(x)[-1].set(dp[-1])
    for i in range(n - 2, -1, -1):
        x = np.at(x)[i].set(dp[i] - cp[i] * x[i + 1])
    return x

def main():
    x = np.linspace(0, 1, 21)
    u0 = np.sin(np.pi * x) + 0.1 * np.sin(3 * np.pi * x)
    before = u0.copy()
    loss = lambda kappa: np.sum(heat_explicit(u0, kappa) ** 2)
    g = grad(loss)(0.3)
    J = jacobian(lambda u: heat_explicit(u, 0.3))(u0)
    assert np.array_equal(u0, before)
    n = 8
    a = np.full(n, -1.0); b = np.full(n, 2.5); c = np.full(n, -1.0); d = np.arange(n) * 1.0
    Jd = jacobian(lambda d: tridiag_solve(a, b, c, d))(d)
    gb = grad(lambda b: np.sum(tridiag_solve(a, b, c, d) ** 2))(b)
    A = np.diag(b) + np.diag(a[1:], -1) + np.diag(c[:-1], 1)
    print("heat", g, abs(Jd - np.linalg.inv(A)).max())
    return [g, J, Jd, gb]
