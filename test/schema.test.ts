// The committed schema.graphql and the generated operations must match the code: CI fails when any is stale.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createSchema, printSortedSchema } from '../src/schema';

const root = path.resolve(__dirname, '..');

function readCommitted(relative: string): string {
  return fs.readFileSync(path.join(root, relative), 'utf8');
}

/**
 * Runs graphql-codegen's programmatic API with codegen.yml, in memory (generate(context, false) writes nothing),
 * then applies each output's afterOneFileWrite hook the way the CLI would after writing (only `prettier --write`
 * is understood; another hook fails the check until this function learns it).
 * It runs in a child Node process because the CLI package loads ES modules (yargs) that Jest's CommonJS runtime
 * cannot require, while Node 20 itself can.
 */
async function generateInMemory(outputFile: string): Promise<{ filename: string; content: string }[]> {
  const script = `
    const { generate, loadContext } = require('@graphql-codegen/cli');
    const prettier = require('prettier');
    (async () => {
      const context = await loadContext('codegen.yml');
      context.updateConfig({ silent: true });
      const outputs = await generate(context, false);
      const results = [];
      for (const { filename, content } of outputs) {
        const hooks = [context.getConfig().generates[filename]?.hooks?.afterOneFileWrite ?? []].flat();
        let text = content;
        for (const hook of hooks) {
          if (hook !== 'prettier --write') throw new Error('schema.test.ts does not know the codegen hook ' + hook);
          text = await prettier.format(text, { ...(await prettier.resolveConfig(filename)), filepath: filename });
        }
        results.push({ filename, content: text });
      }
      require('node:fs').writeFileSync(process.argv[1], JSON.stringify(results));
    })().catch((error) => { console.error(error); process.exit(1); });`;
  await promisify(execFile)(process.execPath, ['-e', script, outputFile], { cwd: root });
  return JSON.parse(fs.readFileSync(outputFile, 'utf8')) as { filename: string; content: string }[];
}

describe('the committed schema and generated operations', () => {
  it('schema.graphql matches the schema built from the code', async () => {
    const printed = printSortedSchema(await createSchema());
    if (printed !== readCommitted('schema.graphql')) {
      throw new Error('schema.graphql is stale: run `npm run schema:print` and commit the result');
    }
  });

  it('every generated file matches what graphql-codegen produces from schema.graphql and the operations', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-notifications-codegen-'));
    try {
      const outputs = await generateInMemory(path.join(dir, 'outputs.json'));
      expect(outputs.map((output) => output.filename)).toContain('test/generated/graphql.ts');
      for (const output of outputs) {
        if (output.content !== readCommitted(output.filename)) {
          throw new Error(`${output.filename} is stale: run \`npm run codegen\` and commit the result`);
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
