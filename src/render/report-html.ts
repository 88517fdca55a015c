import type { Report } from '../report/build.js';

/** Every value that comes from the data or the command line passes through here before it reaches the page. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

type Row = Report['total'];
type Percentage = Row['percent_good'];

const pct = (p: Percentage) => `${Math.round(p.value)}%`;
const interval = (p: Percentage) => `${Math.round(p.low)}–${Math.round(p.high)}%`;
const withInterval = (p: Percentage, cases: number) => (cases === 0 ? '–' : `${pct(p)} <span class="ci">(${interval(p)})</span>`);
const metText = (met: boolean | null) => (met === null ? '<span class="na">no cases</span>' : met ? '<span class="met">✓ met</span>' : '<span class="missed">✗ missed</span>');

const GRADE_STYLES = [
  { key: 'good', label: 'Good', fill: 'url(#fill-good)' },
  { key: 'requires-improvement', label: 'Requires improvement', fill: 'url(#fill-ri)' },
  { key: 'inadequate', label: 'Inadequate', fill: 'url(#fill-inadequate)' },
] as const;

/** Fills that differ in pattern as well as colour, so the charts read in greyscale and for colour-blind readers. */
const PATTERNS = `<defs>
  <pattern id="fill-good" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#cfe8d5"/></pattern>
  <pattern id="fill-ri" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#fbe3b0"/><line x1="0" y1="0" x2="0" y2="8" stroke="#8a5a00" stroke-width="2.5"/></pattern>
  <pattern id="fill-inadequate" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#b3261e"/><path d="M0 0L8 8M8 0L0 8" stroke="#f4c7c3" stroke-width="1"/></pattern>
</defs>`;

function legend(x: number, y: number): string {
  return GRADE_STYLES.map((g, i) => {
    const left = x + i * 170;
    return `<rect x="${left}" y="${y}" width="16" height="16" fill="${g.fill}" stroke="#333"/><text x="${left + 22}" y="${y + 13}">${g.label}</text>`;
  }).join('');
}

/** One horizontal bar per area, split into good / requires improvement / inadequate, each part labelled with its count. */
function areaChart(report: Report): string {
  const labelWidth = 210;
  const barWidth = 420;
  const rowHeight = 30;
  const top = 34;
  const rows = report.areas.filter((a) => a.cases > 0);
  const height = top + rows.length * rowHeight + 10;
  const description = rows
    .map((a) => `${a.label}: ${a.cases} cases, ${a.good} good, ${a['requires-improvement']} requires improvement, ${a.inadequate} inadequate`)
    .join('; ');
  const bars = rows
    .map((area, i) => {
      const y = top + i * rowHeight;
      let x = labelWidth;
      const segments = GRADE_STYLES.map((g) => {
        const n = area[g.key];
        const width = (barWidth * n) / area.cases;
        const segment = n === 0 ? '' : `<rect class="segment" x="${x.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="20" fill="${g.fill}" stroke="#333"><title>${escapeHtml(`${area.label}: ${g.label.toLowerCase()} ${n} of ${area.cases}`)}</title></rect>`;
        const text = n > 0 && width >= 18 ? `<text class="count${g.key === 'inadequate' ? ' on-dark' : ''}" x="${(x + width / 2).toFixed(1)}" y="${y + 15}" text-anchor="middle">${n}</text>` : '';
        x += width;
        return segment + text;
      }).join('');
      return `<g class="bar"><text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escapeHtml(area.label)}</text>${segments}<text x="${labelWidth + barWidth + 6}" y="${y + 15}">${area.cases}</text></g>`;
    })
    .join('\n');
  return `<figure>
<svg class="chart" id="area-chart" role="img" aria-labelledby="area-chart-title area-chart-desc" viewBox="0 0 680 ${height}" width="680" height="${height}" xmlns="http://www.w3.org/2000/svg">
<title id="area-chart-title">Grades by area of child protection, ${escapeHtml(report.period.label)}</title>
<desc id="area-chart-desc">${escapeHtml(description)}</desc>
${PATTERNS}
${legend(labelWidth, 4)}
${bars}
</svg>
<figcaption>Grades by area, ${escapeHtml(report.period.label)}. Each bar is 100% of the area's cases; the number of cases is at its end.</figcaption>
</figure>`;
}

/** % inadequate per period as vertical bars, with the target as a dashed line. */
function trendChart(report: Report): string {
  const target = report.targets.find((t) => t.grade === 'inadequate');
  const left = 44;
  const plotHeight = 180;
  const top = 16;
  const step = Math.min(80, 560 / Math.max(1, report.trend.length));
  // Room on the right for the target's label, clear of the bars.
  const width = left + step * report.trend.length + 110;
  const y = (percent: number) => top + plotHeight - (plotHeight * percent) / 100;
  const axis = [0, 25, 50, 75, 100]
    .map((p) => `<line x1="${left}" x2="${width - 84}" y1="${y(p)}" y2="${y(p)}" class="grid"/><text x="${left - 6}" y="${y(p) + 4}" text-anchor="end">${p}%</text>`)
    .join('');
  const bars = report.trend
    .map((t, i) => {
      const x = left + i * step + step * 0.2;
      const barWidth = step * 0.6;
      const [year, part] = t.period.split('-');
      const short = report.period.kind === 'month' ? `${t.label.slice(0, 3)} ${year}` : `${part} ${year}`;
      const label = `<text x="${(x + barWidth / 2).toFixed(1)}" y="${top + plotHeight + 16}" text-anchor="middle" class="small">${escapeHtml(short)}</text>`;
      if (t.cases === 0) return `${label}<text x="${(x + barWidth / 2).toFixed(1)}" y="${y(0) - 4}" text-anchor="middle" class="small">none</text>`;
      const value = t.percent_inadequate.value;
      return `<rect class="trend-bar" x="${x.toFixed(1)}" y="${y(value).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(y(0) - y(value)).toFixed(1)}" fill="url(#fill-inadequate)" stroke="#333"><title>${escapeHtml(`${t.label}: ${Math.round(value)}% inadequate (${t.inadequate} of ${t.cases})`)}</title></rect>${label}<text x="${(x + barWidth / 2).toFixed(1)}" y="${(y(value) - 4).toFixed(1)}" text-anchor="middle" class="small">${Math.round(value)}%</text>`;
    })
    .join('\n');
  const targetLine = target
    ? `<line class="target" x1="${left}" x2="${width - 84}" y1="${y(target.percent)}" y2="${y(target.percent)}"/><text x="${width - 80}" y="${y(target.percent) + 4}" class="small">target ${escapeHtml(target.comparison)} ${target.percent}%</text>`
    : '';
  const description = report.trend.map((t) => `${t.label}: ${t.cases === 0 ? 'no cases' : `${Math.round(t.percent_inadequate.value)}% inadequate`}`).join('; ');
  return `<figure>
<svg class="chart" id="trend-chart" role="img" aria-labelledby="trend-chart-title trend-chart-desc" viewBox="0 0 ${width} ${top + plotHeight + 26}" width="${width}" height="${top + plotHeight + 26}" xmlns="http://www.w3.org/2000/svg">
<title id="trend-chart-title">Percentage of cases inadequate by ${escapeHtml(report.period.kind)}${target ? `, against the target of ${escapeHtml(target.text)}` : ''}</title>
<desc id="trend-chart-desc">${escapeHtml(description)}</desc>
${PATTERNS.replace(/id="fill-/g, 'id="trend-fill-')}
${axis}
${bars.replace(/url\(#fill-/g, 'url(#trend-fill-')}
${targetLine}
</svg>
<figcaption>% inadequate by ${escapeHtml(report.period.kind)}${target ? '; the dashed line is the target' : ''}.</figcaption>
</figure>`;
}

function gradeCells(row: Row): string {
  return `<td class="num">${row.cases}</td><td class="num">${row.good}</td><td class="num">${row['requires-improvement']}</td><td class="num">${row.inadequate}</td><td class="num">${withInterval(row.percent_good, row.cases)}</td><td class="num">${withInterval(row.percent_inadequate, row.cases)}</td>`;
}

const GRADE_HEADERS = '<th class="num">Cases</th><th class="num">Good</th><th class="num">Requires improvement</th><th class="num">Inadequate</th><th class="num">% good (95% interval)</th><th class="num">% inadequate (95% interval)</th>';

const STYLE = `
:root { color: #1b1b1b; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 14px; line-height: 1.45; }
body { max-width: 190mm; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: .2em; }
h2 { font-size: 1.2em; margin-top: 1.8em; border-bottom: 2px solid #1b1b1b; padding-bottom: .2em; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: .1em 1em; margin: .5em 0 1em; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .6em 0; break-inside: avoid; }
th, td { border-bottom: 1px solid #bbb; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }
table { font-size: .92em; }
.ci { white-space: nowrap; }
tr.total td { font-weight: 700; border-top: 2px solid #1b1b1b; }
.ci { color: #555; font-size: .9em; }
td .ci { display: block; }
.met { color: #1e6b32; font-weight: 600; white-space: nowrap; }
.missed { color: #b3261e; font-weight: 600; white-space: nowrap; }
.na { color: #555; }
.note { background: #f6f6f6; border-left: 4px solid #555; padding: .5em .8em; }
.headline { font-size: 1.1em; }
figure { margin: 1em 0; break-inside: avoid; }
figcaption { color: #444; font-size: .9em; }
svg.chart { max-width: 100%; height: auto; font-size: 12px; }
svg.chart text.count { font-weight: 700; }
svg.chart text.on-dark { fill: #ffffff; paint-order: stroke; stroke: #7a1712; stroke-width: 4px; }
svg.chart text.small { font-size: 11px; }
svg.chart line.grid { stroke: #ddd; }
svg.chart line.target { stroke: #1b1b1b; stroke-width: 2; stroke-dasharray: 6 4; }
footer { margin-top: 2em; color: #555; font-size: .85em; }
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 11pt; }
  h2 { break-after: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

/** One self-contained page: no scripts, fonts, styles or images from anywhere else; charts are inline SVG. */
export function renderReportHtml(report: Report): string {
  const e = escapeHtml;
  const total = report.total;
  const targets = report.targets.length
    ? `<table><thead><tr><th>Target</th><th>${e(report.period.label)}</th></tr></thead><tbody>${report.targets.map((t) => `<tr><td>${e(t.text)}</td><td>${metText(t.met)}</td></tr>`).join('')}</tbody></table>`
    : '<p>No targets were set (use <code>--targets</code>).</p>';
  const trendRows = report.trend
    .map((t) => {
      const change = (points: number | null) => (points === null ? '–' : `${points > 0 ? '+' : ''}${points.toFixed(1)} pts`);
      return `<tr><td>${e(t.label)}</td><td class="num">${t.cases}</td><td class="num">${t.cases ? pct(t.percent_good) : '–'}</td><td class="num">${change(t.change_good)}</td><td class="num">${t.cases ? pct(t.percent_requires_improvement) : '–'}</td><td class="num">${t.cases ? pct(t.percent_inadequate) : '–'}</td><td class="num">${change(t.change_inadequate)}</td>${t.targets.map((x) => `<td>${metText(x.met)}</td>`).join('')}</tr>`;
    })
    .join('');
  const groups = report.groups
    ? `<h2>By ${e(report.groups.by)}, ${e(report.period.label)}</h2>
<table><thead><tr><th>${e(report.groups.by)}</th>${GRADE_HEADERS}</tr></thead><tbody>${report.groups.rows.map((g) => `<tr><td>${e(g.value)}</td>${gradeCells(g)}</tr>`).join('')}</tbody></table>`
    : '';
  const themes = report.themes.length
    ? `<table><thead><tr><th>Criterion</th><th>Stage</th><th class="num">Not met</th><th class="num">Rate</th><th class="num">Previous ${e(report.period.kind)}</th></tr></thead><tbody>${report.themes
        .map((t) => `<tr><td>${e(t.title)}</td><td>${e(t.stage ?? '')}</td><td class="num">${t.not_met} of ${t.applied}</td><td class="num">${Math.round(t.percent)}%</td><td class="num">${t.previous_percent === null ? '–' : `${Math.round(t.previous_percent)}%`}</td></tr>`)
        .join('')}</tbody></table>`
    : '<p>Every criterion was met in every case where it applied.</p>';
  const moderation = report.moderation.changed
    ? `<p>${report.moderation.changed} ${report.moderation.changed === 1 ? 'grade was' : 'grades were'} changed by a moderator; the tables use the moderated grades.</p>
<table><thead><tr><th>Case</th><th>Area</th><th>Grade the rubric gave</th><th>Moderator's grade</th></tr></thead><tbody>${report.moderation.cases.map((m) => `<tr><td>${e(m.id)}</td><td>${e(m.area)}</td><td>${e(m.computed)}</td><td>${e(m.final)}</td></tr>`).join('')}</tbody></table>`
    : '<p>No grade was changed by a moderator.</p>';
  const dq = report.data_quality;
  const rejected = dq.rejected_by_column.length
    ? `<table><thead><tr><th>Column</th><th class="num">Rows</th><th>For example</th></tr></thead><tbody>${dq.rejected_by_column.map((r) => `<tr><td>${e(r.column)}</td><td class="num">${r.rows}</td><td>${e(r.example)}</td></tr>`).join('')}</tbody></table>`
    : '';
  const notAssessed = dq.not_assessed.length
    ? `<p>Criteria not assessed in ${e(report.period.label)} because information was missing:</p><ul>${dq.not_assessed.map((c) => `<li>${e(c.title)}: ${c.cases} ${c.cases === 1 ? 'case' : 'cases'}</li>`).join('')}</ul>`
    : `<p>No criterion went unassessed for missing information in ${e(report.period.label)}.</p>`;

  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(report.title)}: ${e(report.period.label)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${e(report.title)}</h1>
<p class="headline">Case-file audit, ${e(report.period.label)}: <strong>${total.inadequate} of ${total.cases} cases inadequate</strong>, ${withInterval(total.percent_inadequate, total.cases)}; ${total.good} good, ${withInterval(total.percent_good, total.cases)}. Intervals are 95%.</p>
<dl class="meta">
<dt>Period</dt><dd>${e(report.period.label)}</dd>
<dt>Rubric</dt><dd>${e(report.rubric.title)} (${e(report.rubric.id)} version ${e(report.rubric.version)})</dd>
<dt>Generated</dt><dd>${e(report.generated)}</dd>
</dl>
</header>
<main>
<h2>Targets</h2>
${targets}
<h2>Case file audit results by area of child protection, ${e(report.period.label)}</h2>
<table><thead><tr><th>Area</th>${GRADE_HEADERS}</tr></thead><tbody>
${report.areas.map((a) => `<tr><td>${e(a.label)}</td>${gradeCells(a)}</tr>`).join('\n')}
<tr class="total"><td>Total</td>${gradeCells(total)}</tr>
</tbody></table>
<p class="note">${e(report.uncertainty_note)}</p>
${areaChart(report)}
<h2>Trend</h2>
<table><thead><tr><th>${e(report.period.kind === 'month' ? 'Month' : 'Quarter')}</th><th class="num">Cases audited</th><th class="num">% good</th><th class="num">Change</th><th class="num">% requires improvement</th><th class="num">% inadequate</th><th class="num">Change</th>${report.targets.map((t) => `<th>${e(t.text)}</th>`).join('')}</tr></thead><tbody>${trendRows}</tbody></table>
${trendChart(report)}
${groups}
<h2>Recurring themes</h2>
<p>The criteria most often not met in ${e(report.period.label)}, with their rate in the previous ${e(report.period.kind)}.</p>
${themes}
<h2>Moderation</h2>
${moderation}
<h2>Data quality</h2>
<p>Across the files read: ${dq.rows_read} rows read, ${dq.cases_scored} cases scored, ${dq.rows_rejected} rejected for unreadable values.${dq.cases_without_date ? ` ${dq.cases_without_date} scored cases had no date and are in no period.` : ''}${dq.cases_outside_periods ? ` ${dq.cases_outside_periods} scored cases fall outside the periods reported.` : ''}</p>
${rejected}
${notAssessed}
</main>
<footer>Produced by audit from rubric ${e(report.rubric.id)} ${e(report.rubric.version)}. Case references appear only where a moderator changed a grade.</footer>
</body>
</html>
`;
}
