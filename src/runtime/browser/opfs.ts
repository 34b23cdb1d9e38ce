import { DataSourceNotFoundException } from '../../errors.js';

/**
 * A file of the origin private file system by path ('data/driver_stats.parquet'), as a
 * File: read lazily, so a Parquet reader fetches only the byte ranges it needs.
 */
export async function readOpfsFile(path: string): Promise<File> {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0) throw new DataSourceNotFoundException(`OPFS path '${path}' names no file`);
  let directory = await navigator.storage.getDirectory();
  try {
    for (const part of parts.slice(0, -1)) directory = await directory.getDirectoryHandle(part);
    return await (await directory.getFileHandle(parts[parts.length - 1])).getFile();
  } catch (error) {
    if ((error as { name?: string }).name === 'NotFoundError' || (error as { name?: string }).name === 'TypeMismatchError') {
      throw new DataSourceNotFoundException(`OPFS file '${path}' does not exist in this origin's private file system`);
    }
    throw error;
  }
}
