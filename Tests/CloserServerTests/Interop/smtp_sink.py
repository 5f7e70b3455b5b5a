#!/usr/bin/python3
"""A real SMTP server on 127.0.0.1 that keeps every message it accepts, for integration tests.

Usage:
  smtp_sink.py --port-file PATH --out DIR [--auth USER:PASS]
               [--starttls CERT KEY | --smtps CERT KEY] [--fail-first N CODE]

It listens on a free port and writes that port number to PATH once it accepts connections (via a
temporary file and a rename, so a reader polling for PATH never sees half a number). PATH is
removed again when the sink exits.

Each accepted message becomes DIR/NNNN.eml (the raw bytes after SMTP dot-unstuffing, numbered
from 0001) and then DIR/NNNN.json, written last and by rename, so a test that polls for the JSON
file knows the .eml beside it is complete. The JSON holds:
  mailFrom, rcptTos   the SMTP envelope
  tls                 whether the message came over TLS (STARTTLS or SMTPS)
  authenticatedAs     the AUTH user name, or null
  parsed              what parse_mime.py reports for the message (null if the parser failed,
                      with the reason in parseError)

--auth USER:PASS     require AUTH PLAIN or AUTH LOGIN with these credentials before MAIL FROM.
                     Without --starttls, AUTH is allowed in the clear (fine on loopback, and it
                     lets tests cover AUTH alone); with --starttls it is only offered after TLS.
--starttls CERT KEY  offer STARTTLS with this PEM certificate and key, and refuse MAIL FROM (and
                     AUTH) until the client has switched to TLS.
--smtps CERT KEY     implicit TLS (SMTPS, as on port 465): the listening socket speaks TLS from
                     the first byte with this PEM certificate and key, and there is no STARTTLS.
--fail-first N CODE  answer the end of the first N messages' DATA with CODE (400-599) instead of
                     250, without saving them; 4xx tests a client's retry, 5xx its giving up.

SIGTERM or SIGINT stops the sink cleanly (exit status 0). Needs Debian's /usr/bin/python3 with
python3-aiosmtpd.
"""

import argparse
import asyncio
import hmac
import json
import logging
import os
import signal
import ssl
import sys
import warnings
from pathlib import Path

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def _import_parse_message():
    """parse_mime.py lives beside this script; share its parser."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.dont_write_bytecode = True  # keep __pycache__ out of the Swift test sources
    from parse_mime import parse_message
    return parse_message


parse_message = _import_parse_message()


def write_atomically(path, data):
    """Write via a temporary sibling and a rename, so readers see all of the file or none."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


class SinkHandler:
    """aiosmtpd handler: saves each message, or fails the first few on purpose."""

    def __init__(self, out_dir, fail_count, fail_code):
        self.out_dir = Path(out_dir)
        self.saved = 0
        self.fail_count = fail_count
        self.fail_code = fail_code
        self.failed = 0

    async def handle_DATA(self, server, session, envelope):
        if self.failed < self.fail_count:
            self.failed += 1
            code = self.fail_code
            return (f"{code} {code // 100}.0.0 Failure injected by smtp_sink "
                    f"({self.failed} of {self.fail_count})")
        self.saved += 1
        name = f"{self.saved:04d}"
        raw = envelope.original_content
        write_atomically(self.out_dir / f"{name}.eml", raw)
        record = {
            "mailFrom": envelope.mail_from,
            "rcptTos": list(envelope.rcpt_tos),
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
            "authenticatedAs": _login(session),
        }
        try:
            record["parsed"] = parse_message(raw)
        except Exception as error:  # a broken message is data for the test, not a crash
            record["parsed"] = None
            record["parseError"] = f"{type(error).__name__}: {error}"
        payload = json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8")
        write_atomically(self.out_dir / f"{name}.json", payload)
        return f"250 2.0.0 OK queued as {name}"


def _login(session):
    auth = session.auth_data
    if not session.authenticated or not isinstance(auth, LoginPassword):
        return None
    return auth.login.decode("utf-8", errors="replace")


def make_authenticator(user, password):
    expected_user = user.encode("utf-8")
    expected_password = password.encode("utf-8")

    def authenticator(server, session, envelope, mechanism, auth_data):
        valid = (
            mechanism in ("PLAIN", "LOGIN")
            and isinstance(auth_data, LoginPassword)
            and hmac.compare_digest(auth_data.login, expected_user)
            and hmac.compare_digest(auth_data.password, expected_password)
        )
        return AuthResult(success=valid, handled=False, auth_data=auth_data if valid else None)

    return authenticator


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description="SMTP sink for integration tests.")
    parser.add_argument("--port-file", required=True, help="where to write the listening port")
    parser.add_argument("--out", required=True, help="directory for NNNN.eml and NNNN.json")
    parser.add_argument("--auth", metavar="USER:PASS", help="require AUTH PLAIN/LOGIN")
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"), help="require STARTTLS")
    parser.add_argument("--smtps", nargs=2, metavar=("CERT", "KEY"), help="implicit TLS from the first byte")
    parser.add_argument("--fail-first", nargs=2, type=int, metavar=("N", "CODE"), default=(0, 451),
                        help="fail the first N messages with CODE")
    args = parser.parse_args(argv)
    if args.starttls and args.smtps:
        parser.error("--starttls and --smtps exclude each other")
    if args.auth is not None and ":" not in args.auth:
        parser.error("--auth takes USER:PASS")
    fail_count, fail_code = args.fail_first
    if fail_count < 0 or not 400 <= fail_code <= 599:
        parser.error("--fail-first takes N >= 0 and a CODE from 400 to 599")
    return args


def smtp_options(args):
    options = {"hostname": "smtp-sink.localhost", "ident": "smtp_sink", "decode_data": False}
    if args.starttls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.starttls)
        options.update(tls_context=context, require_starttls=True)
    if args.auth is not None:
        user, password = args.auth.split(":", 1)
        options.update(
            auth_required=True,
            # Under --smtps the whole session is TLS, which aiosmtpd's check (for STARTTLS) misses.
            auth_require_tls=bool(args.starttls),
            authenticator=make_authenticator(user, password),
        )
    return options


async def serve(args):
    loop = asyncio.get_running_loop()
    Path(args.out).mkdir(parents=True, exist_ok=True)
    handler = SinkHandler(args.out, *args.fail_first)
    options = smtp_options(args)
    implicit_tls = None
    if args.smtps:
        implicit_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        implicit_tls.load_cert_chain(*args.smtps)
    server = await loop.create_server(
        lambda: SMTP(handler, loop=loop, **options), host="127.0.0.1", port=0, ssl=implicit_tls)
    port = server.sockets[0].getsockname()[1]
    stop = asyncio.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, stop.set)
    # A parent's blocked signal mask is inherited (a test runner's worker thread blocks SIGTERM):
    # unblock, or SIGTERM would never reach us.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    write_atomically(args.port_file, f"{port}\n".encode("ascii"))
    try:
        await stop.wait()
    finally:
        server.close()
        await server.wait_closed()
        Path(args.port_file).unlink(missing_ok=True)


def main(argv=None):
    args = parse_arguments(argv)
    # aiosmtpd warns about clear-text AUTH (a deliberate, documented choice here) and about its
    # own use of a deprecated attribute on every login; keep stderr for real errors.
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
