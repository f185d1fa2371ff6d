"""Realistic made-up registers for the demo, tests and benchmarks (no real person's data)."""
