"""Benchmarks: each module measures real work against the budgets of DESIGN.md."""
