export const PERIOD_KINDS = ['month', 'quarter'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The period a date falls in: "2014-06" for a month, "2014-Q2" for a quarter. */
export function periodOf(date: Date, kind: PeriodKind): string {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  return kind === 'month' ? `${year}-${String(month + 1).padStart(2, '0')}` : `${year}-Q${Math.floor(month / 3) + 1}`;
}

export function periodLabel(key: string, kind: PeriodKind): string {
  const [year, part] = key.split('-');
  if (kind === 'month') return `${MONTHS[Number(part) - 1]} ${year}`;
  const quarter = Number(part?.slice(1));
  return `${MONTHS[(quarter - 1) * 3]?.slice(0, 3)}–${MONTHS[quarter * 3 - 1]?.slice(0, 3)} ${year}`;
}

/** Every period from `first` to `last`, in order, including any without cases. */
export function periodsBetween(first: string, last: string, kind: PeriodKind): string[] {
  const index = (key: string) => {
    const [year, part] = key.split('-');
    return Number(year) * (kind === 'month' ? 12 : 4) + (kind === 'month' ? Number(part) - 1 : Number(part?.slice(1)) - 1);
  };
  const out: string[] = [];
  for (let i = index(first); i <= index(last); i++) {
    const year = Math.floor(i / (kind === 'month' ? 12 : 4));
    const part = i % (kind === 'month' ? 12 : 4);
    out.push(kind === 'month' ? `${year}-${String(part + 1).padStart(2, '0')}` : `${year}-Q${part + 1}`);
  }
  return out;
}

export class PeriodError extends Error {}

/** `--from`/`--to`: a month (2014-01) or, for quarters, a quarter (2014-Q1) or a month within it. */
export function parsePeriod(option: string, text: string, kind: PeriodKind): string {
  const month = /^(\d{4})-(\d{2})$/.exec(text);
  if (month && Number(month[2]) >= 1 && Number(month[2]) <= 12) {
    return kind === 'month' ? text : `${month[1]}-Q${Math.floor((Number(month[2]) - 1) / 3) + 1}`;
  }
  const quarter = /^(\d{4})-Q([1-4])$/i.exec(text);
  if (quarter && kind === 'quarter') return `${quarter[1]}-Q${quarter[2]}`;
  throw new PeriodError(`${option} ${text}: write a ${kind === 'month' ? 'month as YYYY-MM, for example 2014-01' : 'quarter as YYYY-Qn or a month as YYYY-MM, for example 2014-Q1'}`);
}
