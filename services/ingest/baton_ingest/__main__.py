from baton_ingest.app import build_app
from baton_ingest.settings import IngestSettings
from baton_runtime.serve import serve


def main() -> None:
    settings = IngestSettings()
    serve(
        build_app(settings),
        settings.ingest_host,
        settings.ingest_port,
        settings.forwarded_allow_ips,
    )


if __name__ == "__main__":
    main()
