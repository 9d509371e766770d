// How the user looks at the view: groups or the parent tree, the filter, and whether groups are
// compared with the previous snapshot. One store that the rows, the captures and the commands all
// read, and the only place that changes it; mode and filter are remembered per workspace.
import { DEFAULT_FILTER, type TaskFilter } from '../taskFilter';
import { ChangeSignal } from './changeSignal';

export type ViewMode = 'grouped' | 'tree';

export interface ViewOptions {
  mode: ViewMode;
  filter: TaskFilter;
  /** Show each group's change since the session's previous snapshot. */
  compare: boolean;
}

/** Where options are remembered: a `vscode.Memento` (workspace state) fits. */
export interface OptionsMemory {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

const MEMORY_KEY = 'asyncToolkit.tasks.viewState';

export interface OptionsChange {
  previous: Readonly<ViewOptions>;
  /**
   * The filter's internals or age, or the mode, changed: the sources apply those (the parent tree asks
   * for the parts, not the operations), so snapshots must be retaken.
   */
  sourceFilterChanged: boolean;
}

export class ViewOptionsStore {
  private options: Readonly<ViewOptions>;
  private readonly signal = new ChangeSignal<OptionsChange>();
  /** Fires after every update, saying what changed. */
  readonly onDidChange = this.signal.event;

  constructor(private readonly memory?: OptionsMemory) {
    const saved = memory?.get<Partial<ViewOptions>>(MEMORY_KEY);
    this.options = Object.freeze({
      mode: saved?.mode === 'tree' ? 'tree' : 'grouped',
      filter: { ...DEFAULT_FILTER, ...saved?.filter },
      compare: false,
    });
  }

  get current(): Readonly<ViewOptions> {
    return this.options;
  }

  update(change: Partial<ViewOptions>): void {
    const previous = this.options;
    this.options = Object.freeze({ ...previous, ...change });
    void this.memory?.update(MEMORY_KEY, { mode: this.options.mode, filter: this.options.filter });
    this.signal.fire({
      previous,
      sourceFilterChanged:
        previous.mode !== this.options.mode ||
        previous.filter.hideInternals !== this.options.filter.hideInternals ||
        previous.filter.minAgeMs !== this.options.filter.minAgeMs,
    });
  }

  dispose(): void {
    this.signal.dispose();
  }
}
