"""Printing the primitives a function applies, and those of its gradient, and drawing them as
a Graphviz DOT graph (autograd's print_trace and dot_graph style): Node subclasses handed to
tracer.trace; through chainrule.autograd.

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

class GraphNode(Node):
    def __init__(self, value, fun, args, kwargs, parent_argnums, parents):
        self.fun_name = fun.__name__
        self.args = args
        self.parents = dict(zip(parent_argnums, parents))
        self.isroot = False

    def initialize_root(self, x):
        self.isroot = True

    def __repr__(self):
        return f"node_{id(self)}"

def trace_graph(f, x):
    start_node = GraphNode.new_root(x)
    _, node = trace(start_node, f, x)
    return node

dot_edge = "{} -> {} [color=gray30];\n".format
dot_function_node = '{} [label="{}", shape=box, color=lightblue, style=filled];\n'.format
dot_variable_node = '{} [label="{}", color=orange, style=filled];\n'.format
dot_graph = "digraph G {{{}}}".format

def graph_to_dotfile(graph):
    visited = set()
    def node_to_fragment(node):
        visited.add(node)
        if node.isroot:
            return dot_variable_node(node, "input")
        fragment = dot_function_node(node, node.fun_name)
        for argnum, arg in enumerate(node.args):
            if argnum in node.parents:
                parent = node.parents[argnum]
                fragment += dot_edge(parent, node)
                if parent not in visited:
                    fragment += node_to_fragment(parent)
            else:
                argnode = f"{node}_arg_{argnum}"
                fragment += dot_edge(argnode, node)
                fragment += dot_variable_node(argnode, arg)
        return fragment
    dot_body = node_to_fragment(graph)
    dot_body += dot_variable_node("output", "output")
    dot_body += dot_edge(graph, "output")
    return dot_graph(dot_body)

def dot_fun(x):
    y = np.sin(x)
    return (y + np.exp(x) - 0.5) * y

def main():
    del lines[:]
    out = [print_trace(fun, 1.23), print_trace(grad(fun), 1.0)]
    print("\n".join(lines))
    dot = graph_to_dotfile(trace_graph(dot_fun, 1.0))
    print(dot)
    return out, list(lines), dot

if __name__ == "__main__":
    main()
