#!/usr/bin/python3
# One HTTP GET to http://VIP:PORT/ per line read from stdin; prints "1" when an HTTP answer came back within 50 ms
# (connect and read), else "0". Ends when stdin closes. The operator's drill probe, run inside the bed's client namespace.
import socket
import sys

vip, port = sys.argv[1], int(sys.argv[2])
for _ in sys.stdin:
    try:
        with socket.create_connection((vip, port), timeout=0.05) as s:
            s.settimeout(0.05)
            s.sendall(b"GET / HTTP/1.0\r\n\r\n")
            answered = s.recv(5) == b"HTTP/"
    except OSError:
        answered = False
    print("1" if answered else "0", flush=True)
