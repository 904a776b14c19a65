"""Screening benchmarks: throughput, accuracy, cross-script recall, false-positive rate."""
