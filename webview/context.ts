/** What the views share: the data source, the current metadata and the app's actions. */
import type { Navigation, ReportMeta, RunRow, WebviewState } from '../src/shared/protocol';
import type { DataSource } from './dataSource';
import type { ChartTheme } from './theme';

export interface AppContext {
  readonly source: DataSource;
  meta(): ReportMeta;
  theme(): ChartTheme;
  state(): WebviewState;
  updateState(patch: Partial<WebviewState>): void;
  navigate(to: Navigation): void;
  openRun(run: Pick<RunRow, 'id' | 'sha'>): void;
  /** Reports a failure where the user sees it (and in the console for the log). */
  showError(message: string): void;
}
