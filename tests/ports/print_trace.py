"""Printing the primitives a function applies, and those of its gradient (autograd's
print_trace style): a Node subclass handed to tracer.trace names each value as it is
computed; through chainrule.autograd.

Written in the style of the public program it names (not a copy); only the import lines are
chainrule's."""
import chainrule.autograd.numpy as np
from chainrule.autograd.tracer import trace, Node
from chainrule.autograd import grad

lines = []

class PrintNode(Node):
    def __init__(self, value, fun, args, kwargs, parent_argnums, parents):
        self.varname_generator = parents[0].varname_generator
        self.varname = next(self.varname_generator)
        args_or_vars = list(args)
        for argnum, parent in zip(parent_argnums, parents):
            args_or_vars[argnum] = parent.varname
        lines.append("{} = {}({}) = {}".format(self.varname, fun.__name__,
                                               ",".join(map(str, args_or_vars)), value))

    def initialize_root(self, x):
        self.varname_generator = make_varname_generator()
        self.varname = next(self.varname_generator)
        lines.append(f"{self.varname} = {x}")

def make_varname_generator():
    for i in range(65, 91):
        yield chr(i)
    raise Exception("Ran out of alphabet!")

def print_trace(f, x):
    start_node = PrintNode.new_root(x)
    value, end_node = trace(start_node, f, x)
    lines.append("")
    return value, end_node

def avg(x, y):
    return (x + y) / 2

def fun(x):
    y = np.sin(x + x)
    return avg(y, y)

def main():
    del lines[:]
    out = [print_trace(fun, 1.23), print_trace(grad(fun), 1.0)]
    print("\n".join(lines))
    return out, list(lines)

if __name__ == "__main__":
    main()
