import type { FeatureViewProjection, Metadata, RequestSource } from '../../definitions/index.js';
import type { StoredOnDemandFeatureView } from '../../registry/document.js';
import { sha256Hex } from '../../registry/hash.js';
import type { OnDemandFeatureView as OnDemandProto } from '../proto/feast/core/OnDemandFeatureView_pb.js';
import { UnmodeledFeastObject } from './errors.js';
import { typescriptFromStub } from './python-stub.js';
import { metadataFromFeast, sourceFromFeast } from './read-sources.js';
import { hasUnknownField } from './unknown-fields.js';
import { fieldFromFeast } from './value-types.js';
import type { ReadContext } from './read-views.js';
import { toBase64 } from './wire-values.js';

export interface OnDemandReadContext extends ReadContext {
  /** Feature views already mapped, by name, with their feature names: on-demand views read from them. */
  readonly featureViews: ReadonlyMap<string, readonly string[]>;
}

/**
 * A Feast on-demand view as stored by feast-edge. Its Python function stays as Feast wrote
 * it (source text, mode, pickle) and the view is marked `transformLanguage: 'python'`;
 * a view feast-edge itself wrote (a TypeScript transform) comes back as TypeScript.
 */
export async function onDemandViewFromFeast(view: OnDemandProto, ctx: OnDemandReadContext): Promise<StoredOnDemandFeatureView> {
  const spec = view.spec;
  if (!spec) throw new UnmodeledFeastObject('on-demand feature view without spec');
  const where = `on-demand feature view '${spec.name}'`;
  const transformation = spec.featureTransformation?.transformation;
  if (transformation?.case !== 'userDefinedFunction') {
    throw new UnmodeledFeastObject(`${where}: its transformation is not a Python function (Substrait, or the deprecated UDF field)`);
  }
  // 16: aggregations, which feast-edge's on-demand views do not have.
  if (hasUnknownField(spec, [16])) throw new UnmodeledFeastObject(`${where}: it aggregates, which feast-edge's on-demand views do not`);
  const udf = transformation.value;

  const sources: FeatureViewProjection[] = [];
  const requestSources: RequestSource[] = [];
  for (const [key, entry] of Object.entries(spec.sources)) {
    const source = entry.source;
    if (source.case === 'requestDataSource') {
      const mapped = sourceFromFeast(source.value, where);
      if (mapped.kind !== 'requestSource') throw new UnmodeledFeastObject(`${where}: source '${key}' is not a request source`);
      const registered = ctx.sources.get(mapped.name);
      requestSources.push(registered?.kind === 'requestSource' ? registered : mapped);
      continue;
    }
    const name = source.case === 'featureViewProjection' ? source.value.featureViewName : (source.value?.spec?.name ?? key);
    const features = ctx.featureViews.get(name);
    if (!features) throw new UnmodeledFeastObject(`${where}: its source '${name}' is not a feature view feast-edge models`);
    const p = source.case === 'featureViewProjection' ? source.value : undefined;
    sources.push({
      kind: 'projection',
      viewName: name,
      viewKind: 'featureView',
      ...(p && p.featureViewNameAlias !== '' ? { alias: p.featureViewNameAlias } : {}),
      features: p ? p.featureColumns.map((c) => c.name) : [...features],
      joinKeyMap: { ...(p?.joinKeyMap ?? {}) },
    });
  }

  const typescript = typescriptFromStub(udf.bodyText);
  const transformSource = typescript?.source ?? udf.bodyText;
  const meta: Metadata = metadataFromFeast(spec);
  const stored: StoredOnDemandFeatureView = {
    kind: 'onDemandFeatureView',
    name: spec.name,
    sources,
    requestSources,
    features: spec.features.map((f) => fieldFromFeast(f, where)),
    // Feast's python and pandas modes both take columns; a singleton view takes one row.
    mode: typescript?.mode ?? (spec.singleton ? 'rows' : 'columns'),
    transformSource,
    ...meta,
    transformHash: await sha256Hex(transformSource),
    ...(typescript
      ? {}
      : {
          transformLanguage: 'python' as const,
          feastUdf: { name: udf.name, mode: udf.mode !== '' ? udf.mode : spec.mode, bodyBase64: toBase64(udf.body) },
        }),
  };
  return JSON.parse(JSON.stringify(stored)) as StoredOnDemandFeatureView;
}
