"""python -m arc_solver.synthesis: the program source alone on a task set (measure.main)."""
from .measure import main

main()
