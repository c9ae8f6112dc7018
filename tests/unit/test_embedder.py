from pathlib import Path

import numpy as np
import pytest

from baton_retrieval.embedder import cls_pool, l2_normalise, mean_pool
from baton_retrieval.embedding_models import (
    BGE_SMALL_FOLDER,
    EmbeddingModel,
    EmbeddingModelMismatch,
    ModelFilesMissing,
    Pooling,
    check_model,
    model_files,
    recorded_model,
)

# Two texts, three token positions, two dimensions; the second text's last token is padding.
HIDDEN = np.array(
    [[[1.0, 0.0], [3.0, 0.0], [5.0, 2.0]], [[0.0, 4.0], [2.0, 0.0], [100.0, 100.0]]],
    dtype=np.float32,
)
ATTENTION = np.array([[1, 1, 1], [1, 1, 0]], dtype=np.int64)


def test_mean_pooling_averages_real_tokens_and_ignores_padding() -> None:
    pooled = mean_pool(HIDDEN, ATTENTION)
    assert pooled.shape == (2, 2)
    assert pooled[0] == pytest.approx([3.0, 2 / 3])
    assert pooled[1] == pytest.approx([1.0, 2.0])  # the padded [100, 100] left out


def test_cls_pooling_takes_the_first_token() -> None:
    pooled = cls_pool(HIDDEN, ATTENTION)
    assert pooled.shape == (2, 2)
    assert pooled.tolist() == [[1.0, 0.0], [0.0, 4.0]]


def test_normalised_vectors_have_unit_length_and_keep_direction() -> None:
    vectors = l2_normalise(np.array([[3.0, 4.0], [0.0, 0.0]], dtype=np.float32))
    assert vectors.dtype == np.float32
    assert vectors[0] == pytest.approx([0.6, 0.8])
    assert vectors[1].tolist() == [0.0, 0.0]  # a zero vector stays zero, no division by zero


def test_minilm_ships_in_packages_and_mean_pools_without_a_prefix() -> None:
    found = model_files(EmbeddingModel.MINILM, None)
    assert found.model.is_file() and found.tokenizer.is_file()
    assert found.pooling is Pooling.MEAN
    assert found.query_prefix == ""


def test_bge_small_is_read_from_the_models_folder_with_cls_pooling_and_a_query_prefix(
    tmp_path: Path,
) -> None:
    folder = tmp_path / BGE_SMALL_FOLDER
    folder.mkdir()
    (folder / "bge-small-en-v1.5-q.onnx").write_bytes(b"")
    (folder / "bge-small-en-v1.5-q-tokenizer.json").write_text("{}")
    found = model_files(EmbeddingModel("bge-small"), tmp_path)
    assert found.model == folder / "bge-small-en-v1.5-q.onnx"
    assert found.pooling is Pooling.CLS
    assert found.query_prefix.startswith("Represent this sentence")


def test_a_missing_model_file_names_the_path_and_how_to_install_it(tmp_path: Path) -> None:
    with pytest.raises(ModelFilesMissing, match=r"install\.sh"):
        model_files(EmbeddingModel.BGE_SMALL, tmp_path)


def test_an_unknown_model_name_is_refused() -> None:
    with pytest.raises(ValueError):
        EmbeddingModel("bge-large")


def test_collections_from_before_the_record_hold_minilm_vectors() -> None:
    assert recorded_model(None) == "minilm"
    assert recorded_model({"revision": "r1"}) == "minilm"
    assert recorded_model({"embedding_model": "bge-small"}) == "bge-small"


def test_a_collection_embedded_by_another_model_is_refused() -> None:
    check_model("bot-1", {"embedding_model": "bge-small"}, "bge-small")
    check_model("bot-1", {"revision": "r1"}, "minilm")
    with pytest.raises(EmbeddingModelMismatch, match="bot-1 holds 'minilm'"):
        check_model("bot-1", {"revision": "r1"}, "bge-small")
    with pytest.raises(EmbeddingModelMismatch):
        check_model("bot-1", {"embedding_model": "bge-small"}, "minilm")
