#!/usr/bin/env bash
# The demo on the embedded default: builds closer and closer-server, seeds a demo rep in a private
# SQLite database under $XDG_DATA_HOME/closer/demo/, serves it on http://127.0.0.1:$PORT (8080),
# signs the demo rep in (with a config kept inside the demo folder, so your own sign-in is left
# alone) and opens the inbox in this terminal. Quitting closer (q) stops the server.
# Without a terminal (stdin or stdout not a tty) it only serves, and says how to connect.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product closer-server
swift build --product closer
bin_dir=$(swift build --show-bin-path)
data=${XDG_DATA_HOME:-$HOME/.local/share}/closer/demo
mkdir -p "$data" && chmod 700 "$data"
db="sqlite:$data/server.sqlite"
password_file="$data/demo-password"
port=${PORT:-8080}
server="http://127.0.0.1:$port"
if [ ! -s "$password_file" ]; then
    (umask 077 && printf 'demo-%s\n' "$(head -c 9 /dev/urandom | base64 | tr -d '/+=')" > "$password_file")
    "$bin_dir/closer-server" seed-demo --database "$db" --email demo@closer.example --name "Demo Rep" --password-file "$password_file"
fi
if curl -s -o /dev/null "$server/healthz"; then
    echo "demo: something already answers on port $port; set PORT to another one (PORT=8090 make demo)" >&2
    exit 1
fi

if ! [ -t 0 ] || ! [ -t 1 ]; then
    echo "  Demo rep:  demo@closer.example   password in $password_file"
    echo "  Connect:   closer login --server $server --email demo@closer.example && closer"
    exec "$bin_dir/closer-server" serve --database "$db" --port "$port"
fi

(umask 077 && : > "$data/server.log")
"$bin_dir/closer-server" serve --database "$db" --port "$port" --log-level warning >> "$data/server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    curl -s -o /dev/null "$server/healthz" && break
    kill -0 "$server_pid" 2>/dev/null || { echo "demo: the server did not start; see $data/server.log" >&2; exit 1; }
    sleep 0.1
done

export XDG_CONFIG_HOME="$data/client-config" XDG_DATA_HOME="$data/client-data"
"$bin_dir/closer" login --server "$server" --email demo@closer.example < "$password_file"
"$bin_dir/closer" || status=$?
echo "demo: the server log is $data/server.log; the demo rep's password is in $password_file"
exit "${status:-0}"
