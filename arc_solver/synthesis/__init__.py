"""Program search over the primitives of arc_solver.programs: a candidate source for the vote.

A program is a chain of up to three primitive steps followed by one *learned* finishing stage
(exact match, a colour map, a tiling of transformed copies, a fixed crop, a cell rule looked up
from the demonstrations, or a whole output looked up by a property of the input). Parameters are inferred from the demonstrations where possible (colour
maps, scale factors from shape ratios, colours present in the task) rather than enumerated
blindly. The search is uniform-cost over step costs (cheap, common steps first), deduplicates
states, and keeps a program only if it reproduces every demonstration output exactly; programs
are ranked by cost (simplest first).

Modules: program (programs, task facts), steps (the step set), finishers (learned last stages),
chain_search (the search and the candidate source), pieces (piece assembly), measure (scoring the source alone on a set).

    .venv/bin/python -m arc_solver.synthesis --tasks arc-agi-1/training --time-limit 3 --workers 1
"""
from __future__ import annotations

from .measure import evaluate, main
from .program import Finish, Program, Step, TaskInfo
from .chain_search import SearchConfig, candidates_from, explain, search, solve

__all__ = ["Finish", "Program", "SearchConfig", "Step", "TaskInfo", "candidates_from", "evaluate", "explain",
           "main", "search", "solve"]
