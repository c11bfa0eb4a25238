"""Layer 0: primitives, tracers, the dispatch point, pytrees and the graph.

Depends on NumPy and the standard library only; knows no transformation.
"""
from .primitive import (Primitive, Trace, Tracer, TracerEscapeError, InPlaceError, bind,
                        new_level, full_lower, active_trace_count)
from .graph import Equation, Graph, Node
from . import tree
