"""`python -m arc_solver ...` (also what `torchrun -m arc_solver train ...` runs)."""
import sys

from .cli import main

sys.exit(main())
