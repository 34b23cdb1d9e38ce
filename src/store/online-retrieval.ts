import { InvalidRequestDataError, MissingJoinKeyError, RequestDataNotFoundInEntityRowsException } from '../errors.js';
import type { FeatureService, OnDemandFeatureView, ValueType } from '../definitions/index.js';
import { planRetrieval, type RetrievalPlan } from '../retrieval/retrieval-plan.js';
import { toEpochMicros } from '../definitions/timestamp.js';
import { distinctEntityKeys } from '../online/distinct-entity-keys.js';
import { typedJoinKeyValues } from '../online/entity-key.js';
import { entityColumns, type OnlineEntityRows } from '../online/entity-rows.js';
import type { OnlineReadResult, OnlineStore } from '../online/online-store.js';
import { checkValue } from '../online/online-write.js';
import { OnlineResponse, type FieldStatus, type OnlineColumn } from '../online/online-response.js';
import type { RegistryDocument } from '../registry/document.js';
import { computeOnDemand, loadedTransform } from '../transform/compute-on-demand.js';
import { readStreamColumns } from '../stream/stream-online.js';

export interface OnlineFeaturesRequest {
  features?: readonly string[];
  featureService?: string | FeatureService;
  /** Rows (`[{ driver_id: 1001 }]`) or columns (`{ driver_id: [1001, 1002] }`); request data for on-demand views goes here too. */
  entityRows: OnlineEntityRows;
  fullFeatureNames?: boolean;
  /**
   * Reads as of this instant (Date, ISO string or bigint microseconds): ttls are measured
   * back from it, stream windows end at it, and a stored row whose event time is after it
   * did not exist yet, so it reads NOT_FOUND (the online store keeps only the newest row,
   * not the one that was current then). Default now, where a later event still reads PRESENT.
   */
  now?: Date | string | bigint;
}

export interface OnlineContext {
  document: RegistryDocument;
  store: OnlineStore;
  onDemandCode: ReadonlyMap<string, OnDemandFeatureView>;
  /** A plan resolved earlier for the same request and registry version. */
  plan?: RetrievalPlan;
}

/** What a plan's reads need that depends on the plan alone: resolved once per plan, not per request. */
interface ReadPlan {
  /** Entity-row columns of the views' join keys, in first-use order, each with the view that needs it (for the error) and its type. */
  readonly keys: readonly { readonly column: string; readonly projectionName: string; readonly dtype: ValueType }[];
  readonly joins: readonly {
    readonly join: RetrievalPlan['joins'][number];
    readonly keyColumns: readonly string[];
    readonly features: readonly string[];
    readonly columns: readonly { readonly feature: string; readonly output: string; readonly dtype?: ValueType }[];
    readonly ttlMicros: bigint;
  }[];
  readonly requestData: ReadonlySet<string>;
}

/**
 * Plans are kept per registry version by the store (FeatureStore's plan cache): what is
 * derived from one is kept beside it, and goes when the plan goes.
 */
const readPlans = new WeakMap<RetrievalPlan, ReadPlan>();

function readPlanOf(plan: RetrievalPlan): ReadPlan {
  let read = readPlans.get(plan);
  if (read) return read;
  const keys: ReadPlan['keys'][number][] = [];
  for (const join of [...plan.joins, ...plan.streams]) {
    for (const key of join.view.entityColumns)
      keys.push({ column: join.joinKeyMap[key.name] ?? key.name, projectionName: join.projectionName, dtype: key.dtype });
  }
  read = {
    keys,
    joins: plan.joins.map((join) => {
      const dtypes = new Map(join.view.features.map((f) => [f.name, f.dtype]));
      return {
        join,
        keyColumns: join.view.entityColumns.map((k) => join.joinKeyMap[k.name] ?? k.name),
        features: [...new Set(join.columns.map((c) => c.feature))],
        columns: join.columns.map(({ feature, output }) => ({ feature, output, dtype: dtypes.get(feature) })),
        ttlMicros: BigInt(Math.round(join.view.ttlSeconds * 1e6)),
      };
    }),
    requestData: new Set(plan.onDemand.flatMap((step) => step.requestFields.map((f) => f.name))),
  };
  readPlans.set(plan, read);
  return read;
}

/** The first join key of each of the project's entities, per registry document (a new version is a new document). */
const entityJoinKeys = new WeakMap<RegistryDocument, ReadonlySet<string>>();

function entityJoinKeysOf(document: RegistryDocument): ReadonlySet<string> {
  let keys = entityJoinKeys.get(document);
  if (!keys) {
    keys = new Set(Object.values(document.entities).map((e) => e.spec.joinKeys[0]));
    entityJoinKeys.set(document, keys);
  }
  return keys;
}

/** Reads the latest values of the requested features for each entity row, with Feast's statuses. */
export async function retrieveOnline(context: OnlineContext, request: OnlineFeaturesRequest): Promise<OnlineResponse> {
  const { document } = context;
  const plan = context.plan ?? planRetrieval(document, request, context.onDemandCode);
  const readPlan = readPlanOf(plan);
  const { columns, count } = entityColumns(request.entityRows);
  const now = request.now === undefined ? BigInt(Date.now()) * 1000n : toEpochMicros(request.now, 'now');
  // Only an explicit instant hides later rows: a clock a little behind the writer's must not lose fresh pushes.
  const asOf = request.now !== undefined;

  const leading: string[] = [];
  /** Entity column -> the join key's type, for the requested views' keys. */
  const keyTypes = new Map<string, ValueType>();
  for (const { column, projectionName, dtype } of readPlan.keys) {
    if (!(column in columns)) {
      throw new MissingJoinKeyError(`entityRows: missing join key '${column}' of view '${projectionName}'; got ${Object.keys(columns).join(', ')}`);
    }
    if (!leading.includes(column)) leading.push(column);
    keyTypes.set(column, dtype);
  }
  for (const step of plan.onDemand) {
    for (const field of step.requestFields) {
      if (!(field.name in columns)) {
        throw new RequestDataNotFoundInEntityRowsException(`on-demand view '${step.view.name}' needs request field '${field.name}' in entityRows`);
      }
      if (!leading.includes(field.name)) leading.push(field.name);
      // Request data reaches transforms as given: check it against the request source's schema first.
      columns[field.name].forEach((value, i) => {
        try {
          checkValue(value, field.dtype, `entityRows.${field.name}[${i}]`);
        } catch (error) {
          throw new InvalidRequestDataError(error instanceof Error ? error.message : String(error));
        }
      });
    }
  }

  const out = new Map<string, OnlineColumn>();
  const echoed = (name: string, dtype?: ValueType): OnlineColumn => ({
    name,
    // A key given as "1001" for an Int64 entity is found as 1001, and echoed so (as Feast does).
    values: dtype ? typedJoinKeyValues(columns[name], dtype) : columns[name],
    statuses: new Array(count).fill('PRESENT'),
    eventTimestamps: new Array(count).fill(0n),
    ...(dtype ? { dtype } : {}),
  });
  for (const name of leading) out.set(name, echoed(name, keyTypes.get(name)));
  await Promise.all(
    readPlan.joins.map(async ({ join, keyColumns: keyNames, features, columns: joinColumns, ttlMicros: ttl }) => {
      const keyColumns = keyNames.map((name) => columns[name]);
      const { keys: uniqueKeys, slot } = distinctEntityKeys(join.view, keyColumns, count);
      const read = hideLaterRows(await context.store.read(document.project.name, join.view.name, uniqueKeys, features), asOf ? now : undefined);
      // Found, and within the ttl, is a property of the entity: decided once per entity, not per value.
      const entityStatus = read.eventTimestamps.map(
        (ts): FieldStatus => (ts === null ? 'NOT_FOUND' : ttl > 0n && now - ts > ttl ? 'OUTSIDE_MAX_AGE' : 'PRESENT'),
      );
      // Every feature of a view shares the entity's event time and, where it has no nulls,
      // the entity's statuses: one array serves them all.
      const eventTimestamps = slot.map((s) => read.eventTimestamps[s] ?? 0n);
      const rowStatus = slot.map((s) => entityStatus[s]);
      const distinct = uniqueKeys.length === count;
      for (const { feature, output, dtype } of joinColumns) {
        const stored = read.values[feature];
        const values = distinct ? stored : slot.map((s) => stored[s]);
        let statuses = rowStatus;
        for (let i = 0; i < count; i++) {
          if (values[i] === null && rowStatus[i] !== 'NOT_FOUND') {
            statuses = rowStatus.map((status, k) => (status !== 'NOT_FOUND' && values[k] === null ? 'NULL_VALUE' : status));
            break;
          }
        }
        // A literal, not a spread: 50 columns per request make the spread's object building show in profiles.
        out.set(output, dtype ? { name: output, values, statuses, eventTimestamps, dtype } : { name: output, values, statuses, eventTimestamps });
      }
    }),
  );
  // Stream views are windowed as of `now`, the instant ttls are measured from.
  await Promise.all(
    plan.streams.map(async (join) => {
      for (const column of await readStreamColumns(context.store, document.project.name, join, columns, count, now)) out.set(column.name, column);
    }),
  );
  for (const step of plan.onDemand) {
    const code = loadedTransform(step.view, step.code);
    const inputs: Record<string, unknown[]> = {};
    for (const input of step.inputs) inputs[input.name] = out.get(input.column)!.values;
    for (const field of step.requestFields) inputs[field.name] = columns[field.name];
    const results = computeOnDemand(code, inputs, count);
    for (const { feature, output } of step.outputs) {
      const values = Array.from(results[feature] ?? new Array(count).fill(null));
      const dtype = step.view.features.find((f) => f.name === feature)?.dtype;
      const statuses = new Array(count).fill('PRESENT');
      out.set(output, { name: output, values, statuses, eventTimestamps: new Array(count).fill(0n), ...(dtype ? { dtype } : {}) });
    }
  }
  const features = plan.outputs.map((name) => out.get(name)!);
  const keyColumns = new Map(leading.map((name) => [name, out.get(name)!]));
  return new OnlineResponse([...keyColumns.values(), ...features], [...feastEcho(context, readPlan, columns, keyColumns, echoed), ...features]);
}

/**
 * The columns Feast's server echoes before the features: every entity-row column that is
 * the join key of one of the project's entities (or a requested view's mapped key), in
 * the rows' order, typed where a requested view types it. Request data and other
 * columns are not echoed.
 */
function feastEcho(
  context: OnlineContext,
  readPlan: ReadPlan,
  columns: Record<string, unknown[]>,
  keyColumns: ReadonlyMap<string, OnlineColumn>,
  echoed: (name: string) => OnlineColumn,
): OnlineColumn[] {
  const { requestData } = readPlan;
  const joinKeys = entityJoinKeysOf(context.document);
  return Object.keys(columns)
    .filter((name) => !requestData.has(name) && (keyColumns.has(name) || joinKeys.has(name)))
    .map((name) => keyColumns.get(name) ?? echoed(name));
}

/** A read as of `asOf`: entities whose stored event is later than it read as not found. Undefined: the read as it is. */
function hideLaterRows(read: OnlineReadResult, asOf: bigint | undefined): OnlineReadResult {
  if (asOf === undefined || !read.eventTimestamps.some((ts) => ts !== null && ts > asOf)) return read;
  const later = read.eventTimestamps.map((ts) => ts !== null && ts > asOf);
  return {
    ...read,
    eventTimestamps: read.eventTimestamps.map((ts, i) => (later[i] ? null : ts)),
    values: Object.fromEntries(Object.entries(read.values).map(([name, values]) => [name, values.map((v, i) => (later[i] ? null : v))])),
  };
}
