"""Printing the primitives a function applies, and those of its gradient, and drawing them as
a Graphviz DOT graph (autograd's print_trace and dot_graph style), on chainrule's own API:
chainrule.make_graph records the operations; the graph's nodes are printed with their inputs
and values, and Graph.to_dot draws it.

Written in the style of the public program it names (not a copy)."""
import chainrule.numpy as np
from chainrule import grad, make_graph

def print_trace(f, x):
    graph = make_graph(f)(x)
    lines = [f"{n.name} = {n.op}({','.join(n.inputs)}) = {n.value}" if not n.is_input
             else f"{n.name} = {n.value}" for n in graph.nodes]
    return graph, lines

def avg(x, y):
    return (x + y) / 2

def fun(x):
    y = np.sin(x + x)
    return avg(y, y)

def dot_fun(x):
    y = np.sin(x)
    return (y + np.exp(x) - 0.5) * y

def main():
    out = [print_trace(fun, 1.23), print_trace(grad(fun), 1.0)]
    for graph, lines in out:
        print("\n".join(lines) + "\n")
    dot = make_graph(dot_fun)(1.0).to_dot()
    print(dot)
    return out, dot

if __name__ == "__main__":
    main()
