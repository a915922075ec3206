#!/usr/bin/python3
# Polls http://VIP:PORT/ every INTERVAL ms until stdin closes (or MAX seconds) and prints one line per attempt:
# "<epoch millis> <name of the host that answered>" or "<epoch millis> - <why>/<ms taken>" when nobody answered in time
# (TIMEOUT seconds, default 0.05: a failover measurement wants a gap, a client's view wants a realistic timeout); why is
# the error's name (ConnectionRefusedError, ConnectionResetError, timeout, ...) or "empty" for an answer without a body.
import socket
import sys
import threading
import time

vip, port, interval_ms, max_seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 0.05
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
deadline = time.monotonic() + max_seconds


def ask():
    started = time.monotonic()
    try:
        with socket.create_connection((vip, port), timeout=timeout) as s:
            s.settimeout(timeout)
            s.sendall(b"GET / HTTP/1.0\r\n\r\n")
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        return data.split(b"\r\n\r\n", 1)[1].decode().strip() or failed("empty", started)
    except (OSError, IndexError) as error:
        return failed(type(error).__name__, started)


def failed(why, started):
    return "- %s/%dms" % (why, (time.monotonic() - started) * 1000)


next_tick = time.monotonic()
while not stop.is_set() and time.monotonic() < deadline:
    print("%d %s" % (int(time.time() * 1000), ask()), flush=True)
    next_tick += interval_ms / 1000.0
    time.sleep(max(0.0, next_tick - time.monotonic()))
