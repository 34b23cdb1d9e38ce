import * as v from 'valibot';
import { expected, type Shown } from '../../definitions/schema-issue.js';
import { strictKeys } from './repo-config-keys.js';

/*
 * online_store of type cloudflare_kv and deno_kv in feature_store.yaml: the edge's online
 * stores, filled from Node by `feast-edge materialize` (feast-edge's own types; Feast has none).
 */

const shown: Shown = (got) => JSON.stringify(got ?? null);
const expect = (what: string) => expected(what, shown);

export const DEFAULT_KV_BULK_FILE = 'data/cloudflare_kv_bulk.json';
export const DEFAULT_DENO_KV_PATH = 'data/online.kv';
export const CLOUDFLARE_API = 'https://api.cloudflare.com/client/v4';
const ID = expect("an id of letters, digits, '-' and '_' (as the Cloudflare dashboard or wrangler prints it)");
const id = v.pipe(v.string(ID), v.regex(/^[A-Za-z0-9_-]{1,64}$/, ID));
const ENV_NAME = expect('the name of an environment variable, such as CLOUDFLARE_API_TOKEN');
const URL_TEXT = expect('an http(s) URL such as https://api.cloudflare.com/client/v4');

const cloudflareKeys = strictKeys({
  type: v.literal('cloudflare_kv', expect("'cloudflare_kv'")),
  /** The `wrangler kv bulk put` file materialization writes (every pair the namespace should hold). */
  bulk_file: v.optional(v.string(expect('a file path')), DEFAULT_KV_BULK_FILE),
  /** With namespace_id: also write through Cloudflare's REST API (bulk endpoint, 10,000 pairs a request). */
  account_id: v.optional(id),
  namespace_id: v.optional(id),
  /** The variable holding the API token (a token never goes in the file). */
  api_token_env: v.optional(v.pipe(v.string(ENV_NAME), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, ENV_NAME)), 'CLOUDFLARE_API_TOKEN'),
  api_base_url: v.optional(v.pipe(v.string(URL_TEXT), v.regex(/^https?:\/\/\S+$/, URL_TEXT)), CLOUDFLARE_API),
});

type CloudflareKeys = v.InferOutput<typeof cloudflareKeys>;

/** account_id and namespace_id go together: one without the other names the missing one. */
export const cloudflareKvOnlineStore = v.pipe(
  cloudflareKeys,
  v.rawCheck<CloudflareKeys>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const { account_id: account, namespace_id: namespace } = dataset.value;
    if (account && !namespace) {
      addIssue({ input: undefined, path: [pathItem(dataset.value, 'namespace_id')], message: expect('the KV namespace id to write to, as account_id is set') });
    }
    if (namespace && !account) {
      addIssue({ input: undefined, path: [pathItem(dataset.value, 'account_id')], message: expect('the Cloudflare account id, as namespace_id is set') });
    }
  }),
);

export const denoKvOnlineStore = strictKeys({
  type: v.literal('deno_kv', expect("'deno_kv'")),
  /** The Deno KV file (SQLite) the Deno server opens with --kv. */
  path: v.optional(v.string(expect('a file path')), DEFAULT_DENO_KV_PATH),
  /** The deno binary; default the `deno` npm package's, else `deno` on PATH. */
  deno_path: v.optional(v.string(expect('the path of the deno binary'))),
});

/** A path item valibot's issue formatting reads (the key, in the online_store mapping). */
function pathItem(input: Record<string, unknown>, key: string) {
  return { type: 'object' as const, origin: 'value' as const, input, key, value: undefined };
}
