/** The file-system failures that mean the storage, not the request, is at fault: each named for a message. */
const STORAGE_FAULTS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device (ENOSPC)',
  EDQUOT: 'disk quota exceeded (EDQUOT)',
  EROFS: 'read-only file system (EROFS)',
  EIO: 'input/output error (EIO)',
  EACCES: 'permission denied (EACCES)',
  EPERM: 'operation not permitted (EPERM)',
};
/** errno values as lmdb-js reports them (a number `code`, the message in strerror's words). */
const ERRNO: Readonly<Record<number, string>> = { 28: 'ENOSPC', 122: 'EDQUOT', 30: 'EROFS', 5: 'EIO', 13: 'EACCES', 1: 'EPERM' };

/**
 * What a storage failure is, in words (`no space left on device (ENOSPC)`), or
 * undefined when `error` is not one: Node's errors carry a string code, lmdb-js' the errno.
 */
export function storageFaultOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  const name = typeof code === 'number' ? ERRNO[code] : typeof code === 'string' ? code : undefined;
  if (name && STORAGE_FAULTS[name]) return STORAGE_FAULTS[name];
  const message = (error as Error | undefined)?.message ?? '';
  if (/no space left on device/i.test(message)) return STORAGE_FAULTS.ENOSPC;
  return undefined;
}
