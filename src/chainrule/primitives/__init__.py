"""Layer 2: the primitives, each with its JVP and VJP rules beside it, and the
composites built from them. Importing this package registers every rule and
gives tracers their NumPy-array interface.
"""
from . import util, elementwise, structural, linalg, special, composites, tracer_methods  # noqa: F401
