"""The benchmark harness: a realistic data set at any size (``seed``), load scenarios driven
by wrk against a real server (``scenarios``, ``driver.lua``, ``runner``) and the reports they
produce. See docs/benchmarks.md."""
