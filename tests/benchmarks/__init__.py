"""Tests of the benchmarks' own tools (benchmarks/load): the figures are the scripts' job."""
