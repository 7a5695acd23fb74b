"""gunicorn's settings, from the environment:

    gunicorn -c python:pathways.gunicorn_conf pathways.wsgi

GUNICORN_BIND (else HOST, as `make start` reads it), WEB_CONCURRENCY (processes),
GUNICORN_THREADS, GUNICORN_TIMEOUT, FORWARDED_ALLOW_IPS and GUNICORN_PROXY_PROTOCOL; see
README.md, "Production".
"""

from __future__ import annotations

import os

_cores = os.cpu_count() or 1

bind = [
    address
    for address in (
        os.environ.get("GUNICORN_BIND") or os.environ.get("HOST") or "127.0.0.1:8000"
    ).split(",")
    if address
]
# gunicorn's rule of thumb (2 × cores + 1), capped: each process holds its own connections,
# and a PDF rendered in a request can take a few hundred MB.
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * _cores + 1, 8))
# Threads let a process answer while one of its requests waits on the database or renders.
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
# A draft PDF rendered in the request (no worker running) takes up to ~10 s; a killed
# request would be worse than a slow one.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 120)
graceful_timeout = 30  # a restart lets running requests finish
keepalive = 5  # behind a proxy that reuses connections

# New processes now and then, at different times (jitter), so slow growth of memory in a
# long-lived process cannot build up, and never all at once.
max_requests = 2000
max_requests_jitter = 200

# Not preloaded: each process imports the app itself, so database connections are never
# shared across a fork, and `kill -HUP` (a graceful reload) picks up new code.
preload_app = False

# Which proxies may say the request came over https (X-Forwarded-Proto). gunicorn does not
# take the client's address from X-Forwarded-For: the app's rate limits read it themselves
# from the proxies in DJANGO_TRUSTED_PROXIES, or the proxy sends the PROXY protocol
# (GUNICORN_PROXY_PROTOCOL, accepted from the same addresses).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_protocol = os.environ.get("GUNICORN_PROXY_PROTOCOL", "off")
proxy_allow_ips = forwarded_allow_ips

# Access log to stdout with the time each request took and its id (observability.py).
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s "%(a)s"'

# gunicorn's control socket has one default path per user: a second server on the host (a
# second site, `make serve` beside a test) would take it over. Signals do the same job.
control_socket_disable = True
