from pydantic import Field

from baton_runtime.settings import CommonSettings


class InboxSettings(CommonSettings):
    inbox_host: str = "127.0.0.1"
    inbox_port: int = 8200
    inbox_staff_token_ttl_seconds: int = Field(default=12 * 3600, gt=0)
