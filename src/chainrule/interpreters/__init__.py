"""Layer 1: the interpreters (forward mode, reverse mode, tape replay) and
their rule tables. Depends on the core only."""
from .forward import JVPTrace, JVPTracer, jvp_rules, defjvp, MissingRuleError  # noqa: F401
from .reverse import ReverseTrace, ReverseTracer, vjp_rules, defvjp, RecordRule, backward_pass  # noqa: F401
from .replay import forward_replay  # noqa: F401
