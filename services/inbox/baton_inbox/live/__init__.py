"""The staff live stream: change fan-out across replicas and the resumable SSE stream."""
