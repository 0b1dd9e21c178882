"""The client's address behind our own reverse proxies (nginx, a load balancer).

``X-Forwarded-For`` is only believed when the request comes from an address listed in
``settings.TRUSTED_PROXIES``: anyone can send the header, so from any other address it is
ignored and ``REMOTE_ADDR`` is the client. django-axes (``AXES_CLIENT_IP_CALLABLE``) and the
audit trail both call ``client_ip``, so the lockout and the logs name the same address.
"""

import functools
import ipaddress

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_proxies() -> tuple[Network, ...]:
    """``TRUSTED_PROXIES`` as networks (addresses or CIDRs; a wrong entry fails loudly)."""
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _is_trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str | None:
    """The address that opened the connection to our first trusted proxy.

    X-Forwarded-For is read from the right (each proxy appends the address it saw), skipping
    our own proxies; the first address that is not one of them is the client. Entries left of
    it were written by the client and cannot be believed.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    networks = trusted_proxies()
    address = _address(remote) if remote else None
    if not networks or not _is_trusted(address, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
        hop_address = _address(hop)
        if hop_address is None:
            break  # garbage from beyond our proxies: the last good hop is the best we know
        address = hop_address
        if not _is_trusted(hop_address, networks):
            break
    return str(address)
