"""Patch a copy of FerretDB v1.24.2's source so an update is atomic per collection.

FerretDB 1.24 runs `update` and `findAndModify` as a read, then a write of the whole
document, outside one transaction: two concurrent updates of one document (say, the inbox's
Kafka handler and a teammate's claim) lose one of them. MongoDB updates a document
atomically, and Baton relies on it. The patch adds one lock per collection around both
commands (patch/write_locks.go.txt), released by `defer` so a panic cannot leave a
collection locked. Usage: patch_ferretdb.py FERRETDB_SOURCE_DIR
"""

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).parent
CALLS = {
    "internal/handler/msg_update.go": (
        "\tmatched, modified, upserted, err := h.updateDocument(connCtx, params)\n"
    ),
    "internal/handler/msg_findandmodify.go": (
        "\tres, err := h.findAndModifyDocument(connCtx, params)\n"
    ),
}


def main(source: Path) -> None:
    for relative, call in CALLS.items():
        path = source / relative
        text = path.read_text()
        if text.count(call) != 1:
            sys.exit(f"patch_ferretdb: {relative}: the call to wrap is not there exactly once")
        # The deferred unlock releases the lock even if the call panics (FerretDB recovers
        # handler panics, so the process would live on with the collection locked); the
        # explicit one releases it as soon as the write is done. Unlocking twice is a no-op.
        locked = (
            "\tunlock := lockCollection(params.DB, params.Collection)\n"
            "\tdefer unlock()\n" + call + "\tunlock()\n"
        )
        path.write_text(text.replace(call, locked))
    shutil.copyfile(
        HERE / "patch" / "write_locks.go.txt", source / "internal/handler/write_locks.go"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
