// The README's configuration tables come from src/env-schema.ts: fresh, complete, and laid out as Prettier does.
import fs from 'node:fs';
import path from 'node:path';
import type { Options } from 'prettier';
import * as prettier from 'prettier/standalone';
import * as markdown from 'prettier/plugins/markdown';
import { configTables, variableRows, withConfigTables } from './config-table';
import { envVariables, LIMIT_VARIABLES } from './env-schema';

const root = path.resolve(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

describe('the configuration tables of the README', () => {
  it('are what `npm run config:table` writes from the schema', () => {
    expect(readme).toBe(withConfigTables(readme));
  });

  it('list every variable with its default, and every limit again under "Running in production"', () => {
    const names = Object.keys(envVariables.shape);
    const { 'config-table': all, 'limits-table': limits } = configTables();
    for (const name of names) expect(all).toContain(`| \`${name}\` `);
    for (const name of LIMIT_VARIABLES) expect(limits).toContain(`| \`${name}\` `);
    expect(variableRows().find((row) => row.name === 'PORT')).toMatchObject({ default: '`4000`' });
    expect(variableRows().find((row) => row.name === 'HOST')?.default).toMatch(/local mode/);
    expect(variableRows().find((row) => row.name === 'REDIS_URL')?.default).toBe('none');
  });

  it('are laid out as Prettier lays them out, so `prettier --check` agrees with the generator', async () => {
    const options = JSON.parse(fs.readFileSync(path.join(root, '.prettierrc.json'), 'utf8')) as Options;
    for (const table of Object.values(configTables())) {
      const formatted = await prettier.format(table, { ...options, parser: 'markdown', plugins: [markdown] });
      expect(formatted).toBe(`${table}\n`);
    }
  });
});
