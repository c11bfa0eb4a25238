"""``scipy.ndimage``'s functions of integer and boolean images (labelling, binary morphology,
distance transforms, watershed, structuring elements, object slices): chainrule passes
SciPy's result through and refuses a derivative: a traced float reaching one of them under
``grad``/``jvp`` raises, saying what to do instead, never a silent zero. (A boolean made from
a traced float, ``x > 0.5``, is a constant: ``label(x > 0.5)`` inside a differentiated
function is fine.) Under ``vmap`` each example is computed in turn; ``find_objects`` and
``value_indices``, whose results are Python objects, refuse ``vmap``.

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
from .ndimage_support import scipy_ndimage, no_output

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


def _no_vmap(name):
    def rule(vals, dims, **params):
        raise TypeError(f"vmap of scipy.ndimage.{name}: its result is a Python object per "
                        f"example; call it in a loop over the examples")
    return rule


def _pass_through(name, arrays, why, example, multiple=False, vmap=True,
                  out_params=("output",)):
    """Register SciPy's ``name`` as a value-only primitive of its ``arrays`` arguments (the
    others are passed through unchanged)."""
    sfn = getattr(scipy_ndimage(), name)
    signature = inspect.signature(sfn)

    def impl(*values, names, static):
        out = sfn(**dict(static), **dict(zip(names, values)))
        if multiple:
            return out if isinstance(out, tuple) else (out,)
        return out

    prim = Primitive(f"ndimage.{name}", impl, multiple_results=multiple)

    def public(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        for p in out_params:
            no_output(name, bound.arguments.get(p), allow_dtype=(p == "output"))
        names = tuple(n for n in arrays if n in bound.arguments)
        values = [bound.arguments.pop(n) for n in names]
        return prim(*values, names=names, static=tuple(bound.arguments.items()))

    public.__name__ = public.__qualname__ = name
    public.__signature__ = signature
    public.__doc__ = (f"``scipy.ndimage.{name}``: SciPy's result; no derivative ({why}).\n\n"
                      f"    >>> import numpy as np\n{example}\n")
    value_only(prim, why=why, batch=_loop(prim) if vmap else _no_vmap(name), names=(name,),
               namespace=NDIMAGE, public=_unpacked(public) if multiple else public)
    return public


def _unpacked(public):
    """A function SciPy returns as one array or a tuple: one result is returned bare."""
    def wrapper(*args, **kwargs):
        out = public(*args, **kwargs)
        return out[0] if isinstance(out, tuple) and len(out) == 1 else out
    for attr in ("__name__", "__qualname__", "__signature__", "__doc__"):
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
find_objects = _pass_through(
    "find_objects", ("input",), "its result is slices", vmap=False,
    example="    >>> find_objects(np.array([0, 1, 1, 0]))\n    [(slice(1, 3, None),)]")
value_indices = _pass_through(
    "value_indices", ("arr",), "its result is index arrays", vmap=False,
    example="    >>> value_indices(np.array([2, 0, 2]), ignore_value=0)\n"
            "    {np.int64(2): (array([0, 2]),)}")
watershed_ift = _pass_through(
    "watershed_ift", ("input", "markers"), _LABELS,
    "    >>> watershed_ift(np.array([0, 9, 0], np.uint8), np.array([1, 0, 2]))\n"
    "    array([1, 1, 2], dtype=int32)")
iterate_structure = _pass_through(
    "iterate_structure", ("structure",), "a structuring element is boolean",
    "    >>> iterate_structure(np.array([True, True, True]), 2).astype(int)\n"
    "    array([1, 1, 1, 1, 1])", out_params=())
for _name, _example in (
        ("binary_erosion", "array([False,  True, False])"),
        ("binary_dilation", "array([ True,  True,  True])"),
        ("binary_opening", "array([False, False, False])"),
        ("binary_closing", "array([False,  True, False])"),
        ("binary_fill_holes", "array([ True,  True,  True])"),
        ("binary_propagation", "array([ True,  True,  True])"),
        ("binary_hit_or_miss", "array([False, False, False])")):
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


def generate_binary_structure(rank, connectivity):
    """``scipy.ndimage.generate_binary_structure``: SciPy's (a constant from two integers).

    >>> generate_binary_structure(1, 1)
    array([ True,  True,  True])
    """
    return scipy_ndimage().generate_binary_structure(rank, connectivity)


add(NDIMAGE, "generate_binary_structure", CREATION, generate_binary_structure)
