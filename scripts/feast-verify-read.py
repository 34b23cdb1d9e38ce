"""Reads registries feast-edge wrote (scripts/feast-verify-write.ts) with real Feast and prints
what Feast's SDK lists, as JSON: the evidence kept in test/fixtures/feast/feast-reads-feast-edge.
Use: feast-python scripts/feast-verify-read.py REPO_DIR"""
import json
import sys
import warnings

warnings.filterwarnings("ignore")
from feast import FeatureStore  # noqa: E402

store = FeatureStore(repo_path=sys.argv[1])
fields = lambda fs: [[f.name, str(f.dtype)] for f in fs]  # noqa: E731
out = {
    "project": store.project,
    "projects": sorted(p.name for p in store.list_projects()),
    "entities": sorted([e.name, e.join_key, str(e.value_type)] for e in store.list_entities()),
    "data_sources": sorted([s.name, type(s).__name__] for s in store.list_data_sources()),
    "feature_views": sorted(
        [v.name, v.entities, fields(v.entity_columns), fields(v.features), int(v.ttl.total_seconds()) if v.ttl else None,
         v.online, v.batch_source.name, v.stream_source.name if v.stream_source else None, dict(v.tags)]
        for v in store.list_feature_views()
    ),
    "stream_feature_views": sorted(
        [v.name, [[a.column, a.function, int(a.time_window.total_seconds()), a.name] for a in v.aggregations]]
        for v in store.list_stream_feature_views()
    ),
    "on_demand_feature_views": sorted(
        [v.name, v.mode, fields(v.features), sorted(v.source_feature_view_projections), sorted(v.source_request_sources)]
        for v in store.list_on_demand_feature_views()
    ),
    "feature_services": sorted(
        [s.name, [[p.name, p.name_alias, [f.name for f in p.features], dict(p.join_key_map)] for p in s.feature_view_projections]]
        for s in store.list_feature_services()
    ),
    "saved_datasets": sorted(d.name for d in store.list_saved_datasets()),
}
print(json.dumps(out, indent=1, sort_keys=True))
