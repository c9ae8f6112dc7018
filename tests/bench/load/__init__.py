"""`make bench`: an open-loop load generator that drives the running stack through its public
APIs only (widget HTTP + SSE, the inbox staff API and its live stream) plus raw Kafka for the
round-trip baseline, and writes bench/results/<UTC date>.json, latest.json and latest.png.

`python -m tests.bench.load [--quick] [--skip-seed] [--run-json PATH]`
"""
