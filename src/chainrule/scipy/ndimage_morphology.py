"""``scipy.ndimage``'s grey morphology built from erosion and dilation as SciPy writes it
(opening, closing, the top-hats, the morphological gradient and Laplacian), so the values
are SciPy's and the derivatives follow the selected elements.

>>> import numpy as np, chainrule as cr
>>> cr.grad(lambda x: morphological_gradient(x, size=3)[1])(np.array([0.0, 5.0, 2.0]))
array([-1.,  1.,  0.])
"""

import numpy as np

from ..core.registry import NDIMAGE
from ..primitives.declare import export
from .. import numpy as cnp
from .ndimage_rank import grey_erosion, grey_dilation
from .ndimage_support import no_output

__all__ = []


def _args(name, output, size, footprint):
    no_output(name, output)
    if size is None and footprint is None:
        return
    if size is not None and footprint is not None:
        import warnings
        warnings.warn("ignoring size because footprint is set", UserWarning, stacklevel=3)


@export("grey_opening", namespace=NDIMAGE)
def grey_opening(input, size=None, footprint=None, structure=None, output=None,
                 mode="reflect", cval=0.0, origin=0, *, axes=None):
    """``scipy.ndimage.grey_opening``: dilation of the erosion.

    >>> import numpy as np
    >>> grey_opening(np.array([0.0, 5.0, 0.0, 1.0, 1.0]), size=2)
    array([0., 0., 0., 1., 1.])
    """
    _args("grey_opening", output, size, footprint)
    tmp = grey_erosion(input, size, footprint, structure, None, mode, cval, origin, axes=axes)
    return grey_dilation(tmp, size, footprint, structure, None, mode, cval, origin, axes=axes)


@export("grey_closing", namespace=NDIMAGE)
def grey_closing(input, size=None, footprint=None, structure=None, output=None,
                 mode="reflect", cval=0.0, origin=0, *, axes=None):
    """``scipy.ndimage.grey_closing``: erosion of the dilation.

    >>> import numpy as np
    >>> grey_closing(np.array([1.0, 0.0, 1.0, 1.0]), size=2)
    array([1., 1., 1., 1.])
    """
    _args("grey_closing", output, size, footprint)
    tmp = grey_dilation(input, size, footprint, structure, None, mode, cval, origin, axes=axes)
    return grey_erosion(tmp, size, footprint, structure, None, mode, cval, origin, axes=axes)


def _difference(a, b):
    # SciPy: a boolean pair is xor-ed, anything else subtracted in the result's dtype
    a, b = cnp.asarray(a), cnp.asarray(b)
    if a.dtype == np.bool_ and b.dtype == np.bool_:
        return cnp.logical_xor(a, b)
    return a - b


@export("white_tophat", namespace=NDIMAGE)
def white_tophat(input, size=None, footprint=None, structure=None, output=None,
                 mode="reflect", cval=0.0, origin=0, *, axes=None):
    """``scipy.ndimage.white_tophat``: input − opening.

    >>> import numpy as np
    >>> white_tophat(np.array([0.0, 5.0, 0.0, 1.0, 1.0]), size=2)
    array([0., 5., 0., 0., 0.])
    """
    _args("white_tophat", output, size, footprint)
    return _difference(input, grey_opening(input, size, footprint, structure, None, mode, cval,
                                           origin, axes=axes))


@export("black_tophat", namespace=NDIMAGE)
def black_tophat(input, size=None, footprint=None, structure=None, output=None,
                 mode="reflect", cval=0.0, origin=0, *, axes=None):
    """``scipy.ndimage.black_tophat``: closing − input.

    >>> import numpy as np
    >>> black_tophat(np.array([1.0, 0.0, 1.0, 1.0]), size=2)
    array([0., 1., 0., 0.])
    """
    _args("black_tophat", output, size, footprint)
    return _difference(grey_closing(input, size, footprint, structure, None, mode, cval,
                                    origin, axes=axes), input)


@export("morphological_gradient", namespace=NDIMAGE)
def morphological_gradient(input, size=None, footprint=None, structure=None, output=None,
                           mode="reflect", cval=0.0, origin=0, *, axes=None):
    """``scipy.ndimage.morphological_gradient``: dilation − erosion.

    >>> import numpy as np
    >>> morphological_gradient(np.array([0.0, 1.0, 3.0]), size=3)
    array([1., 3., 2.])
    """
    no_output("morphological_gradient", output)
    return (grey_dilation(input, size, footprint, structure, None, mode, cval, origin,
                          axes=axes)
            - grey_erosion(input, size, footprint, structure, None, mode, cval, origin,
                           axes=axes))


@export("morphological_laplace", namespace=NDIMAGE)
def morphological_laplace(input, size=None, footprint=None, structure=None, output=None,
                          mode="reflect", cval=0.0, origin=0, *, axes=None):
    """``scipy.ndimage.morphological_laplace``: dilation + erosion − input − input (SciPy's
    order of operations).

    >>> import numpy as np
    >>> morphological_laplace(np.array([0.0, 1.0, 3.0]), size=3)
    array([ 1.,  1., -2.])
    """
    no_output("morphological_laplace", output)
    x = cnp.asarray(input)
    d = grey_dilation(x, size, footprint, structure, None, mode, cval, origin, axes=axes)
    e = grey_erosion(x, size, footprint, structure, None, mode, cval, origin, axes=axes)
    return ((d + e) - x) - x
