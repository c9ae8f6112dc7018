"""Knowledge retrieval shared by ingest (writes) and agent (reads): embeddings, chunks, Chroma."""

import os

# Before numpy loads: OpenBLAS otherwise starts a thread per core that busy-waits after every
# matrix product. Baton's products are small (a question against a few thousand vectors), so
# the spinning thread cost the agent 80 ms of CPU per answer and won nothing (docs/operations.md).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
