"""SciPy's modules that chainrule passes through as they are (``constants``, ``io``,
``cluster``, ``datasets``, ``odr``, ``differentiate``): one helper, so that each is a module
whose names are SciPy's own, imported on first use (importing chainrule.scipy stays lazy),
with its submodules importable by their dotted names (``from chainrule.scipy.io.wavfile
import read``).

>>> import types
>>> demo = types.ModuleType("chainrule.scipy.demo_constants")
>>> demo.__getattr__, demo.__dir__ = module_of("constants", demo.__name__, vars(demo))
>>> demo.pi == 3.141592653589793
True
"""
import sys
import types

from ..primitives.scipy_linalg import scipy_module

__all__ = ["module_of"]


class _Submodule(types.ModuleType):
    """One of SciPy's submodules, under chainrule's dotted name, loaded on first use."""

    def __init__(self, name, scipy_name):
        super().__init__(name)
        self._scipy_name = scipy_name

    def __getattr__(self, name):
        if name.startswith("__") and name != "__all__":
            raise AttributeError(name)
        return getattr(scipy_module(self._scipy_name), name)


def module_of(scipy_name, name, module_globals, submodules=()):
    """``(__getattr__, __dir__)`` for the module ``name`` standing for ``scipy.<scipy_name>``;
    ``submodules`` are registered in ``sys.modules`` and ``module_globals``."""
    for sub in submodules:
        module_globals[sub] = sys.modules.setdefault(
            f"{name}.{sub}", _Submodule(f"{name}.{sub}", f"{scipy_name}.{sub}"))

    def __getattr__(attr):
        if attr.startswith("__") and attr != "__all__":
            raise AttributeError(attr)
        try:
            return getattr(scipy_module(scipy_name), attr)
        except AttributeError:
            raise AttributeError(f"module {name!r} (and scipy.{scipy_name}) has no attribute "
                                 f"{attr!r}") from None

    def __dir__():
        return dir(scipy_module(scipy_name))
    return __getattr__, __dir__
