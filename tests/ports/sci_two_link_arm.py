"""Forward kinematics of a planar two-link arm (the joint positions as a 2×3 array built
with np.array over traced entries), its Jacobian by automatic differentiation, and inverse
kinematics by damped least squares with that Jacobian.

Source: a public GitHub LEGO EV3 (pybricks) two-link arm script (kin_forward, kin_jacobian;
the search index did not name its repository); kin_forward as written there, the
hand-written kin_jacobian replaced by chainrule's jacobian, as an autodiff user would."""
import chainrule.numpy as np
from chainrule import jacobian


def kin_forward(l, q):
    '''
    Uses the forward kinematics of a two-link arm to return the joint positions given two angles.
    '''
    return np.array([[
        0, 0
    ], [
        l[0] * np.cos(q[0]), l[0] * np.sin(q[0])
    ], [
        l[0] * np.cos(q[0]) + l[1] * np.cos(np.sum(q)),
        l[0] * np.sin(q[0]) + l[1] * np.sin(np.sum(q)),
    ]]).T


def end_effector(l, q):
    return kin_forward(l, q)[:, 2]


def inverse_kinematics(l, target, q0, steps=50, damping=1e-3):
    q = np.array(q0, dtype=float)
    J = jacobian(lambda q: end_effector(l, q))
    for _ in range(steps):
        e = target - end_effector(l, q)
        Jq = J(q)
        q = q + np.linalg.solve(Jq.T @ Jq + damping * np.eye(2), Jq.T @ e)
    return q
