// TreeItems of the Problems section: its heading (or "No problems found") and one row per finding.
import * as vscode from 'vscode';
import type { FindingRow, FindingsRow } from '../rows/rowTypes';
import { taskLabel } from '../wording/taskWords';
import { describeFindings, FINDING_KIND_WORDS, findingLabel, findingsLabel } from '../wording/viewWords';
import { collapsible, icon, OPEN_SITE_COMMAND } from './itemLook';

const SEVERITY_ICONS: Record<FindingRow['finding']['severity'], [string, string]> = {
  error: ['error', 'problemsErrorIcon.foreground'],
  warning: ['warning', 'problemsWarningIcon.foreground'],
  info: ['info', 'problemsInfoIcon.foreground'],
};

export function findingsItem(row: FindingsRow): vscode.TreeItem {
  const item = new vscode.TreeItem(findingsLabel(row.findings), collapsible(row, true));
  item.description = describeFindings(row.findings);
  const worst = row.findings[0]?.severity;
  item.iconPath = worst ? icon(...SEVERITY_ICONS[worst]) : icon('pass', 'testing.iconPassed');
  item.contextValue = 'asyncTaskFindings';
  return item;
}

export function findingItem(row: FindingRow): vscode.TreeItem {
  const { finding } = row;
  const item = new vscode.TreeItem(findingLabel(finding, row.members.map(taskLabel)), collapsible(row));
  item.description = FINDING_KIND_WORDS[finding.kind];
  item.iconPath = icon(...SEVERITY_ICONS[finding.severity]);
  item.tooltip = new vscode.MarkdownString().appendText(
    `${FINDING_KIND_WORDS[finding.kind]}: ${finding.message}`,
  );
  if (finding.site) {
    item.command = { command: OPEN_SITE_COMMAND, title: 'Open Where It Waits', arguments: [row] };
    item.contextValue = 'asyncTaskFinding.site';
  } else {
    item.contextValue = 'asyncTaskFinding';
  }
  return item;
}
