/**
 * Reports of Go, Python, Rust and TAP test runners that Create Config proposes, each with the
 * command that writes it. A report is proposed only when it is there and its collector reads it;
 * otherwise a note names the command to run first.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runCollector } from '../collect/collectors';
import { globOnDisk } from '../collect/collectors/files';
import type { PresetId } from '../presets';

export interface ReportProposal {
  id: string;
  preset: PresetId;
  /** Collector argv (without `@collect`). */
  argv: string[];
  description: string;
  /** The command that writes the report. */
  producedBy: string;
}

interface ReportKind {
  ecosystem: string;
  /** Whether the project is of this ecosystem. */
  detect: string[];
  /** Whether to suggest the report when it is missing (default: always). */
  suggest?: (cwd: string) => boolean;
  /** Where the report usually is, first match wins. */
  files: string[];
  collector: string;
  producedBy: (file: string) => string;
  metrics: { id: string; preset: PresetId; field?: string; description: (file: string) => string }[];
}

const KINDS: ReportKind[] = [
  {
    ecosystem: 'Go',
    detect: ['go.mod'],
    files: ['cover.out', 'coverage.out', 'c.out', 'coverage.txt', 'profile.cov'],
    collector: 'coverage-go',
    producedBy: (file) => `go test -coverprofile=${file} ./...`,
    metrics: [{ id: 'coverage', preset: 'coverage', description: (file) => `Statement coverage from ${file} (as go tool cover -func totals it)` }],
  },
  {
    ecosystem: 'Go',
    detect: ['go.mod'],
    files: ['test.json', 'go-test.json', 'test-results/go-test.json', 'test-results/test.json'],
    collector: 'go-test',
    producedBy: (file) => `go test -json ./... > ${file}`,
    metrics: [
      { id: 'test-count', preset: 'test-count', description: (file) => `Tests (subtests included) in ${file}` },
      { id: 'test-failures', preset: 'test-failures', field: 'fail', description: (file) => `Failed tests in ${file}` },
    ],
  },
  {
    ecosystem: 'Python',
    detect: ['pyproject.toml', 'setup.py', 'setup.cfg', 'requirements.txt'],
    files: ['coverage.json', 'coverage/coverage.json'],
    collector: 'coverage-python',
    producedBy: (file) => `coverage run -m pytest && coverage json -o ${file}`,
    metrics: [{ id: 'coverage', preset: 'coverage', description: (file) => `Coverage from coverage.py's ${file} (statements and, when measured, branches)` }],
  },
  {
    ecosystem: 'JavaScript (TAP)',
    detect: ['package.json'],
    files: ['test-results/tests.tap', 'test-results/*.tap', 'test-results/tap.txt', '*.tap', 'tap.txt'],
    collector: 'tap',
    suggest: usesTapRunner,
    producedBy: (file) => `node --test --test-reporter=tap > ${file} (or ava --tap, tape, tap --reporter=tap)`,
    metrics: [
      { id: 'test-count', preset: 'test-count', description: (file) => `Tests in the TAP output ${file}` },
      { id: 'test-failures', preset: 'test-failures', field: 'fail', description: (file) => `Failed tests in the TAP output ${file}` },
    ],
  },
];

/** JUnit reports these ecosystems write where the generic JUnit search does not look. */
export const ECOSYSTEM_JUNIT_GLOBS = ['target/nextest/*/junit.xml'];

/** Hints for JUnit reports, by ecosystem, when none is found. */
const JUNIT_HINTS: [detect: string, hint: string][] = [
  ['pyproject.toml', 'pytest --junitxml=test-results/junit.xml'],
  ['requirements.txt', 'pytest --junitxml=test-results/junit.xml'],
  ['Cargo.toml', 'cargo nextest run --profile ci with [profile.ci.junit] path = "junit.xml" in .config/nextest.toml (writes target/nextest/ci/junit.xml)'],
];

export async function ecosystemProposals(cwd: string, signal: AbortSignal, taken: Set<string>, notes: string[], haveJunit: boolean): Promise<ReportProposal[]> {
  const proposals: ReportProposal[] = [];
  const config = { metrics: {}, baseline: { maxAgeDays: 90 } };
  for (const kind of KINDS) {
    if (!kind.detect.some((f) => existsSync(path.join(cwd, f)))) continue;
    let report: string | undefined;
    for (const file of await globOnDisk(cwd, kind.files, signal)) {
      try {
        await runCollector([kind.collector, file], { cwd, signal, config, metric: kind.collector });
        report = file;
        break;
      } catch {
        // Not this kind of report, or not readable: try the next.
      }
    }
    if (!report) {
      // TAP is an alternative to JUnit for JavaScript; say nothing when tests are already measured.
      if ((kind.suggest?.(cwd) ?? true) && (kind.collector !== 'tap' || !haveJunit)) notes.push(`${kind.ecosystem}: no ${kind.collector} report (${kind.files[0]}); write one with \`${kind.producedBy(kind.files[0])}\` and run init again to add ${kind.metrics.map((m) => m.id).join(', ')}`);
      continue;
    }
    notes.push(`${kind.ecosystem} report found: ${report} (written by \`${kind.producedBy(report)}\`)`);
    for (const m of kind.metrics) {
      // A second coverage or test report gets an id of its own.
      const id = taken.has(m.id) ? `${kind.collector}-${m.id.replace(/^coverage$/, 'percent')}` : m.id;
      taken.add(id);
      proposals.push({
        id,
        preset: m.preset,
        argv: [kind.collector, report, ...(m.field ? ['--field', m.field] : [])],
        description: `${m.description(report)}; written by \`${kind.producedBy(report)}\``,
        producedBy: kind.producedBy(report),
      });
    }
  }
  if (!haveJunit) {
    for (const [detect, hint] of JUNIT_HINTS) {
      if (existsSync(path.join(cwd, detect))) {
        notes.push(`no JUnit report: \`${hint}\` writes one for the test metrics`);
        break;
      }
    }
  }
  return proposals;
}

/** Whether package.json's test script or dev dependencies name a runner that writes TAP. */
function usesTapRunner(cwd: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8')) as { scripts?: { test?: unknown }; devDependencies?: object };
    const test = typeof pkg.scripts?.test === 'string' ? pkg.scripts.test : '';
    const devDeps = Object.keys(pkg.devDependencies ?? {});
    return /\b(ava|tape|tap)\b|node --test/.test(test) || devDeps.some((d) => ['ava', 'tape', 'tap'].includes(d));
  } catch {
    return false;
  }
}
