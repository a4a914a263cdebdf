"""Benchmarks: each module prints a table; budgets are checked here, not in timed tests."""
