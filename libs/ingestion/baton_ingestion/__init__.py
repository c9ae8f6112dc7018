"""Reading help docs into a bot's knowledge: formats, chunking, sources and crawling. The
ingest service and the `baton` command line are thin shells around it."""
