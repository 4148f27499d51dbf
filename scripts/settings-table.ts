// CONTRIBUTING's table of environment variables, written from the settings schemas themselves: each
// variable's description, the values it allows and its default, and which processes read it.
import { z } from 'zod';
import { serviceNames } from '../domain/services.ts';
import { apiVariables } from '../services/api/settings.ts';
import { frontendVariables } from '../services/frontend/settings.ts';
import { inventoryVariables } from '../services/inventory/settings.ts';
import { paymentVariables } from '../services/payment/settings.ts';
import { simulatorVariables } from '../simulator/index.ts';

/** Every process that reads settings, with its schema. */
export const settingsSchemas: ReadonlyArray<{ reader: string; variables: z.ZodType }> = [
  { reader: 'api', variables: apiVariables },
  { reader: 'frontend', variables: frontendVariables },
  { reader: 'inventory', variables: inventoryVariables },
  { reader: 'payment', variables: paymentVariables },
  { reader: 'simulator', variables: simulatorVariables },
];

/** What the table shows of one variable: the JSON Schema of its input, with the kit's metadata. */
interface VariableDoc {
  description?: string;
  default?: unknown;
  /** The values it allows, in words (kit/settings.ts). */
  allowed?: string;
  /** What an unset variable without a default means. */
  unset?: string;
}

interface Row {
  doc: VariableDoc;
  /** The reader and the default it sees (PORT's differs per service). */
  readers: Array<{ reader: string; shownDefault: string }>;
}

const cell = (text: string) => text.replaceAll('|', '\\|');

function shownDefault(doc: VariableDoc): string {
  if (doc.default !== undefined) return `\`${String(doc.default)}\``;
  return doc.unset ?? 'unset';
}

/** "every service", or the readers' names; "every service, simulator" when the simulator reads it too. */
function readersOf(row: Row): string {
  const names = row.readers.map((r) => r.reader);
  const everyService = serviceNames.every((service) => names.includes(service));
  return everyService
    ? ['every service', ...names.filter((name) => !(serviceNames as readonly string[]).includes(name))].join(
        ', ',
      )
    : names.join(', ');
}

function defaultsOf(row: Row): string {
  const shown = new Set(row.readers.map((r) => r.shownDefault));
  return shown.size === 1
    ? [...shown][0]!
    : row.readers.map((r) => `${r.reader} ${r.shownDefault}`).join(', ');
}

export function settingsTable(): string {
  const rows = new Map<string, Row>();
  for (const { reader, variables } of settingsSchemas) {
    const schema = z.toJSONSchema(variables, { io: 'input', unrepresentable: 'any' });
    for (const [name, doc] of Object.entries((schema.properties ?? {}) as Record<string, VariableDoc>)) {
      const row = rows.get(name) ?? { doc, readers: [] };
      row.readers.push({ reader, shownDefault: shownDefault(doc) });
      rows.set(name, row);
    }
  }
  const lines = [...rows].map(([name, row]) => {
    const { description, allowed } = row.doc;
    if (!description) throw new Error(`${name} has no description in its settings schema`);
    return `| \`${name}\` | ${readersOf(row)} | ${cell(allowed ?? '')} | ${cell(defaultsOf(row))} | ${cell(description)} |`;
  });
  return [
    '| variable | read by | allowed | default | what it does |',
    '|---|---|---|---|---|',
    ...lines,
  ].join('\n');
}
