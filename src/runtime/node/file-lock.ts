import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { RegistryStoreError } from '../../errors.js';

/** A lock older than this was left by a crashed writer (a write holds it for milliseconds). */
export const STALE_LOCK_MS = 30_000;

export const errorCode = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Who holds a lock or wrote a temporary file: this host and process, then a unique part. */
const OWNER = `${hostname()}:${process.pid}`;

/**
 * True when `owner` (as OWNER writes it) names a process of this host that no longer
 * runs: its lock or temporary file was left by a crash and may be taken over at once.
 */
function ownerIsGone(owner: string | undefined): boolean {
  const match = owner ? /^(.*):(\d+)(?::|$)/.exec(owner) : null;
  if (!match || match[1] !== hostname()) return false;
  try {
    process.kill(Number(match[2]), 0);
    return false;
  } catch (error) {
    return errorCode(error) === 'ESRCH';
  }
}

/**
 * Runs `fn` holding `<file>.lock`, created exclusively, so it holds across processes.
 * Waits for a live holder; takes over a lock whose holder process is gone (a killed
 * apply) at once, and any other lock older than STALE_LOCK_MS (a holder on another host).
 */
export async function withFileLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  await mkdir(dirname(file), { recursive: true });
  const lock = `${file}.lock`;
  const token = `${OWNER}:${randomUUID()}`;
  // Waits longer than a lock can stay fresh, so a crashed writer's lock is always outlived.
  const deadline = Date.now() + STALE_LOCK_MS + 10_000;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lock, 'wx');
      try {
        await handle.writeFile(token);
      } catch (error) {
        // A lock without its token (a full disk) names no holder: it would stall every writer until it aged.
        await handle.close();
        await rm(lock, { force: true });
        throw error;
      }
      await handle.close();
      break;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    if (await breakIfStale(lock)) continue;
    if (Date.now() > deadline) throw new RegistryStoreError(`registry lock ${lock} stays held; remove it if no apply is running`);
    await sleep(Math.random() * Math.min(50, 2 + attempt));
  }
  // Temporary files of writers that died before their rename would otherwise stay forever.
  await removeOrphanedTemporaries(file);
  try {
    return await fn();
  } finally {
    // Only our own lock: if ours was taken over as stale, the file is someone else's now.
    const holder = await readFile(lock, 'utf8').catch(() => undefined);
    if (holder === token) await rm(lock, { force: true });
  }
}

/**
 * Removes `lock` if it is stale; true when the caller should try to take it again. The
 * lock is first renamed aside (one process wins that), then its age is checked again, so
 * a fresh lock that replaced the stale one in between is put back rather than broken.
 */
async function breakIfStale(lock: string): Promise<boolean> {
  const age = await stat(lock).then(
    (s) => Date.now() - s.mtimeMs,
    (error: unknown) => (errorCode(error) === 'ENOENT' ? -1 : 0),
  );
  if (age < 0) return true;
  const holderGone = ownerIsGone(await readFile(lock, 'utf8').catch(() => undefined));
  if (age <= STALE_LOCK_MS && !holderGone) return false;
  const aside = `${lock}.${randomUUID()}.stale`;
  try {
    await rename(lock, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return true;
    throw error;
  }
  const movedAge = await stat(aside).then(
    (s) => Date.now() - s.mtimeMs,
    () => Infinity,
  );
  // A fresh lock of a live holder that replaced the stale one in between is put back.
  const movedGone = ownerIsGone(await readFile(aside, 'utf8').catch(() => undefined));
  if (movedAge <= STALE_LOCK_MS && !movedGone) await link(aside, lock).catch(() => undefined);
  await rm(aside, { force: true });
  return true;
}

/**
 * Replaces `file` with `contents` atomically: a temporary file in the same directory,
 * flushed, then renamed over it, so a reader sees the old or the new contents, never part.
 */
export async function writeFileAtomically(file: string, contents: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${OWNER}:${randomUUID()}.tmp`;
  try {
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(contents);
      // Flushed before the rename, so a crash cannot leave an empty file behind it.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameWithRetry(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Removes `<file>.<owner>.tmp` files whose writing process is gone (killed between write and rename). */
async function removeOrphanedTemporaries(file: string): Promise<void> {
  const prefix = `${basename(file)}.`;
  const names = await readdir(dirname(file)).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    if (ownerIsGone(name.slice(prefix.length, -'.tmp'.length))) await rm(join(dirname(file), name), { force: true });
  }
}

/** Windows refuses to rename over a file another process is reading; that passes in moments. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await rename(from, to);
    } catch (error) {
      if (!['EPERM', 'EACCES', 'EBUSY'].includes(errorCode(error) ?? '') || attempt >= 20) throw error;
      await sleep(10 * attempt);
    }
  }
}
