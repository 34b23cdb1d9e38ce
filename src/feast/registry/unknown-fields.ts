import type { DescMessage, Message, UnknownField } from '@bufbuild/protobuf';
import { reflect, type ReflectMessage } from '@bufbuild/protobuf/reflect';
import { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import type { FeastUnmodeledFields } from '../../registry/document.js';
import { fromBase64, toBase64 } from './wire-values.js';

/**
 * Feast fields our schema subset does not declare arrive as unknown fields on the
 * decoded messages. They are kept per object, keyed by a path that names repeated
 * elements by their name rather than their position (`spec.features[conv_rate]`), so a
 * document edited in feast-edge still puts each one back on the field it belongs to.
 */

/** A repeated element's key: a projection's alias or view name, else the element's name, else its position. */
function elementKey(element: ReflectMessage, index: number): string {
  const m = element.message as unknown as Record<string, unknown>;
  for (const key of ['featureViewNameAlias', 'featureViewName', 'name']) {
    if (typeof m[key] === 'string' && m[key] !== '') return m[key] as string;
  }
  return `#${index}`;
}

function walk(message: ReflectMessage, path: string, visit: (message: ReflectMessage, path: string) => void): void {
  visit(message, path);
  const at = (name: string) => (path === '' ? name : `${path}.${name}`);
  for (const field of message.fields) {
    if (!message.isSet(field)) continue;
    if (field.fieldKind === 'message') {
      walk(message.get(field) as ReflectMessage, at(field.name), visit);
    } else if (field.fieldKind === 'list' && field.listKind === 'message') {
      let i = 0;
      for (const element of message.get(field) as Iterable<ReflectMessage>) {
        walk(element, `${at(field.name)}[${elementKey(element, i)}]`, visit);
        i++;
      }
    } else if (field.fieldKind === 'map' && field.mapKind === 'message') {
      for (const [key, value] of message.get(field) as ReadonlyMap<unknown, ReflectMessage>) {
        walk(value, `${at(field.name)}{${String(key)}}`, visit);
      }
    }
  }
}

/** Unknown fields as bytes: each one's tag and payload, as on the wire. */
export function encodeUnknown(fields: readonly UnknownField[]): Uint8Array {
  const writer = new BinaryWriter();
  for (const f of fields) writer.tag(f.no, f.wireType).raw(f.data);
  return writer.finish();
}

export function decodeUnknown(bytes: Uint8Array): UnknownField[] {
  const reader = new BinaryReader(bytes);
  const out: UnknownField[] = [];
  while (reader.pos < reader.len) {
    const [no, wireType] = reader.tag();
    out.push({ no, wireType, data: reader.skip(wireType, no) });
  }
  return out;
}

/** Every unknown field inside `message`, by path; undefined when there is none. */
export function collectUnknown<Desc extends DescMessage>(desc: Desc, message: Message): FeastUnmodeledFields | undefined {
  const out: Record<string, string> = {};
  walk(reflect(desc, message as never), '', (m, path) => {
    const unknown = m.getUnknown();
    if (unknown && unknown.length > 0) out[path] = toBase64(encodeUnknown(unknown));
  });
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Puts carried unknown fields back on `message` wherever their path exists; returns the paths that no longer exist. */
export function restoreUnknown<Desc extends DescMessage>(desc: Desc, message: Message, carried: FeastUnmodeledFields | undefined): string[] {
  if (!carried) return [];
  const left = new Set(Object.keys(carried));
  walk(reflect(desc, message as never), '', (m, path) => {
    if (!Object.hasOwn(carried, path)) return;
    m.setUnknown(decodeUnknown(fromBase64(carried[path])));
    left.delete(path);
  });
  return [...left];
}

/** Whether the message itself (not its children) carries an unknown field with one of these numbers. */
export function hasUnknownField(message: Message, numbers: readonly number[]): boolean {
  return (message.$unknown ?? []).some((f) => numbers.includes(f.no));
}
