"""Every thread a teammate touches is looked up within their own account."""

from typing import Any

from baton_inbox.api.deps import InboxServices
from baton_runtime.errors import ApiError


async def owned_thread(services: InboxServices, account_id: str, thread_id: str) -> dict[str, Any]:
    thread = await services.threads.get_thread(account_id, thread_id)
    if thread is None:
        # 404, not 403: another account's thread must not even be confirmed to exist.
        raise ApiError(404, "thread_not_found", f"no thread {thread_id}")
    return thread
