"""Questions embedded together when they come while the model is busy."""

import asyncio
import threading
from collections.abc import Callable

import numpy as np
import pytest

from baton_answering.question_batches import QuestionBatches, Vector


class Model:
    """Records each run's questions; a run blocks until released, as a busy model would."""

    def __init__(self) -> None:
        self.runs: list[list[str]] = []
        self.release = threading.Event()
        self.fail = False

    def embed_many(self, questions: list[str]) -> Vector:
        self.runs.append(list(questions))
        self.release.wait(timeout=5)
        if self.fail:
            raise RuntimeError("model broke")
        return np.array([[float(len(q))] for q in questions], dtype=np.float32)


async def until(condition: Callable[[], bool]) -> None:
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.001)
    raise AssertionError("condition never held")


async def test_a_lone_question_runs_at_once_and_gets_its_own_vector() -> None:
    model = Model()
    model.release.set()
    batches = QuestionBatches(model.embed_many)
    vector = await batches.embed("abc")
    assert vector.tolist() == [3.0]
    assert model.runs == [["abc"]]


async def test_questions_arriving_during_a_run_go_together_in_the_next() -> None:
    model = Model()
    batches = QuestionBatches(model.embed_many, max_batch=2)
    first = asyncio.create_task(batches.embed("a"))
    await until(lambda: len(model.runs) == 1)
    later = [asyncio.create_task(batches.embed(q)) for q in ("bb", "ccc", "dddd")]
    await asyncio.sleep(0.01)
    model.release.set()
    results = await asyncio.gather(first, *later)
    assert [r.tolist() for r in results] == [[1.0], [2.0], [3.0], [4.0]]
    assert model.runs == [["a"], ["bb", "ccc"], ["dddd"]]


async def test_a_cancelled_question_is_left_out_of_its_run() -> None:
    model = Model()
    batches = QuestionBatches(model.embed_many)
    first = asyncio.create_task(batches.embed("a"))
    await until(lambda: len(model.runs) == 1)
    dropped = asyncio.create_task(batches.embed("dropped"))
    kept = asyncio.create_task(batches.embed("kept"))
    await asyncio.sleep(0.01)
    dropped.cancel()
    model.release.set()
    assert (await kept).tolist() == [4.0]
    await first
    assert model.runs == [["a"], ["kept"]]


async def test_a_failing_model_fails_every_question_of_the_run_and_the_next_run_starts() -> None:
    model = Model()
    model.fail = True
    model.release.set()
    batches = QuestionBatches(model.embed_many)
    with pytest.raises(RuntimeError, match="model broke"):
        await batches.embed("a")
    model.fail = False
    assert (await batches.embed("bb")).tolist() == [2.0]
