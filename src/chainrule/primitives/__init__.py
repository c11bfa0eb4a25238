"""Layer 2: the primitives, each declared once with its JVP, VJP and batching rules and its
public names (:mod:`chainrule.primitives.declare`), and the composites built from them.
Importing this package fills the rule tables and the registry of public names
(:mod:`chainrule.core.registry`), and gives tracers their NumPy-array interface.

Modules, each importing only those before it: ``util`` (shapes of traced values),
``declare`` (the registration point), ``basic`` (reshape, transpose, broadcast_to,
sum, concatenate, indexing; batching helpers), ``elementwise``, ``structural``,
``linalg``, ``decompositions``, ``full_decompositions`` (svd and qr in all
their modes), ``special``, ``special_functions``, ``composites``, ``fft``,
``more_numpy``, ``quantiles``, ``numpy_extras``, ``manipulation``, ``stats``, ``stats_multivariate``,
``scipy_linalg``, ``scipy_matfuncs``, ``scipy_decompositions``, ``scipy_structured``,
``scipy_special_matrices``, ``scipy_value_only``, ``scipy_riccati``, ``scipy_eig``, ``signal``, ``ndimage``, ``interpolate``, ``tracer_methods`` (``odeint``, whose
rules apply the transforms, is declared in ``chainrule.scipy.adjoint``, a layer above).
"""
from . import util, declare, basic, elementwise, structural, linalg, decompositions  # noqa: F401
from . import full_decompositions  # noqa: F401
from . import special, special_functions, composites, fft  # noqa: F401
from . import more_numpy, quantiles, numpy_extras, manipulation, stats, stats_multivariate  # noqa: F401
from . import scipy_linalg, scipy_matfuncs, scipy_decompositions, scipy_structured  # noqa: F401
from . import scipy_special_matrices, scipy_value_only, scipy_riccati  # noqa: F401
from . import scipy_eig, signal, ndimage, interpolate  # noqa: F401
from . import tracer_methods  # noqa: F401
