"""What the ``scipy.ndimage`` composites share: argument checks in SciPy's words, and the
rule that a call with nothing traced returns SciPy's own result (its exact bits), while a
traced call runs the composite whose derivatives chainrule knows (equal to rounding).

>>> import numpy as np
>>> traced(np.ones(2), 3.0)
False
"""

import functools
import inspect

import numpy as np

from ..core.primitive import Tracer, full_lower
from ..core import tree

__all__ = ["traced", "scipy_ndimage", "no_output", "check_axes", "per_axis", "constant",
           "MODES", "scipy_when_plain"]

#: The boundary modes of ndimage's filters and interpolation.
MODES = ("reflect", "constant", "nearest", "mirror", "wrap", "grid-mirror", "grid-constant",
         "grid-wrap")


def traced(*args):
    """Whether any leaf of ``args`` is a chainrule tracer."""
    return any(isinstance(a, Tracer) for a in tree.flatten(args)[0])


def scipy_ndimage():
    """SciPy's ``ndimage`` (the ``scipy`` extra), imported when first needed."""
    try:
        import scipy.ndimage
    except ImportError as e:   # pragma: no cover - the scipy extra is installed in the tests
        raise ImportError("chainrule.scipy.ndimage needs SciPy: pip install 'chainrule[scipy]'"
                          ) from e
    return scipy.ndimage


def no_output(name, output, allow_dtype=False):
    """SciPy's ``output=`` writes in place; chainrule returns a new array (a dtype is
    accepted where SciPy's own callers pass one)."""
    if output is None or (allow_dtype and isinstance(output, (type, np.dtype, str))):
        return
    raise TypeError(f"scipy.ndimage.{name}(output=...) writes in place; chainrule returns "
                    f"a new array: assign the result instead")


def check_axes(axes, ndim):
    """SciPy's ``axes=``: None for all, else unique axes in range."""
    if axes is None:
        return list(range(ndim))
    axes = [axes] if np.ndim(axes) == 0 else list(axes)
    out = []
    for a in axes:
        if not -ndim <= int(a) < ndim:
            raise ValueError(f"axis {a} is out of bounds for an input of {ndim} dimensions")
        out.append(int(a) % ndim)
    if len(set(out)) != len(out):
        raise ValueError("axes must be unique")
    return out


def per_axis(value, count, what="argument"):
    """One value per axis (a scalar or a string is repeated)."""
    if isinstance(value, str) or np.ndim(value) == 0:
        return [value] * count
    value = list(value)
    if len(value) != count:
        raise RuntimeError(f"sequence argument must have length equal to input rank ({what})")
    return value


def constant(name, what, value):
    """Refuse a traced ``value`` where chainrule differentiates only in the input."""
    if traced(value):
        raise TypeError(f"scipy.ndimage.{name}: {what} must be a constant (chainrule "
                        f"differentiates in the input only); pass a plain value")
    return value


def scipy_when_plain(name, real=()):
    """Decorator: with no traced argument, return SciPy's ``scipy.ndimage.<name>`` itself (its
    exact bits, its errors); a traced call runs the decorated composite. ``output=`` (an
    array) is refused either way (chainrule returns a new array), and so is a complex value
    for the arguments named in ``real`` (SciPy would drop its imaginary part)."""
    def deco(fn):
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            bound = signature.bind(*args, **kwargs).arguments
            no_output(name, bound.get("output"), allow_dtype=True)
            for arg in real:
                if arg in bound and _complex(bound[arg]):
                    raise TypeError(f"scipy.ndimage.{name}: {arg} must be real, got a complex "
                                    f"value (SciPy would discard its imaginary part)")
            if not traced(args, tuple(kwargs.values())):
                return getattr(scipy_ndimage(), name)(*args, **kwargs)
            return fn(*args, **kwargs)
        return wrapper
    return deco


def _complex(value):
    return any(np.iscomplexobj(full_lower(v)) for v in tree.flatten(value)[0])
