"""Which addresses the ingest service may fetch from: public ones only.

The service fetches from inside the deployment, and what it reads comes back out through a
bot's answers, so a source URL must not reach loopback, private networks or a cloud metadata
endpoint. The check is made on the address a connection is about to use (see `guard.py`),
not on a name resolved earlier, so a DNS answer that changes in between is caught.
"""

import ipaddress
from ipaddress import IPv4Address, IPv6Address

# IPv6 forms that carry an IPv4 address a gateway may connect to on our behalf.
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
METADATA = {IPv4Address("169.254.169.254"), IPv6Address("fd00:ec2::254")}


class AddressRefused(Exception):
    """A connection to a non-public address; the message is for the report."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        where = f"{host} is" if _is_address(host) else f"{host} resolves to {address},"
        super().__init__(f"refused: {where} {kind}")
        self.host, self.address, self.kind = host, address, kind


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


def _embedded_ipv4(ip: IPv6Address) -> IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in NAT64:
        return IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def non_public_kind(address: str) -> str | None:
    """What makes `address` unfit to fetch from ("a private address"), or None if public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # a link-local IPv6 may carry a zone
    if isinstance(ip, IPv6Address) and (embedded := _embedded_ipv4(ip)) is not None:
        # Connecting to it reaches the IPv4 address inside (an IPv6-only network with NAT64
        # reaches every IPv4 site this way), so that address decides.
        return non_public_kind(str(embedded))
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_loopback:
        return "a loopback address"
    if ip in METADATA:
        return "a cloud metadata address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_reserved:
        return "a reserved address"
    if ip.is_private:
        return "a private address"
    if not ip.is_global:
        return "not a public address"
    return None
