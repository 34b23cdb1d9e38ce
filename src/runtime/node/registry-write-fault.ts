import { RegistryStoreError } from '../../errors.js';
import { storageFaultOf } from './storage-fault.js';

/**
 * Runs a registry file's write; a storage failure (a full disk) becomes a
 * RegistryStoreError that says the registry is unchanged: the write goes to a temporary
 * file renamed over the old one, so a failure before the rename leaves the old file whole.
 */
export async function writingRegistry<T>(file: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const fault = storageFaultOf(error);
    if (!fault) throw error;
    throw new RegistryStoreError(`registry file ${file} could not be written: ${fault}; the registry is unchanged, free space and run it again`, {
      cause: error,
    });
  }
}
