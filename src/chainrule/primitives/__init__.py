"""Layer 2: the primitives, each declared once with its JVP, VJP and batching rules and its
public names (:mod:`chainrule.primitives.declare`), and the composites built from them.
Importing this package fills the rule tables and the registry of public names
(:mod:`chainrule.core.registry`), and gives tracers their NumPy-array interface.

Modules, each importing only those before it: ``util`` (shapes of traced values),
``declare`` (the registration point), ``basic`` (reshape, transpose, broadcast_to,
sum, concatenate, indexing; batching helpers), ``elementwise``, ``structural``,
``linalg``, ``decompositions``, ``full_decompositions`` (svd and qr in all
their modes), ``special``, ``special_functions``, ``special_elementary``,
``special_orthogonal``, ``special_inverses``, ``special_pairs`` (more of scipy.special),
``special_integers`` (its functions of integers), ``special_extra``,
``special_distributions``,
``composites``, ``special_legendre`` (SciPy's Legendre interface), ``fft``, ``more_numpy``, ``quantiles``, ``numpy_extras``, ``manipulation``,
``numpy2`` (NumPy 2's names), ``elementwise_more`` (copysign, i0, frexp…, the integer
functions), ``polynomials``, ``functional`` (apply_along_axis, vectorize…), ``sets``,
``numpy_misc``, ``stats``, ``stats_multivariate``, ``stats_families`` (the shape of a
distribution, written once), ``stats_continuous``, ``stats_discrete``, ``stats_more`` (and its sequels), ``scipy_linalg``,
``scipy_matfuncs``, ``scipy_decompositions``, ``scipy_structured``, ``scipy_special_matrices``,
``scipy_value_only``, ``scipy_riccati``, ``scipy_eig``, ``signal``, ``filters`` (lfilter's IIR
primitive), ``ndimage``, ``interpolate``, ``splines`` (SciPy's spline evaluation and
construction, linear in the coefficients and the data), ``ufunc_methods`` (NumPy's ``reduce``, ``outer``,
``accumulate``... on the binary ufuncs), ``sparse`` (a constant SciPy sparse matrix times a
traced array), ``sparse_linalg`` (spsolve, expm_multiply, the Krylov solvers), ``tracer_methods`` (``odeint``, whose rules apply the
transforms, is declared in ``chainrule.scipy.adjoint``, a layer above).
"""
from . import util, declare, basic, elementwise, structural, linalg, decompositions  # noqa: F401
from . import full_decompositions  # noqa: F401
from . import special, special_functions, special_elementary, special_orthogonal  # noqa: F401
from . import special_inverses, special_pairs, special_integers, special_extra  # noqa: F401
from . import special_distributions  # noqa: F401
from . import composites, special_legendre, fft  # noqa: F401
from . import more_numpy, quantiles, numpy_extras, manipulation, numpy2, elementwise_more  # noqa: F401
from . import polynomials, functional, sets, numpy_misc  # noqa: F401
from . import stats, stats_multivariate  # noqa: F401
from . import stats_families, stats_continuous, stats_discrete, stats_more  # noqa: F401
from . import stats_noncentral, stats_discrete_more, stats_simple, stats_shapes  # noqa: F401
from . import stats_numeric  # noqa: F401
from . import scipy_linalg, scipy_matfuncs, scipy_decompositions, scipy_structured  # noqa: F401
from . import scipy_special_matrices, scipy_value_only, scipy_riccati  # noqa: F401
from . import scipy_eig, signal, filters, ndimage, interpolate, splines, ufunc_methods  # noqa: F401
from . import sparse, sparse_linalg  # noqa: F401
from . import tracer_methods  # noqa: F401
