import type { CompiledRubric } from '../../rubric/compile.js';
import type { Dialect } from './dialect.js';
import { expressionSql, NotCompilable } from './expression.js';
import { normaliseHeader } from '../../cases/columns.js';
import { REPEATED_HEADER } from '../../cases/reasons.js';
import { OUTCOME_CODE } from '../../scoring/outcome.js';
import { NOT_RECORDED_GROUP } from '../../summary/summary.js';
import { fieldReading } from './reading.js';
import { asciiKey, WHITESPACE } from './text.js';

/**
 * A rubric as one SQL query over a staging table whose columns are all text,
 * as an export is loaded into a warehouse. The query is a chain of named
 * steps a reader can follow as the JS pipeline: cells (trimmed text) → quick
 * (values in the common forms) → parts (pieces of the other dates and
 * numbers) → readings (values) → checked (why a cell cannot be read) →
 * scored (each row: readable or not, and each criterion's outcome) →
 * repeated and firsts (the first row of each reference; repeats are the
 * others) → graded →
 * final (the moderated grade); the rejected rows are read again for
 * unreadable and problems.
 */

/** Between a report group's period and its `--by` value: U+001F, which no period holds. */
export const PERIOD_SEPARATOR = '\u001f';

export const SQL_OUTPUTS = ['cases', 'summary', 'rejects', 'outcomes'] as const;
export type SqlOutput = (typeof SQL_OUTPUTS)[number];

export interface QueryOptions {
  /** The staging table (or view) holding the export. */
  source: string;
  /** The audit date, as milliseconds since 1970 at UTC midnight. */
  asOf: number;
  /** For each rubric field, in rubric order, the staging table's column for it, or undefined when the export has none. */
  columns: (string | undefined)[];
  /** The export's header text for each of `columns`, where the staging table names them otherwise; rejects name columns by it. */
  headers?: (string | undefined)[];
  /**
   * The column numbering rows as a spreadsheet shows them (the header is row
   * 1): repeats and rejects are told by it. Without one, the row steps keep
   * every row in the order read, blank ones flagged `:blank`, for an engine
   * that numbers the rows of `scored` by their position.
   */
  rowColumn?: string;
  /** Every column of the staging table, when known: a row is blank only when all of them are empty, as the JS engine judges. */
  allColumns?: { column: string; header: string }[];
  /** For the summary: the breakdown by a field's value, or by month or quarter of the case date (`--by`). */
  by?: string;
  /**
   * For a report: each case's group is the month or quarter of its case
   * date, then, with `by`, PERIOD_SEPARATOR and that value.
   */
  period?: 'month' | 'quarter';
}

const { met: MET, notMet: NOT_MET, notMetNotRecorded: NOT_RECORDED, notApplicable: NOT_APPLICABLE, notAssessed: NOT_ASSESSED } = OUTCOME_CODE;

/** The summary output's columns for each criterion, `criterion-id:outcome`, as the JSON summary names the outcome counts. */
export const SUMMARY_OUTCOMES = ['met', 'not-met', 'not-applicable', 'not-assessed', 'not_recorded'] as const;

export interface RubricQuery {
  /** The `WITH` steps every output shares, without the final SELECT: the row steps, `scored`, then the case steps. */
  steps: string[];
  /** The steps from the export's cells to each cell's value and reason (cells, quick, parts, readings, checked). */
  rowSteps: string[];
  /** The SELECT of `scored` (one row per row of the export, read or rejected, and each criterion's outcome), over the row steps. */
  scored: string;
  /** The steps over `scored`: the first row of each reference, grades, repeats, and the rejected rows' problems (which read the row steps again). */
  caseSteps: string[];
  /** Column names in the steps, for the outputs. */
  names: {
    row: string;
    id: string;
    area: string;
    outcome(criterion: number): string;
    computed: string;
    grade: string;
    /** The case's `--by` group, when the options ask for one. */
    group: string | undefined;
    /** Whether a row of `scored` was read and scored (not rejected). */
    readable: string;
  };
}

/** The outcome code of a criterion that could not be evaluated (a rubric fault), until the case is known to be scored: a repeated row is never evaluated. */
export const FAULT = 9;

/** The shared steps of every output, for one rubric and dialect. */
export function rubricSteps(rubric: CompiledRubric, dialect: Dialect, options: QueryOptions): RubricQuery {
  const d = dialect;
  const q = d.ident;
  const fields = rubric.fields;
  const text = (i: number) => q(`text:${fields[i]?.name}`);
  const value = (i: number) => q(fields[i]?.name ?? '');
  const reason = (i: number) => q(`problem:${fields[i]?.name}`);
  const quick = (i: number) => q(`quick:${fields[i]?.name}`);
  const partName = (i: number, name: string) => q(`part:${fields[i]?.name}:${name}`);
  const outcome = (c: number) => q(`outcome:${rubric.criteria[c]?.id}`);
  const row = q(':row');
  const readableFlag = q(':readable');
  const repeatsHeaderFlag = q(':repeats header');
  const slot = (name: string) => fields.findIndex((f) => f.name === name);
  /** The header a reject names for a field's column: the export's own. */
  const header = (i: number) => (options.headers ?? options.columns)[i];
  const idSlot = slot(rubric.idField);
  const areaSlot = slot(rubric.areaField);

  // A constant the engine folds once: a step holding it, joined to every row, would be a join evaluated row by row.
  const spaces = d.characters(WHITESPACE);
  const trimmed = (column: string) => `NULLIF(${d.trim(q(column), spaces)}, '')`;
  const cellColumns = fields.map((_, i) => {
    const column = options.columns[i];
    return `${column === undefined ? `CAST(NULL AS ${d.types.text})` : trimmed(column)} AS ${text(i)}`;
  });
  // Blank rows are skipped, and a row that repeats the header is rejected as a whole, judged on every column known.
  const rowColumns = options.allColumns ?? options.columns.flatMap((column, i) => (column === undefined ? [] : [{ column, header: header(i) ?? column }]));
  const notBlank = rowColumns.length === 0 ? 'TRUE' : rowColumns.map(({ column }) => `${trimmed(column)} IS NOT NULL`).join(' OR ');
  const repeatsHeader = headerRepeated(rowColumns.map(({ column, header }) => ({ text: trimmed(column), key: normaliseHeader(header) })), d);

  const readings = fields.map((field, i) => fieldReading(field, d, { text: text(i), quick: quick(i), part: (name) => partName(i, name), value: value(i) }));
  const quickColumns = readings.flatMap((reading, i) => (reading.quick === 'NULL' ? [] : [`${reading.quick} AS ${quick(i)}`]));
  const partColumns = readings.flatMap((reading, i) => Object.entries(reading.parts).map(([name, sql]) => `${sql} AS ${partName(i, name)}`));

  // Problems of the row as a whole, after its cells: a moderated grade without a reason, an empty reference or area.
  const rowProblems: Array<{ slot: number; when: string; reason: string; value: string }> = [];
  if (rubric.moderation) {
    const grade = rubric.moderation.gradeSlot;
    const reasonSlot = slot(rubric.moderation.reasonField);
    rowProblems.push({ slot: reasonSlot, when: `${value(grade)} IS NOT NULL AND ${value(reasonSlot)} IS NULL`, reason: "a moderated grade needs the moderator's reason", value: "''" });
  }
  rowProblems.push({ slot: idSlot, when: `${text(idSlot)} IS NULL`, reason: 'the case reference is empty', value: "''" });
  rowProblems.push({ slot: areaSlot, when: `${text(areaSlot)} IS NULL`, reason: 'the area is empty, so the case cannot be placed in the table', value: "''" });

  // A cell is read when it is empty or has a value: the same as having no reason, without working the reason out.
  const cellsRead = fields.flatMap((field, i) => (field.type === 'string' ? [] : [`(${text(i)} IS NULL OR ${value(i)} IS NOT NULL)`]));
  const readable = [`NOT ${repeatsHeaderFlag}`, ...cellsRead, ...rowProblems.map((p) => `NOT (${p.when})`)].join('\n      AND ');
  const idText = asText(fields[idSlot]?.type, value(idSlot), d, 'case.id');
  const areaText = asText(fields[areaSlot]?.type, value(areaSlot), d, 'case.area');

  const scope = { field: (name: string) => (slot(name) >= 0 ? value(slot(name)) : undefined), type: (name: string) => fields[slot(name)]?.type, asOf: options.asOf };
  const expression = (ast: unknown, c: number, key: 'applies' | 'check') => {
    try {
      return expressionSql(ast as never, scope, d);
    } catch (error) {
      if (error instanceof NotCompilable) throw new NotCompilable(`${key} of '${rubric.criteria[c]?.id}': ${error.message}`, error.offset, ['criteria', c, key]);
      throw error;
    }
  };
  const missing = (names: readonly string[]) => (names.length === 0 ? 'FALSE' : names.map((name) => `${value(slot(name))} IS NULL`).join(' OR '));
  const outcomes = rubric.criteria.map((criterion, c) => {
    const applies = criterion.applies ? expression(criterion.applies.ast, c, 'applies') : 'TRUE';
    const check = expression(criterion.check.ast, c, 'check');
    const whenMissing = criterion.when_missing === 'fail' ? NOT_RECORDED : NOT_ASSESSED;
    return `CASE
      WHEN NOT ${readableFlag} THEN NULL
      WHEN ${applies} IS NULL THEN (CASE WHEN ${missing(criterion.applies?.fields ?? [])} THEN ${NOT_ASSESSED} ELSE ${FAULT} END)
      WHEN NOT ${applies} THEN ${NOT_APPLICABLE}
      WHEN ${check} THEN ${MET}
      WHEN NOT ${check} THEN ${NOT_MET}
      WHEN ${missing(criterion.check.fields)} THEN ${whenMissing}
      ELSE ${FAULT} END AS ${outcome(c)}`;
  });
  const shortfall = (c: number) => `CASE WHEN ${outcome(c)} IN (${NOT_MET}, ${NOT_RECORDED}) THEN 1 ELSE 0 END`;
  const shortfalls = rubric.criteria.map((_, c) => shortfall(c)).join(' + ') || '0';
  const inadequate = rubric.criteria.flatMap((criterion, c) => (criterion.on_fail === 'inadequate' ? [`${outcome(c)} IN (${NOT_MET}, ${NOT_RECORDED})`] : []));
  const escalate = rubric.escalateAfter !== undefined ? `WHEN (${shortfalls}) >= ${rubric.escalateAfter} THEN 'inadequate' ` : '';
  const computed = `CASE WHEN (${shortfalls}) = 0 THEN 'good' ${inadequate.length ? `WHEN ${inadequate.join(' OR ')} THEN 'inadequate' ` : ''}${escalate}ELSE 'requires-improvement' END`;
  const moderated = rubric.moderation ? value(rubric.moderation.gradeSlot) : `CAST(NULL AS ${d.types.text})`;
  const byGroup = options.by === undefined ? undefined : groupSql(rubric, d, options.by, value);
  const periodGroup = options.period === undefined ? undefined : groupSql(rubric, d, options.period, value);
  const group = periodGroup && byGroup ? d.concat([periodGroup, d.char(PERIOD_SEPARATOR.codePointAt(0) ?? 0), byGroup]) : (periodGroup ?? byGroup);
  // A rubric fault stops the query at the first case that is scored, with its row and criterion.
  const faults = rubric.criteria.map(
    (criterion, c) =>
      `WHEN ${outcome(c)} = ${FAULT} THEN ${d.fail(d.concat([d.text(`${options.source}: row `), d.numberText(row), d.text(`: criterion '${criterion.id}' could not be evaluated`)]), d.types.text)}`,
  );

  // Without a row column, every row is kept, in order, and blank rows are flagged rather than left out: the engine numbers rows by position.
  const numbered = options.rowColumn !== undefined;
  const blankFlag = q(':blank');
  const rowSteps = [
    // Steps the engine folds into each step that reads them: the cells are read once for scoring, and once more only for the rows that are rejected.
    `cells AS ${d.inlined}(
    SELECT ${numbered ? `${q(options.rowColumn ?? '')} AS ${row},\n      ` : ''}${cellColumns.join(',\n      ')},
      ${repeatsHeader} AS ${repeatsHeaderFlag}${numbered ? '' : `,\n      NOT (${notBlank}) AS ${blankFlag}`}
    FROM ${options.source}${numbered ? `\n    WHERE ${notBlank}` : ''}
  )`,
    `quick AS ${d.inlined}(
    SELECT *${quickColumns.length ? `,\n      ${quickColumns.join(',\n      ')}` : ''}
    FROM cells
  )`,
    `parts AS ${d.inlined}(
    SELECT *${partColumns.length ? `,\n      ${partColumns.join(',\n      ')}` : ''}
    FROM quick
  )`,
    `readings AS ${d.inlined}(
    SELECT *,
      ${readings.map((r, i) => `${r.value} AS ${value(i)}`).join(',\n      ')}
    FROM parts
  )`,
    `checked AS ${d.inlined}(
    SELECT *,
      ${readings.map((r, i) => `${r.reason} AS ${reason(i)}`).join(',\n      ')}
    FROM readings
  )`,
  ];
  // One row per row of the export, with only what the outputs need.
  const scored = `SELECT ${numbered ? `${row}, ` : `${blankFlag}, `}${readableFlag},
      CASE WHEN ${readableFlag} THEN ${idText} END AS ${q(':id')},
      CASE WHEN ${readableFlag} THEN ${areaText} END AS ${q(':area')},${group ? `\n      ${group} AS ${q(':group')},` : ''}
      ${moderated} AS ${q(':moderated grade')},
      ${outcomes.join(',\n      ')}
    FROM (SELECT *, ${readable} AS ${readableFlag} FROM checked) AS with_readable`;
  const firstRow = q(':first row');
  const caseSteps = [
    // References on more than one readable row, with the first: most exports have few, so this is small, kept, and every row is joined to it.
    `repeated AS ${d.materialized}(
    SELECT ${q(':id')}, MIN(${row}) AS ${firstRow}
    FROM scored
    WHERE ${readableFlag}
    GROUP BY ${q(':id')}
    HAVING COUNT(*) > 1
  )`,
    // The case steps are folded into the steps that read them: scanning `scored` again costs less than keeping a copy of every row.
    `firsts AS ${d.inlined}(
    SELECT scored.*, repeated.${firstRow}
    FROM scored LEFT JOIN repeated ON scored.${q(':id')} = repeated.${q(':id')}
    WHERE scored.${readableFlag}
  )`,
    `graded AS ${d.inlined}(
    SELECT *, ${computed} AS ${q(':computed grade')}
    FROM firsts
    WHERE ${firstRow} IS NULL OR ${row} = ${firstRow}
  )`,
    `final AS ${d.inlined}(
    SELECT *, CASE ${faults.join(' ')} ELSE COALESCE(${q(':moderated grade')}, ${q(':computed grade')}) END AS ${q(':grade')}
    FROM graded
  )`,
    `repeats AS (
    SELECT ${row}, ${fields.length + 3} AS ${q('order')}, ${d.text(header(idSlot) ?? rubric.idField)} AS ${q('column')}, ${q(':id')} AS ${q('value')}, ${d.concat([d.text('the same case reference is already at row '), d.numberText(q(':first row')), d.text('; this row is not scored')])} AS ${q('reason')}
    FROM firsts WHERE ${row} <> ${firstRow}
  )`,
    // The rejected rows' cells, read again: only these rows pass the filter, which reaches the table.
    `unreadable AS (
    SELECT * FROM checked
    WHERE ${row} IN (SELECT ${row} FROM scored WHERE NOT ${readableFlag})
  )`,
    `problems AS (
    ${[
      `SELECT ${row}, -1 AS ${q('order')}, '' AS ${q('column')}, '' AS ${q('value')}, ${d.text(REPEATED_HEADER)} AS ${q('reason')} FROM unreadable WHERE ${repeatsHeaderFlag}`,
      ...fields.map((field, i) => `SELECT ${row}, ${i} AS ${q('order')}, ${d.text(header(i) ?? field.headers[0] ?? field.name)} AS ${q('column')}, ${shown(text(i), d)} AS ${q('value')}, ${reason(i)} AS ${q('reason')} FROM unreadable WHERE NOT ${repeatsHeaderFlag} AND ${reason(i)} IS NOT NULL`),
      ...rowProblems.map(
        (p, k) =>
          `SELECT ${row}, ${fields.length + k} AS ${q('order')}, ${d.text(header(p.slot) ?? fields[p.slot]?.headers[0] ?? '')} AS ${q('column')}, ${p.value} AS ${q('value')}, ${d.text(p.reason)} AS ${q('reason')} FROM unreadable WHERE NOT ${repeatsHeaderFlag} AND ${p.when}`,
      ),
    ].join('\n    UNION ALL\n    ')}
  )`,
  ];
  return {
    steps: [...rowSteps, `scored AS ${d.materialized}(\n    ${scored}\n  )`, ...caseSteps],
    rowSteps,
    scored,
    caseSteps,
    names: { row, id: q(':id'), area: q(':area'), outcome, computed: q(':computed grade'), grade: q(':grade'), group: group ? q(':group') : undefined, readable: readableFlag },
  };
}

/**
 * Whether a row repeats the header: every cell, as a header key, is its
 * column's header. A regular expression on every cell of every row would
 * cost more than the rest of the query, so the first cell is tested first
 * for a word of its header, which a repeated header must contain.
 */
function headerRepeated(cells: { text: string; key: string }[], d: Dialect): string {
  const [first] = cells;
  if (!first) return 'FALSE';
  const full = cells.map(({ text, key }) => `COALESCE(${asciiKey(text, d, ' ')} = ${d.text(key)}, FALSE)`).join(' AND ');
  const word = /[a-z0-9]+/.exec(first.key)?.[0];
  const likely = word === undefined ? 'TRUE' : `${d.position(`lower(replace(${first.text}, ${d.char(0x212a)}, 'k'))`, d.text(word))} > 0`;
  return `(CASE WHEN ${likely} THEN ${full} ELSE FALSE END)`;
}

/** A case's reference or area as the JS engine writes it (slotText). */
function asText(type: string | undefined, value: string, d: Dialect, role: string): string {
  switch (type) {
    case 'string':
    case 'enum':
      return value;
    case 'integer':
      return d.numberText(value);
    case 'boolean':
      return `(CASE WHEN ${value} THEN 'true' ELSE 'false' END)`;
    default:
      throw new NotCompilable(`${role} is a ${type} field, which is not compiled to SQL`, 0);
  }
}

/** A cell's text as a reject shows it: at most 60 characters, then an ellipsis. */
function shown(text: string, d: Dialect): string {
  return `(CASE WHEN ${d.length(text)} > 60 THEN ${d.concat([d.substring(text, '1', '60'), d.char(0x2026)])} ELSE ${text} END)`;
}

/** The query for one output. */
export function rubricQuery(rubric: CompiledRubric, dialect: Dialect, options: QueryOptions, output: SqlOutput): string {
  const { steps, names } = rubricSteps(rubric, dialect, options);
  const q = dialect.ident;
  const withSteps = (select: string) => `WITH\n  ${steps.join(',\n  ')}\n${select}`;
  switch (output) {
    case 'cases': {
      const notMet = rubric.criteria.map((criterion, c) => `CASE WHEN ${names.outcome(c)} IN (${NOT_MET}, ${NOT_RECORDED}) THEN ${dialect.text(criterion.id)} END`);
      return withSteps(
        `SELECT ${names.id} AS ${q('id')}, ${names.area} AS ${q('area')}, ${names.grade} AS ${q('grade')},
  CASE WHEN ${names.grade} <> ${names.computed} THEN ${names.computed} END AS ${q('computed_grade')},
  ${dialect.joinNonNull(';', notMet)} AS ${q('not_met')}${names.group ? `,\n  ${names.group} AS ${q('group')}` : ''}
FROM final
ORDER BY ${names.row}`,
      );
    }
    case 'outcomes':
      return withSteps(
        `SELECT ${names.row} AS ${q('row')}, ${names.id} AS ${q('id')}, ${names.area} AS ${q('area')}, ${names.computed} AS ${q('computed_grade')}, ${names.grade} AS ${q('grade')}, ${rubric.criteria.map((_, c) => names.outcome(c)).join(', ')}
FROM final
ORDER BY ${names.row}`,
      );
    case 'rejects':
      return withSteps(
        `SELECT ${names.row} AS ${q('row')}, ${q('column')}, ${q('value')}, ${q('reason')}
FROM (SELECT * FROM problems UNION ALL SELECT * FROM repeats) AS every_problem
ORDER BY ${names.row}, ${q('order')}`,
      );
    case 'summary':
      return withSteps(summarySelect(rubric, dialect, names));
  }
}

/** The value of a case's `--by` group, as the JS engine names groups (src/summary/group.ts). */
export function groupSql(rubric: CompiledRubric, d: Dialect, by: string, field: (index: number) => string): string {
  const notRecorded = (value: string, text: string) => `(CASE WHEN ${value} IS NULL THEN ${d.text(NOT_RECORDED_GROUP)} ELSE ${text} END)`;
  const index = rubric.fields.findIndex((f) => f.name === by);
  const declared = rubric.fields[index];
  if (declared) {
    const value = field(index);
    switch (declared.type) {
      case 'string':
      case 'enum':
        return notRecorded(value, value);
      case 'integer':
        return notRecorded(value, d.numberText(value));
      case 'boolean':
        return notRecorded(value, `(CASE WHEN ${value} THEN 'yes' ELSE 'no' END)`);
      case 'date':
        return notRecorded(value, d.dateText(value));
      case 'datetime':
        return notRecorded(value, d.dateTimeText(value));
      case 'number':
        throw new NotCompilable(`--by ${by}: a breakdown by a number field is not compiled to SQL (engines write numbers as text differently)`, 0);
    }
  }
  if ((by === 'month' || by === 'quarter') && rubric.dateField) {
    const value = field(rubric.fields.findIndex((f) => f.name === rubric.dateField));
    const year = d.numberText(d.year(value));
    const month = d.month(value);
    const period = by === 'month' ? d.concat([year, "'-'", `(CASE WHEN ${month} < 10 THEN '0' ELSE '' END)`, d.numberText(month)]) : d.concat([year, "'-Q'", d.numberText(d.intDivide(`(${month} + 2)`, "3"))]);
    return notRecorded(value, period);
  }
  const choices = [...rubric.fields.map((f) => f.name), ...(rubric.dateField ? ['month', 'quarter'] : [])];
  throw new NotCompilable(`--by ${by}: no such field in rubric ${rubric.id}; choose one of: ${choices.join(', ')}`, 0);
}

/**
 * The counts of the JSON summary (docs/output-json.md), one row per level:
 * the whole input, each area, and with --by each group and each area within
 * it (GROUPING SETS), then one row counting the rejected rows. Criterion
 * outcomes are columns named `criterion-id:outcome`.
 */
export function summarySelect(rubric: CompiledRubric, d: Dialect, names: RubricQuery['names']): string {
  const q = d.ident;
  const count = (condition: string) => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
  const grades = ['good', 'requires-improvement', 'inadequate'].map((grade) => `${count(`${names.grade} = ${d.text(grade)}`)} AS ${q(grade)}`);
  const outcomes = rubric.criteria.flatMap((criterion, c) => {
    const outcome = names.outcome(c);
    const when: Record<(typeof SUMMARY_OUTCOMES)[number], string> = {
      met: `${outcome} = ${MET}`,
      'not-met': `${outcome} IN (${NOT_MET}, ${NOT_RECORDED})`,
      'not-applicable': `${outcome} = ${NOT_APPLICABLE}`,
      'not-assessed': `${outcome} = ${NOT_ASSESSED}`,
      not_recorded: `${outcome} = ${NOT_RECORDED}`,
    };
    return SUMMARY_OUTCOMES.map((o) => `${count(when[o])} AS ${q(`${criterion.id}:${o}`)}`);
  });
  const [area, byGroup] = [names.area, names.group];
  const sets = byGroup ? `GROUPING SETS ((), (${area}), (${byGroup}), (${byGroup}, ${area}))` : `GROUPING SETS ((), (${area}))`;
  const level = byGroup
    ? `CASE WHEN GROUPING(${byGroup}) = 1 AND GROUPING(${area}) = 1 THEN 'total' WHEN GROUPING(${byGroup}) = 1 THEN 'area' WHEN GROUPING(${area}) = 1 THEN 'group' ELSE 'group area' END`
    : `CASE WHEN GROUPING(${area}) = 1 THEN 'total' ELSE 'area' END`;
  const nulls = (n: number) => Array.from({ length: n }, () => 'NULL').join(', ');
  return `SELECT ${level} AS ${q('level')}, ${byGroup ?? `CAST(NULL AS ${d.types.text})`} AS ${q('group')}, ${area} AS ${q('area')},
  COUNT(*) AS ${q('cases')}, ${grades.join(', ')},
  ${count(`${names.grade} <> ${names.computed}`)} AS ${q('moderated')},
  ${outcomes.join(',\n  ')}
FROM final
GROUP BY ${sets}
UNION ALL
SELECT 'rejected', NULL, NULL, (SELECT COUNT(*) FROM scored WHERE NOT ${names.readable}) + (SELECT COUNT(*) FROM repeats), ${nulls(4 + outcomes.length)}`;
}
