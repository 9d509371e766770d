// The Async Stacks panel: one webview panel that draws the selected debug session's tasks, merged by
// stack, and redraws it whenever the Async Tasks view's sessions or snapshots change or another
// session is selected. It opens lines and saves SVG files for the webview, which can do neither.
//
// State across hide and show: `getState`/`setState` in the webview (what is expanded, zoom and pan,
// the search, the focused box), not `retainContextWhenHidden`. A hidden panel then costs no renderer
// process memory, and a redraw from the saved state is cheap (BENCHMARKS.md, "Async Stacks") and needed
// anyway, because snapshots keep arriving while the panel is hidden.
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SessionEntry } from './chooseSession';
import { type FromWebview, isFromWebview, type PictureState, type ToWebview } from './messages';
import { PictureBuilder } from './pictureState';
import { stacksHtml } from './stacksHtml';

export const STACKS_VIEW_TYPE = 'asyncToolkit.stacks';
/** Snapshot changes come in bursts (a stop, then the capture): draw the last of them. */
const UPDATE_DELAY_MS = 50;
const MAX_SVG_CHARS = 64 * 1024 * 1024;

/** What the panel reads of the Async Tasks view's API: its sessions (with snapshots) and its change event. */
export interface SnapshotFeed {
  sessions(): readonly SessionEntry[];
  onDidChange: vscode.Event<void>;
}

export class AsyncStacksPanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private readonly builder = new PictureBuilder();
  private readonly disposables: vscode.Disposable[] = [];
  private expanded = new Set<string>();
  private shown?: PictureState;
  private shownJson = '';
  private webviewReady = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly feed: SnapshotFeed,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      feed.onDidChange(() => this.scheduleUpdate()),
      vscode.debug.onDidChangeActiveDebugSession(() => this.scheduleUpdate()),
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.panel?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }

  /**
   * Opens the panel beside the code, or brings it forward there. It never takes focus from the editor:
   * the focused editor group is where the debugger opens the file of the next stop, which would cover
   * the picture. For the same reason a panel found in the group of the code the user is reading moves
   * beside it.
   */
  show(): void {
    const editorColumn = vscode.window.activeTextEditor?.viewColumn;
    if (this.panel) {
      const sameGroup = editorColumn !== undefined && this.panel.viewColumn === editorColumn;
      this.panel.reveal(sameGroup ? vscode.ViewColumn.Beside : undefined, true);
      return;
    }
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel(
      STACKS_VIEW_TYPE,
      'Async Stacks',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [dist], retainContextWhenHidden: false },
    );
    this.panel = panel;
    this.webviewReady = false;
    this.shownJson = '';
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'activity-bar.svg');
    panel.webview.html = stacksHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'stacks-webview.js')).toString(),
      nonce: randomBytes(18).toString('base64'),
    });
    const subscriptions = [
      panel.webview.onDidReceiveMessage((message: unknown) => this.received(message)),
      panel.onDidChangeViewState(() => {
        // A hidden webview is torn down; it says `ready` again when shown.
        if (!panel.visible) {
          this.webviewReady = false;
          this.shownJson = '';
        }
      }),
    ];
    panel.onDidDispose(() => {
      for (const subscription of subscriptions) subscription.dispose();
      if (this.panel === panel) this.panel = undefined;
    });
  }

  private received(message: unknown): void {
    if (!isFromWebview(message)) {
      this.log.warn(
        `Async Stacks: ignored an unexpected message from the webview: ${JSON.stringify(message)?.slice(0, 200)}`,
      );
      return;
    }
    void this.handle(message).catch((error) => {
      this.log.error(`Async Stacks: ${message.type} failed: ${error}`);
      void vscode.window.showErrorMessage(`Async Stacks: ${(error as Error).message}`);
    });
  }

  private async handle(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.webviewReady = true;
        this.shownJson = '';
        this.expanded = new Set(message.expanded);
        this.update();
        return;
      case 'expanded':
        this.expanded = new Set(message.expanded);
        this.update();
        return;
      case 'open':
        return this.openFrame(message.nodeId, message.frameIndex);
      case 'export':
        return this.exportSvg(message.svg, message.suggestedName);
    }
  }

  private scheduleUpdate(): void {
    if (!this.panel) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), UPDATE_DELAY_MS);
  }

  private update(): void {
    const panel = this.panel;
    if (!panel?.visible || !this.webviewReady) return;
    const started = Date.now();
    const { state } = this.builder.build(this.feed.sessions(), vscode.debug.activeDebugSession?.id, {
      expanded: this.expanded,
    });
    const json = JSON.stringify(state);
    if (json === this.shownJson) return;
    this.shown = state;
    this.shownJson = json;
    const message: ToWebview = { type: 'picture', picture: state };
    void panel.webview.postMessage(message);
    if (state.kind === 'graph')
      this.log.debug(
        `Async Stacks: ${state.graph.nodes.length} boxes for ${state.graph.totalTasks} tasks of “${state.sessionName}” in ${Date.now() - started} ms`,
      );
  }

  private async openFrame(nodeId: string, frameIndex: number): Promise<void> {
    const picture = this.shown;
    if (picture?.kind !== 'graph') return;
    const frame = picture.graph.nodes.find((node) => node.id === nodeId)?.frames[frameIndex];
    if (!frame) return;
    const uri = /^[a-z][a-z0-9+.-]+:\/\//i.test(frame.file)
      ? vscode.Uri.parse(frame.file)
      : vscode.Uri.file(frame.file);
    if (frame.file.startsWith('node:')) {
      void vscode.window.showInformationMessage(
        `${frame.functionName} is inside Node.js (${frame.file}): there is no file to open.`,
      );
      return;
    }
    const position = new vscode.Position(Math.max(0, frame.line - 1), Math.max(0, (frame.column ?? 1) - 1));
    await vscode.window.showTextDocument(uri, {
      // The code goes next to the picture, not over it.
      viewColumn:
        this.panel?.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One,
      selection: new vscode.Range(position, position),
      preview: true,
    });
  }

  private async exportSvg(svg: string, suggestedName: string): Promise<void> {
    if (svg.length > MAX_SVG_CHARS || !svg.startsWith('<svg'))
      throw new Error('the picture could not be exported.');
    const name = suggestedName.replace(/[^\w.-]+/g, '-').slice(0, 80) || 'async-stacks';
    // The home folder, not the workspace: an export is not part of the user's repository. VS Code's
    // save dialog asks before replacing a file.
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(join(homedir(), `${name}.svg`)),
      filters: { 'SVG image': ['svg'] },
      saveLabel: 'Export',
      title: 'Export Async Stacks as SVG',
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, Buffer.from(svg, 'utf8'));
    this.log.info(`Async Stacks: exported to ${target.fsPath}`);
    const open = await vscode.window.showInformationMessage(
      `Async Stacks exported to ${target.fsPath}`,
      'Open',
    );
    if (open) await vscode.commands.executeCommand('vscode.open', target);
  }
}
