export { FeastRegistryError, UnmodeledFeastObject } from '../../errors.js';
