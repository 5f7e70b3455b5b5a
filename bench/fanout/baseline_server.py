#!/usr/bin/python3
"""The python-socketio baseline for bench/fanout: the same fan-out scenario as closer-server, on the
stack a user of the original system would know (python-socketio + aiohttp).

Run by bench/fanout/run.sh with Debian's packages (python3-socketio 5.7.2, python3-engineio 4.3.4,
python3-aiohttp 3.8.4; `apt-get install -y python3-socketio python3-aiohttp`), on the default asyncio
event loop (no uvloop), one process:

    /usr/bin/python3 bench/fanout/baseline_server.py --port 8123

What it serves, so that closer-bench-fanout drives it exactly as it drives closer-server:
  - Socket.IO 5 / Engine.IO 4 at /socket.io/ (websocket transport only). CONNECT must carry an auth
    object with a "token" (any value is accepted); every connected socket joins one room, "rep".
    The server pings every 25 s (python-socketio's default) and drops a socket that does not answer
    with a pong; the load tool answers.
  - POST /api/auth/login {"email","password"} -> {"token": ...} (any credentials).
  - POST /api/drafts/{leadId} {"content","channel"} -> emits one `drafts_updated` event
    {action, leadId, draft, offset} to the room (payload shaped and sized like closer-server's) and
    answers with the draft once python-socketio has queued the event for every socket.
  - GET /healthz -> 200.
Logging is off (python-socketio, engine.io and the aiohttp access log), as closer-server's per-event
path logs nothing either.
"""
import argparse
import datetime
import itertools
import uuid

import socketio
from aiohttp import web

ROOM = "rep"

sio = socketio.AsyncServer(async_mode="aiohttp", transports=["websocket"], logger=False,
                           engineio_logger=False, cors_allowed_origins="*")
offsets = itertools.count(1)
versions = {}


@sio.event
async def connect(sid, environ, auth):
    if not isinstance(auth, dict) or not auth.get("token"):
        raise socketio.exceptions.ConnectionRefusedError("Not authorized")
    sio.enter_room(sid, ROOM)


async def login(request):
    await request.json()
    return web.json_response({"token": uuid.uuid4().hex, "user": {"id": "baseline-rep"}})


async def save_draft(request):
    body = await request.json()
    lead_id = request.match_info["lead_id"]
    now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    version = versions.get(lead_id, 0) + 1
    versions[lead_id] = version
    draft = {"leadId": lead_id, "content": body["content"], "subject": body.get("subject"),
             "channel": body.get("channel", "email"), "version": version, "savedAt": now, "updatedAt": now}
    await sio.emit("drafts_updated", {"action": "UPSERT", "leadId": lead_id, "draft": draft,
                                      "offset": next(offsets)}, room=ROOM)
    return web.json_response(draft)


async def healthz(request):
    return web.json_response({"status": "ok"})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    app = web.Application()
    sio.attach(app)
    app.router.add_post("/api/auth/login", login)
    app.router.add_post("/api/drafts/{lead_id}", save_draft)
    app.router.add_get("/healthz", healthz)
    web.run_app(app, host=args.host, port=args.port, access_log=None, print=None, backlog=1024)


if __name__ == "__main__":
    main()
