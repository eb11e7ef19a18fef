import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/ (ARCHITECTURE.md), enforced on imports, static and dynamic: each folder of src/ may
 * import only the folders of its own layer and below. The CLI reaches the library through api/ alone, but
 * for the base folders whose types and errors a command hands to or gets from the api.
 */
const CAPABILITIES = [
  'cluster',
  'stack',
  'bench',
  'report',
  'doctor',
  'web',
  'images',
  'inputs',
  'templates',
  'aws',
  'toolchain',
];
const BASE = ['errors', 'events', 'log', 'exec', 'net', 'deadline', 'config', 'schema', 'model'];
const CLI_MAY_USE_BASE = ['errors', 'events', 'log', 'deadline', 'config'];

/** What each layer may not import, and why. */
const LAYERS = [
  {
    folders: ['cli'],
    forbidden: [...CAPABILITIES, 'kube', ...BASE.filter((b) => !CLI_MAY_USE_BASE.includes(b))],
    why: 'the CLI calls the library through src/api/ only (and the base folders errors, events, log, deadline, config)',
  },
  { folders: ['api'], forbidden: ['cli'], why: 'the api is below the CLI' },
  { folders: CAPABILITIES, forbidden: ['api', 'cli'], why: 'capabilities sit below src/api/ and the CLI' },
  {
    folders: ['kube'],
    forbidden: ['api', 'cli', ...CAPABILITIES],
    why: 'src/kube/ uses only the base folders',
  },
  {
    folders: BASE,
    forbidden: ['api', 'cli', 'kube', ...CAPABILITIES],
    why: 'base folders import nothing above them',
  },
  {
    folders: ['model'],
    forbidden: BASE.filter((b) => b !== 'model'),
    why: 'src/model/ is a leaf: the record types import nothing of the project',
  },
  {
    // report lines runs up through bench's measurement registry; bench fills the record through src/model/.
    folders: ['bench'],
    forbidden: ['report'],
    why: 'report reads bench, so bench never imports report (no cycle between them)',
  },
];

/** Relative paths into one of `folders` (`../../api/x.js`); src/ has no nested folder of these names. */
const into = (/** @type {string[]} */ folders) => `^\\.{1,2}/(.*/)?(${folders.join('|')})/`;
// esquery's regex literals cannot hold '/': any non-name character stands for it in the dynamic form.
const dynamicInto = (/** @type {string[]} */ folders) =>
  `^\\.{1,2}[^\\w.-](.*[^\\w.-])?(${folders.join('|')})[^\\w.-]`;
const CLIENT_NODE = {
  group: ['@kubernetes/client-node', '@kubernetes/client-node/*'],
  message: 'src/kube/ is the only importer of @kubernetes/client-node: use its API.',
};

const FOLDERS = [...new Set(LAYERS.flatMap((l) => l.folders))];

/**
 * One config per folder holding every rule of LAYERS that names it (eslint replaces, not merges, a rule's
 * options when two configs match a file).
 */
/** @type {import('eslint').Linter.Config[]} */
export const layers = FOLDERS.map((folder) => {
  const rules = LAYERS.filter((l) => l.folders.includes(folder)).map(({ forbidden, why }) => ({
    forbidden,
    message: `layer rule: ${why} (ARCHITECTURE.md, Layers).`,
  }));
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...rules.map(({ forbidden, message }) => ({ regex: into(forbidden), message })),
            ...(folder === 'kube' ? [] : [CLIENT_NODE]),
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        ...rules.map(({ forbidden, message }) => ({
          selector: `ImportExpression > Literal[value=/${dynamicInto(forbidden)}/]`,
          message,
        })),
      ],
    },
  };
});

export default tseslint.config(
  // test/fixtures/lint/ breaks the layer rules on purpose: test/unit/lint/layers.test.ts lints it alone.
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      'test/fixtures/lint/',
      '**/*.js',
      '**/*.cjs',
      '!eslint.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  ...layers,
  {
    // Python strings are sequences of code points, which is what spreading a string gives
    files: ['src/templates/jinja/**/*.ts'],
    rules: { '@typescript-eslint/no-misused-spread': 'off' },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
);
