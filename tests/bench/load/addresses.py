"""Client source addresses: each visitor connects from its own loopback address, as real
visitors come from their own IPs (the gateway limits sessions per client address).

Linux routes all of 127.0.0.0/8 to lo, so any of them can be bound without configuration.
"""

import ipaddress
from urllib.parse import urlsplit

LOOPBACK = ipaddress.ip_network("127.0.0.0/8")
# 127.0.0.0/16 holds the servers' own 127.0.0.1; visitors come from 127.1.0.1 upwards.
FIRST_VISITOR = int(ipaddress.ip_address("127.1.0.1"))
HOSTS_PER_BLOCK = 254  # .1 to .254 in each /24: no network or broadcast-looking addresses


def visitor_address(index: int) -> str:
    """The source address of visitor number `index` (0-based), unique per index."""
    if index < 0:
        raise ValueError("visitor index must be >= 0")
    block, host = divmod(index, HOSTS_PER_BLOCK)
    address = ipaddress.ip_address(FIRST_VISITOR - 1 + block * 256 + host + 1)
    if address not in LOOPBACK:
        raise ValueError(f"visitor {index} would leave 127.0.0.0/8")
    return str(address)


class AddressPool:
    """Hands out a fresh address to each visitor of a run."""

    def __init__(self, first: int = 0) -> None:
        """`first`: the index of the first address; a run started soon after another on the
        same stack starts elsewhere, as the gateway still counts the earlier run's sessions."""
        self._next = first

    def take(self) -> str:
        address = visitor_address(self._next)
        self._next += 1
        return address


def require_loopback(url: str) -> str:
    """The URL itself, if its host is a 127/8 address: this bench sends traffic nowhere else."""
    host = urlsplit(url).hostname or ""
    try:
        loopback = ipaddress.ip_address(host) in LOOPBACK
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"{url}: the bench only talks to 127.0.0.0/8 addresses")
    return url
