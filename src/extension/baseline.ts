/**
 * The baseline each metric's delta is measured against. The one place to swap for the analysis
 * engine's findBaseline: for now, the latest clean value on the reference branch.
 */
import type { BaselineValue } from './tree/viewModel';
import type { FolderModel } from './services';

export async function baselineValues(model: FolderModel): Promise<Map<string, BaselineValue>> {
  const [store, referenceBranch] = await Promise.all([model.store(), model.referenceBranch()]);
  const latest = await store.latest({ ref: referenceBranch, cleanOnly: true });
  const values = new Map<string, BaselineValue>();
  for (const m of latest) {
    if (m.value !== null && m.valueBuild) values.set(m.metric, { value: m.value, build: m.valueBuild, referenceBranch });
  }
  return values;
}
