/**
 * The preset catalogue: ready-made metrics a config names with `"$ref"`. Every preset runs an
 * in-process collector (no shell pipeline), so it works the same on every OS.
 */
import type { Direction, MetricType, Unit } from '../types';

export interface Preset {
  /** Shown in completions for `"$ref"` and as the metric's default description. */
  description: string;
  type: MetricType;
  command: string;
  unit: Unit;
  direction: Direction;
  /** Milliseconds; absent keeps the config default. */
  timeout?: number;
  /** Fast enough to run on every save (init turns onSave on for these only). */
  cheap: boolean;
  /**
   * How an overriding `command` is used: `as-is` replaces the collector command; `timed` keeps
   * the preset's meaning by timing the given shell command (`@collect time -- <command>`).
   */
  commandOverride: 'as-is' | 'timed';
}

const junit = '@collect junit test-results/junit.xml';

export const PRESETS = {
  loc: {
    description: 'Lines of code: non-blank, non-comment lines in known languages, honouring .gitignore and the sources setting.',
    type: 'numeric',
    command: '@collect loc',
    unit: 'integer',
    direction: 'lower-is-better',
    cheap: true,
    commandOverride: 'as-is',
  },
  files: {
    description: 'Number of source files (git-tracked or not ignored, within the sources setting).',
    type: 'numeric',
    command: '@collect files',
    unit: 'integer',
    direction: 'lower-is-better',
    cheap: true,
    commandOverride: 'as-is',
  },
  'bundle-size': {
    description: 'Total bytes of the built JavaScript in dist/.',
    type: 'numeric',
    command: '@collect size "dist/**/*.js"',
    unit: 'bytes',
    direction: 'lower-is-better',
    cheap: false,
    commandOverride: 'as-is',
  },
  'bundle-size-gzip': {
    description: 'Total gzipped bytes of the built JavaScript in dist/ (each file at level 9, like size-limit).',
    type: 'numeric',
    command: '@collect size "dist/**/*.js" --gzip',
    unit: 'bytes',
    direction: 'lower-is-better',
    cheap: false,
    commandOverride: 'as-is',
  },
  coverage: {
    description: 'Line coverage from coverage/lcov.info (written by c8, nyc, jest, vitest --coverage).',
    type: 'numeric',
    command: '@collect coverage-lcov coverage/lcov.info',
    unit: 'percent',
    direction: 'higher-is-better',
    cheap: false,
    commandOverride: 'as-is',
  },
  'test-count': {
    description: 'Number of tests in the JUnit report test-results/junit.xml.',
    type: 'numeric',
    command: junit,
    unit: 'integer',
    direction: 'higher-is-better',
    cheap: false,
    commandOverride: 'as-is',
  },
  'test-failures': {
    description: 'Failed and errored tests in the JUnit report test-results/junit.xml.',
    type: 'numeric',
    command: `${junit} --field failures`,
    unit: 'integer',
    direction: 'lower-is-better',
    cheap: false,
    commandOverride: 'as-is',
  },
  'test-duration': {
    description: 'Total test time recorded in the JUnit report test-results/junit.xml.',
    type: 'numeric',
    command: `${junit} --field time`,
    unit: 'duration',
    direction: 'lower-is-better',
    cheap: false,
    commandOverride: 'as-is',
  },
  'build-time': {
    description: 'Wall time of the build command (npm run build unless command names another).',
    type: 'numeric',
    command: '@collect time -- "npm run build"',
    unit: 'duration',
    direction: 'lower-is-better',
    timeout: 600_000,
    cheap: false,
    commandOverride: 'timed',
  },
  'todo-count': {
    description: 'Count of to-do markers (the words todo and fixme in capitals) in the source files.',
    type: 'numeric',
    command: '@collect todo',
    unit: 'integer',
    direction: 'lower-is-better',
    cheap: true,
    commandOverride: 'as-is',
  },
  dependencies: {
    description: 'Declared runtime dependencies (package.json, requirements.txt, go.mod, Cargo.toml).',
    type: 'numeric',
    command: '@collect deps',
    unit: 'integer',
    direction: 'lower-is-better',
    cheap: true,
    commandOverride: 'as-is',
  },
} as const satisfies Record<string, Preset>;

export type PresetId = keyof typeof PRESETS;
export const PRESET_IDS = Object.keys(PRESETS) as PresetId[];

export function isPresetId(id: string): id is PresetId {
  return Object.prototype.hasOwnProperty.call(PRESETS, id);
}
