"""Score retrieval variants in memory on both dev sets, with the code path of `baton eval`.

Chunks come from the ingest readers and `chunk_document`, the ranking from
`baton_retrieval.hybrid.rank`; the dense list is an exact cosine top-50 in numpy instead of
Chroma's HNSW (the same top list on help centers this small). Chunk and title vectors are cached
under .baton/lab-cache per model and index version, so a variant costs seconds, not an ingest.

    .venv/bin/python -m tools.retrieval_lab            # the shipped ranking, both sets
    .venv/bin/python -m tools.retrieval_lab --misses   # and each miss at rank 1

Variants are functions of `Corpus` and a question; add one to VARIANTS to compare it.
"""

import argparse
import asyncio
import hashlib
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from baton_ingestion.folder import folder_pages
from baton_retrieval.chunks import INDEX_VERSION, chunk_document, embed_text
from baton_retrieval.dense_snapshot import DenseSnapshot
from baton_retrieval.embedder import Embedder
from baton_retrieval.embedding_models import EmbeddingModel
from baton_retrieval.hybrid import CANDIDATES, LexicalSnapshot, rank
from baton_retrieval.store import Hit
from baton_retrieval.term_expansion import merge_words

SETS = {
    "espocrm": ("../shared/kb/espocrm", "../shared/eval/dev.jsonl"),
    "zammad": ("../shared/kb/zammad", "../shared/eval/dev2.jsonl"),
}
CACHE = Path(".baton/lab-cache")
Vectors = npt.NDArray[np.float32]


@dataclass
class Corpus:
    name: str
    chunks: list[Hit]
    vectors: Vectors  # one row per chunk, unit length
    titles: list[tuple[str, str]]  # (source, title), one per page
    title_vectors: Vectors
    snapshot: LexicalSnapshot
    embedder: Embedder
    dense: DenseSnapshot  # the page topics, as the agent's retriever computes them


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    sources: tuple[str, ...]


async def read_chunks(folder: Path) -> tuple[list[Hit], list[tuple[str, str]]]:
    _, pages = await folder_pages(folder, "https://docs.example")
    chunks: list[Hit] = []
    titles: list[tuple[str, str]] = []
    async for page in pages:
        if page.document is None:
            continue
        page_chunks = chunk_document(page.document, source=page.source, url=page.url)
        if page_chunks:
            titles.append((page.source, page.document.title))
        chunks += [
            Hit(c.chunk_id, c.text, c.title, c.url, c.source, c.heading, 0.0, c.position)
            for c in page_chunks
        ]
    return chunks, titles


def cached_vectors(embedder: Embedder, kind: str, texts: list[str]) -> Vectors:
    key = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    path = CACHE / f"{embedder.model.value}-{INDEX_VERSION}-{kind}-{key}.npy"
    if path.exists():
        loaded: Vectors = np.load(path)
        return loaded
    vectors = embedder.embed(texts)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def load_corpus(name: str, embedder: Embedder) -> Corpus:
    folder, _ = SETS[name]
    chunks, titles = asyncio.run(read_chunks(Path(folder)))
    vectors = cached_vectors(
        embedder,
        f"{name}-chunks",
        [
            f"{c.title}\n{c.heading}\n{c.text}" if c.heading else f"{c.title}\n{c.text}"
            for c in chunks
        ],
    )
    title_vectors = cached_vectors(embedder, f"{name}-titles", [t for _, t in titles])
    words = merge_words((), (embed_text(c.title, c.heading, c.text) for c in chunks))
    word_vectors = cached_vectors(embedder, f"{name}-words", words)
    return Corpus(
        name,
        chunks,
        vectors,
        titles,
        title_vectors,
        LexicalSnapshot.build("lab", chunks, (words, word_vectors)),
        embedder,
        DenseSnapshot.build(chunks, vectors, [s for s, _ in titles], title_vectors),
    )


def load_questions(name: str) -> list[Question]:
    _, path = SETS[name]
    rows = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    return [
        Question(r["id"], r["question"], tuple(r["sources"]))
        for r in rows
        if r["kind"] == "answerable"
    ]


def dense_top(corpus: Corpus, query: Vectors, limit: int = CANDIDATES) -> list[Hit]:
    similarities = corpus.vectors @ query
    order = np.argsort(-similarities)[:limit]
    return [_with_similarity(corpus.chunks[i], float(similarities[i])) for i in order]


def _with_similarity(hit: Hit, similarity: float) -> Hit:
    return Hit(
        hit.chunk_id,
        hit.text,
        hit.title,
        hit.url,
        hit.source,
        hit.heading,
        similarity,
        hit.position,
    )


def title_top(corpus: Corpus, query: Vectors) -> list[str]:
    similarities = corpus.title_vectors @ query
    return [corpus.titles[i][0] for i in np.argsort(-similarities)]


def expansion(corpus: Corpus, question: str) -> list[str]:
    neighbours = corpus.snapshot.neighbours
    if neighbours is None:
        return []
    unknown = neighbours.unknown(question)
    vectors = corpus.embedder.embed_words(unknown) if unknown else []
    return neighbours.expand(question, dict(zip(unknown, vectors, strict=True)))


def ranked(corpus: Corpus, question: str, *, expand: bool = True, topics: bool = True) -> list[str]:
    """The shipped ranking, with the vocabulary neighbours or the page topics left out."""
    query = corpus.embedder.embed_query(question)
    retrieval = rank(
        question,
        dense_top(corpus, query),
        corpus.snapshot,
        title_top(corpus, query),
        expansion(corpus, question) if expand else (),
        corpus.dense.topic_ranking(query, CANDIDATES) if topics else (),
    )
    return [page.source for page in retrieval.pages]


def shipped(corpus: Corpus, question: str) -> list[str]:
    return ranked(corpus, question)


def without_expansion(corpus: Corpus, question: str) -> list[str]:
    return ranked(corpus, question, expand=False)


def without_topics(corpus: Corpus, question: str) -> list[str]:
    return ranked(corpus, question, topics=False)


Variant = Callable[[Corpus, str], list[str]]
VARIANTS: dict[str, Variant] = {
    "shipped": shipped,
    "without expansion": without_expansion,
    "without page topics": without_topics,
}


@dataclass(frozen=True)
class Score:
    r1: float
    r3: float
    mrr: float
    misses: list[tuple[str, str, list[str], tuple[str, ...]]]


def score(corpus: Corpus, questions: Sequence[Question], variant: Variant) -> Score:
    r1 = r3 = mrr = 0.0
    misses = []
    for question in questions:
        ranking = variant(corpus, question.text)
        ranks = [ranking.index(s) for s in question.sources if s in ranking]
        best = min(ranks, default=None)
        r1 += best == 0
        r3 += best is not None and best < 3
        mrr += 1 / (best + 1) if best is not None else 0.0
        if best != 0:
            misses.append((question.id, question.text, ranking[:3], question.sources))
    n = len(questions)
    return Score(r1 / n, r3 / n, mrr / n, misses)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=EmbeddingModel.MINILM.value)
    parser.add_argument("--variant", action="append")
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    embedder = Embedder(EmbeddingModel(args.model), threads=2)
    corpora = {name: load_corpus(name, embedder) for name in SETS}
    questions = {name: load_questions(name) for name in SETS}
    for variant_name in args.variant or list(VARIANTS):
        cells = []
        for name, corpus in corpora.items():
            result = score(corpus, questions[name], VARIANTS[variant_name])
            cells.append(f"{name} {result.r1:.3f} / {result.r3:.3f} / {result.mrr:.3f}")
            if args.misses:
                for miss in result.misses:
                    sys.stdout.write("    | " + " | ".join(map(str, miss)) + "\n")
        sys.stdout.write(f"{variant_name:28} " + "   ".join(cells) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
