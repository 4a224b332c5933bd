"""Benchmark and data generator of issue 5 (see docs/bench.md)."""
