"""The `baton` command line: `ask`, `eval` and `ingest` against the running Chroma."""
