from pydantic import Field, SecretStr, field_validator

from baton_runtime.secrets import refuse_placeholder
from baton_runtime.settings import CommonSettings


class IngestSettings(CommonSettings):
    ingest_host: str = "127.0.0.1"
    ingest_port: int = 8300
    ingest_max_pages: int = Field(default=2000, ge=1, description="Page limit of any crawl.")
    ingest_crawl_concurrency: int = Field(
        default=4, ge=1, le=32, description="Requests at once to a crawled site."
    )
    ingest_allow_private_urls: bool = Field(
        default=False,
        description="Fetch web sources from loopback, private, link-local (cloud metadata) and "
        "other non-public addresses too. Off: every connection, each redirect hop included, "
        "must go to a public address. The local stack turns it on to read sites on 127.0.0.1.",
    )
    ingest_parallel_jobs: int = Field(
        default=1, ge=1, description="Jobs that embed at once (each takes a core)."
    )
    ingest_api_token: SecretStr = Field(
        min_length=16,
        description="Every caller of the ingest API sends it as Authorization: Bearer (the "
        "inbox, `baton ingest --server`). `make` generates one into .baton/local.env.",
    )
    ingest_job_stale_seconds: float = Field(
        default=30.0,
        ge=1.0,
        description="A job whose replica has given no sign of life for this long is reported "
        "failed (interrupted).",
    )

    @field_validator("ingest_api_token")
    @classmethod
    def _real_api_token(cls, value: SecretStr) -> SecretStr:
        return refuse_placeholder("BATON_INGEST_API_TOKEN", value)
