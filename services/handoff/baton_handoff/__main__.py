from baton_handoff.app import build_app
from baton_handoff.settings import HandoffSettings
from baton_runtime.serve import serve


def main() -> None:
    settings = HandoffSettings()
    serve(
        build_app(settings),
        settings.handoff_host,
        settings.handoff_port,
        settings.forwarded_allow_ips,
    )


if __name__ == "__main__":
    main()
