#!/usr/bin/env bash
# Checks feast-edge against real Feast on a repo the tests never see (not run by CI:
# it needs Feast's Python). Makes the repo (scripts/feast-repo-verify/make_repo.py),
# `feast apply` + `feast materialize` into SQLite, serves it with `feast serve` and
# `feast-edge serve`, compares /get-online-features answers, then has `feast-edge
# materialize` fill a copy whose online store Feast's get_online_features reads.
# With ONLINE=redis both repos use Redis in Feast's layout instead (two redis-servers the
# script starts): Feast materializes into one, feast-edge serves it, and feast-edge
# materializes into the other, which Feast reads.
# Use: FEAST=/tmp/feastvenv-src/bin/feast FEAST_PY=/tmp/feastvenv-src/bin/feast-python [ONLINE=redis] bash scripts/verify-feast-repo.sh
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
free_ports() { "$FEAST_PY" -c 'import socket, sys
s=[socket.socket() for _ in range(int(sys.argv[1]))]
[x.bind(("127.0.0.1", 0)) for x in s]
print(*[x.getsockname()[1] for x in s])' "$1"; }
if [ "${ONLINE:-sqlite}" = redis ]; then
  read -r REDIS_FEAST REDIS_EDGE < <(free_ports 2)
  for port in "$REDIS_FEAST" "$REDIS_EDGE"; do
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no >/dev/null 2>&1 & PIDS+=($!)
  done
  sleep 1
  sed -i "s/^online_store:.*//; s/^    type: sqlite//; s/^    path: data\/online_store.db//" "$WORK/repo/feature_store.yaml"
  printf 'online_store:\n    type: redis\n    connection_string: "127.0.0.1:%s"\n' "$REDIS_FEAST" >> "$WORK/repo/feature_store.yaml"
fi
(cd "$WORK/repo" && "$FEAST" apply >/dev/null 2>&1)
cp -r "$WORK/repo" "$WORK/edge"   # registry.db after feast apply, no online store yet
[ "${ONLINE:-sqlite}" = redis ] && sed -i "s/127.0.0.1:$REDIS_FEAST/127.0.0.1:$REDIS_EDGE/" "$WORK/edge/feature_store.yaml"
(cd "$WORK/repo" && "$FEAST" materialize "$START" "$END" >/dev/null 2>&1)

# Two free ports on the loopback (other servers may hold fixed ones).
read -r FEAST_PORT EDGE_PORT < <(free_ports 2)
(cd "$WORK/repo" && exec "$FEAST" serve -h 127.0.0.1 -p "$FEAST_PORT" >"$WORK/feast-serve.log" 2>&1) & PIDS+=($!)
$EDGE --repo "$WORK/repo" serve --port "$EDGE_PORT" >"$WORK/edge-serve.log" 2>&1 & PIDS+=($!)
for port in "$FEAST_PORT" "$EDGE_PORT"; do
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 1; done
done

$EDGE --repo "$WORK/edge" materialize "$START" "$END"
"$FEAST_PY" "$ROOT/scripts/feast-repo-verify/compare.py" "http://127.0.0.1:$FEAST_PORT" "http://127.0.0.1:$EDGE_PORT" "$WORK/repo" "$WORK/edge"
