"""Which URLs the Bots page may hand to the ingest service.

The ingest service fetches whatever URL it is given, from inside the deployment, and what it
reads comes back out through the bot's answers. So an admin of any account (sign-up is open)
must not point it at loopback, private networks or cloud metadata addresses. The host is
resolved here and every address it resolves to must be public.

This is the early check, for a 422 that names the field. The one that holds is the ingest
service's (`baton_ingestion.web.guard`): it connects only to addresses it checked, on every
connection and redirect hop, so a DNS answer that changes after this check (rebinding) is
caught there.
"""

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from baton_runtime.errors import ApiError


def is_public_address(address: str) -> bool:
    # An IPv6 link-local address may carry a zone ("fe80::1%eth0").
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return ip.is_global and not ip.is_multicast


async def refuse_private_url(url: str) -> None:
    """Raise a 422 unless every address of the URL's host is public."""
    host = urlsplit(url).hostname or ""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ApiError(422, "unknown_host", f"{host} does not resolve", "url") from exc
    if not all(is_public_address(str(info[4][0])) for info in infos):
        raise ApiError(
            422, "private_url", f"{host} is a local or private address, not a public site", "url"
        )
