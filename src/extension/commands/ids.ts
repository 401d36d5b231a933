/**
 * Every command id the extension registers, in one place. Pure (no vscode import).
 * package.json's `contributes.commands` lists exactly the values of COMMANDS (checked by
 * test/unit/extension/commands/ids.test.ts); INTERNAL_COMMANDS are never contributed: they
 * are run by tests or by the views' own rows.
 */
export const COMMANDS = {
  runAll: 'tidemark.runAll',
  runMetric: 'tidemark.runMetric',
  stop: 'tidemark.stop',
  compareBranches: 'tidemark.compareBranches',
  measureBaseline: 'tidemark.measureBaseline',
  selectStatusBarMetric: 'tidemark.selectStatusBarMetric',
  createConfig: 'tidemark.createConfig',
  openConfig: 'tidemark.openConfig',
  showLog: 'tidemark.showLog',
  manageTrust: 'tidemark.manageTrust',
  clearHistory: 'tidemark.clearHistory',
  exportHistory: 'tidemark.exportHistory',
  openReport: 'tidemark.openReport',
  exportReportHtml: 'tidemark.exportReportHtml',
  pullTeamHistory: 'tidemark.pullTeamHistory',
  publishRuns: 'tidemark.publishRuns',
  measureHistory: 'tidemark.measureHistory',
  toggleCoverageGutter: 'tidemark.toggleCoverageGutter',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

export const INTERNAL_COMMANDS = {
  /** The last maintenance report of a folder and the log file (test/integration/maintenance.test.ts). */
  lastMaintenance: 'tidemark.internal.lastMaintenance',
  /** The tree's "Show more runs" row under a metric (argument: the metric's key). */
  showMoreRuns: 'tidemark.internal.showMoreRuns',
} as const;
