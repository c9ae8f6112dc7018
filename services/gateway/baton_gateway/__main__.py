from baton_gateway.app import build_app
from baton_gateway.settings import GatewaySettings
from baton_runtime.serve import serve


def main() -> None:
    settings = GatewaySettings()
    serve(
        build_app(settings),
        settings.gateway_host,
        settings.gateway_port,
        settings.forwarded_allow_ips,
    )


if __name__ == "__main__":
    main()
