"""Posts the same /get-online-features requests to `feast serve` and `feast-edge serve` and
compares the JSON bodies (columns by name, floats to 1e-12). Then reads, with Feast's
get_online_features, an online store feast-edge materialized, against Feast's own.
Use: feast-python compare.py FEAST_URL EDGE_URL FEAST_REPO EDGE_MATERIALIZED_REPO"""
import json
import sys
import urllib.request
import warnings

warnings.filterwarnings("ignore")
feast_url, edge_url, feast_repo, edge_repo = sys.argv[1:5]
REQUESTS = [
    {"features": ["merchant_stats:gmv", "merchant_stats:orders", "merchant_stats:is_active", "merchant_stats:category", "merchant_stats:recent_scores"],
     "entities": {"merchant_id": ["m-001", "Ünï-4", "nope"]}},
    {"features": ["merchant_country:refund_rate"], "entities": {"merchant_id": ["m-002", "m-003", "m-001"], "country": ["JP", "FR", "DE"]}},
    {"feature_service": "merchant_scoring", "entities": {"merchant_id": ["m-001", "m-002"], "country": ["FR", "JP"], "basket_value": [42.0, 7.5]}},
    {"features": ["merchant_stats:gmv", "basket_share:basket_share"], "entities": {"merchant_id": ["m-003"], "basket_value": [100.0]}, "full_feature_names": True},
    {"features": ["merchant_stats:no_such"], "entities": {"merchant_id": ["m-001"]}},
    {"features": ["nope:gmv"], "entities": {"merchant_id": ["m-001"]}},
]

def post(url, body):
    req = urllib.request.Request(url + "/get-online-features", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()

def by_name(body):
    return {n: body["results"][i] for i, n in enumerate(body["metadata"]["feature_names"])}

def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(a - b) <= 1e-12 * max(1, abs(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b

# Values must match; the error bodies and the echo of request data are the wire's (reported, not failed).
failures = 0
for body in REQUESTS:
    fs, fb = post(feast_url, body)
    es, eb = post(edge_url, body)
    if fs != 200 or es != 200:
        print(("SAME-STATUS " if fs == es else "WIRE-DIFF ") + f"feast {fs} edge {es}: {json.dumps(body)}\n  feast: {str(fb)[:200]}\n  edge:  {str(eb)[:200]}")
        failures += (fs == 200) != (es == 200)
        continue
    f, e = by_name(fb), by_name(eb)
    # Listed in the README: Feast's Redis store answers PRESENT (null) for an entity no row was written for.
    for k in f:
        if k in e:
            f[k]["statuses"] = [es_ if (fs_, es_, v) == ("PRESENT", "NOT_FOUND", None) else fs_ for fs_, es_, v in zip(f[k]["statuses"], e[k]["statuses"], f[k]["values"])]
    diffs = [k for k in f if k not in e or not same(f[k], e[k])]
    extra = [k for k in e if k not in f]
    verdict = "DIFF" if diffs else "SAME" if not extra else "SAME-VALUES"
    print(f"{verdict} {json.dumps(body)}" + (f"\n  feast-edge adds columns {extra} (request data; Feast does not echo it)" if extra and not diffs else ""))
    for k in diffs:
        print(f"  {k}: feast {json.dumps(f[k])}\n  {' ' * len(k)}  edge  {json.dumps(e.get(k))}")
    failures += bool(diffs)

from feast import FeatureStore  # noqa: E402

rows = [{"merchant_id": m} for m in ["m-001", "m-002", "m-003", "Ünï-4", "nope"]]
refs = ["merchant_stats:gmv", "merchant_stats:orders", "merchant_stats:is_active", "merchant_stats:category", "merchant_stats:recent_scores"]
mine = FeatureStore(repo_path=feast_repo).get_online_features(features=refs, entity_rows=rows).to_dict()
theirs = FeatureStore(repo_path=edge_repo).get_online_features(features=refs, entity_rows=rows).to_dict()
ok = same(mine, theirs)
print(("SAME " if ok else "DIFF ") + "Feast's get_online_features over feast-edge's materialization vs over Feast's")
if not ok:
    print("  feast:", json.dumps(mine), "\n  edge: ", json.dumps(theirs))
intervals = {v.name: [(str(a), str(b)) for a, b in v.materialization_intervals] for v in FeatureStore(repo_path=edge_repo).list_feature_views()}
print("intervals Feast reads from feast-edge's registry.db:", json.dumps(intervals))
failures += not ok or not intervals.get("merchant_stats")
print("PASS" if failures == 0 else f"FAIL ({failures})")
sys.exit(1 if failures else 0)
