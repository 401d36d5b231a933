/**
 * The report's "Changes": the change points of every numeric metric on a branch (the
 * reference branch by default), newest first, as the Changes list and the Trends markers
 * show them. The detection itself is core/analysis's findChanges.
 */
import { findChanges } from '../analysis/changes';
import type { ChangesModel, MetricChangeRow } from '../../shared/protocol';
import { UNITS, type Unit } from '../types';
import type { ReportSource } from './backend';

function unitOf(unit: string | null): Unit | null {
  return unit !== null && (UNITS as readonly string[]).includes(unit) ? (unit as Unit) : null;
}

export async function reportChanges(source: ReportSource, branch?: string): Promise<ChangesModel> {
  if (source.cwd === undefined) return { changes: [], note: 'Change points need the git history of the folder.' };
  const ref = branch ?? (await source.referenceBranch());
  const found = await findChanges(source.store, source.cwd, { branch: ref });
  const changes: MetricChangeRow[] = found
    .filter((c) => Number.isFinite(c.before) && Number.isFinite(c.after))
    .map((c) => ({
      metric: c.metric,
      branch: c.branch,
      commitSha: c.commitSha,
      previousSha: c.previousSha,
      before: c.before,
      after: c.after,
      relativeChange: c.relativeChange !== null && Number.isFinite(c.relativeChange) ? c.relativeChange : null,
      unit: unitOf(c.unit),
      time: c.time,
      ...(c.subject !== undefined && { subject: c.subject }),
      ...(c.author !== undefined && { author: c.author }),
    }))
    .sort((a, b) => b.time.localeCompare(a.time) || a.metric.localeCompare(b.metric));
  return { changes, note: changes.length ? null : `No lasting change found in the metrics of ${ref}.` };
}
