"""arc_solver: an ARC-AGI-2 pipeline (tiny recursive model, test-time search, program search, voting)."""

__version__ = "0.1.0"
