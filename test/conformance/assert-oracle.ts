import type { Table } from 'apache-arrow';
import type { OracleResult } from '../oracle/point-in-time-oracle.js';
import { readTable, sameValue, show } from './fixtures.js';

/**
 * Throws unless the result has exactly the oracle's columns (in order) and rows, and
 * every cell is one of the oracle's acceptable values. Lists up to 12 mismatches.
 */
export function expectOracle(result: Table, expected: OracleResult, context = ''): void {
  const actual = readTable(result);
  const where = context ? ` (${context})` : '';
  if (JSON.stringify(actual.columns) !== JSON.stringify(expected.columns)) {
    throw new Error(`columns${where}: got [${actual.columns.join(', ')}], expected [${expected.columns.join(', ')}]`);
  }
  if (actual.rows.length !== expected.rows.length) {
    throw new Error(`row count${where}: got ${actual.rows.length}, expected ${expected.rows.length}`);
  }
  const problems: string[] = [];
  expected.rows.forEach((want, i) => {
    for (const c of expected.columns) {
      const got = actual.rows[i][c];
      if (!want[c].some((w) => sameValue(got, w))) {
        const row = Object.entries(actual.rows[i])
          .map(([k, v]) => `${k}=${show(v)}`)
          .join(' ');
        problems.push(`row ${i} ${c}: got ${show(got)}, expected ${want[c].map(show).join(' | ')}  [row: ${row}]`);
      }
    }
  });
  if (problems.length > 0) {
    throw new Error(`${problems.length} cell(s) differ from the oracle${where}:\n${problems.slice(0, 12).join('\n')}`);
  }
}
