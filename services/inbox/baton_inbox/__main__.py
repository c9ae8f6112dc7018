from baton_inbox.app import build_app
from baton_inbox.settings import InboxSettings
from baton_runtime.serve import serve


def main() -> None:
    settings = InboxSettings()
    serve(
        build_app(settings), settings.inbox_host, settings.inbox_port, settings.forwarded_allow_ips
    )


if __name__ == "__main__":
    main()
