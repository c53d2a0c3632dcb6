"""Takes the portal's database away and brings it back, in a process of its own.

Run by tests/ops/test_database_outage.py: `python tests/db_outage_probe.py sqlite|postgres` with
OUTAGE_DATABASE_URL naming a migrated database. PostgreSQL is reached through a TCP relay on
the loopback that this script closes (refusing new connections and cutting open ones, as a
stopped server does) and reopens; a SQLite database goes away with its folder. Prints one JSON
object with the status codes seen before, during and after the outage.
"""

import json
import os
import socket
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/", "/healthz", "/media/disclosure/2022/none/missing.pdf"]


class TcpRelay:
    """Forwards 127.0.0.1:<port> to the database server while it is "up"."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = 0
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        listener, self.listener = self.listener, None
        # shutdown() wakes the thread blocked in accept(); close() alone would not on Linux.
        try:
            listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        listener.close()
        with self.lock:
            for sock in self.sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self.sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self.lock:
                self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def main() -> None:
    mode = sys.argv[1]
    url = os.environ["OUTAGE_DATABASE_URL"]
    if mode == "postgres":
        parts = urlsplit(url)
        relay = TcpRelay((parts.hostname or "127.0.0.1", parts.port or 5432))
        relay.start()
        credentials = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
        os.environ["DATABASE_URL"] = urlunsplit(
            parts._replace(netloc=f"{credentials}127.0.0.1:{relay.port}")
        )
        take_down, bring_back = relay.stop, relay.start
    else:
        folder = Path(urlsplit(url).path).parent
        away = folder.with_name(folder.name + ".away")
        os.environ["DATABASE_URL"] = url

        def take_down() -> None:
            folder.rename(away)

        def bring_back() -> None:
            away.rename(folder)

    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "fao_portal.settings"
    import django

    django.setup()
    from django.db import close_old_connections
    from django.test import Client

    client = Client(raise_request_exception=False)

    def visit() -> dict:
        seen = {}
        for page in PAGES:
            # The test client skips the connection housekeeping a real server does around
            # every request (request_started/finished); do it here as gunicorn would.
            close_old_connections()
            response = client.get(page, secure=True)
            close_old_connections()
            seen[page] = {
                "status": response.status_code,
                "unavailable_page": "系统暂时无法访问" in response.content.decode("utf-8"),
                "retry_after": response.get("Retry-After"),
            }
        return seen

    result = {"before": visit()}
    take_down()
    result["during"] = [visit(), visit()]
    bring_back()
    # Recovery is bounded here; how fast it is belongs to bench/reliability_faults.py.
    deadline = time.monotonic() + 30
    while True:
        after = visit()
        recovered = all(seen["status"] != 503 for seen in after.values())
        if recovered or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    result["after"] = after
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
