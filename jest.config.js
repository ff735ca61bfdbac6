import { availableParallelism } from 'node:os';

/**
 * One jest configuration for ESM TypeScript: @swc/jest emits ESM, node runs it with
 * --experimental-vm-modules (set by the npm scripts). Projects split the suite by what it needs.
 */
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022', keepClassNames: true },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const common = {
  transform: { '^.+\\.ts$': swc },
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^#(platform|data|domain|services|emails|http|workflow|jobs|streams)/(.*)$': '<rootDir>/functions/$1/$2',
  },
  testEnvironment: 'node',
};

export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...common, displayName: 'statemachines', testMatch: ['<rootDir>/test/statemachines/**/*.test.ts'] },
    { ...common, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
      // In parallel against the one shared stack, by lanes: the files that move its clock or flip
      // a fault switch run alone, after the others (test/integration/lanes.js, runner.js), and
      // lane-guard.js fails a file that leaves its lane.
      // At most 2 at once whatever the machine: one stack serves them all.
      runner: ['<rootDir>/test/integration/runner.js', { maxWorkers: 2 }],
      setupFilesAfterEnv: ['<rootDir>/test/integration/lane-guard.js'],
    },
  ],
  testTimeout: 60000,
  // At least two workers: jest's default is one core less than the machine has, which on a 2-core
  // CI machine is one, and one worker runs everything in band.
  maxWorkers: Math.max(2, availableParallelism() - 1),
};
