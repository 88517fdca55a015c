import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceQuery } from '../../../src/engines/sql/conformance.js';
import { DUCKDB, type Dialect } from '../../../src/engines/sql/dialect.js';
import { audit } from '../../e2e/run.js';
import { duckdb, postgres, type SqlEngine } from './sql-engines.js';

/** The conformance query passes on the engines the tool is tested on, and fails, naming the probe, on an engine that computes a primitive differently. */

for (const [name, open] of [
  ['DuckDB', duckdb],
  ['PostgreSQL', postgres],
] as const) {
  describe(`audit conformance on ${name}`, () => {
    let engine: SqlEngine | undefined;
    beforeAll(async () => {
      engine = await open();
    });
    afterAll(async () => engine?.close());

    it('returns no failing probe', async (context) => {
      if (!engine) return context.skip();
      const run = await audit(['conformance', '--dialect', engine.dialect.name]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^-- audit conformance, \w+: \d{3} probes/);
      expect(await engine.query(run.stdout)).toEqual([]);
    });
  });
}

describe('audit conformance finds an engine that differs', () => {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await duckdb();
  });
  afterAll(async () => engine.close());

  const failing = async (dialect: Dialect) => (await engine.query(conformanceQuery(dialect).sql)).map((r) => String(r.probe));

  it('equality that is not null-safe', async () => {
    expect(await failing({ ...DUCKDB, notDistinct: (a, b) => `(${a} = ${b})` })).toEqual(expect.arrayContaining(['i != 5 with i = null', 'i == null with i = null', '(b ? s : t) == null with b = true, s = null, t = x']));
  });

  it("trimming with the engine's own idea of spaces", async () => {
    const probes = await failing({ ...DUCKDB, trim: (value) => `trim(${value})` });
    expect(probes).toContain('trimming U+0009 around');
    expect(probes).not.toContain('trimming U+0020 around');
  });

  it('division rounding toward minus infinity, and days counted in 24-hour spans', async () => {
    expect(await failing({ ...DUCKDB, intDivide: (a, b) => `CAST(floor(${a} / ${b}) AS BIGINT)` })).toContain('i / j == -2 with i = -7, j = 3');
    expect(await failing({ ...DUCKDB, daysBetween: (a, b) => `CAST(floor(date_diff('second', ${a}, ${b}) / 86400) AS BIGINT)` })).toContain('days_between(a, z) == 1 with a = 2016-03-26T23:59, z = 2016-03-27T00:01');
  });

  it('a cast left to the engine', async () => {
    // Every text cast as the engine casts it: the query stops at the first text the engine cannot cast, or lists the probes that differ.
    const found = await failing({ ...DUCKDB, fullMatch: () => 'TRUE', group: (value, pattern, group) => DUCKDB.group(value, pattern.replace(/\[0-9\]/g, '\\d'), group) }).then(
      (probes) => probes.length > 0,
      (error: unknown) => /Conversion Error/.test(String(error)),
    );
    expect(found).toBe(true);
  });

  it('a date cast that accepts a day beyond its month', async () => {
    expect(await failing({ ...DUCKDB, parseTimestamp: (text) => `COALESCE(TRY_CAST(${text} AS TIMESTAMP), TIMESTAMP '2000-01-01')` })).toContain("reading date '31/04/2016'");
  });
});
