// Lint: type-aware typescript-eslint; the architecture rules keep infrastructure
// packages at the edges (see docs/architecture.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

// The architecture's boundaries (docs/architecture.md). Infrastructure serves capabilities and
// knows none of them; a capability uses another only through that one's index.ts; the composition
// root (platform.ts, main.ts, composition/) and the flows wire capabilities together, also through
// index.ts only.
// A new folder under src/ is a capability unless it is listed here.
const INFRASTRUCTURE = ['http', 'bus', 'realtime', 'db', 'jobs', 'events', 'shared'];
const COMPOSITION = ['flows', 'composition'];
const CAPABILITIES = readdirSync(join(import.meta.dirname, 'src'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && !INFRASTRUCTURE.includes(d.name) && !COMPOSITION.includes(d.name))
  .map((d) => d.name);
const anyOf = (names) => `(?:${names.join('|')})`;
const boundary = (regex, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ regex, message }] }],
});
const ROOT = ['src/main.ts', 'src/platform.ts'];
const boundaryRules = [
  {
    // config.ts, errors.ts, logger.ts… are infrastructure too.
    files: [...INFRASTRUCTURE.map((d) => `src/${d}/**/*.ts`), 'src/*.ts'],
    ignores: ROOT,
    rules: boundary(
      `^(?:\\.\\.?/)+${anyOf(CAPABILITIES)}/`,
      'Infrastructure imports no capability: take what it needs as a parameter.',
    ),
  },
  ...CAPABILITIES.map((cap) => ({
    files: [`src/${cap}/**/*.ts`],
    rules: boundary(
      `^(?:\\.\\.?/)+${anyOf(CAPABILITIES.filter((c) => c !== cap))}/(?!index\\.js$)`,
      'A capability uses another only through its index.ts.',
    ),
  })),
  {
    files: [...ROOT, ...COMPOSITION.map((d) => `src/${d}/**/*.ts`)],
    rules: boundary(
      `^(?:\\.\\.?/)+${anyOf(CAPABILITIES)}/(?!index\\.js$)`,
      'The composition root and the flows use a capability only through its index.ts.',
    ),
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'web/dist/', 'coverage/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Only repositories and model files touch mongoose; only the edges touch express.
    files: ['src/**/*.service.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['express', 'mongoose', 'aedes', 'agenda', 'socket.io'].map((name) => ({
            name,
            allowTypeImports: false,
          })),
          patterns: [
            {
              group: ['**/*.model.js'],
              allowTypeImports: true,
              message: 'Services reach the database through a repository.',
            },
          ],
        },
      ],
    },
  },
  ...boundaryRules,
  {
    // The dashboard: React's rules of hooks on top of the same type-aware rules.
    files: ['web/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    // We do not run the React Compiler, so "cannot be auto-memoised" (TanStack Virtual) is moot.
    files: ['web/**/*.{ts,tsx}'],
    rules: { 'react-hooks/incompatible-library': 'off' },
  },
  {
    // Response bodies in tests are `any` by nature (supertest); assertions check their shape.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
);
