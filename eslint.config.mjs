// Lint config for the whole workspace (eslint 9 flat config).
import { readdirSync } from 'node:fs'
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/*
 * Domain boundaries in the server: a folder under server/src/ owns the tables of its own *.entity.ts
 * files, and only its own files may import those entities as values (to get a repository, a query builder
 * or a manager.find on them). Everyone else goes through the owner's service. `import type` stays
 * allowed: an entity is also the record type a service hands out. See docs/adr/0002-data-access-and-boundaries.md.
 */
const DOMAINS = readdirSync(new URL('./server/src/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)

/**
 * Declared exceptions: files (globs) and the other domains' entity modules they may still import as values,
 * each with its reason. Remove an entry when its query moves into the owner's service.
 */
const ENTITY_IMPORT_EXCEPTIONS = {
  // The ledger lists a place's requests with their latest ratings through the ticket entities; that query
  // belongs in tickets/ (a method returning viewable tickets), which is being rewritten at the moment.
  'server/src/ledger/ledger.service.ts': ['tickets/ticket.entity', 'tickets/ticket-relations.entity'],
  // The read side's one projection of a request with its places, handler and reporter: one plain query
  // hydrated from these entities' metadata (docs/performance.md: the inbox and my requests).
  'server/src/tickets/read/ticket-loader.ts': [
    'places/place.entity',
    'residents/resident.entity',
    'staff/staff.entity',
  ],
}

/** The no-restricted-imports rule for a file in `domain` (null: outside every domain), less `allowed`. */
function entityBoundary(domain, allowed = []) {
  const group = DOMAINS.filter((d) => d !== domain).map((d) => `**/${d}/**/*.entity`)
  for (const module of allowed) group.push(`!**/${module}`)
  return {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group,
            allowTypeImports: true,
            message:
              "Another domain's entity: call that domain's service instead of querying its table (import type is fine).",
          },
        ],
      },
    ],
  }
}

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/.dist-*/**',
      '**/.build/**',
      '**/node_modules/**',
      '**/coverage/**',
      'miniapp/babel.config.js',
      '**/.swc/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['miniapp/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['miniapp/src/**/*.config.ts', 'miniapp/src/app.config.ts'],
    languageOptions: { globals: { defineAppConfig: 'readonly', definePageConfig: 'readonly' } },
  },
  { files: ['server/src/**/*.ts'], rules: entityBoundary(null) },
  ...DOMAINS.map((domain) => ({ files: [`server/src/${domain}/**/*.ts`], rules: entityBoundary(domain) })),
  ...Object.entries(ENTITY_IMPORT_EXCEPTIONS).map(([file, allowed]) => ({
    files: [file],
    rules: entityBoundary(file.split('/')[2], allowed),
  })),
  {
    // Exempt: entities (a relation is a foreign key, not a query), the central entity list and the
    // migrations, and tests, which arrange and inspect rows of every table directly.
    files: ['server/src/**/*.entity.ts', 'server/src/database/**/*.ts', 'server/src/**/*.spec.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
)
