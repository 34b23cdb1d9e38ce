import { CommanderError } from 'commander';
import { FeastObjectNotFoundException } from '../errors.js';
import { didYouMean } from './suggest.js';

/**
 * The one line a failed command prints: `error: <reason>`. Commander's own messages
 * already start with "error: " and may add a second line ("(Did you mean list?)"),
 * which is folded into the first so scripts can read a single line.
 */
export function errorLine(error: unknown): string {
  // Commander shows the usage itself when a command is missing; its message is a placeholder.
  if (error instanceof CommanderError && error.code === 'commander.help') return 'error: a command is required (usage above)';
  let message = error instanceof Error ? error.message : String(error);
  // A misspelt object name gets the suggestion a misspelt command gets.
  if (error instanceof FeastObjectNotFoundException) message += didYouMean(error.objectName, error.existing);
  const text = message
    .replace(/^error:\s*/i, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
  return `error: ${text || (error instanceof Error ? error.name : 'unknown error')}`;
}

/** Help and --version end through the same path as errors; they are not failures. */
export function isCleanExit(error: unknown): error is CommanderError {
  return error instanceof CommanderError && error.exitCode === 0;
}
