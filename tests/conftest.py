"""Session set-up shared by every test file."""
import pytest


@pytest.fixture(scope="session", autouse=True)
def program_search_loaded():
    """Compile (first run on a machine) or load the program search's Numba kernels once, before any test's
    clock starts: tests that run `submit` on a budget of seconds would otherwise pay for it inside it."""
    from arc_solver.synthesis import warm_up

    warm_up()
