from pydantic import Field

from baton_runtime.settings import CommonSettings


class IngestSettings(CommonSettings):
    ingest_host: str = "127.0.0.1"
    ingest_port: int = 8300
    ingest_max_pages: int = Field(default=2000, ge=1, description="Page limit of any crawl.")
    ingest_crawl_concurrency: int = Field(
        default=4, ge=1, le=32, description="Requests at once to a crawled site."
    )
    ingest_parallel_jobs: int = Field(
        default=1, ge=1, description="Jobs that embed at once (each takes a core)."
    )
