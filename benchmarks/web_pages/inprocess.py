"""Server CPU per page, in this process: the WSGI application called directly.

Uses the Ford-scale store `python -m benchmarks.web_pages` builds (built here too if missing).
No HTTP, no server, no other clients: each page is requested ``--repeat`` times after a
warm-up through the same WSGI application the server runs (all middleware, the benchmark's
session cookie) and the median thread CPU time per request is printed, which is what the
20-client benchmark's queue is made of. ``--profile NAME`` prints a cProfile of that page
instead (``--only`` filters pages).

    python -m benchmarks.web_pages.inprocess [--repeat 30] [--only links] [--profile "links"]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time

from .__main__ import OUT, _load, _pages, _session_cookie


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sites", type=int, default=4400)
    parser.add_argument("--parts", type=int, default=55000)
    parser.add_argument("--tiers", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", default="", help="pages whose name contains this")
    parser.add_argument("--profile", default="", help="cProfile the page with exactly this name")
    parser.add_argument("--top", type=int, default=35, help="profile lines to print")
    args = parser.parse_args()

    store = OUT / f"store-{args.sites}-{args.parts}-{args.tiers}"
    _load(store, args.sites, args.parts, args.tiers)
    cookie = _session_cookie()
    pages = {k: v for k, v in _pages().items() if args.only in k}
    from econsec.valuechain.web.views import warm_caches
    from econsec.web.wsgi import application

    warm_caches()

    def get(path: str) -> int:
        """One request through the WSGI application; the response body's size."""
        route, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": route,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1:8000",
            "HTTP_COOKIE": cookie,
            "HTTP_ACCEPT_LANGUAGE": "ja",
            "wsgi.input": io.BytesIO(),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        status: list[str] = []
        body = application(environ, lambda s, headers, exc=None: status.append(s))
        try:
            size = sum(len(chunk) for chunk in body)
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        if not status[0].startswith("200"):
            raise SystemExit(f"{path}: HTTP {status[0]}")
        return size

    if args.profile:
        path = pages[args.profile]
        for _ in range(5):
            get(path)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            get(path)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)
        return

    # The median is what a request costs on this (shared) machine now; the minimum is the least
    # disturbed run, steadier when other work competes for the cores and their caches.
    print(f"{'page':42} {'CPU ms/req median':>18} {'min':>6} {'bytes':>8}")
    total = []
    for name, path in pages.items():
        for _ in range(3):
            get(path)
        times = []
        for _ in range(args.repeat):
            t0 = time.thread_time()
            get(path)
            times.append(time.thread_time() - t0)
        size = get(path)
        ms = statistics.median(times) * 1000
        total.append(ms)
        print(f"{name:42} {ms:18.2f} {min(times) * 1000:6.2f} {size:8}")
    print(f"{'median over pages':42} {statistics.median(total):18.2f}")


if __name__ == "__main__":
    main()
