"""``scipy.special``'s functions of integers: Gauss quadrature nodes and weights
(``roots_legendre`` and its relatives, with SciPy's short aliases ``p_roots``…), the orthogonal
polynomial objects (``legendre(n)``…), Bernoulli and Euler numbers, Stirling numbers,
multifactorials and the zeros of Bessel, Airy, Kelvin and Fresnel functions; and SciPy's error
handling (``errstate``, ``geterr``, ``seterr`` and its error classes).

Their arguments are counts and degrees, so there is nothing to differentiate: each calls SciPy's
own function, and a traced argument raises a TypeError saying so (a derivative of a node count
does not exist; a silent zero would hide the mistake). Their results are constants that enter a
differentiable program as any array does. The polynomial objects evaluate through
``eval_legendre`` and its relatives, so calling one on a traced x differentiates in x:

>>> import chainrule as cr
>>> p = legendre(2)                         # (3x² − 1)/2
>>> float(cr.grad(p)(0.5))                  # 3x
1.5
>>> x, w = roots_legendre(3)
>>> round(float(cr.grad(lambda s: (w * (s * x) ** 2).sum())(1.0)), 12)  # ∫₋₁¹ 2s x² dx, s = 1
1.333333333333
"""

from ..core import registry
from ..core.primitive import Tracer
from ..core.registry import SPECIAL
from .special import _sp

__all__ = []

#: name -> the example arguments of its docstring (a call that SciPy answers quickly)
_INTEGER_FUNCTIONS = {
    # Gauss quadrature: nodes and weights
    "roots_legendre": "3", "roots_hermite": "3", "roots_hermitenorm": "3",
    "roots_laguerre": "3", "roots_genlaguerre": "3, 0.5", "roots_jacobi": "3, 0.5, 1.5",
    "roots_chebyt": "3", "roots_chebyu": "3", "roots_chebyc": "3", "roots_chebys": "3",
    "roots_gegenbauer": "3, 0.7", "roots_sh_legendre": "3", "roots_sh_chebyt": "3",
    "roots_sh_chebyu": "3", "roots_sh_jacobi": "3, 2.5, 1.5",
    "p_roots": "3", "h_roots": "3", "he_roots": "3", "l_roots": "3", "la_roots": "3, 0.5",
    "j_roots": "3, 0.5, 1.5", "t_roots": "3", "u_roots": "3", "c_roots": "3", "s_roots": "3",
    "cg_roots": "3, 0.7", "ps_roots": "3", "ts_roots": "3", "us_roots": "3",
    "js_roots": "3, 2.5, 1.5",
    # the orthogonal polynomial objects (np.poly1d; called, they evaluate eval_*)
    "legendre": "3", "chebyt": "3", "chebyu": "3", "chebyc": "3", "chebys": "3",
    "hermite": "3", "hermitenorm": "3", "laguerre": "3", "genlaguerre": "3, 0.5",
    "jacobi": "3, 0.5, 1.5", "gegenbauer": "3, 0.7", "sh_legendre": "3", "sh_chebyt": "3",
    "sh_chebyu": "3", "sh_jacobi": "3, 2.5, 1.5",
    # numbers
    "bernoulli": "4", "euler": "4", "stirling2": "5, 2", "factorial2": "7",
    "factorialk": "7, 3",
    # zeros
    "ai_zeros": "3", "bi_zeros": "3", "jn_zeros": "1, 3", "jnp_zeros": "1, 3",
    "yn_zeros": "1, 3", "ynp_zeros": "1, 3", "jnyn_zeros": "1, 3", "jnjnp_zeros": "3",
    "y0_zeros": "3", "y1_zeros": "3", "y1p_zeros": "3", "erf_zeros": "3",
    "fresnel_zeros": "3", "fresnelc_zeros": "3", "fresnels_zeros": "3",
    "kelvin_zeros": "2", "ber_zeros": "3", "bei_zeros": "3", "ker_zeros": "3",
    "kei_zeros": "3", "berp_zeros": "3", "beip_zeros": "3", "kerp_zeros": "3",
    "keip_zeros": "3",
}

#: functions of a continuous argument that return sequences or coefficient arrays: SciPy's value,
#: no derivative (example arguments, and what to do instead)
_VALUE_ONLY = {
    "lqn": ("2, 0.5", "its derivative in z is SciPy's second output; use it through "
                      "chainrule.custom_jvp"),
    "lqmn": ("1, 2, 0.5", "its derivative in z is SciPy's second output; use it through "
                          "chainrule.custom_jvp"),
    "pbdv_seq": ("2.5, 0.5", "chainrule.scipy.special.pbdv(v, x) is differentiable in x"),
    "pbvv_seq": ("2.5, 0.5", "chainrule.scipy.special.pbvv(v, x) is differentiable in x"),
    "pbdn_seq": ("2, 0.5", "chainrule.scipy.special.pbdv(n, x) is differentiable in x"),
    "mathieu_even_coef": ("2, 1.5", "the Fourier coefficients' derivative in q has no "
                                    "closed form"),
    "mathieu_odd_coef": ("2, 1.5", "the Fourier coefficients' derivative in q has no closed "
                                   "form"),
    "obl_cv_seq": ("0, 3, 1.5", "characteristic values have no closed-form derivative in c"),
    "pro_cv_seq": ("0, 3, 1.5", "characteristic values have no closed-form derivative in c"),
    "pro_rad2": ("1, 2, 1.5, 1.5", "SciPy's derivative output disagrees with the finite "
                                   "differences of its values"),
    "obl_rad2": ("1, 2, 1.5, 1.5", "SciPy's derivative output disagrees with the finite "
                                   "differences of its values"),
    "pro_rad2_cv": ("1, 2, 1.5, 2.8, 1.5", "SciPy's derivative output disagrees with the "
                                           "finite differences of its values"),
    "obl_rad2_cv": ("1, 2, 1.5, 2.8, 1.5", "SciPy's derivative output disagrees with the "
                                           "finite differences of its values"),
    "ellip_harm": ("5.0, 8.0, 1, 1, 2.5", "the ellipsoidal harmonics have no closed-form "
                                          "derivative in SciPy"),
    "ellip_harm_2": ("5.0, 8.0, 1, 1, 2.5", "the ellipsoidal harmonics have no closed-form "
                                            "derivative in SciPy"),
    "ellip_normal": ("5.0, 8.0, 1, 1", "the normalisation constants depend on h² and k² "
                                       "through quadrature"),
}


def _traced(args, kwargs):
    def found(x):
        if isinstance(x, Tracer):
            return True
        return isinstance(x, (list, tuple)) and any(found(y) for y in x)
    return any(found(a) for a in args) or any(found(v) for v in kwargs.values())


def _integer_function(name, example):
    def function(*args, **kwargs):
        if _traced(args, kwargs):
            raise TypeError(
                f"scipy.special.{name} takes counts, degrees and orders, which have no "
                f"derivative: it was given a traced value. Pass plain numbers (the result is a "
                f"constant of the program), e.g. chainrule.stop_gradient(...) of the argument "
                f"converted with int()")
        return getattr(_sp(), name)(*args, **kwargs)
    function.__name__ = function.__qualname__ = name
    function.__module__ = __name__
    function.__doc__ = (
        f"``scipy.special.{name}``, SciPy's own (its arguments are integers or constants: "
        f"nothing to differentiate; a traced argument raises TypeError).\n\n"
        f"    >>> import scipy.special as ss\n"
        f"    >>> repr({name}({example})) == repr(ss.{name}({example}))\n    True\n    ")
    return function


def _value_only_function(name, example, instead):
    def scipys(*args):
        return getattr(_sp(), name)(*args)

    # SciPy's float32 loops of the spheroidal functions never return: computed in float64
    spheroidal = name.startswith(("pro_rad2", "obl_rad2"))

    def function(*args, **kwargs):
        if _traced(args, kwargs):
            from .special_functions import UnsupportedDerivativeError
            raise UnsupportedDerivativeError(
                f"scipy.special.{name}: chainrule gives its value only, not its derivative "
                f"({instead}); pass plain arrays, or chainrule.stop_gradient(...) of a traced "
                f"argument whose derivative is not needed")
        if spheroidal and not kwargs:
            from .special_extra import float64_loop
            return float64_loop(scipys)(*args)
        return getattr(_sp(), name)(*args, **kwargs)
    function.__name__ = function.__qualname__ = name
    function.__module__ = __name__
    function.__doc__ = (
        f"``scipy.special.{name}``, SciPy's value; a traced argument raises "
        f"UnsupportedDerivativeError ({instead}).\n\n"
        f"    >>> import scipy.special as ss\n"
        f"    >>> repr({name}({example})) == repr(ss.{name}({example}))\n    True\n    ")
    return function


for _name, _example in _INTEGER_FUNCTIONS.items():
    globals()[_name] = _integer_function(_name, _example)
    registry.add(SPECIAL, _name, registry.CREATION, globals()[_name])
for _name, (_example, _instead) in _VALUE_ONLY.items():
    globals()[_name] = _value_only_function(_name, _example, _instead)
    registry.add(SPECIAL, _name, registry.CREATION, globals()[_name])


def _errstate(**kwargs):
    """``scipy.special.errstate``: SciPy's context manager for its special-function errors
    (chainrule's values are SciPy's, so it governs them too).

    >>> import chainrule.scipy.special as csp
    >>> with errstate(all="raise"):
    ...     try:
    ...         csp.gammaln(0.0)
    ...     except Exception as e:
    ...         print(type(e).__name__)
    SpecialFunctionError
    """
    return _sp().errstate(**kwargs)


def _geterr():
    """``scipy.special.geterr``: SciPy's error-handling settings.

    >>> "singular" in geterr()
    True
    """
    return _sp().geterr()


def _seterr(**kwargs):
    """``scipy.special.seterr``: set SciPy's error handling; returns the old settings.

    >>> old = seterr(singular="ignore")
    >>> _ = seterr(**old)
    """
    return _sp().seterr(**kwargs)


errstate, geterr, seterr = _errstate, _geterr, _seterr
for _fn, _name in ((_errstate, "errstate"), (_geterr, "geterr"), (_seterr, "seterr")):
    _fn.__name__ = _fn.__qualname__ = _name
    registry.add(SPECIAL, _name, registry.CREATION, _fn)
