import type { SCORE_FORMATS } from '../render/formats.js';
import type { Summary } from '../summary/summary.js';
import { useColor } from './output.js';

/** A summary in one of score's formats. Each renderer is loaded only for its format: the table's colours (chalk) are not needed for JSON. */
export async function renderSummary(summary: Summary, format: (typeof SCORE_FORMATS)[number]): Promise<string> {
  switch (format) {
    case 'table':
      return (await import('../render/table.js')).renderTable(summary, { color: useColor(process.stdout) });
    case 'markdown':
      return (await import('../render/markdown.js')).renderMarkdown(summary);
    case 'json':
      return (await import('../render/json.js')).renderJson(summary);
    case 'csv':
      return (await import('../render/csv.js')).renderCsv(summary);
  }
}
