"""`quizapp serve`: play in a web browser; every tab runs the app on the same files.

textual-serve (the optional ``web`` extra) starts ``python -m quizapp`` once per browser
tab, with the same score file, deck folders and settings as this command, and relays its
screen to the page. The store's lock keeps the answers of several tabs apart.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import os
import shlex
import sys
from pathlib import Path
from urllib.parse import urlsplit

DESCRIPTION = """\
Serve the app to a web browser: open the address it prints, and each tab plays its own
session on the same decks, score file and settings as `quizapp` in a terminal. It listens
on 127.0.0.1 (this machine only) unless --host says otherwise; anyone who can reach the
address can play and add answers to the score file (there is no password). ctrl+c (or
SIGTERM) stops it, after every open tab has written the end of its session.

Needs the web extra: pip install 'quizapp[web]'.
"""


def register(subparsers) -> None:
    from quizapp.cli import add_location_options

    parser = subparsers.add_parser(
        "serve",
        help="play in a web browser (needs the web extra)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this machine only; "
                             "0.0.0.0 for every network)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument("--max-tabs", type=int, default=32, metavar="N",
                        help="tabs open at once (each runs its own quizapp, about 60 MB); "
                             "more are turned away (default: 32)")
    parser.add_argument("--public-url", metavar="URL",
                        help="the address browsers use, when it differs from the one they reach "
                             "(behind a proxy: https://example.org/quiz)")
    add_location_options(parser)
    parser.set_defaults(func=run)


def install_hint() -> str:
    """The command that installs the web extra into this quizapp's Python."""
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file():  # a source checkout (editable install)
        target = shlex.quote(f"{checkout}[web]")
        return f"{shlex.quote(sys.executable)} -m pip install -e {target}"
    return f"{shlex.quote(sys.executable)} -m pip install 'quizapp[web]'"


def app_command(args: argparse.Namespace) -> str:
    """The shell command each tab runs: this Python's quizapp, on this command's locations.

    The environment (QUIZAPP_DATA_DIR, QUIZAPP_CONFIG_DIR, QUIZAPP_SCORES, QUIZAPP_DECKS) and
    the working folder are inherited, so only the options given here are passed on, as
    absolute paths."""
    argv = [sys.executable, "-m", "quizapp"]
    scores = getattr(args, "scores", None)
    if scores is not None:
        argv += ["--scores", str(Path(scores).expanduser().resolve())]
    for folder in getattr(args, "decks", None) or ():
        argv += ["--decks", str(Path(folder).expanduser().resolve())]
    # textual-serve runs it through /bin/sh: exec makes the app the process it stops.
    return "exec " + shlex.join(argv)


def check_public_url(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"--public-url: {url!r} is not an http:// or https:// address"
    if parts.query or parts.fragment:
        return f"--public-url: {url!r} may not have a query or fragment"
    return None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> int:
    from quizapp.cli import locations

    if not 1 <= args.port <= 65535:
        print(f"quizapp: serve: --port: {args.port} is not a port (1-65535)", file=sys.stderr)
        return 2
    if args.max_tabs < 1:
        print(f"quizapp: serve: --max-tabs: {args.max_tabs} is less than 1", file=sys.stderr)
        return 2
    if args.public_url and (problem := check_public_url(args.public_url)):
        print(f"quizapp: serve: {problem}", file=sys.stderr)
        return 2
    try:
        from quizapp.web.server import QuizServer
    except ImportError as exc:  # textual-serve (or what it needs) is not installed
        print(f"quizapp: serve: needs the web extra, textual-serve ({exc}); install it with: "
              f"{install_hint()}", file=sys.stderr)
        return 1

    where = locations(args)
    host = f"[{args.host}]" if ":" in args.host else args.host
    url = args.public_url or f"http://{host}:{args.port}"
    lines = [f"quizapp is served on {url}  (ctrl+c stops it)",
             f"  scores: {where.scores}",
             f"  decks:  {', '.join(str(d) for d in where.deck_dirs)}"]
    if not is_loopback(args.host):
        lines.append(f"  listening on {args.host}: anyone who can reach this machine on port "
                     f"{args.port} can play and add answers to this score file")
    server = QuizServer(app_command(args), host=args.host, port=args.port,
                        public_url=args.public_url, banner="\n".join(lines),
                        max_tabs=args.max_tabs)
    try:
        server.serve()
    except OSError as exc:  # the port is taken, or the address is not this machine's
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        hint = "; choose another with --port" if exc.errno == errno.EADDRINUSE else ""
        print(f"quizapp: serve: cannot listen on {host}:{args.port}: {reason}{hint}",
              file=sys.stderr)
        return 1
    return 0
