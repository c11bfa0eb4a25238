"""Differentiable ``scipy.spatial.transform``: ``Rotation`` and ``Slerp`` whose angles,
quaternions, matrices, rotation vectors and the vectors they rotate may be traced.

With plain inputs every method is SciPy's own (its values and errors). With traced ones
the rotation is held as a unit quaternion (scalar last, as SciPy stores it) computed by
SciPy's own algorithms written with ``chainrule.numpy`` (the array-API backend SciPy ships
for JAX and other libraries: Shepperd's choice of pivot for ``from_matrix``, Bernardes and
Viollet's direct method for ``as_euler``, the Taylor series of the rotation vector's scale
near the identity), so values agree with SciPy's to rounding and derivatives are exact
(away from the rotation vector's branch at an angle of π and Euler angles' gimbal lock).

>>> import numpy as np, chainrule as cr
>>> def tip(angles):                  # where a rotated arm's tip ends up
...     return Rotation.from_euler("zyx", angles).apply(np.array([1.0, 0.0, 0.0]))
>>> tip(np.array([np.pi / 2, 0.0, 0.0])).round(12) + 0.0
array([0., 1., 0.])
>>> cr.jacfwd(tip)(np.array([np.pi / 2, 0.0, 0.0])).round(12) + 0.0    # d tip / d angles
array([[-1.,  0.,  0.],
       [ 0.,  0.,  0.],
       [ 0.,  0.,  1.]])
"""

import re
import warnings

import numpy as np

from ...core.primitive import concrete_value
from ...core.registry import SPATIAL_TRANSFORM, COMPOSITE, add
from ...primitives.scipy_linalg import scipy_module
from ...primitives.util import shape, dtype, values_or_none, traced
from ...numpy.registered import cnp

__all__ = ["Rotation", "Slerp"]


def _real(*values):
    """Rotations are real: a complex input is an error (SciPy would drop its imaginary part
    with only a ComplexWarning)."""
    for v in values:
        if v is not None and np.iscomplexobj(np.empty(0, dtype=dtype(cnp.asarray(v)))
                                             if traced(v) else np.asarray(v)):
            raise TypeError("scipy.spatial.transform: rotations, angles and vectors are real; "
                            "got complex values (take their real part first if that is meant)")
    return values


def _scipy_rotation():
    return scipy_module("spatial.transform").Rotation


def _array(x):
    x = cnp.asarray(x) if not isinstance(x, (list, tuple)) or not traced(x) else \
        cnp.stack([_array(v) for v in x])
    return x if dtype(x).kind in "fc" else cnp.astype(x, np.float64)


def _norm(x, keepdims=True):
    return cnp.sqrt(cnp.sum(x * x, axis=-1, keepdims=keepdims))


# ---- SciPy's array-API algorithms, with chainrule.numpy ------------------------------------
def _normalized(quat):
    n = _norm(quat)
    values = values_or_none(n)
    if values is not None and np.any(values == 0):
        raise ValueError("Found zero norm quaternions in `quat`.")
    return quat / n


def _from_matrix(matrix):
    m = matrix
    trace = m[..., 0, 0] + m[..., 1, 1] + m[..., 2, 2]
    choice = cnp.argmax(cnp.stack([m[..., 0, 0], m[..., 1, 1], m[..., 2, 2], trace], axis=-1),
                        axis=-1)[..., None]
    cases = [
        [1 - trace + 2 * m[..., 0, 0], m[..., 1, 0] + m[..., 0, 1], m[..., 2, 0] + m[..., 0, 2],
         m[..., 2, 1] - m[..., 1, 2]],
        [m[..., 1, 0] + m[..., 0, 1], 1 - trace + 2 * m[..., 1, 1], m[..., 2, 1] + m[..., 1, 2],
         m[..., 0, 2] - m[..., 2, 0]],
        [m[..., 2, 0] + m[..., 0, 2], m[..., 2, 1] + m[..., 1, 2], 1 - trace + 2 * m[..., 2, 2],
         m[..., 1, 0] - m[..., 0, 1]],
        [m[..., 2, 1] - m[..., 1, 2], m[..., 0, 2] - m[..., 2, 0], m[..., 1, 0] - m[..., 0, 1],
         1 + trace]]
    quat = cnp.stack(cases[3], axis=-1)
    for k in (2, 1, 0):
        quat = cnp.where(choice == k, cnp.stack(cases[k], axis=-1), quat)
    return _normalized(quat)


def _safe_norm(s2):
    """sqrt(s2) with a zero derivative where s2 is 0 (the norm's kink, which the Taylor
    branches below stand in for)."""
    positive = s2 > 0
    return cnp.where(positive, cnp.sqrt(cnp.where(positive, s2, 1.0)), 0.0)


def _from_rotvec(rotvec):
    angle2 = cnp.sum(rotvec * rotvec, axis=-1, keepdims=True)
    angle = _safe_norm(angle2)
    small = angle <= 1e-3
    small_scale = 0.5 - angle2 / 48 + angle2 ** 2 / 3840
    large_scale = cnp.sin(angle / 2) / (angle + cnp.astype(small, dtype(angle)))
    scale = cnp.where(small, small_scale, large_scale)
    # (cos(angle/2) near 0 as its series in angle², so that its derivatives there are exact)
    w = cnp.where(small, 1 - angle2 / 8 + angle2 ** 2 / 384, cnp.cos(angle / 2))
    return cnp.concatenate([rotvec * scale, w], axis=-1)


def _from_mrp(mrp):
    plus_1 = cnp.sum(mrp * mrp, axis=-1, keepdims=True) + 1
    return cnp.concatenate([2 * mrp[..., :3], (2 - plus_1)], axis=-1) / plus_1


def _compose(p, q):
    cross = cnp.cross(p[..., :3], q[..., :3])
    qx = p[..., 3] * q[..., 0] + q[..., 3] * p[..., 0] + cross[..., 0]
    qy = p[..., 3] * q[..., 1] + q[..., 3] * p[..., 1] + cross[..., 1]
    qz = p[..., 3] * q[..., 2] + q[..., 3] * p[..., 2] + cross[..., 2]
    qw = p[..., 3] * q[..., 3] - p[..., 0] * q[..., 0] - p[..., 1] * q[..., 1] - \
        p[..., 2] * q[..., 2]
    return cnp.stack([qx, qy, qz, qw], axis=-1)


def _elementary(axis, angle):
    parts = [angle * 0.0] * 3 + [cnp.cos(angle / 2.0)]
    parts[axis] = cnp.sin(angle / 2.0)
    return cnp.stack(parts, axis=-1)


_AXIS = {"x": 0, "y": 1, "z": 2}


def _sequence(seq, lengths):
    if not isinstance(seq, str) or not lengths[0] <= len(seq) <= lengths[1]:
        raise ValueError(f"Expected axis specification to be a non-empty string of up to 3 "
                         f"characters, got {seq}" if lengths[0] == 1 else
                         f"Expected 3 axes, got {seq}.")
    intrinsic = re.match(r"^[XYZ]{1,3}$", seq) is not None
    extrinsic = re.match(r"^[xyz]{1,3}$", seq) is not None
    if not (intrinsic or extrinsic):
        raise ValueError(f"Expected axes from `seq` to be from ['x', 'y', 'z'] or ['X', 'Y', "
                         f"'Z'], got {seq}")
    if any(seq[i] == seq[i + 1] for i in range(len(seq) - 1)):
        raise ValueError(f"Expected consecutive axes to be different, got {seq}")
    return [_AXIS[a] for a in seq.lower()], intrinsic


def _from_euler(seq, angles):
    axes, intrinsic = _sequence(seq, (1, 3))
    if shape(angles)[-1] != len(axes):
        raise ValueError("Expected last dimension of `angles` to match number of sequence "
                         f"axes specified, got {shape(angles)[-1]}.")
    quat = _elementary(axes[0], angles[..., 0])
    for i in range(1, len(axes)):
        ax = _elementary(axes[i], angles[..., i])
        quat = _compose(quat, ax) if intrinsic else _compose(ax, quat)
    return quat


def _as_matrix(quat):
    x, y, z, w = quat[..., 0], quat[..., 1], quat[..., 2], quat[..., 3]
    x2, y2, z2, w2 = x * x, y * y, z * z, w * w
    xy, zw, xz, yw, yz, xw = x * y, z * w, x * z, y * w, y * z, x * w
    rows = [x2 - y2 - z2 + w2, 2 * (xy - zw), 2 * (xz + yw),
            2 * (xy + zw), -x2 + y2 - z2 + w2, 2 * (yz - xw),
            2 * (xz - yw), 2 * (yz + xw), -x2 - y2 + z2 + w2]
    return cnp.reshape(cnp.stack(rows, axis=-1), shape(quat)[:-1] + (3, 3))


def _canonical(quat):
    w, x, y, z = quat[..., 3], quat[..., 0], quat[..., 1], quat[..., 2]
    mask = w < 0
    zero_w = w == 0
    mask = mask | (zero_w & (x < 0))
    zero_wx = zero_w & (x == 0)
    mask = mask | (zero_wx & (y < 0))
    mask = mask | (zero_wx & (y == 0) & (z < 0))
    return cnp.where(mask[..., None], -quat, quat)


def _as_rotvec(quat):
    quat = _canonical(quat)
    # (|xyz| with a zero derivative at the identity, where the norm has none)
    ax_norm = _safe_norm(cnp.sum(quat[..., :3] ** 2, axis=-1, keepdims=True))
    angle = 2 * cnp.arctan2(ax_norm, quat[..., 3:4])
    small = angle <= 1e-3
    angle2 = angle ** 2
    small_scale = 2 + angle2 / 12 + 7 * angle2 ** 2 / 2880
    large_scale = angle / (cnp.sin(angle / 2.0) + cnp.astype(small, dtype(angle)))
    return cnp.where(small, small_scale, large_scale) * quat[..., :3]


def _as_mrp(quat):
    sign = cnp.where(quat[..., 3:4] < 0, -1.0, 1.0)
    return sign * quat[..., :3] / (1.0 + sign * quat[..., 3:4])


def _as_euler(quat, seq, suppress_warnings):
    axes, intrinsic = _sequence(seq, (3, 3))
    extrinsic = not intrinsic
    i, j, k = axes if extrinsic else axes[::-1]
    symmetric = i == k
    k = 3 - i - j if symmetric else k
    sign = float((i - j) * (j - k) * (k - i) // 2)
    q = quat
    if symmetric:
        a, b, c, d = q[..., 3], q[..., i], q[..., j], q[..., k] * sign
    else:
        a, b = q[..., 3] - q[..., j], q[..., i] + q[..., k] * sign
        c, d = q[..., j] + q[..., 3], q[..., k] * sign - q[..., i]
    eps = 1e-7
    half_sum = cnp.arctan2(b, a)
    half_diff = cnp.arctan2(d, c)
    second = 2 * cnp.arctan2(cnp.hypot(c, d), cnp.hypot(a, b))
    case1 = cnp.abs(second) <= eps
    case2 = cnp.abs(second - np.pi) <= eps
    case0 = ~(case1 | case2)
    singular = values_or_none(~case0)
    if not suppress_warnings and singular is not None and np.any(singular):
        warnings.warn("Gimbal lock detected. Setting third angle to zero since it is not "
                      "possible to uniquely determine all angles.", stacklevel=3)
    zero = second * 0.0
    a0 = cnp.where(case1, 2 * half_sum, 2 * half_diff * (-1 if extrinsic else 1))
    angles = [a0, second, zero]
    first, third = (0, 2) if extrinsic else (2, 0)
    angles[first] = cnp.where(case0, half_sum - half_diff, angles[first])
    angles[third] = cnp.where(case0, half_sum + half_diff, angles[third])
    if not symmetric:
        angles[third] = angles[third] * sign
        angles[1] = angles[1] - np.pi / 2
    out = cnp.stack(angles, axis=-1)
    return (out + np.pi) % (2 * np.pi) - np.pi


def _magnitude(quat):
    sin_q = _safe_norm(cnp.sum(quat[..., :3] ** 2, axis=-1))
    return 2 * cnp.arctan2(sin_q, cnp.abs(quat[..., 3]))


# ---- the classes ----------------------------------------------------------------------------
class Rotation:
    """``scipy.spatial.transform.Rotation`` (one rotation or a stack of them), whose inputs
    may be traced. Build it with the ``from_*`` class methods, as SciPy's.

    >>> r = Rotation.from_rotvec([0.0, 0.0, np.pi / 2])
    >>> r.apply([1.0, 0.0, 0.0]).round(12) + 0.0
    array([0., 1., 0.])
    """

    __slots__ = ("_quat", "_sp")

    def __init__(self, quat, normalize=True, copy=True, *, scalar_first=False):
        quat = _array(quat)
        if scalar_first:
            quat = cnp.roll(quat, -1, axis=-1)
        if shape(quat)[-1:] != (4,):
            raise ValueError(f"Expected `quat` to have shape (..., 4), got {shape(quat)}.")
        self._quat = _normalized(quat) if normalize else quat
        self._sp = None

    @classmethod
    def _of(cls, quat, sp=None):
        r = cls.__new__(cls)
        r._quat, r._sp = quat, sp
        return r

    @classmethod
    def _scipy(cls, method, *args, **kwargs):
        """SciPy's own constructor on plain values (its object kept, for its own methods)."""
        return cls._wrap(getattr(_scipy_rotation(), method)(*args, **kwargs))

    @classmethod
    def _wrap(cls, sp):
        return cls._of(sp.as_quat(), sp)

    # constructors
    @classmethod
    def from_quat(cls, quat, *, scalar_first=False):
        _real(quat)
        if not traced(quat):
            return cls._scipy("from_quat", quat, scalar_first=scalar_first)
        return cls(quat, scalar_first=scalar_first)

    @classmethod
    def from_matrix(cls, matrix, *, assume_valid=False):
        _real(matrix)
        if not traced(matrix):
            return cls._scipy("from_matrix", matrix)
        m = _array(matrix)
        if shape(m)[-2:] != (3, 3):
            raise ValueError(f"Expected `matrix` to have shape (..., 3, 3), got {shape(m)}")
        values = values_or_none(m)
        if values is not None and not assume_valid:
            if np.any(np.linalg.det(values) <= 0):
                raise ValueError("Non-positive determinant (left-handed or null coordinate "
                                 "frame) in rotation matrix.")
            gram = values @ np.swapaxes(values, -1, -2)
            if not np.all(np.isclose(gram, np.eye(3), atol=1e-12)):
                u, _, vt = cnp.linalg.svd(m, full_matrices=False)   # the nearest rotation
                m = u @ vt
        return cls._of(_from_matrix(m))

    @classmethod
    def from_rotvec(cls, rotvec, degrees=False):
        _real(rotvec)
        if not traced(rotvec):
            return cls._scipy("from_rotvec", rotvec, degrees=degrees)
        v = _array(rotvec)
        if shape(v)[-1:] != (3,):
            raise ValueError(f"Expected `rot_vec` to have shape (..., 3), got {shape(v)}")
        return cls._of(_from_rotvec(v * (np.pi / 180) if degrees else v))

    @classmethod
    def from_mrp(cls, mrp):
        _real(mrp)
        if not traced(mrp):
            return cls._scipy("from_mrp", mrp)
        return cls._of(_from_mrp(_array(mrp)))

    @classmethod
    def from_euler(cls, seq, angles, degrees=False):
        _real(angles)
        if not traced(angles):
            return cls._scipy("from_euler", seq, angles, degrees=degrees)
        a = _array(angles)
        if len(shape(a)) == 0:
            a = cnp.reshape(a, (1,))
        return cls._of(_from_euler(seq, a * (np.pi / 180) if degrees else a))

    @classmethod
    def identity(cls, num=None, *, shape=None):
        return cls._scipy("identity", num, shape=shape)

    @classmethod
    def random(cls, num=None, rng=None, *, shape=None):
        return cls._scipy("random", num, rng, shape=shape)

    @classmethod
    def concatenate(cls, rotations):
        quats = [cnp.reshape(r._quat, (-1, 4)) for r in rotations]
        return cls._of(cnp.concatenate(quats, axis=0))

    # views
    def _plain(self):
        if self._sp is None and not traced(self._quat):
            self._sp = _scipy_rotation().from_quat(self._quat)
        return self._sp

    def as_quat(self, canonical=False, *, scalar_first=False):
        if self._plain() is not None:
            return self._plain().as_quat(canonical, scalar_first=scalar_first)
        q = _canonical(self._quat) if canonical else self._quat
        q = cnp.roll(q, 1, axis=-1) if scalar_first else q
        return q + 0.0   # (a new array: never the rotation's own)

    def as_matrix(self):
        plain = self._plain()
        return plain.as_matrix() if plain is not None else _as_matrix(self._quat)

    def as_rotvec(self, degrees=False):
        plain = self._plain()
        if plain is not None:
            return plain.as_rotvec(degrees=degrees)
        v = _as_rotvec(self._quat)
        return v * (180 / np.pi) if degrees else v

    def as_mrp(self):
        plain = self._plain()
        return plain.as_mrp() if plain is not None else _as_mrp(self._quat)

    def as_euler(self, seq, degrees=False, *, suppress_warnings=False):
        plain = self._plain()
        if plain is not None:
            return plain.as_euler(seq, degrees=degrees, suppress_warnings=suppress_warnings)
        a = _as_euler(self._quat, seq, suppress_warnings)
        return a * (180 / np.pi) if degrees else a

    def magnitude(self):
        plain = self._plain()
        return plain.magnitude() if plain is not None else _magnitude(self._quat)

    # action and algebra
    def apply(self, vectors, inverse=False):
        _real(vectors)
        plain = self._plain()
        if plain is not None and not traced(vectors):
            return plain.apply(vectors, inverse=inverse)
        m = plain.as_matrix() if plain is not None else _as_matrix(self._quat)
        v = _array(vectors)
        if shape(v)[-1:] != (3,):
            raise ValueError(f"Expected input of shape (3,) or (P, 3), got {shape(v)}.")
        if inverse:
            m = cnp.swapaxes(m, -1, -2)
        return cnp.matmul(m, v[..., None])[..., 0]

    def __mul__(self, other):
        if not isinstance(other, Rotation):
            return NotImplemented
        if not traced(self._quat, other._quat):
            return Rotation._wrap(self._plain() * other._plain())
        return Rotation._of(_compose(self._quat, other._quat))

    def inv(self):
        if self._plain() is not None:
            return Rotation._wrap(self._plain().inv())
        return Rotation._of(self._quat * np.array([-1.0, -1.0, -1.0, 1.0]))

    def __pow__(self, n, modulus=None):
        if modulus is not None:
            raise NotImplementedError("modulus not supported")
        if not traced(self._quat, n):
            return Rotation._wrap(self._plain() ** n)
        if not traced(n) and n == 0:
            return Rotation._of(self._quat * 0.0 + np.array([0.0, 0.0, 0.0, 1.0]))
        if not traced(n) and n == -1:
            return self.inv()
        if not traced(n) and n == 1:
            return Rotation._of(self._quat + 0.0)
        return Rotation._of(_from_rotvec(n * _as_rotvec(self._quat)))

    def mean(self, weights=None, axis=None):
        if not traced(self._quat, weights):
            return Rotation._wrap(self._plain().mean(weights, axis))
        if axis is not None:
            raise TypeError("Rotation.mean(axis=...) of traced rotations: pass the rotations "
                            "to average as one stack (axis=None)")
        q = cnp.reshape(self._quat, (-1, 4))
        if weights is None:
            k = cnp.matmul(cnp.swapaxes(q, 0, 1), q)
        else:
            w = cnp.reshape(_array(weights), (-1,))
            values = values_or_none(w)
            if values is not None and np.any(values < 0):
                raise ValueError("`weights` must be non-negative.")
            k = cnp.matmul(cnp.swapaxes(q * w[:, None], 0, 1), q)
        _, v = cnp.linalg.eigh(k / shape(q)[0])
        return Rotation._of(v[..., -1])

    def approx_equal(self, other, atol=None, degrees=False):
        atol = (1e-8 if atol is None else atol) * (np.pi / 180 if degrees and atol else 1)
        diff = (self * other.inv()).magnitude()
        return np.asarray(concrete_value(diff, "array")) < atol

    # a stack of rotations
    @property
    def single(self):
        return len(shape(self._quat)) == 1

    @property
    def shape(self):
        return tuple(shape(self._quat)[:-1])

    def __len__(self):
        if self.single:
            raise TypeError("Single rotation has no len")
        return shape(self._quat)[0]

    def __getitem__(self, index):
        if self.single:
            raise TypeError("Single rotation is not subscriptable.")
        if self._plain() is not None:
            return Rotation._wrap(self._plain()[index])
        return Rotation._of(self._quat[index])

    def __repr__(self):
        values = values_or_none(self._quat)
        return f"Rotation.from_quat({values if values is not None else shape(self._quat)})"


class Slerp:
    """``scipy.spatial.transform.Slerp``: spherical linear interpolation between rotations,
    differentiable in the key rotations and the times at which it is evaluated.

    >>> key = Rotation.from_euler("z", [[0.0], [90.0]], degrees=True)
    >>> Slerp([0.0, 1.0], key)([0.5]).as_euler("zyx", degrees=True).round(9) + 0.0
    array([[45.,  0.,  0.]])
    """

    def __init__(self, times, rotations):
        _real(times)
        if not isinstance(rotations, Rotation):
            rotations = Rotation.from_quat(rotations.as_quat())
        if rotations.single or len(rotations) <= 1:
            raise ValueError("`rotations` must be a sequence of at least 2 rotations.")
        t = _array(times)
        if len(shape(t)) != 1:
            raise ValueError(f"Expected times to be specified in a 1 dimensional array, got "
                             f"{len(shape(t))} dimensions.")
        if shape(t)[0] != len(rotations):
            raise ValueError(f"Expected number of rotations to be equal to number of "
                             f"timestamps given, got {len(rotations)} rotations and "
                             f"{shape(t)[0]} timestamps.")
        values = values_or_none(t)
        if values is not None and np.any(np.diff(values) <= 0):
            raise ValueError("Times must be in strictly increasing order.")
        self.times = t
        self._rotations = rotations
        self._deltas = cnp.diff(t)
        q = rotations._quat
        inverse = q[:-1] * np.array([-1.0, -1.0, -1.0, 1.0])
        self._rotvecs = _as_rotvec(_compose(inverse, q[1:]))

    def __call__(self, times):
        _real(times)
        t = _array(times)
        scalar = len(shape(t)) == 0
        t = cnp.reshape(t, (-1,))
        knots, where = values_or_none(self.times), values_or_none(t)
        if knots is not None and where is not None and (
                np.any(where < knots[0]) or np.any(where > knots[-1])):
            raise ValueError("Interpolation times must be within the range [{}, {}], both "
                             "inclusive.".format(knots[0], knots[-1]))
        # Each interval's interpolant, kept where t falls in it (a mask, not an index, so
        # that the times may be batched under vmap); SciPy's choice at a knot: the interval
        # that starts there, the last one at the end.
        q = self._rotations._quat
        n = shape(self.times)[0] - 1
        out = None
        for k in range(n):
            alpha = (t - self.times[k]) / self._deltas[k]
            candidate = _compose(cnp.broadcast_to(q[k], shape(t) + (4,)),
                                 _from_rotvec(alpha[:, None] * self._rotvecs[k]))
            inside = (t >= self.times[k]) if k else (t >= self.times[0]) | (t < self.times[0])
            out = candidate if out is None else cnp.where(inside[:, None], candidate, out)
        return Rotation._of(out[0] if scalar else out)


for _name in __all__:
    add(SPATIAL_TRANSFORM, _name, COMPOSITE, globals()[_name])


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(scipy_module("spatial.transform"), name)   # RotationSpline, RigidTransform
