// "Async Toolkit: New Echo Server/Client Project…": a flavour, a parent folder, a name and a port, then
// the generator. Every answer can be passed as an argument instead (tests, other extensions); cancelling
// at any step writes nothing.
import { join, relative } from 'node:path';
import * as vscode from 'vscode';
import { defaultPort, type Flavour, findFlavour, flavours } from './flavours';
import {
  checkTargetFolder,
  generateProject,
  ScaffoldError,
  validatePort,
  validateProjectName,
} from './generateProject';
import { findTemplatesRoot } from './templatesLocation';

export const newEchoProjectCommand = 'asyncToolkit.newEchoProject';

/** What the command accepts; each answer given skips its prompt. */
export interface NewEchoProjectArguments {
  flavour?: string;
  /** The folder to create the project in (an absolute path or a file URI). */
  parentFolder?: string | vscode.Uri;
  name?: string;
  port?: number | string;
  /** What to do with the new folder; when absent a notification offers the choices. */
  open?: 'open' | 'newWindow' | 'addToWorkspace' | 'none';
}

/** What the command returns once the project exists (undefined when cancelled). */
export interface NewEchoProjectResult {
  dir: string;
  flavour: string;
  files: string[];
}

const title = 'New Echo Server/Client Project';
const back = Symbol('back');
type Answer<T> = T | typeof back | undefined;

const openChoices = {
  'Open Folder': 'open',
  'Open in New Window': 'newWindow',
  'Add to Workspace': 'addToWorkspace',
} as const;

export function registerNewProjectCommand(context: vscode.ExtensionContext, log: vscode.LogOutputChannel) {
  const newEchoProject = async (given?: NewEchoProjectArguments | vscode.Uri) => {
    // From an explorer context menu the argument is the folder clicked.
    const options: NewEchoProjectArguments =
      given instanceof vscode.Uri ? { parentFolder: given } : (given ?? {});
    try {
      return await createProject(context, log, options);
    } catch (error) {
      const message =
        error instanceof ScaffoldError ? error.message : `Could not create the project: ${error}`;
      log.error(`New echo project: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
      void vscode.window.showErrorMessage(message, 'Show Log').then((choice) => choice && log.show());
      // Callers passing every answer learn of the failure; people at the prompts saw the message.
      if (given) throw error;
      return undefined;
    }
  };
  context.subscriptions.push(vscode.commands.registerCommand(newEchoProjectCommand, newEchoProject));
  return {
    flavours: flavours.map(({ id, label, description }) => ({ id, label, description })),
    newEchoProject,
  };
}

async function createProject(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  options: NewEchoProjectArguments,
): Promise<NewEchoProjectResult | undefined> {
  if (options.flavour !== undefined && !findFlavour(options.flavour)) {
    throw new ScaffoldError(
      `Unknown flavour "${options.flavour}". Flavours: ${flavours.map((f) => f.id).join(', ')}.`,
    );
  }
  if (options.port !== undefined) {
    const problem = validatePort(options.port);
    if (problem) throw new ScaffoldError(problem);
  }
  const answers = await askQuestions(options);
  if (!answers) return undefined;
  const dir = join(answers.parentFolder, answers.name);
  if (!vscode.workspace.isTrusted && isInsideWorkspace(dir)) {
    throw new ScaffoldError(
      'This workspace is not trusted: create the project outside it, or trust the workspace first.',
    );
  }
  const templatesRoot = findTemplatesRoot(context.extensionPath);
  if (!templatesRoot) throw new ScaffoldError('The project templates are missing from this installation.');
  const project = await generateProject({
    flavour: answers.flavour.id,
    targetDir: dir,
    name: answers.name,
    port: answers.port,
    templatesRoot,
  });
  log.info(`Created a ${project.flavour.id} project in ${project.dir}: ${project.files.join(', ')}`);
  const result = { dir: project.dir, flavour: project.flavour.id, files: project.files };
  // Not awaited: the command is done once the files exist; the notification may stay a while.
  void offerToOpen(result, answers.flavour, options.open);
  return result;
}

function isInsideWorkspace(dir: string): boolean {
  return (vscode.workspace.workspaceFolders ?? []).some((folder) => {
    const path = relative(folder.uri.fsPath, dir);
    return !path.startsWith('..') && !path.startsWith('/');
  });
}

interface Answers {
  flavour: Flavour;
  parentFolder: string;
  name: string;
  port: string;
}

/** The prompts for what was not given, in order, with Back buttons; undefined when cancelled. */
async function askQuestions(options: NewEchoProjectArguments): Promise<Answers | undefined> {
  const given = {
    flavour: options.flavour === undefined ? undefined : findFlavour(options.flavour),
    parentFolder: toPath(options.parentFolder),
    name: options.name,
    port: options.port === undefined ? undefined : String(options.port),
  };
  const steps = (['flavour', 'parentFolder', 'name', 'port'] as const).filter(
    (key) => given[key] === undefined,
  );
  const answers: Partial<Answers> = { ...given } as Partial<Answers>;
  let index = 0;
  while (index < steps.length) {
    const step = steps[index];
    const position = { step: index + 1, totalSteps: steps.length, canGoBack: index > 0 };
    let answer: Answer<Flavour | string>;
    if (step === 'flavour') answer = await pickFlavour(position, answers.flavour);
    else if (step === 'parentFolder') answer = await pickParentFolder(answers.parentFolder);
    else if (step === 'name') answer = await askName(position, answers as Answers);
    else answer = await askPort(position, answers.port);
    if (answer === undefined) return undefined;
    if (answer === back) {
      index -= 1;
      continue;
    }
    (answers as Record<string, unknown>)[step] = answer;
    index += 1;
  }
  const final = answers as Answers;
  const problem =
    validateProjectName(final.name) ?? (await checkTargetFolder(join(final.parentFolder, final.name)));
  if (problem) throw new ScaffoldError(problem);
  return final;
}

function toPath(folder: string | vscode.Uri | undefined): string | undefined {
  if (folder === undefined || typeof folder === 'string') return folder;
  if (folder.scheme !== 'file')
    throw new ScaffoldError('Choose a folder on this machine: the project is written to disk.');
  return folder.fsPath;
}

interface Position {
  step: number;
  totalSteps: number;
  canGoBack: boolean;
}

function pickFlavour(position: Position, current: Flavour | undefined): Promise<Answer<Flavour>> {
  type Item = vscode.QuickPickItem & { flavour: Flavour };
  const picker = vscode.window.createQuickPick<Item>();
  picker.title = title;
  picker.step = position.step;
  picker.totalSteps = position.totalSteps;
  picker.placeholder = 'Choose the concurrency style of the server and client';
  picker.items = flavours.map((flavour) => ({ label: flavour.label, detail: flavour.description, flavour }));
  const active = picker.items.find((item) => item.flavour === current);
  if (active) picker.activeItems = [active];
  picker.buttons = position.canGoBack ? [vscode.QuickInputButtons.Back] : [];
  return runInput(picker, (resolve) => [
    picker.onDidAccept(() => picker.selectedItems[0] && resolve(picker.selectedItems[0].flavour)),
  ]);
}

async function pickParentFolder(current: string | undefined): Promise<string | undefined> {
  const workspaceFolder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const picked = await vscode.window.showOpenDialog({
    title: `${title}: the folder to create it in`,
    openLabel: 'Create Project Here',
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    defaultUri: current ? vscode.Uri.file(current) : workspaceFolder,
  });
  return picked?.[0] ? toPath(picked[0]) : undefined;
}

function askName(position: Position, answers: Answers): Promise<Answer<string>> {
  const validate = async (name: string) =>
    validateProjectName(name) ?? (await checkTargetFolder(join(answers.parentFolder, name)));
  return askText(position, {
    prompt: `The project folder, created in ${answers.parentFolder}`,
    value: answers.name ?? `${answers.flavour.id}-echo`,
    validate,
  });
}

function askPort(position: Position, current: string | undefined): Promise<Answer<string>> {
  return askText(position, {
    prompt: 'The port the server listens on by default (1024–65535)',
    value: current ?? String(defaultPort),
    validate: validatePort,
  });
}

function askText(
  position: Position,
  options: {
    prompt: string;
    value: string;
    validate: (text: string) => string | undefined | Promise<string | undefined>;
  },
): Promise<Answer<string>> {
  const input = vscode.window.createInputBox();
  input.title = title;
  input.step = position.step;
  input.totalSteps = position.totalSteps;
  input.prompt = options.prompt;
  input.value = options.value;
  input.buttons = position.canGoBack ? [vscode.QuickInputButtons.Back] : [];
  // Validated as you type; a slow check that finishes after further typing is ignored.
  const check = async (text: string) => {
    const message = await options.validate(text);
    if (input.value === text) input.validationMessage = message;
    return message;
  };
  void check(input.value);
  return runInput(input, (resolve) => [
    input.onDidChangeValue((text) => void check(text)),
    input.onDidAccept(async () => {
      const text = input.value;
      input.busy = true;
      const message = await check(text);
      input.busy = false;
      if (!message && input.value === text) resolve(text);
    }),
  ]);
}

/** Shows a quick input until it resolves, goes back, or is hidden (cancelled). */
function runInput<T>(
  input: vscode.QuickPick<vscode.QuickPickItem & { flavour: Flavour }> | vscode.InputBox,
  listen: (resolve: (value: Answer<T>) => void) => vscode.Disposable[],
): Promise<Answer<T>> {
  return new Promise<Answer<T>>((resolve) => {
    let settled = false;
    const finish = (value: Answer<T>) => {
      if (settled) return;
      settled = true;
      for (const disposable of disposables) disposable.dispose();
      input.dispose();
      resolve(value);
    };
    const disposables = [
      ...listen(finish),
      input.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && finish(back)),
      input.onDidHide(() => finish(undefined)),
    ];
    // A click elsewhere (to look up a folder, say) must not throw away the answers given so far.
    input.ignoreFocusOut = true;
    input.show();
  });
}

async function offerToOpen(
  project: NewEchoProjectResult,
  flavour: Flavour,
  open: NewEchoProjectArguments['open'],
) {
  let choice = open;
  if (choice === undefined) {
    const picked = await vscode.window.showInformationMessage(
      `Created the ${flavour.label} echo project in ${project.dir}.`,
      ...Object.keys(openChoices),
    );
    choice = picked ? openChoices[picked as keyof typeof openChoices] : 'none';
  }
  const uri = vscode.Uri.file(project.dir);
  if (choice === 'open') await vscode.commands.executeCommand('vscode.openFolder', uri);
  else if (choice === 'newWindow')
    await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: true });
  else if (choice === 'addToWorkspace') {
    const end = vscode.workspace.workspaceFolders?.length ?? 0;
    vscode.workspace.updateWorkspaceFolders(end, 0, { uri });
  }
}
