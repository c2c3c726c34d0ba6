"""The benchmarks (`make bench`): ratios against a baseline in one run, written to bench/RESULTS.md."""
