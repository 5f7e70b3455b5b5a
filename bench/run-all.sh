#!/usr/bin/env bash
# bench/run-all.sh (`make bench`): every benchmark, one after another, each with its own run.sh.
# Each prints Markdown tables and keeps its raw results under bench/<area>/results/ (git-ignored);
# copy the figures into bench/README.md by hand, with the commit and the machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
status=0
for script in "$here"/*/run.sh; do
    area="$(basename "$(dirname "$script")")"
    echo "== bench/$area ==" >&2
    "$script" || { echo "bench/$area failed (status $?)" >&2; status=1; }
done
exit "$status"
