"""Printing the primitives a function applies, and those of its gradient (autograd's
print_trace style), on chainrule's own API: chainrule.make_graph records the operations,
and the graph's nodes are printed with their inputs and values.

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

def main():
    out = [print_trace(fun, 1.23), print_trace(grad(fun), 1.0)]
    for graph, lines in out:
        print("\n".join(lines) + "\n")
    return out

if __name__ == "__main__":
    main()
