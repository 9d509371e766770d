// Opens a place in source code the way every Async Toolkit view does: a file path or URL at a 1-based
// line and column, in a preview editor; a place inside Node.js itself (`node:…`) is explained instead.
import * as vscode from 'vscode';
import type { SourceLocation } from '../../snapshot/format';

export async function openSourceLocation(
  site: SourceLocation,
  preserveFocus: boolean,
): Promise<vscode.TextEditor | undefined> {
  if (site.file.startsWith('node:')) {
    void vscode.window.showInformationMessage(
      `${site.file}:${site.line} is inside Node.js itself; there is no file to open.`,
    );
    return undefined;
  }
  const uri = /^[a-z][a-z0-9+.-]+:\/\//i.test(site.file)
    ? vscode.Uri.parse(site.file)
    : vscode.Uri.file(site.file);
  const position = new vscode.Position(Math.max(0, site.line - 1), Math.max(0, (site.column ?? 1) - 1));
  try {
    return await vscode.window.showTextDocument(uri, {
      selection: new vscode.Range(position, position),
      preserveFocus,
      preview: true,
    });
  } catch (error) {
    void vscode.window.showWarningMessage(`Cannot open ${site.file}: ${(error as Error).message}`);
    return undefined;
  }
}
