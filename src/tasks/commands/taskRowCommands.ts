// Commands on one row: open where a task was created or is suspended, copy its stack, show more of
// a list (held in the view, or fetched from the program).
import * as vscode from 'vscode';
import type { SourceLocation } from '../../snapshot/format';
import type { CaptureScheduler } from '../capture/captureScheduler';
import type { Row } from '../rows/rowTypes';
import type { TaskRows } from '../rows/taskRows';
import { taskLocation } from '../taskLocation';
import { formatStack } from '../wording/taskWords';
import { openSourceLocation } from './openSourceLocation';

function siteOf(row: Row | undefined): SourceLocation | undefined {
  if (!row) return undefined;
  if (row.kind === 'task') return taskLocation(row.task)?.location;
  if (row.kind === 'group')
    return row.group.site ?? row.group.tasks.map((task) => taskLocation(task)?.location).find(Boolean);
  if (row.kind === 'handle') return row.handle.site;
  if (row.kind === 'frame') return row.frame;
  if (row.kind === 'finding')
    return row.finding.site ?? row.members.map((task) => taskLocation(task)?.location).find(Boolean);
  return undefined;
}

export function registerTaskRowCommands(scheduler: CaptureScheduler, rows: TaskRows): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('asyncToolkit.openTaskSite', async (row?: Row) => {
      const site = siteOf(row);
      if (!site) {
        void vscode.window.showInformationMessage(
          'Where this task was created or is suspended is not known.',
        );
        return undefined;
      }
      return openSourceLocation(site, true);
    }),

    vscode.commands.registerCommand('asyncToolkit.copyTaskStack', async (row?: Row) => {
      if (row?.kind !== 'task') return;
      const text = formatStack(row.task);
      await vscode.env.clipboard.writeText(text);
      return text;
    }),

    vscode.commands.registerCommand('asyncToolkit.showMoreTasks', async (row?: Row) => {
      if (row?.kind !== 'more') return;
      if (row.fetch) await scheduler.fetchMore(row.sessionId, row.fetch.sourceGroupId, row.fetch.offset);
      else rows.showMore(row.listId);
    }),
  );
}
