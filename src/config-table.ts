// The README's configuration tables, generated from src/env-schema.ts: `npm run config:table` rewrites them between
// their marker comments, CI fails when README.md differs from what it writes, and so does src/config-table.spec.ts.
import { z } from 'zod';
import { envVariables, LIMIT_VARIABLES, variableDocs } from './env-schema';

export interface VariableRow {
  name: string;
  /** Markdown: the fixed default as code, the documented one for a derived default, or "none". */
  default: string;
  description: string;
}

export function variableRows(): VariableRow[] {
  return Object.entries(envVariables.shape).map(([name, schema]) => {
    const doc = variableDocs.get(schema);
    if (!doc) throw new Error(`${name} has no description in src/env-schema.ts`);
    const fixed = schema instanceof z.ZodPrefault ? code(String(schema.def.defaultValue)) : 'none';
    return { name, default: doc.default ?? fixed, description: doc.description };
  });
}

/** Each generated table by the name of its markers (`<!-- name:start -->` … `<!-- name:end -->`). */
export function configTables(): Record<string, string> {
  const rows = variableRows();
  const cells = (row: VariableRow) => [code(row.name), row.default, row.description];
  return {
    'config-table': markdownTable(['variable', 'default', 'meaning'], rows.map(cells)),
    'limits-table': markdownTable(
      ['variable', 'default', 'what it limits'],
      rows.filter((row) => LIMIT_VARIABLES.includes(row.name)).map(cells),
    ),
  };
}

/** The README with each generated table replaced by what the schema says now. */
export function withConfigTables(readme: string): string {
  let text = readme;
  for (const [name, table] of Object.entries(configTables())) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} block`);
    text = `${text.slice(0, from + start.length)}\n\n${table}\n\n${text.slice(to)}`;
  }
  return text;
}

function code(text: string): string {
  return `\`${text}\``;
}

/** A table laid out as Prettier lays it out: every column padded to its widest cell. */
function markdownTable(header: string[], rows: string[][]): string {
  const lines = [header, ...rows].map((row) => row.map((cell) => cell.replace(/\|/g, '\\|')));
  const widths = header.map((_, column) => Math.max(3, ...lines.map((line) => width(line[column]))));
  const format = (line: string[]) =>
    `| ${line.map((cell, column) => cell + ' '.repeat(widths[column] - width(cell))).join(' | ')} |`;
  const rule = `| ${widths.map((columnWidth) => '-'.repeat(columnWidth)).join(' | ')} |`;
  return [format(lines[0]), rule, ...lines.slice(1).map(format)].join('\n');
}

/** Characters, not UTF-16 units. Prettier counts wide characters twice; the spec fails if a description has one. */
function width(text: string): number {
  return [...text].length;
}
