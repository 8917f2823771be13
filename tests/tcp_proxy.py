"""A small TCP proxy on 127.0.0.1 that tests can cut, to play a server going away.

The code under test connects to the proxy instead of the server. `stop()` does what a
stopped server or a broken network looks like from the client's side: every open connection
is reset at once (both ends, nothing flushed) and new connections are refused, because
nothing listens on the port any more. `start()` listens on the same port again, so a client
that kept the address reconnects by itself once it tries.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from dataclasses import dataclass, field

CHUNK = 64 * 1024
LOOPBACK = "127.0.0.1"


@dataclass(eq=False)
class _Link:
    """One client connection and the server connection it is forwarded to."""

    client: asyncio.StreamWriter
    server: asyncio.StreamWriter
    pumps: list[asyncio.Task[None]] = field(default_factory=list)

    @property
    def server_side_port(self) -> int:
        """The proxy's own port on the connection to the server (the server's client_port)."""
        return int(self.server.get_extra_info("sockname")[1])

    def reset(self) -> None:
        """Drop both connections at once: a reset (RST) to the client, nothing flushed."""
        _reset(self.client)
        self.server.transport.abort()

    def close(self) -> None:
        """Close both connections in an orderly way (one side finished)."""
        for writer in (self.client, self.server):
            if not writer.is_closing():
                writer.close()


def _reset(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):  # linger 0: close() sends RST rather than FIN
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class TcpProxy:
    """Forward connections from 127.0.0.1:`port` to `upstream`, until stopped."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        if upstream_host not in (LOOPBACK, "localhost"):
            raise ValueError(f"the proxy only forwards to this machine, not {upstream_host}")
        self.upstream = (LOOPBACK, upstream_port)
        self.port = 0  # chosen by the system when first started, then kept
        self.accepted = 0  # connections forwarded since the proxy was made
        self.refused = 0  # connections the server side would not take
        self._server: asyncio.Server | None = None
        self._links: set[_Link] = set()

    @property
    def running(self) -> bool:
        """Tell whether the proxy accepts and forwards connections now."""
        return self._server is not None

    @property
    def open_connections(self) -> int:
        """How many client connections are being forwarded now."""
        return len(self._links)

    def server_side_ports(self) -> list[int]:
        """The local ports of the proxy's connections to the server, one per open link."""
        return [link.server_side_port for link in self._links]

    async def start(self) -> None:
        """Listen (on the same port as before, if started before) and forward again."""
        if self._server is not None:
            return
        self._server = await asyncio.start_server(
            self._forward, LOOPBACK, self.port, reuse_address=True
        )
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        """Stop listening (new connections are refused) and reset every open connection."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
            await server.wait_closed()
        links, self._links = list(self._links), set()
        for link in links:
            link.reset()
        pumps = [pump for link in links for pump in link.pumps]
        for pump in pumps:
            pump.cancel()
        await asyncio.gather(*pumps, return_exceptions=True)

    async def __aenter__(self) -> TcpProxy:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def _forward(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            self.refused += 1
            _reset(writer)
            return
        if self._server is None:  # stopped while this connection was being set up
            server_writer.transport.abort()
            _reset(writer)
            return
        self.accepted += 1
        link = _Link(writer, server_writer)
        self._links.add(link)
        link.pumps = [
            asyncio.create_task(self._pump(reader, server_writer, link)),
            asyncio.create_task(self._pump(server_reader, writer, link)),
        ]

    async def _pump(
        self, source: asyncio.StreamReader, target: asyncio.StreamWriter, link: _Link
    ) -> None:
        """Copy bytes one way until either side ends; then end the link."""
        try:
            while data := await source.read(CHUNK):
                target.write(data)
                await target.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            if link in self._links:  # not reset by stop(): one side finished on its own
                self._links.discard(link)
                link.close()
