/**
 * The run the report measures "delta vs baseline" against: the latest clean run of the
 * reference branch. Kept behind this one function so the analysis module's findBaseline
 * (merge-base aware) can replace it without touching the views.
 */
import type { BuildWithValues, StoreApi } from '../store/api';

export async function reportBaseline(store: StoreApi, referenceBranch: string): Promise<BuildWithValues | null> {
  const [latest] = await store.builds({ branch: referenceBranch, dirty: false, limit: 1 });
  return latest ?? null;
}
