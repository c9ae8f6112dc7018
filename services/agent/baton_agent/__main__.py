from baton_agent.app import build_app
from baton_agent.settings import AgentSettings
from baton_runtime.serve import serve


def main() -> None:
    settings = AgentSettings()
    serve(
        build_app(settings), settings.agent_host, settings.agent_port, settings.forwarded_allow_ips
    )


if __name__ == "__main__":
    main()
