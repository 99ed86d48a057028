/**
 * Three tiers (see ARCHITECTURE.md):
 *  - unit:   packages and actions with injected fakes and loopback servers; no tools needed
 *  - bundle: dist/<name>/index.js spawned exactly as the runner does
 *  - hostile: silent and trickling servers, injection strings, symlinks and `..`, URL variants
 *  - real:   real components installed by `npm run tools` (PostgreSQL, Helm, Kubernetes, scanners)
 */
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2024' },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  testEnvironment: 'node',
  // A guard against hangs, not a speed assertion: on a loaded 2-core machine a test that spawns
  // threads or servers can take several seconds, and jest's default of 5 s then fails it at random.
  testTimeout: 30_000,
  watchPathIgnorePatterns: ['<rootDir>/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};

const projects = [
  {
    ...common,
    displayName: 'unit',
    testMatch: ['<rootDir>/packages/*/test/**/*.test.ts', '<rootDir>/actions/*/test/**/*.test.ts', '<rootDir>/test/unit/**/*.test.ts'],
  },
  {
    ...common,
    displayName: 'bundle',
    testMatch: ['<rootDir>/test/bundle/**/*.test.ts'],
  },
  {
    ...common,
    displayName: 'hostile',
    testMatch: ['<rootDir>/test/hostile/**/*.test.ts'],
  },
  {
    ...common,
    displayName: 'real',
    testMatch: ['<rootDir>/test/real/**/*.test.ts', '<rootDir>/test/e2e/**/*.test.ts'],
  },
];

// `npm run test:<tier> -- <path pattern>`: the tier comes from JEST_TIER so that jest's own
// arguments stay free for path patterns.
export default {
  projects: projects.filter((p) => !process.env.JEST_TIER || p.displayName === process.env.JEST_TIER),
};
