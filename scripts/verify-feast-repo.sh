#!/usr/bin/env bash
# Checks feast-edge against real Feast on a repo the tests never see (not run by CI:
# it needs Feast's Python). Makes the repo (scripts/feast-repo-verify/make_repo.py),
# `feast apply` + `feast materialize` into SQLite, serves it with `feast serve` and
# `feast-edge serve`, compares /get-online-features answers, then has `feast-edge
# materialize` fill a copy whose online store Feast's get_online_features reads.
# Use: FEAST=/tmp/feastvenv-src/bin/feast FEAST_PY=/tmp/feastvenv-src/bin/feast-python bash scripts/verify-feast-repo.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FEAST=${FEAST:-/tmp/feastvenv-src/bin/feast}
FEAST_PY=${FEAST_PY:-/tmp/feastvenv-src/bin/feast-python}
EDGE="node $ROOT/dist/cli/main.js"
WORK=$(mktemp -d /tmp/feast-edge-verify-XXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

[ -f "$ROOT/dist/cli/main.js" ] || (cd "$ROOT" && npx vite build --logLevel error)
NOW=$("$FEAST_PY" "$ROOT/scripts/feast-repo-verify/make_repo.py" "$WORK/repo")
START=$(date -u -d "$NOW - 1 day" +%Y-%m-%dT%H:%M:%S)
END=$(date -u -d "$NOW" +%Y-%m-%dT%H:%M:%S)
(cd "$WORK/repo" && "$FEAST" apply >/dev/null 2>&1)
cp -r "$WORK/repo" "$WORK/edge"   # registry.db after feast apply, no online store yet
(cd "$WORK/repo" && "$FEAST" materialize "$START" "$END" >/dev/null 2>&1)

# Two free ports on the loopback (other servers may hold fixed ones).
read -r FEAST_PORT EDGE_PORT < <("$FEAST_PY" -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1", 0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
(cd "$WORK/repo" && exec "$FEAST" serve -h 127.0.0.1 -p "$FEAST_PORT" >"$WORK/feast-serve.log" 2>&1) & PIDS+=($!)
$EDGE --repo "$WORK/repo" serve --port "$EDGE_PORT" >"$WORK/edge-serve.log" 2>&1 & PIDS+=($!)
for port in "$FEAST_PORT" "$EDGE_PORT"; do
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 1; done
done

$EDGE --repo "$WORK/edge" materialize "$START" "$END"
"$FEAST_PY" "$ROOT/scripts/feast-repo-verify/compare.py" "http://127.0.0.1:$FEAST_PORT" "http://127.0.0.1:$EDGE_PORT" "$WORK/repo" "$WORK/edge"
