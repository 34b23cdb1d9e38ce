import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as errors from '../../src/errors.js';
import { FeastEdgeError, FeastObjectNotFoundException } from '../../src/errors.js';
import * as root from '../../src/index.js';
import { errorAnswer, statusOf } from '../../src/server/http-errors.js';

const REPO = join(import.meta.dirname, '..', '..');
const SCANNED = ['src', 'targets', 'demo/app', 'build', 'bench'];
const ERRORS_MODULE = 'src/errors.ts';
/** Bases that are never thrown themselves: each error is one of their subclasses. */
const ABSTRACT = new Set<unknown>([FeastEdgeError, FeastObjectNotFoundException]);
/** feast-edge's errors that are classes of Feast's `feast.errors` (sdk/python/feast/errors.py, Feast 0.66). */
const FEAST_CLASSES = new Set([
  'ConflictingFeatureViewNames',
  'DataSourceNotFoundException',
  'DataSourceObjectNotFoundException',
  'DataSourceRepeatNamesException',
  'EntityNotFoundException',
  'EntityTimestampInferenceException',
  'FeastEntityDFMissingColumnsError',
  'FeatureNameCollisionError',
  'FeatureServiceNotFoundException',
  'FeatureViewNotFoundException',
  'OnDemandFeatureViewNotFoundException',
  'ProjectNotFoundException',
  'PushSourceNotFoundException',
  'RequestDataNotFoundInEntityDfException',
  'RequestDataNotFoundInEntityRowsException',
  'SavedDatasetNotFound',
]);

type ErrorClass = abstract new (...args: never[]) => FeastEdgeError;
const isErrorClass = (value: unknown): value is ErrorClass =>
  typeof value === 'function' && (value === FeastEdgeError || value.prototype instanceof FeastEdgeError);
const classes = Object.entries(errors as Record<string, unknown>).filter((entry): entry is [string, ErrorClass] => isErrorClass(entry[1]));
const thrown = classes.filter(([, cls]) => !ABSTRACT.has(cls));

/** One instance of each class: the constructors differ, but each takes strings (and a list or two) it only interpolates. */
function instanceOf(cls: ErrorClass): FeastEdgeError {
  return new (cls as unknown as new (...args: unknown[]) => FeastEdgeError)('x', ['y'], ['z']);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'node_modules' || entry === 'dist' || entry === 'results') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|js|mjs|cjs)$/.test(entry) ? [path] : [];
  });
}

/** `file:line: text` for every line outside src/errors.ts that matches. */
function offenders(pattern: RegExp): string[] {
  return SCANNED.flatMap((dir) => sourceFiles(join(REPO, dir))).flatMap((path) => {
    const file = relative(REPO, path);
    if (file === ERRORS_MODULE) return [];
    return readFileSync(path, 'utf8')
      .split('\n')
      .flatMap((line, i) => (pattern.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : []));
  });
}

describe('errors are built from their classes, never from a bare name', () => {
  it('finds no new FeastEdgeError(...) outside src/errors.ts', () => {
    expect(offenders(/new\s+FeastEdgeError\s*\(/)).toEqual([]);
  });

  it("finds no .name = '...' assignment outside src/errors.ts", () => {
    expect(offenders(/\.name\s*=\s*['"`]/)).toEqual([]);
  });

  it('finds no error class declared outside src/errors.ts', () => {
    const names = classes.map(([name]) => name).join('|');
    expect(offenders(new RegExp(`\\bextends\\s+(${names})\\b`))).toEqual([]);
  });

  it('keeps the base constructor from taking a name (checked by npm run typecheck)', () => {
    // Never called: the lines below only have to fail to compile.
    const bareName = () => {
      // @ts-expect-error FeastEdgeError is abstract: an error is one of its classes
      new FeastEdgeError('ValueError', 'message');
      // @ts-expect-error not-found errors are built by their own class, which sets the name
      new FeastObjectNotFoundException('feature view', 'nope', 'p', []);
    };
    expect(bareName).toBeTypeOf('function');
  });
});

describe('every error class', () => {
  it('is a FeastEdgeError with its own name: the name it is exported under', () => {
    expect(thrown.length).toBeGreaterThan(40);
    for (const [exported, cls] of thrown) {
      const error = instanceOf(cls);
      expect(error, exported).toBeInstanceOf(FeastEdgeError);
      expect(error, exported).toBeInstanceOf(Error);
      expect(error, exported).toBeInstanceOf(cls);
      expect(error.name, exported).toBe(exported);
    }
    const names = thrown.map(([, cls]) => instanceOf(cls).name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("carries an HTTP error status, and the server answers with it in Feast's error body", () => {
    for (const [exported, cls] of thrown) {
      const error = instanceOf(cls);
      expect(Number.isInteger(error.httpStatus), exported).toBe(true);
      expect(error.httpStatus, exported).toBeGreaterThanOrEqual(400);
      expect(error.httpStatus, exported).toBeLessThanOrEqual(599);
      expect(statusOf(error), exported).toBe(error.httpStatus);
      const answer = errorAnswer(error);
      expect([answer.status, answer.type], exported).toEqual([error.httpStatus, exported]);
      const body: unknown = JSON.parse(answer.body);
      if (exported === 'RequestValidationError') continue; // its FastAPI body: test/server/feast-error-wire.test.ts
      // Feast's server sends a JSON string: its error detail for Feast's own classes, else the message.
      expect(typeof body, exported).toBe('string');
      const feastClass = exported === 'PermissionDeniedError' ? 'FeastPermissionError' : FEAST_CLASSES.has(exported) ? exported : undefined;
      if (feastClass) expect(JSON.parse(body as string), exported).toEqual({ module: 'feast.errors', class: feastClass, message: error.message });
      else expect(body, exported).toBe(error.message);
    }
  });

  it('answers anything that is not a FeastEdgeError as a 500 that leaks nothing', () => {
    const named = Object.assign(new Error('secret detail'), { name: 'FeatureViewNotFoundException' });
    expect(errorAnswer(named)).toEqual({ status: 500, body: '"the server failed to answer this request; see its log"', type: 'InternalServerError' });
  });

  it('is exported by name from the root entry', () => {
    for (const [exported, cls] of classes) expect((root as Record<string, unknown>)[exported], exported).toBe(cls);
  });
});
