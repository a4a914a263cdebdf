"""Benchmarks: each module measures real work and prints a table; budgets are checked here,
not in timed tests."""
