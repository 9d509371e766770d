// How rows look in the tree: the shared pieces of every TreeItem — theme icons that grey out when stale,
// the URI scheme that colours stale labels, the command that opens a row's line, expand states.
import * as vscode from 'vscode';
import type { Row } from '../rows/rowTypes';

export const STALE_SCHEME = 'async-toolkit-stale';
export const OPEN_SITE_COMMAND = 'asyncToolkit.openTaskSite';

export function icon(id: string, color: string | undefined, stale = false): vscode.ThemeIcon {
  const themeColor = stale ? 'disabledForeground' : color;
  return new vscode.ThemeIcon(id, themeColor ? new vscode.ThemeColor(themeColor) : undefined);
}

export function staleUri(id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: STALE_SCHEME, path: `/${encodeURIComponent(id)}` });
}

export function collapsible(row: Row, expanded = false): vscode.TreeItemCollapsibleState {
  if (!row.expand) return vscode.TreeItemCollapsibleState.None;
  return expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
}
