/**
 * The run the report measures "delta vs baseline" against: the latest clean run of the
 * reference branch. Kept behind this one function so the analysis module's findBaseline
 * (merge-base aware) can replace it without touching the views.
 */
import type { StoreApi } from '../store/api';
import type { BuildRecord } from '../types';

export async function reportBaseline(store: StoreApi, referenceBranch: string): Promise<BuildRecord | null> {
  const [latest] = await store.builds({ branch: referenceBranch, dirty: false, limit: 1 });
  return latest?.build ?? null;
}
