"""``python -m chainrule``: the command line of :mod:`chainrule.explain.cli`."""

import sys

from chainrule.explain.cli import main

if __name__ == "__main__":
    sys.exit(main())
