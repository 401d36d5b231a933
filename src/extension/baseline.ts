/**
 * The baseline each metric's delta is measured against. The one place to swap for the analysis
 * engine's findBaseline: for now, the latest clean value on the reference branch.
 */
import type { StoreApi } from '../core/store/api';
import type { FolderModel } from './services';
import type { BaselineValue } from './tree/viewModel';

export async function baselineValues(model: FolderModel, store: StoreApi): Promise<Map<string, BaselineValue>> {
  const referenceBranch = await model.referenceBranch();
  const latest = await store.latest({ ref: referenceBranch, cleanOnly: true });
  const values = new Map<string, BaselineValue>();
  for (const m of latest) {
    if (m.value !== null && m.valueBuild) values.set(m.metric, { value: m.value, build: m.valueBuild, referenceBranch });
  }
  return values;
}
