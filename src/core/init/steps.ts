/**
 * Create Config's proposal of named steps: when a package.json script produces the reports the
 * proposed metrics read (coverage under c8, nyc, jest or vitest; JUnit XML), the metrics depend
 * on a step running that script, which claims those files as its outputs. Then a run always
 * reads reports of the commit it measures (see docs/collectors.md, "Stale reports") instead of
 * whatever happens to be on disk.
 */
import { existsSync, readdirSync } from 'node:fs';

export interface StepProposal {
  /** Step id → step (command and outputs). */
  steps: Record<string, { command: string; outputs: string[] }>;
  /** Metric id → step id. */
  dependsOn: Record<string, string>;
  notes: string[];
}

/** A metric the proposal may attach to a step: the report files it reads and what kind they are. */
export interface ReportReader {
  metric: string;
  kind: 'coverage' | 'junit';
  files: string[];
}

/** Scripts that usually run the tests for CI, most specific first. */
const SCRIPT_PREFERENCE = ['test-ci', 'test:ci', 'ci:test', 'coverage', 'test:coverage', 'test-coverage', 'test:cov', 'cov', 'test'];
const COVERAGE_TOOL = /\b(c8|nyc)\b|--coverage\b|--cov\b|\bcoverage\b/;
const JUNIT_OUTPUT = /junit|xunit|--reporter[= ]+(?:\S*junit|\S*xunit)/i;
const COVERAGE_CONFIGS = /^(\.nycrc(\.json|\.ya?ml)?|\.c8rc(\.json)?|nyc\.config\.[cm]?js)$/;
const RUNNER_CONFIG = /^(jest|vitest)\.config\.[cm]?[jt]s$/;

export function proposeSteps(cwd: string, scripts: Record<string, unknown> | undefined, readers: ReportReader[], runScript: (script: string) => string): StepProposal {
  const proposal: StepProposal = { steps: {}, dependsOn: {}, notes: [] };
  if (!scripts || readers.length === 0) return proposal;
  const names = SCRIPT_PREFERENCE.filter((s) => typeof scripts[s] === 'string');
  const configs = safeList(cwd);
  const coverageConfigured = configs.some((f) => COVERAGE_CONFIGS.test(f) || RUNNER_CONFIG.test(f));
  const produces = (script: string, kind: ReportReader['kind']) => {
    const text = String(scripts[script]);
    if (kind === 'coverage') return COVERAGE_TOOL.test(text) || (coverageConfigured && /\b(nyc|c8|jest|vitest)\b/.test(text));
    return JUNIT_OUTPUT.test(text);
  };
  for (const kind of ['coverage', 'junit'] as const) {
    const wanting = readers.filter((r) => r.kind === kind);
    if (wanting.length === 0) continue;
    const script = names.find((s) => produces(s, kind));
    if (!script) {
      proposal.notes.push(`no package.json script seems to write the ${kind === 'coverage' ? 'coverage' : 'JUnit'} report: its metrics read the file on disk and are recorded as stale after a checkout until it is regenerated`);
      continue;
    }
    const id = script === 'test' || script.startsWith('test') ? 'test' : script.replace(/[^a-z0-9-]+/gi, '-').toLowerCase();
    const step = (proposal.steps[id] ??= { command: runScript(script), outputs: [] });
    for (const reader of wanting) {
      proposal.dependsOn[reader.metric] = id;
      for (const file of reader.files) if (!step.outputs.includes(file)) step.outputs.push(file);
    }
  }
  for (const [id, step] of Object.entries(proposal.steps)) {
    const dependants = Object.entries(proposal.dependsOn).filter(([, s]) => s === id).map(([metric]) => metric);
    proposal.notes.push(`step "${id}" runs "${step.command}", which writes ${step.outputs.join(', ')}: ${dependants.join(', ')} depend on it`);
  }
  return proposal;
}

function safeList(cwd: string): string[] {
  try {
    return existsSync(cwd) ? readdirSync(cwd) : [];
  } catch {
    return [];
  }
}
