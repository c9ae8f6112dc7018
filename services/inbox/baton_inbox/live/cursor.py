"""Where a staff client stands in the stream of its account's changes (pure).

Threads live in Kafka partitions and each partition is folded in order, so "every change of
partition p up to position o" is a precise resume point; one per partition makes a vector.
Every thread change the stream sends carries its thread's position (the per-thread sequence),
and the stream's SSE `id:` is this vector, which EventSource hands back as Last-Event-ID.

Teammates' own changes (assignee, notes) have no log position. They carry the time they were
made, and a resume replays those from `meta_ms` minus a margin that covers clock skew between
replicas; the client merges by id, so a repeat is harmless.
"""

from dataclasses import dataclass, field, replace

CURSOR_VERSION = "1"
META_REPLAY_MARGIN_MS = 60_000
# What a server can have written: Kafka partitions are int32, log positions int64 (also
# MongoDB's widest integer), meta times before the year 10000 (Python's datetime).
MAX_PARTITION = 2**31 - 1
MAX_POSITION = 2**63 - 1
MAX_META_MS = 253_402_300_799_999


class CursorError(ValueError):
    """The client sent a cursor this server cannot resume from: it must reload."""


class CursorOutOfRange(CursorError):
    """A number in the cursor that no server ever wrote: the request is refused (400)."""


@dataclass(frozen=True)
class StreamCursor:
    positions: dict[int, int] = field(default_factory=dict)
    meta_ms: int = 0

    def after(self, partition: int) -> int:
        return self.positions.get(partition, -1)

    def has_seen(self, partition: int, position: int) -> bool:
        return position <= self.after(partition)

    def advanced(self, partition: int, position: int) -> "StreamCursor":
        if self.has_seen(partition, position):
            return self
        return replace(self, positions={**self.positions, partition: position})

    def with_meta(self, meta_ms: int) -> "StreamCursor":
        return replace(self, meta_ms=max(self.meta_ms, meta_ms))

    @property
    def meta_replay_from_ms(self) -> int:
        return max(0, self.meta_ms - META_REPLAY_MARGIN_MS)

    def encode(self) -> str:
        parts = [f"{p}-{o}" for p, o in sorted(self.positions.items())]
        return ".".join([CURSOR_VERSION, str(self.meta_ms), *parts])

    @classmethod
    def decode(cls, raw: str) -> "StreamCursor":
        version, _, rest = raw.strip().partition(".")
        if version != CURSOR_VERSION:
            raise CursorError(f"unknown cursor version {version!r}")
        meta, *parts = rest.split(".") if rest else ("",)
        try:
            meta_ms = int(meta)
            positions: dict[int, int] = {}
            for part in parts:
                partition, _, position = part.partition("-")
                positions[int(partition)] = int(position)
        except ValueError as exc:
            raise CursorError(f"malformed cursor {raw!r}") from exc
        if meta_ms < 0 or any(p < 0 or o < -1 for p, o in positions.items()):
            raise CursorError(f"malformed cursor {raw!r}")
        if meta_ms > MAX_META_MS:
            raise CursorOutOfRange(f"cursor time {meta_ms} is past {MAX_META_MS}")
        if any(p > MAX_PARTITION or o > MAX_POSITION for p, o in positions.items()):
            raise CursorOutOfRange(
                f"cursor partitions go up to {MAX_PARTITION}, positions up to {MAX_POSITION}"
            )
        return cls(positions=positions, meta_ms=meta_ms)
