/**
 * Feast's remote online store client (`online_write_batch` in
 * feast/infra/online_stores/remote.py) writes a view's rows through
 * /write-to-online-store with its timestamps always named `event_timestamp` and
 * `created` (null where the source has no created column), whatever the view's source
 * calls them. Those columns are given the view's own names here, so a Python client's
 * writes, pushes and materializations land. Nothing changes for a name the view uses itself.
 */
export function remoteClientColumns(
  df: Record<string, unknown[]>,
  view: { readonly timestampField: string; readonly createdColumn?: string; readonly columns: ReadonlySet<string> },
): Record<string, unknown[]> {
  const out = { ...df };
  if (!view.columns.has('event_timestamp') && 'event_timestamp' in out && !(view.timestampField in out)) {
    out[view.timestampField] = out.event_timestamp;
    delete out.event_timestamp;
  }
  if (!view.columns.has('created') && 'created' in out) {
    const created = out.created;
    delete out.created;
    if (view.createdColumn && !(view.createdColumn in out)) out[view.createdColumn] = created;
  }
  return out;
}
