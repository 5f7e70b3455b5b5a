"""A Socket.IO client written by other people (python-socketio), talking to closer-server.

Usage: socketio_client.py URL TOKEN listen|refused
  listen:  connect websocket-only with auth {token}; print CONNECTED; print one line per
           messages_updated event ("EVENT <action> <message id>"); exit after the first one.
  refused: connect with the token and print REFUSED <message> when the server says no.
"""
import json
import os
import sys
import threading

import socketio

url, token, mode = sys.argv[1], sys.argv[2], sys.argv[3]
client = socketio.Client(reconnection=False)
done = threading.Event()


@client.event
def connect():
    print("CONNECTED", flush=True)


@client.event
def connect_error(data):
    # python-socketio hands the server's CONNECT_ERROR payload here.
    print("REFUSED %s" % json.dumps(data), flush=True)
    if mode == "refused":
        os._exit(0)


@client.on("messages_updated")
def messages_updated(data):
    print("EVENT %s %s" % (data["action"], data["message"]["id"]), flush=True)
    done.set()


try:
    client.connect(url, transports=["websocket"], auth={"token": token}, wait_timeout=10)
except socketio.exceptions.ConnectionError as error:
    print("REFUSED %s" % json.dumps(str(error)), flush=True)
    sys.exit(0 if mode == "refused" else 1)

if mode == "refused":
    print("UNEXPECTEDLY CONNECTED", flush=True)
    sys.exit(1)

if not done.wait(timeout=20):
    print("NO EVENT", flush=True)
client.disconnect()
