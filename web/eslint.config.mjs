// Lint rules for the page: the project's own (../eslint.config.mjs), with type information from the page's
// TypeScript projects. The root config is imported rather than rebuilt: typescript-eslint takes the folder of the
// file that reads its presets as a tsconfig root, and a second root would make the root config's files ambiguous.
import path from 'node:path';
import projectConfig from '../eslint.config.mjs';

export default [
  { ignores: ['dist/', 'src/graphql/generated.ts'] },
  ...projectConfig,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    languageOptions: {
      parserOptions: {
        tsconfigRootDir: path.resolve(import.meta.dirname, '..'),
        project: ['./web/tsconfig.app.json', './web/tsconfig.sw.json', './web/tsconfig.node.json'],
      },
    },
    rules: {
      // The root config's rules for .ts apply to .tsx too; JSX handlers may be async (their errors are shown).
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The dev script runs in Node.
    files: ['dev.mjs'],
    languageOptions: { globals: { process: 'readonly' } },
  },
];
