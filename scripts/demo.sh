#!/usr/bin/env bash
# The demo on the embedded default: builds closer-server, seeds a demo rep in a private SQLite
# database under $XDG_DATA_HOME/closer/demo/, and serves it on http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product closer-server
bin=$(swift build --show-bin-path)/closer-server
data=${XDG_DATA_HOME:-$HOME/.local/share}/closer/demo
mkdir -p "$data" && chmod 700 "$data"
db="sqlite:$data/server.sqlite"
password_file="$data/demo-password"
if [ ! -s "$password_file" ]; then
    (umask 077 && printf 'demo-%s\n' "$(head -c 9 /dev/urandom | base64 | tr -d '/+=')" > "$password_file")
    "$bin" seed-demo --database "$db" --email demo@closer.example --name "Demo Rep" --password-file "$password_file"
fi
echo
echo "  Demo rep:  demo@closer.example"
echo "  Password:  $(cat "$password_file")   (kept in $password_file)"
echo "  Try:       curl -s -X POST http://127.0.0.1:${PORT:-8080}/api/auth/login -d '{\"email\":\"demo@closer.example\",\"password\":\"'\$(cat $password_file)'\"}'"
echo
exec "$bin" serve --database "$db" --port "${PORT:-8080}"
