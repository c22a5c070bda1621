"""A bound on an HTTP request's head (request line and header fields), answered as RFC 9110
says: 414 for a request line, 431 for header fields past the bound (§15.5.15, RFC 6585 §5).

uvicorn's httptools protocol reads a head of any size into memory and, when h11 is used
instead, resets the connection. This subclass counts the bytes of a head not yet complete as
they arrive, answers past the bound, then shuts its side and reads the rest of what the client
is still sending before closing, so the client reads the answer instead of a reset.
"""

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

DRAIN_SECONDS = 5.0  # how long a refused client may go on sending before the socket closes
DRAIN_BYTES = 8 * 1024 * 1024


class BoundedHead(HttpToolsProtocol):
    """uvicorn's httptools protocol, refusing a head longer than :attr:`max_head_bytes`."""

    max_head_bytes = 256 * 1024

    _in_head = False
    _head_bytes = 0
    _url_bytes = 0
    _refused = False
    _drained = 0
    _closer: asyncio.TimerHandle | None = None

    @classmethod
    def bounded(cls, max_head_bytes: int) -> type["BoundedHead"]:
        """This protocol with its own bound (uvicorn makes one instance per connection)."""
        return type("BoundedHead", (cls,), {"max_head_bytes": max_head_bytes})

    def on_message_begin(self) -> None:
        self._in_head = True
        self._url_bytes = 0
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        self._url_bytes += len(url)
        super().on_url(url)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._head_bytes = 0
        super().on_headers_complete()

    def data_received(self, data: bytes) -> None:
        if self._refused:
            self._drained += len(data)
            if self._drained > DRAIN_BYTES:
                self.transport.close()
            return
        super().data_received(data)
        if not self._in_head:
            return
        self._head_bytes += len(data)
        if self._head_bytes > self.max_head_bytes:
            self._refuse()

    def _refuse(self) -> None:
        self._refused = True
        if self._url_bytes > self.max_head_bytes // 2:
            status, what = b"414 URI Too Long", "request URL"
        else:
            status, what = b"431 Request Header Fields Too Large", "request head"
        body = (
            f"The {what} is larger than this server's {self.max_head_bytes} bytes; send a "
            "long query in a POST body instead.\n"
        ).encode()
        self.transport.write(
            b"HTTP/1.1 " + status + b"\r\ncontent-type: text/plain; charset=utf-8\r\n"
            b"connection: close\r\ncontent-length: " + str(len(body)).encode() + b"\r\n\r\n" + body
        )
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self._closer = asyncio.get_running_loop().call_later(DRAIN_SECONDS, self.transport.close)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._closer is not None:
            self._closer.cancel()
        super().connection_lost(exc)
