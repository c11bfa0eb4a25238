"""Safe expressions for the command line: ``"(x + y) * sin(y)"`` -> a Python function.

The text is parsed with :mod:`ast` and every node is checked against an
allow-list (numbers, named variables, + - * / ** and unary minus, calls of
allowed functions by bare name). The checked tree is then *interpreted* by a
small recursive walker; Python never compiles or runs the text itself, so attribute
access, lambdas, subscripts and ``__import__`` are impossible by construction.
The same walker runs the expression on chainrule.numpy (derivatives), plain
NumPy in any float dtype (finite differences) or SymPy (symbolic column).

>>> f = parse("(x + y) * sin(y)")
>>> f.variables
('x', 'y')
>>> round(float(f(1.0, 3.141592653589793 / 2)), 4)
2.5708
>>> parse("__import__('os')")
Traceback (most recent call last):
...
chainrule.explain.expr.ExprError: unknown function '__import__'; allowed functions: abs, arccos, arccosh, arcsin, arcsinh, arctan, arctan2, arctanh, cbrt, cos, cosh, exp, exp2, expm1, hypot, log, log10, log1p, log2, logaddexp, maximum, minimum, power, reciprocal, sin, sinc, sinh, sqrt, square, tan, tanh
"""

import ast
import inspect
import math
import unicodedata

import numpy as np

import chainrule.numpy as cnp

__all__ = ["parse", "parse_value", "parse_assignments", "Expression", "ExprError",
           "FUNCTIONS", "CONSTANTS", "MAX_NODES", "MAX_DEPTH", "arity"]

_CANDIDATES = ("sin cos tan arcsin arccos arctan arctan2 sinh cosh tanh arcsinh arccosh "
               "arctanh exp exp2 expm1 log log2 log10 log1p sqrt cbrt square reciprocal abs "
               "hypot power maximum minimum logaddexp sinc").split()
# Only scalar math: array constructors and reductions make no sense for named scalars.
FUNCTIONS = tuple(sorted(n for n in _CANDIDATES if hasattr(cnp, n)))
CONSTANTS = {"pi": math.pi, "e": math.e}
_OPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
        ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b,
        ast.Pow: lambda a, b: a ** b}


def _numpy_floats(op):
    """``op``, computed in NumPy's float64 when both operands are Python floats: Python's
    own float arithmetic raises on 1/0 and 10**400 and turns (-8)**0.5 complex, where
    NumPy (and so the same expression on a traced value) gives inf or nan."""
    def apply(a, b):
        if type(a) is float and type(b) is float:
            return float(op(np.float64(a), np.float64(b)))
        return op(a, b)
    return apply


_BINOPS = {k: _numpy_floats(op) for k, op in _OPS.items()}
_UNARY = {ast.USub: lambda a: -a, ast.UAdd: lambda a: +a}


# Bounds on what the command line accepts: every walker below is recursive, and SymPy
# and the tables grow with the expression. Beyond them: an ExprError naming the limit.
MAX_NODES = 500     # nodes of the syntax tree (numbers, names, operators, calls)
MAX_DEPTH = 100     # nesting: sin(sin(x)) is 3 deep, a + b + c is 3 deep (left to right)
# Functions of two arguments; every other allowed function takes one.
_BINARY_FUNCTIONS = {"arctan2", "hypot", "power", "maximum", "minimum", "logaddexp"}


def arity(name):
    """How many arguments the allowed function ``name`` takes.

    >>> arity("sin"), arity("arctan2")
    (1, 2)
    """
    return 2 if name in _BINARY_FUNCTIONS else 1


class ExprError(ValueError):
    """A rejected expression or value; the message is one line naming the problem."""


def _allowed():
    return (f"allowed functions: {', '.join(FUNCTIONS)}")


def _describe(node):
    kinds = {ast.Attribute: "attribute access ('.')", ast.Lambda: "lambda",
             ast.Subscript: "subscripts ('[...]')", ast.Compare: "comparisons",
             ast.BoolOp: "and/or", ast.IfExp: "if/else", ast.List: "lists",
             ast.Tuple: "tuples", ast.Dict: "dicts", ast.NamedExpr: "':='",
             ast.JoinedStr: "f-strings", ast.Starred: "'*' unpacking"}
    for k, v in kinds.items():
        if isinstance(node, k):
            return v
    return type(node).__name__


def _check(tree, functions, allow_vars):
    """Walk the tree; raise ExprError at the first node outside the allow-list."""
    names = []

    def visit(node, callee=False):
        if isinstance(node, ast.Expression):
            return visit(node.body)
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise ExprError(f"only numbers are allowed as constants, got {node.value!r}")
            return
        if isinstance(node, ast.Name):
            if callee:
                return
            if node.id in CONSTANTS:
                return
            if node.id in functions:
                raise ExprError(f"'{node.id}' is a function; call it, e.g. {node.id}(x)")
            if not allow_vars:
                raise ExprError(f"unknown name '{node.id}' in a value; allowed: numbers, "
                                f"{', '.join(CONSTANTS)}, + - * / ** and {_allowed()}")
            if not node.id.isidentifier() or node.id.startswith("_"):
                raise ExprError(f"variable names may not start with '_': {node.id!r}")
            if node.id == "π":
                raise ExprError("write pi for π (the constants are pi and e)")
            if "·" in node.id:  # Python lets '·' continue a name: x·y is one variable
                raise ExprError(f"{node.id!r} is read as one name; write * for a product, "
                                f"e.g. {node.id.replace('·', ' * ')}")
            if node.id not in names:
                names.append(node.id)
            return
        if isinstance(node, ast.BinOp):
            if type(node.op) not in _BINOPS:
                raise ExprError(f"operator {type(node.op).__name__} is not allowed; "
                                f"allowed operators: + - * / **")
            visit(node.left)
            visit(node.right)
            return
        if isinstance(node, ast.UnaryOp):
            if type(node.op) not in _UNARY:
                raise ExprError(f"operator {type(node.op).__name__} is not allowed; "
                                f"allowed operators: + - * / ** and unary -")
            visit(node.operand)
            return
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name):
                raise ExprError(f"only calls of a function by its bare name are allowed, not "
                                f"{_describe(node.func)}; {_allowed()}")
            if node.func.id not in functions:
                raise ExprError(f"unknown function '{node.func.id}'; {_allowed()}")
            if node.keywords:
                raise ExprError(f"keyword arguments are not allowed in {node.func.id}(...)")
            want, got = arity(node.func.id), len(node.args)
            if got != want:
                raise ExprError(f"{node.func.id} takes {'one argument' if want == 1 else 'two arguments'}"
                                f", got {got}: write e.g. {node.func.id}("
                                + ("x" if want == 1 else "x, y") + ")")
            for a in node.args:
                visit(a)
            return
        raise ExprError(f"{_describe(node)} is not allowed in an expression; allowed: numbers, "
                        f"variable names, {', '.join(CONSTANTS)}, + - * / ** and "
                        f"{_allowed()}")

    visit(tree)
    return names


def _interpret(node, env, funcs):
    """Walk a checked tree and compute it: the only evaluator there is."""
    if isinstance(node, ast.Constant):
        return _float(node.value)
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.BinOp):
        return _BINOPS[type(node.op)](_interpret(node.left, env, funcs),
                                      _interpret(node.right, env, funcs))
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_interpret(node.operand, env, funcs))
    if isinstance(node, ast.Call):
        return funcs[node.func.id](*[_interpret(a, env, funcs) for a in node.args])
    raise ExprError(f"unexpected {type(node).__name__}")  # unreachable after _check


def _float(value):
    """A literal as a float; an integer literal past float64's range is inf, as 1e400 is."""
    try:
        return float(value)
    except OverflowError:
        return math.inf


def _tree(text):
    if not isinstance(text, str) or not text.strip():
        raise ExprError("the expression is empty; write e.g. \"(x + y) * sin(y)\"")
    if len(text) > 2000:
        raise ExprError("the expression is longer than 2000 characters")
    try:
        module = ast.parse(text.strip())
    except SyntaxError as err:
        msg = err.msg
        if "too many nested" in msg:
            msg += f"; the nesting limit is {MAX_DEPTH}"
        raise ExprError(f"cannot parse {text!r}: {msg} (column {err.offset})") from None
    except (RecursionError, MemoryError):
        raise ExprError(f"the expression is nested too deeply to parse; the limit is "
                        f"{MAX_DEPTH} levels") from None
    if len(module.body) != 1 or not isinstance(module.body[0], ast.Expr):
        raise ExprError(f"{text!r} is not a single expression; statements, assignments and "
                        f"';' are not allowed")
    tree = module.body[0].value
    _bound_size(tree)
    return tree


def _bound_size(tree):
    """Count nodes and depth without recursion; refuse what the walkers cannot take."""
    nodes, depth, stack = 0, 0, [(tree, 1)]
    while stack:
        node, d = stack.pop()
        if isinstance(node, (ast.expr_context, ast.operator, ast.unaryop)):
            continue
        nodes += 1
        depth = max(depth, d)
        if nodes > MAX_NODES:
            raise ExprError(f"the expression is too large: more than {MAX_NODES} nodes "
                            f"(numbers, names, operators and calls); the limit keeps the "
                            f"tables and the symbolic step bounded")
        if depth > MAX_DEPTH:
            raise ExprError(f"the expression is nested too deeply: more than {MAX_DEPTH} "
                            f"levels (a + b + ... counts one level per term); split it or "
                            f"use fewer levels")
        stack.extend((child, d + 1) for child in ast.iter_child_nodes(node))


class Expression:
    """A checked expression; call it with one value per variable (chainrule.numpy)."""

    def __init__(self, text, tree, variables):
        self.text, self.tree, self.variables = text, tree, tuple(variables)
        # make_graph names the inputs after the signature: x, y, not arg0, arg1
        self.__signature__ = inspect.Signature(
            [inspect.Parameter(v, inspect.Parameter.POSITIONAL_OR_KEYWORD) for v in variables])

    def __call__(self, *values):
        return self.with_functions(_namespace(cnp), *values)

    def with_functions(self, funcs, *values, constants=None):
        """Evaluate with another function namespace (``numpy``, ``sympy``...)."""
        env = dict(CONSTANTS if constants is None else constants)
        env.update(zip(self.variables, values))
        return _interpret(self.tree, env, funcs)

    def numpy(self, *values, dtype=np.float64):
        """Plain NumPy evaluation with every constant and value cast to ``dtype``."""
        vals = [dtype(v) for v in values]
        funcs = {n: _casting(getattr(np, n), dtype) for n in FUNCTIONS}
        consts = {k: dtype(v) for k, v in CONSTANTS.items()}
        env = dict(consts)
        env.update(zip(self.variables, vals))
        return _interpret_cast(self.tree, env, funcs, dtype)

    def __repr__(self):
        return f"Expression({self.text!r}, variables={self.variables})"


def _casting(fn, dtype):
    return lambda *a: dtype(fn(*[dtype(x) for x in a]))


def _interpret_cast(node, env, funcs, dtype):
    # numbers in the text (2.0, 0.5) must be cast too, or float32 silently becomes float64
    if isinstance(node, ast.Constant):
        return dtype(_float(node.value))
    if isinstance(node, ast.BinOp):
        return dtype(_BINOPS[type(node.op)](_interpret_cast(node.left, env, funcs, dtype),
                                            _interpret_cast(node.right, env, funcs, dtype)))
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_interpret_cast(node.operand, env, funcs, dtype))
    if isinstance(node, ast.Call):
        return funcs[node.func.id](*[_interpret_cast(a, env, funcs, dtype) for a in node.args])
    return env[node.id]


def _namespace(mod):
    return {n: getattr(mod, n) for n in FUNCTIONS}


def parse(text, variables=None):
    """Check ``text`` and return an :class:`Expression` (variables in order of appearance,
    or the given order, which must name exactly the expression's variables).

    >>> f = parse("y * exp(x)", variables=["x", "y"])
    >>> f.variables, float(f(0.0, 2.0))
    (('x', 'y'), 2.0)
    """
    tree = _tree(text)
    names = _check(tree, FUNCTIONS, allow_vars=True)
    if not names:
        raise ExprError(f"the expression {text!r} has no variables; write e.g. \"sin(x)\"")
    if variables is not None:
        variables = list(variables)
        missing = [n for n in names if n not in variables]
        extra = [v for v in variables if v not in names]
        if missing:
            raise ExprError(f"no value given for {', '.join(missing)}; the expression's "
                            f"variables are {', '.join(names)} (use --at "
                            + " ".join(f"{n}=..." for n in names) + ")")
        if extra:
            raise ExprError(f"unknown name(s) {', '.join(extra)} in --at; the expression's "
                            f"variables are {', '.join(names)}")
        names = variables
    return Expression(text.strip(), tree, names)


def parse_value(text):
    """A number written with digits, pi, e, arithmetic and allowed functions: ``'pi/2'``.

    >>> parse_value("pi/2") == 3.141592653589793 / 2
    True
    """
    tree = _tree(text)
    _check(tree, FUNCTIONS, allow_vars=False)
    return float(_interpret(tree, dict(CONSTANTS), _namespace(np)))


def parse_assignments(items):
    """``['x=1', 'y=pi/2']`` -> ``{'x': 1.0, 'y': 1.5707963267948966}``.

    >>> parse_assignments(["x=1", "y=pi/2"])
    {'x': 1.0, 'y': 1.5707963267948966}
    """
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        # Python reads identifiers in NFKC form (the expression's 'ｙ' is y): so do we
        name = unicodedata.normalize("NFKC", name.strip())
        if not sep or not name or not value.strip():
            raise ExprError(f"malformed value {item!r}; write name=value, e.g. x=1 y=pi/2")
        if "=" in value:
            fixed = " ".join(p.strip() for p in item.replace(";", ",").split(",") if p.strip())
            raise ExprError(f"malformed value {item!r}: give one NAME=VALUE per variable, "
                            f"separated by spaces (not commas or ';'): --at {fixed}")
        if not name.isidentifier() or name.startswith("_") or name in CONSTANTS \
                or name in FUNCTIONS:
            raise ExprError(f"{name!r} cannot be a variable name; use a plain name like x")
        if name in out:
            raise ExprError(f"{name} is given twice in --at")
        try:
            out[name] = parse_value(value)
        except ExprError as err:
            hint = ""
            if "tuples" in str(err):
                hint = (" (a value is one number: write decimals with '.', e.g. 1.5, and "
                        "separate variables with spaces: --at x=1 y=2)")
            raise ExprError(f"bad value for {name}: {err}{hint}") from None
    return out
