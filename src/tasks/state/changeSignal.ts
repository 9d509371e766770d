// A change notification shaped like `vscode.Event`, so that VS Code code can listen to it, but with no
// `vscode` import: the view's state is plain logic, unit-tested in plain Node.

export interface Subscription {
  dispose(): void;
}

export class ChangeSignal<T = void> {
  private readonly listeners = new Set<(value: T) => void>();

  /** Subscribe; the returned subscription removes the listener. */
  readonly event = (listener: (value: T) => void): Subscription => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }

  dispose(): void {
    this.listeners.clear();
  }
}
