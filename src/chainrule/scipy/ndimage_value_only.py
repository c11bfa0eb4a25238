"""``scipy.ndimage``'s functions of integer and boolean images (labelling, binary morphology,
distance transforms, watershed, structuring elements, object slices): chainrule passes
SciPy's result through and refuses a derivative: a traced float reaching one of them under
``grad``/``jvp`` raises, saying what to do instead, never a silent zero. (A boolean made from
a traced float, ``x > 0.5``, is a constant: ``label(x > 0.5)`` inside a differentiated
function is fine.) Under ``vmap`` each example is computed in turn. ``find_objects``,
``value_indices``, ``watershed_ift`` (of uint8/uint16 images), ``iterate_structure`` and
``generate_binary_structure`` take labels, integers or structures, never a float to
differentiate: they refuse any traced argument, vmap's included.

>>> import numpy as np
>>> label(np.array([1, 0, 1, 1]))
(array([1, 0, 2, 2], dtype=int32), 2)
"""

import inspect

import numpy as np

from ..core.primitive import Primitive
from ..core.registry import NDIMAGE, CREATION, add
from ..primitives.declare import value_only
from ..primitives.basic import moveaxis_to_front
from .. import numpy as cnp
from .ndimage_support import scipy_ndimage, no_output, traced

__all__ = []


def _loop(prim):
    """vmap: SciPy on each example, the results stacked."""
    def rule(vals, dims, **params):
        size = next(cnp.shape(v)[d] for v, d in zip(vals, dims) if d is not None)
        moved = [v if d is None else moveaxis_to_front(v, d) for v, d in zip(vals, dims)]
        outs = [prim(*[m if d is None else m[i] for m, d in zip(moved, dims)], **params)
                for i in range(size)]
        if prim.multiple_results:
            count = len(outs[0])
            return (tuple(cnp.stack([cnp.asarray(o[k]) for o in outs]) for k in range(count)),
                    (0,) * count)
        return cnp.stack(outs), 0
    return rule


def _pass_through(name, arrays, why, example, multiple=False, out_params=("output",)):
    """Register SciPy's ``name`` as a value-only primitive of its ``arrays`` arguments (the
    others are passed through unchanged)."""
    # SciPy is looked up at the first call: importing chainrule never imports SciPy
    def impl(*values, names, static):
        out = getattr(scipy_ndimage(), name)(**dict(static), **dict(zip(names, values)))
        if multiple:
            return out if isinstance(out, tuple) else (out,)
        return out

    prim = Primitive(f"ndimage.{name}", impl, multiple_results=multiple)

    def public(*args, **kwargs):
        bound = inspect.signature(getattr(scipy_ndimage(), name)).bind(*args, **kwargs)
        for p in out_params:
            no_output(name, bound.arguments.get(p), allow_dtype=(p == "output"))
        names = tuple(n for n in arrays if n in bound.arguments)
        values = [bound.arguments.pop(n) for n in names]
        return prim(*values, names=names, static=tuple(bound.arguments.items()))

    public.__name__ = public.__qualname__ = name
    public.__doc__ = (f"``scipy.ndimage.{name}``: SciPy's result; no derivative ({why}).\n\n"
                      f"    >>> import numpy as np\n{example}\n")
    public = _unpacked(public) if multiple else public
    value_only(prim, why=why, batch=_loop(prim), names=(name,), namespace=NDIMAGE,
               public=public)
    return public


def _unpacked(public):
    """A function SciPy returns as one array or a tuple: one result is returned bare."""
    def wrapper(*args, **kwargs):
        out = public(*args, **kwargs)
        return out[0] if isinstance(out, tuple) and len(out) == 1 else out
    for attr in ("__name__", "__qualname__", "__doc__"):
        setattr(wrapper, attr, getattr(public, attr))
    return wrapper


_LABELS = "its result is integer labels; differentiate a smooth function of the input instead"
_BINARY = ("binary morphology of a boolean image has no derivative; for a differentiable "
           "version use grey morphology (grey_erosion, grey_dilation) on the float image")
_DISTANCE = ("the distance transform is a function of the image's zero set, a boolean mask, "
             "so its derivative in the input values is zero almost everywhere and undefined on "
             "the mask's edge; pass the mask (x != 0) as a constant")

label = _pass_through("label", ("input",), _LABELS,
                      "    >>> label(np.array([1, 1, 0, 1]))\n"
                      "    (array([1, 1, 0, 2], dtype=int32), 2)", multiple=True)
for _name, _example in (
        ("binary_erosion", "array([False,  True, False])"),
        ("binary_dilation", "array([ True,  True,  True])"),
        ("binary_opening", "array([ True,  True,  True])"),
        ("binary_closing", "array([False,  True, False])"),
        ("binary_fill_holes", "array([ True,  True,  True])"),
        ("binary_propagation", "array([ True,  True,  True])"),
        ("binary_hit_or_miss", "array([False,  True, False])")):
    globals()[_name] = _pass_through(
        _name, ("input",), _BINARY,
        f"    >>> {_name}(np.array([True, True, True]))\n    {_example}")
for _name, _example in (
        ("distance_transform_edt", "array([0., 1., 2.])"),
        ("distance_transform_cdt", "array([0, 1, 2], dtype=int32)"),
        ("distance_transform_bf", "array([0., 1., 2.])")):
    globals()[_name] = _pass_through(
        _name, ("input",), _DISTANCE,
        f"    >>> {_name}(np.array([0.0, 0.5, 2.0]))\n    {_example}", multiple=True,
        out_params=("distances", "indices"))


def _objects(name, *values):
    if traced(values):
        raise TypeError(f"scipy.ndimage.{name} is a function of labels or boolean structures "
                        f"(its result: slices, index arrays or labels), so chainrule neither "
                        f"differentiates nor vmaps it: call it on a constant array, once per "
                        f"example")
    return getattr(scipy_ndimage(), name)


def find_objects(input, max_label=0):
    """``scipy.ndimage.find_objects``: SciPy's slices of each labelled object (no derivative,
    no vmap: the result is Python objects).

    >>> import numpy as np
    >>> find_objects(np.array([0, 1, 1, 0]))
    [(slice(1, 3, None),)]
    """
    return _objects("find_objects", input)(input, max_label)


def value_indices(arr, *, ignore_value=None):
    """``scipy.ndimage.value_indices``: SciPy's dict of the indices of each distinct value
    (no derivative, no vmap).

    >>> import numpy as np
    >>> value_indices(np.array([2, 0, 2]), ignore_value=0)
    {np.int64(2): (array([0, 2]),)}
    """
    return _objects("value_indices", arr)(arr, ignore_value=ignore_value)


def watershed_ift(input, markers, structure=None, output=None):
    """``scipy.ndimage.watershed_ift``: SciPy's labels (of a uint8/uint16 image: no
    derivative, no vmap).

    >>> import numpy as np
    >>> watershed_ift(np.array([0, 9, 0], np.uint8), np.array([1, 0, 2]))
    array([1, 2, 2])
    """
    no_output("watershed_ift", output, allow_dtype=True)
    return _objects("watershed_ift", input, markers)(input, markers, structure, output)


def iterate_structure(structure, iterations, origin=None):
    """``scipy.ndimage.iterate_structure``: SciPy's dilated structuring element (boolean: no
    derivative, no vmap).

    >>> import numpy as np
    >>> iterate_structure(np.array([True, True, True]), 2).astype(int)
    array([1, 1, 1, 1, 1])
    """
    return _objects("iterate_structure", structure)(structure, iterations, origin)


def generate_binary_structure(rank, connectivity):
    """``scipy.ndimage.generate_binary_structure``: SciPy's (a constant from two integers).

    >>> generate_binary_structure(1, 1)
    array([ True,  True,  True])
    """
    return scipy_ndimage().generate_binary_structure(rank, connectivity)


# Functions of integers and labels returning structures or Python objects: no derivative to
# take (coverage lists them as 'creation', with '—' for the transformations).
for _fn in (generate_binary_structure, iterate_structure, find_objects, value_indices,
            watershed_ift):
    add(NDIMAGE, _fn.__name__, CREATION, _fn)
