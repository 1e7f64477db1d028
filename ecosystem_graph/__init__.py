"""ecosystem-graph: a knowledge graph of the biomedical innovation ecosystem."""

__version__ = "0.1.0"
