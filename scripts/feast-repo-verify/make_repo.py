"""A small Feast repo the tests never see: merchants (a STRING key), a composite
merchant x country view, Bool/Int32/Float64/String/Array features, one pandas on-demand
view. Data is drawn relative to now, so online values are within their ttl.
Use: feast-python make_repo.py REPO_DIR"""
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd

repo = Path(sys.argv[1])
(repo / "data").mkdir(parents=True, exist_ok=True)
rng = np.random.RandomState(7)
now = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
merchants = ["m-001", "m-002", "m-003", "Ünï-4"]
rows = []
for h in range(6, 0, -1):
    for m in merchants:
        rows.append({
            "merchant_id": m, "ts": now - timedelta(hours=h), "created": now - timedelta(hours=h) + timedelta(minutes=5),
            "gmv": float(rng.uniform(10, 900)), "orders": np.int32(rng.randint(0, 50)), "is_active": bool(rng.rand() > 0.3),
            "category": ["food", "books", "toys"][rng.randint(0, 3)], "recent_scores": [float(x) for x in rng.uniform(0, 1, 3)],
        })
pd.DataFrame(rows).to_parquet(repo / "data" / "merchant_stats.parquet")
pairs = []
for h in range(4, 0, -1):
    for m in merchants[:3]:
        for c in ["FR", "JP"]:
            pairs.append({"merchant_id": m, "country": c, "event_time": now - timedelta(hours=h), "refund_rate": float(rng.uniform(0, 0.2))})
pd.DataFrame(pairs).to_parquet(repo / "data" / "merchant_country.parquet")

(repo / "feature_store.yaml").write_text(
    "project: merchants\nregistry: data/registry.db\nprovider: local\nonline_store:\n    type: sqlite\n    path: data/online_store.db\n"
    "offline_store:\n    type: file\nentity_key_serialization_version: 3\n"
)
(repo / "definitions.py").write_text('''
from datetime import timedelta
import pandas as pd
from feast import Entity, FeatureService, FeatureView, Field, FileSource, RequestSource, ValueType
from feast.on_demand_feature_view import on_demand_feature_view
from feast.types import Array, Bool, Float64, Int32, String

merchant = Entity(name="merchant", join_keys=["merchant_id"], value_type=ValueType.STRING)
country = Entity(name="country", join_keys=["country"], value_type=ValueType.STRING)
stats_source = FileSource(name="merchant_stats_source", path="data/merchant_stats.parquet", timestamp_field="ts", created_timestamp_column="created")
merchant_stats = FeatureView(
    name="merchant_stats", entities=[merchant], ttl=timedelta(hours=12), source=stats_source,
    schema=[Field(name="gmv", dtype=Float64), Field(name="orders", dtype=Int32), Field(name="is_active", dtype=Bool),
            Field(name="category", dtype=String), Field(name="recent_scores", dtype=Array(Float64))],
)
merchant_country = FeatureView(
    name="merchant_country", entities=[merchant, country], ttl=timedelta(hours=12),
    source=FileSource(name="merchant_country_source", path="data/merchant_country.parquet", timestamp_field="event_time"),
    schema=[Field(name="refund_rate", dtype=Float64)],
)
basket = RequestSource(name="basket", schema=[Field(name="basket_value", dtype=Float64)])

@on_demand_feature_view(sources=[merchant_stats, basket], schema=[Field(name="basket_share", dtype=Float64)])
def basket_share(inputs: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame()
    out["basket_share"] = inputs["basket_value"] / inputs["gmv"]
    return out

merchant_scoring = FeatureService(name="merchant_scoring", features=[merchant_stats[["gmv", "orders", "is_active"]], merchant_country, basket_share])
''')
# The on-demand view's computation in TypeScript, for feast-edge.
(repo / "on_demand_transforms.ts").write_text('''import { onDemandTransform } from 'feast-edge';
export const basketShare = onDemandTransform({
  view: 'basket_share',
  transform: (row) => ({ basket_share: row.basket_value == null || row.gmv == null ? null : Number(row.basket_value) / Number(row.gmv) }),
});
''')
print(now.isoformat())
