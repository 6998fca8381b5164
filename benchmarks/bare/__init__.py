"""The floor the pages are measured against (issue 18): a bare list and a bare insert, installed only in the
load settings (``benchmarks/settings_load.py``), never in the product."""
