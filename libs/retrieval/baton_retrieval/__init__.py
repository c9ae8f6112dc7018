"""Knowledge retrieval shared by ingest (writes) and agent (reads): embeddings, chunks, Chroma."""
