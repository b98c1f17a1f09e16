"""The bench suite: seed a municipality at scale, time the pages that must stay fast, report.

``python -m bench.seed`` fills a dedicated database (never the development one);
``python -m bench.run`` seeds, times each scenario in-process and writes ``docs/performance.md``.
See ``bench/run.py`` for the options and ``docs/performance.md`` for the method.
"""
