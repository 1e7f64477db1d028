"""``python -m ecosystem_graph.cli``: the same as the ``ecosystem-graph`` command."""

from . import main

if __name__ == "__main__":
    main()
