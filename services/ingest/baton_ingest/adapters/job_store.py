"""Ingest jobs in MongoDB, so a job's status outlives the process that ran it and any replica
can answer for it.

Each active job names the replica running it (`runner_id`) and that replica's last sign of
life (`heartbeat_at`). A job whose replica went silent is marked failed (interrupted), never
left "running". A second collection holds one lock per source being ingested: two replicas
must not sync the same source at once (each would prune the pages the other writes).
"""

from dataclasses import asdict
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, ReturnDocument
from pymongo.errors import DuplicateKeyError

from baton_ingest.job import ACTIVE_STATES, INTERRUPTED, Job, JobState, utc_now
from baton_ingestion.sources import KnowledgeSource
from baton_ingestion.sync import IngestReport

JOBS = "ingest_jobs"
LOCKS = "ingest_source_locks"
_ACTIVE = {"$in": [state.value for state in ACTIVE_STATES]}


def _lock_id(bot_id: str, source_id: str) -> str:
    return f"{bot_id}/{source_id}"


def _progress(job: Job) -> dict[str, Any]:
    return {"done": job.done, "total": job.total, "current": job.current}


def report_to_doc(report: IngestReport | None) -> dict[str, Any] | None:
    if report is None:
        return None
    # Page keys are paths and URLs, and FerretDB refuses keys with "." or a leading "$" (and
    # nested arrays): per-page errors are stored as a list of {page, why}.
    errors = [{"page": page, "why": why} for page, why in report.errors.items()]
    return {**asdict(report), "errors": errors}


def report_from_doc(doc: dict[str, Any] | None) -> IngestReport | None:
    if not doc:
        return None
    errors = {entry["page"]: entry["why"] for entry in doc.get("errors", [])}
    return IngestReport(**{**doc, "errors": errors})


def job_from_doc(doc: dict[str, Any]) -> Job:
    source = KnowledgeSource.from_origin(doc["origin"])
    if source is None:
        raise ValueError(f"job {doc['_id']} has an unknown origin {doc['origin']!r}")
    progress = doc.get("progress") or {}
    return Job(
        job_id=doc["_id"],
        bot_id=doc["bot_id"],
        source=source,
        base_url=doc.get("base_url", ""),
        state=JobState(doc["state"]),
        done=int(progress.get("done", 0)),
        total=progress.get("total"),
        current=str(progress.get("current", "")),
        report=report_from_doc(doc.get("report")),
        error=doc.get("error"),
        interrupted=bool(doc.get("interrupted", False)),
        created_at=doc["created_at"],
        started_at=doc.get("started_at"),
        finished_at=doc.get("finished_at"),
    )


class JobStore:
    def __init__(self, mongo: AsyncMongoClient[dict[str, Any]], db_name: str) -> None:
        self._jobs = mongo[db_name][JOBS]
        self._locks = mongo[db_name][LOCKS]

    async def ensure_indexes(self) -> None:
        await self._jobs.create_index([("bot_id", ASCENDING), ("created_at", DESCENDING)])
        await self._jobs.create_index([("state", ASCENDING), ("heartbeat_at", ASCENDING)])

    async def lock_source(self, job: Job, runner_id: str) -> bool:
        """Take the source's lock for `job`; False if another active job holds it."""
        lock_id = _lock_id(job.bot_id, job.source.source_id)
        lock = {"_id": lock_id, "job_id": job.job_id, "runner_id": runner_id}
        for _ in range(2):
            try:
                await self._locks.insert_one(lock)
                return True
            except DuplicateKeyError:
                holder = await self._locks.find_one({"_id": lock_id})
                if holder is None:
                    continue  # released in between: try again
                held = await self._jobs.find_one({"_id": holder["job_id"], "state": _ACTIVE})
                if held is not None:
                    return False
                # The holder ended without releasing (its replica died): take the lock over.
                await self._locks.delete_one({"_id": lock_id, "job_id": holder["job_id"]})
        return False

    async def unlock_source(self, job: Job) -> None:
        await self._locks.delete_one(
            {"_id": _lock_id(job.bot_id, job.source.source_id), "job_id": job.job_id}
        )

    async def source_locked(self, bot_id: str, source_id: str) -> bool:
        holder = await self._locks.find_one({"_id": _lock_id(bot_id, source_id)})
        if holder is None:
            return False
        return await self._jobs.find_one({"_id": holder["job_id"], "state": _ACTIVE}) is not None

    async def bot_busy(self, bot_id: str) -> bool:
        """A job of the bot is queued or running (on any replica)."""
        found = await self._jobs.find_one({"bot_id": bot_id, "state": _ACTIVE}, {"_id": 1})
        return found is not None

    async def forget_bot(self, bot_id: str) -> int:
        """Delete the bot's ended jobs and any source lock one of them still holds; an active
        job keeps its record (the caller checks `bot_busy` after). Returns the jobs deleted."""
        ended = {"bot_id": bot_id, "state": {"$nin": [state.value for state in ACTIVE_STATES]}}
        job_ids = [doc["_id"] async for doc in self._jobs.find(ended, {"_id": 1})]
        if not job_ids:
            return 0
        await self._locks.delete_many({"job_id": {"$in": job_ids}})
        result = await self._jobs.delete_many({"_id": {"$in": job_ids}})
        return result.deleted_count

    async def insert(self, job: Job, runner_id: str) -> None:
        await self._jobs.insert_one(
            {
                "_id": job.job_id,
                "bot_id": job.bot_id,
                "origin": job.source.origin,
                "base_url": job.base_url,
                "state": job.state.value,
                "progress": _progress(job),
                "report": None,
                "error": None,
                "interrupted": False,
                "created_at": job.created_at,
                "runner_id": runner_id,
                "heartbeat_at": utc_now(),
                "announced": False,  # the finished event is not published yet
            }
        )

    async def save_started(self, job: Job) -> None:
        await self._jobs.update_one(
            {"_id": job.job_id},
            {"$set": {"state": job.state.value, "started_at": job.started_at}},
        )

    async def save_progress(self, job: Job) -> None:
        # Only while active: a late write must not touch a job a sweep already ended.
        await self._jobs.update_one(
            {"_id": job.job_id, "state": _ACTIVE}, {"$set": {"progress": _progress(job)}}
        )

    async def save_finished(self, job: Job) -> None:
        await self._jobs.update_one(
            {"_id": job.job_id},
            {
                "$set": {
                    "state": job.state.value,
                    "progress": _progress(job),
                    "report": report_to_doc(job.report),
                    "error": job.error,
                    "interrupted": job.interrupted,
                    "finished_at": job.finished_at,
                    "announced": False,
                }
            },
        )

    async def mark_announced(self, job_id: str) -> None:
        await self._jobs.update_one({"_id": job_id}, {"$set": {"announced": True}})

    async def get(self, job_id: str) -> Job | None:
        doc = await self._jobs.find_one({"_id": job_id})
        return job_from_doc(doc) if doc else None

    async def of_bot(self, bot_id: str, limit: int) -> list[Job]:
        """The bot's jobs, newest first."""
        cursor = self._jobs.find({"bot_id": bot_id}).sort("created_at", DESCENDING).limit(limit)
        return [job_from_doc(doc) async for doc in cursor]

    async def delete(self, job_id: str) -> None:
        await self._jobs.delete_one({"_id": job_id})

    async def heartbeat(self, job_ids: list[str]) -> None:
        """The jobs the caller runs are alive: by id, so only what a replica really holds in
        memory is kept active, never a job it merely started in an earlier life."""
        if job_ids:
            await self._jobs.update_many(
                {"_id": {"$in": job_ids}, "state": _ACTIVE}, {"$set": {"heartbeat_at": utc_now()}}
            )

    async def silent_jobs(self, *, runner_id: str | None, beat_before: datetime) -> list[str]:
        """Active jobs of `runner_id` (any runner if None) with no heartbeat since then."""
        query: dict[str, Any] = {"state": _ACTIVE, "heartbeat_at": {"$lt": beat_before}}
        if runner_id is not None:
            query["runner_id"] = runner_id
        return [doc["_id"] async for doc in self._jobs.find(query, {"_id": 1})]

    async def interrupt(self, job_id: str, *, beat_before: datetime) -> Job | None:
        """Mark the job failed (interrupted) if it is still active and silent since then; the
        condition makes a sweep by two replicas, or one racing a live runner, safe."""
        doc = await self._jobs.find_one_and_update(
            {"_id": job_id, "state": _ACTIVE, "heartbeat_at": {"$lt": beat_before}},
            {
                "$set": {
                    "state": JobState.FAILED.value,
                    "error": INTERRUPTED,
                    "interrupted": True,
                    "finished_at": utc_now(),
                    "announced": False,
                }
            },
            return_document=ReturnDocument.AFTER,
        )
        return job_from_doc(doc) if doc else None

    async def unannounced(self, finished_before: datetime) -> list[Job]:
        """Finished jobs whose finished event was never confirmed published."""
        cursor = self._jobs.find(
            {
                "state": {"$nin": [state.value for state in ACTIVE_STATES]},
                "announced": False,
                "finished_at": {"$lt": finished_before},
            }
        ).limit(100)
        return [job_from_doc(doc) async for doc in cursor]

    async def forget_finished(self, finished_before: datetime) -> int:
        result = await self._jobs.delete_many(
            {
                "state": {"$nin": [state.value for state in ACTIVE_STATES]},
                "finished_at": {"$lt": finished_before},
            }
        )
        return result.deleted_count
