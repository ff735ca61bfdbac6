import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.local*/', 'coverage/', 'bench/out/', 'console/dist/', 'console/src/api/schema.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', fetch: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Tests read loosely-typed JSON replies.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['functions/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // The console: hooks called by the rules of hooks, effects listing what they read.
    files: ['console/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-console': 'error',
      // The console knows the API only through its contract (src/api/schema.d.ts, generated), never its code.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^#', message: 'The console does not import the backend: use the generated API types (src/api/schema.d.ts).' },
            { regex: '(^|/)\\.\\./(\\.\\./)*(functions|local|tools|infra|bench|test)/', message: 'The console does not import the backend: use the generated API types (src/api/schema.d.ts).' },
          ],
        },
      ],
    },
  },
  ...layerRules(),
);

/**
 * Who may import whom in functions/ (docs/architecture.md "Layers"), one entry per layer:
 * http, workflow, jobs and streams (the entry points) → services → domain and data → platform.
 * A layer names the layers it must not import; each is refused by its alias (`#http/…`) and by a
 * relative path into it, and nothing in functions/ imports local/, tools/, console/ or test/.
 */
function layerRules() {
  const ENTRY_POINTS = ['http', 'workflow', 'jobs', 'streams'];
  const OUTSIDE = ['local', 'tools', 'console', 'test', 'bench', 'infra'];
  const LAYERS = {
    domain: { refuses: ['platform', 'data', 'services', 'emails', ...ENTRY_POINTS], why: 'domain/ holds pure rules: no I/O, no other layer' },
    platform: { refuses: ['data', 'services', 'domain', 'emails', ...ENTRY_POINTS], why: 'platform/ is the bottom layer (clients, errors, middleware, ports)' },
    data: { refuses: ['services', ...ENTRY_POINTS], why: 'data/ (repositories) is used by services and entry points, never the other way' },
    emails: { refuses: ['services', ...ENTRY_POINTS], why: 'emails/ renders templates and outbox items; it decides nothing' },
    services: { refuses: ENTRY_POINTS, why: 'services/ are called by the entry points (http, workflow, jobs), never the other way' },
    http: { refuses: ['workflow', 'jobs', 'streams'], why: 'an entry point shares use cases through services/, not through another entry point' },
    workflow: { refuses: ['http', 'jobs', 'streams'], why: 'an entry point shares use cases through services/, not through another entry point' },
    jobs: { refuses: ['http', 'workflow', 'streams'], why: 'an entry point shares use cases through services/, not through another entry point' },
    streams: { refuses: ['http', 'workflow', 'jobs'], why: 'an entry point shares use cases through services/, not through another entry point' },
  };
  // The sandboxes behind the vendor and payment ports keep their state in the application table, as
  // the real services keep theirs.
  const TABLE_USERS = ['functions/platform/vendor/sandbox.ts', 'functions/platform/payments/sandbox.ts'];
  const patternsFor = (layers, message) => [
    { regex: `^(#|(\\.\\./)+)(${layers.join('|')})/`, message },
    { regex: `^(\\.\\./)+(${OUTSIDE.join('|')})/`, message: 'functions/ is what the Lambdas bundle: it never imports the local runtime, tools, the console or tests' },
  ];
  return Object.entries(LAYERS).flatMap(([layer, { refuses, why }]) => [
    {
      files: [`functions/${layer}/**/*.ts`],
      ignores: layer === 'platform' ? TABLE_USERS : [],
      rules: { 'no-restricted-imports': ['error', { patterns: patternsFor(refuses, why) }] },
    },
    ...(layer === 'platform'
      ? [{ files: TABLE_USERS, rules: { 'no-restricted-imports': ['error', { patterns: patternsFor(refuses.filter((l) => l !== 'data'), why) }] } }]
      : []),
  ]);
}
