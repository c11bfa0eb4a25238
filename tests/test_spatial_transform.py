"""chainrule.scipy.spatial.transform.Rotation and Slerp against SciPy's: SciPy's own results on
plain inputs, SciPy's values to rounding when traced, exact derivatives (the rule tests check
them to second order), and a pose-estimation program."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.scipy.spatial.transform import Rotation, Slerp

st = pytest.importorskip("scipy.spatial.transform")
A = np.array([[0.3, -0.4, 1.1], [1.2, 0.1, -0.7]])


@pytest.mark.parametrize("seq", ["xyz", "ZYX", "zxz", "XYX", "yzx"])
def test_every_view_agrees_with_scipy(seq):
    ref = st.Rotation.from_euler(seq, A)
    views = {"as_quat": (), "as_matrix": (), "as_rotvec": (), "as_mrp": (), "magnitude": (),
             "as_euler": (seq,)}
    for name, args in views.items():
        want = getattr(ref, name)(*args)
        np.testing.assert_array_equal(getattr(Rotation.from_euler(seq, A), name)(*args), want)
        got = cr.jvp(lambda a: getattr(Rotation.from_euler(seq, a), name)(*args), (A,), (A,))[0]
        np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-15)
    v = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]])
    for inverse in (False, True):
        got = cr.jvp(lambda a: Rotation.from_euler(seq, a).apply(v, inverse), (A,), (A,))[0]
        np.testing.assert_allclose(got, ref.apply(v, inverse), atol=1e-14)


def test_constructors_and_algebra_match_scipy():
    q = np.array([[0.1, 0.2, 0.3, 0.9], [-0.5, 0.1, 0.4, 0.2]])
    m = st.Rotation.from_quat(q).as_matrix()
    cases = [(lambda q: Rotation.from_quat(q).as_rotvec(), st.Rotation.from_quat(q).as_rotvec()),
             (lambda q: Rotation.from_quat(q, scalar_first=True).as_quat(canonical=True),
              st.Rotation.from_quat(q, scalar_first=True).as_quat(canonical=True)),
             (lambda q: (Rotation.from_quat(q) * Rotation.from_quat(q[::-1])).as_quat(),
              (st.Rotation.from_quat(q) * st.Rotation.from_quat(q[::-1])).as_quat()),
             (lambda q: (Rotation.from_quat(q) ** 0.3).as_quat(),
              (st.Rotation.from_quat(q) ** 0.3).as_quat()),
             (lambda q: Rotation.from_quat(q).inv().as_quat(),
              st.Rotation.from_quat(q).inv().as_quat()),
             (lambda q: Rotation.from_quat(q).mean(weights=[1.0, 2.0]).as_quat(canonical=True),
              st.Rotation.from_quat(q).mean(weights=[1.0, 2.0]).as_quat(canonical=True))]
    for fn, want in cases:
        np.testing.assert_allclose(cr.jvp(fn, (q,), (q,))[0], want, rtol=1e-13, atol=1e-14)
    got = cr.jvp(lambda m: Rotation.from_matrix(m).as_quat(), (m,), (m,))[0]
    np.testing.assert_allclose(got, st.Rotation.from_matrix(m).as_quat(), atol=1e-14)
    # a matrix that is not quite orthogonal: SciPy's nearest rotation
    m2 = m + 1e-3
    got = cr.jvp(lambda m: Rotation.from_matrix(m).as_quat(), (m2,), (m2,))[0]
    np.testing.assert_allclose(got, st.Rotation.from_matrix(m2).as_quat(), atol=1e-12)
    # plain: SciPy's own object behind it
    assert Rotation.from_quat(q).as_quat().tolist() == st.Rotation.from_quat(q).as_quat().tolist()
    assert len(Rotation.from_quat(q)) == 2 and Rotation.from_quat(q[0]).single


def test_identity_and_gimbal_lock_edges():
    # the identity: a zero rotation vector, where the norm has no derivative
    j = cr.jacfwd(lambda v: Rotation.from_rotvec(v).as_quat())(np.zeros(3))
    np.testing.assert_array_equal(j, np.vstack([0.5 * np.eye(3), np.zeros(3)]))
    g = cr.grad(lambda v: Rotation.from_rotvec(v).magnitude())(np.array([0.0, 0.0, 1e-9]))
    assert np.all(np.isfinite(g))
    with pytest.warns(UserWarning, match="Gimbal lock"):
        cr.jvp(lambda a: Rotation.from_euler("xyz", a).as_euler("xyz"),
               (np.array([0.1, np.pi / 2, 0.2]),), (np.ones(3),))


def test_errors():
    with pytest.raises(TypeError, match="real"):
        Rotation.from_rotvec(np.array([0.1j, 0.0, 0.0]))
    with pytest.raises(ValueError, match="zero norm"):
        cr.grad(lambda q: Rotation.from_quat(q).magnitude())(np.zeros(4))
    with pytest.raises(ValueError, match="consecutive axes"):
        cr.grad(lambda a: cnp.sum(Rotation.from_euler("xxz", a).as_quat()))(np.ones(3))
    with pytest.raises(ValueError, match="Non-positive determinant"):
        cr.grad(lambda m: Rotation.from_matrix(m).magnitude())(-np.eye(3))


def test_slerp_matches_scipy_and_differentiates_in_times():
    key = np.array([[0.1, 0.2, 0.3], [0.5, -0.2, 0.1], [0.0, 0.4, -0.3]])
    times = np.array([0.0, 0.3, 1.0, 1.5, 2.0])
    want = st.Slerp([0, 1, 2], st.Rotation.from_rotvec(key))(times).as_quat()
    got = cr.jvp(lambda k: Slerp([0.0, 1.0, 2.0], Rotation.from_rotvec(k))(times).as_quat(),
                 (key,), (key,))[0]
    np.testing.assert_allclose(got, want, atol=1e-15)
    cr.check_grads(lambda t: Slerp([0.0, 1.0, 2.0], Rotation.from_rotvec(key))(t).as_rotvec(),
                   (np.array([0.4, 1.6]),), order=2, modes=("fwd", "rev"))
    with pytest.raises(ValueError, match="within the range"):
        Slerp([0.0, 1.0, 2.0], Rotation.from_rotvec(key))(cr.stop_gradient(np.array([3.0])))


def test_pose_estimation_port():
    """Recover a rotation from point correspondences by Gauss-Newton on its rotation vector,
    with the Jacobian of the residuals from chainrule (a camera-pose program in miniature)."""
    rng = np.random.default_rng(0)
    points = rng.standard_normal((20, 3))
    truth = np.array([0.4, -0.3, 0.8])
    observed = st.Rotation.from_rotvec(truth).apply(points)

    def residuals(v):
        return cnp.ravel(Rotation.from_rotvec(v).apply(points) - observed)
    v = np.zeros(3)                       # start at the identity: its derivative is defined
    for _ in range(8):
        r, J = residuals(v), cr.jacfwd(residuals)(v)
        v = v - np.linalg.lstsq(J, r, rcond=None)[0]
    np.testing.assert_allclose(v, truth, atol=1e-12)
