import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', '.vscode-test/', 'test-results/', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  // Type-aware rules: a promise nobody awaits or handles loses its error (and its ordering).
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'webview/**/*.ts'],
    languageOptions: {
      parserOptions: { project: ['./tsconfig.test.json', './webview/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='only']", message: 'No .only in tests.' },
        { selector: "CallExpression[callee.property.name='skip']", message: 'No skipped tests.' },
        // zod's z namespace object keeps every zod locale in the bundle (454 KB minified vs 90 KB).
        { selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > ImportSpecifier[imported.name='z'][importKind!='type']", message: "Use import * as z from 'zod'." },
      ],
    },
  },
  // Layers point one way. ESLint replaces (does not merge) a rule set again for the same file,
  // so each group lists the vscode ban too.
  ...layer(['src/core/**/*.ts', 'src/cli/**/*.ts', 'src/shared/**/*.ts', 'webview/**/*.ts'], []),
  ...layer(['src/core/config/**/*.ts'], [
    { group: ['**/analysis', '**/analysis/**', '**/store', '**/store/**', '**/collect', '**/collect/**', '**/engine', '**/report/**'], message: 'config is the bottom layer: it reads tidemark.json and imports no engine part.' },
  ]),
  ...layer(['src/core/analysis/**/*.ts'], [
    { group: ['**/engine', '**/measure', '**/collect', '**/collect/**'], message: 'analysis reads the store and git; it does not collect (see src/core/measure.ts for measuring).' },
  ]),
  ...layer(['webview/**/*.ts'], [{ group: ['**/core/store', '**/core/store/**', '**/core/git', '**/core/git/**'], message: 'the webview talks to the host through src/shared/protocol; it never opens the store.' }]),
  ...layer(['src/cli/commands/**/*.ts'], [{ group: ['**/core/collect', '**/core/collect/**'], message: 'ask git through src/core/git; only collect runs collectors (it goes through core/engine).' }]),
);

/** One no-restricted-imports rule: no vscode plus the given patterns. */
function layer(files, patterns, ignores = []) {
  const paths = [
    { name: 'vscode', message: 'src/core, src/cli, src/shared and webview must not import vscode.' },
  ];
  return [{ files, ignores, rules: { 'no-restricted-imports': ['error', { paths, patterns }] } }];
}
