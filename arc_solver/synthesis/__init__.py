"""Program search over the primitives of arc_solver.programs: a candidate source for the vote.

A program is a chain of up to three primitive steps followed by one *learned* finishing stage (exact
match, a colour map, a tiling of transformed copies, a fixed crop, a cell rule or a per-object rule
read off the demonstrations, or a whole output looked up by a property of the input). Parameters are
inferred from the demonstrations where possible (colour maps, scale factors from shape ratios, colours
present in the task) rather than enumerated blindly. The search is uniform-cost over step costs
(cheap, common steps first), deduplicates states by hashing them, and keeps a program only if it
reproduces every demonstration output exactly; programs are ranked by cost (simplest first). When no
chain explains a task, piece assembly combines the states met on the way, each explaining a part.

Modules: program (programs, task facts), steps (the step set), finishers and object_rules (learned last
stages), pieces (piece assembly), chain_search (the search and the candidate source), measure (the
source alone on a task set).

    .venv/bin/python -m arc_solver.synthesis --tasks arc-agi-1/training --time-limit 3 --workers 1
"""
from __future__ import annotations

from .measure import evaluate, main
from .program import Finish, Program, Step, TaskInfo
from .chain_search import SearchConfig, candidates_from, explain, search, solve, warm_up

__all__ = ["Finish", "Program", "SearchConfig", "Step", "TaskInfo", "candidates_from", "evaluate", "explain", "warm_up",
           "main", "search", "solve"]
