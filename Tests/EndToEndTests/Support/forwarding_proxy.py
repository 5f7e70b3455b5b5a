"""A tiny HTTP forward proxy for the end-to-end tests: it serves absolute-form requests
(`POST http://host:port/path HTTP/1.1`), forwards them, and appends each request line to a log.
Usage: forwarding_proxy.py PORT_FILE LOG_FILE  (writes the port it listens on to PORT_FILE)."""
import http.client
import http.server
import sys
import urllib.parse


class Forward(http.server.BaseHTTPRequestHandler):
    def forward(self):
        with open(sys.argv[2], "a") as log:
            log.write(f"{self.command} {self.path}\n")
        target = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("proxy-connection", "connection", "host")}
        upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
        upstream.request(self.command, target.path + (f"?{target.query}" if target.query else ""), body=body, headers=headers)
        answer = upstream.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PATCH = do_DELETE = forward

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Forward)
with open(sys.argv[1], "w") as port_file:
    port_file.write(str(server.server_address[1]))
server.serve_forever()
