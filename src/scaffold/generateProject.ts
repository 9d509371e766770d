import { mkdir, readdir, readFile, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { type Flavour, findFlavour, flavours, templateSampleValues } from './flavours';

/** A failure the user can act on; its message is shown as it is. */
export class ScaffoldError extends Error {
  override name = 'ScaffoldError';
}

export interface ProjectValues {
  /** The project's folder name, shown in its README. */
  name: string;
  port: number;
}

export interface GenerateOptions {
  flavour: string;
  /** The project folder: absent or empty. Missing parents are created. */
  targetDir: string;
  /** Defaults to the folder's name. */
  name?: string;
  /** 1024–65535; a string is accepted (and validated) as typed. */
  port: number | string;
  /** The `templates` folder (it moves between the source tree, `out/` and the packaged extension). */
  templatesRoot: string;
}

export interface GeneratedProject {
  dir: string;
  flavour: Flavour;
  /** Paths relative to `dir`, with forward slashes, in the order written. */
  files: string[];
}

// Names Windows refuses for files and folders whatever the extension; a project may be cloned there.
const reservedWindowsNames = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this rejects.
const forbiddenCharacters = /[<>:"/\\|?*\u0000-\u001f]/;

/** Why `name` cannot be a project folder name, or undefined when it can. */
export function validateProjectName(name: string): string | undefined {
  if (name.length === 0) return 'Enter a name for the project folder.';
  if (name.trim() !== name) return 'The name cannot start or end with a space.';
  if (name === '.' || name === '..') return `"${name}" is not a folder name.`;
  const forbidden = forbiddenCharacters.exec(name);
  if (forbidden) {
    const shown = forbidden[0] < ' ' ? 'control characters' : `"${forbidden[0]}"`;
    return `A folder name cannot contain ${shown}.`;
  }
  if (name.endsWith('.')) return 'A folder name cannot end with a dot.';
  if (reservedWindowsNames.test(name)) return `"${name}" is a reserved device name on Windows.`;
  if (Buffer.byteLength(name) > 255) return 'The name is too long for a folder name.';
  return undefined;
}

/** Why `value` is not a port for the server to listen on, or undefined when it is. */
export function validatePort(value: string | number): string | undefined {
  const text = String(value).trim();
  if (!/^\d+$/.test(text)) return 'The port is a whole number from 1024 to 65535.';
  const port = Number(text);
  // Ports below 1024 need privileges on most systems; the seed's advice, kept.
  if (port < 1024 || port > 65535) return `Port ${port} is outside 1024–65535.`;
  return undefined;
}

/** The npm package name for a project folder name: lower case, URL-safe, never empty. */
export function packageNameFor(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents split off by NFKD: "é" becomes "e"
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[-._~]+|[-._~]+$/g, '')
    .slice(0, 214);
  return slug || 'echo-project';
}

/**
 * Why the folder cannot receive a new project (it exists and is not an empty folder), or undefined.
 * Checked again while writing: every file is created exclusively, so nothing is ever overwritten.
 */
export async function checkTargetFolder(dir: string): Promise<string | undefined> {
  let entries: string[];
  try {
    if (!(await stat(dir)).isDirectory()) return `${dir} exists and is not a folder.`;
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return `${dir} cannot be read: ${(error as Error).message}`;
  }
  return entries.length
    ? `${dir} already exists and is not empty; choose another name or folder.`
    : undefined;
}

// Stored under another name so that the template folders do not act as ignore files in this repository
// and packaging tools do not drop them.
const renamedOnGeneration: Record<string, string> = { _gitignore: '.gitignore' };

interface PlannedFile {
  /** Relative to the project, forward slashes. */
  path: string;
  source: string;
}

async function listFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await listFiles(path)));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

/** The files of a flavour: its layers merged, a later layer replacing an earlier one's file. */
export async function planProject(flavour: Flavour, templatesRoot: string): Promise<PlannedFile[]> {
  const planned = new Map<string, PlannedFile>();
  for (const layer of flavour.templateLayers) {
    const layerDir = join(templatesRoot, layer);
    for (const source of await listFiles(layerDir)) {
      const parts = relative(layerDir, source).split(sep);
      const last = parts.length - 1;
      parts[last] = renamedOnGeneration[parts[last]] ?? parts[last];
      const path = parts.join('/');
      planned.set(path, { path, source });
    }
  }
  return [...planned.values()].sort((a, b) => a.path.localeCompare(b.path));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const samplePort = new RegExp(`\\b${templateSampleValues.port}\\b`, 'g');
const sampleName = new RegExp(`\\b${escapeRegExp(templateSampleValues.name)}\\b`, 'g');

/**
 * Renders one template file. Templates are working projects written with the sample values
 * (`echo-project`, port 12345), so they can be run, linted and type-checked as they are; rendering
 * replaces those values. In `package.json` the name becomes a valid npm package name.
 */
export function renderTemplate(text: string, path: string, values: ProjectValues): string {
  const name = basename(path) === 'package.json' ? packageNameFor(values.name) : values.name;
  return text.replace(samplePort, String(values.port)).replace(sampleName, () => name);
}

/** Creates `dir` and any missing parents, returning the folders it created, outermost first. */
async function createFolders(dir: string): Promise<string[]> {
  const missing: string[] = [];
  let current = dir;
  for (;;) {
    try {
      if (!(await stat(current)).isDirectory())
        throw new ScaffoldError(`${current} exists and is not a folder.`);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.unshift(current);
      const parent = dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
  const created: string[] = [];
  for (const folder of missing) {
    try {
      await mkdir(folder);
      created.push(folder);
    } catch (error) {
      // Someone else created it meanwhile: it is theirs, not ours to remove later.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return created;
}

/** Removes what this run created, newest first; folders only when empty (others may have written there). */
async function rollBack(createdFiles: string[], createdFolders: string[]): Promise<void> {
  for (const file of [...createdFiles].reverse()) await unlink(file).catch(() => undefined);
  for (const folder of [...createdFolders].reverse()) await rmdir(folder).catch(() => undefined);
}

/**
 * Writes a new project of one flavour into an absent or empty folder. Never overwrites: every file is
 * created exclusively, and on any failure the files and folders this run created are removed again.
 */
export async function generateProject(options: GenerateOptions): Promise<GeneratedProject> {
  const flavour = findFlavour(options.flavour);
  if (!flavour) {
    throw new ScaffoldError(
      `Unknown flavour "${options.flavour}". Flavours: ${flavours.map((known) => known.id).join(', ')}.`,
    );
  }
  const dir = resolve(options.targetDir);
  const name = options.name ?? basename(dir);
  const problem = validateProjectName(name) ?? validatePort(options.port) ?? (await checkTargetFolder(dir));
  if (problem) throw new ScaffoldError(problem);

  const planned = await planProject(flavour, options.templatesRoot);
  if (planned.length === 0)
    throw new ScaffoldError(`No template files found under ${options.templatesRoot}.`);
  const values: ProjectValues = { name, port: Number(options.port) };

  const createdFolders: string[] = [];
  const createdFiles: string[] = [];
  try {
    createdFolders.push(...(await createFolders(dir)));
    for (const file of planned) {
      const target = join(dir, ...file.path.split('/'));
      createdFolders.push(...(await createFolders(dirname(target))));
      const text = renderTemplate(await readFile(file.source, 'utf8'), file.path, values);
      // Scripts with a shebang are executable; decided here because packaging does not keep file modes.
      const mode = text.startsWith('#!') ? 0o755 : 0o644;
      // 'wx' fails if the file exists: a file that appeared since the check is never overwritten.
      await writeFile(target, text, { flag: 'wx', mode });
      createdFiles.push(target);
    }
  } catch (error) {
    await rollBack(createdFiles, createdFolders);
    if (error instanceof ScaffoldError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'EEXIST' ? 'a file appeared in the folder while writing' : (error as Error).message;
    throw new ScaffoldError(
      `Could not create the project in ${dir}: ${reason}. The files this run created were removed.`,
    );
  }
  return { dir, flavour, files: planned.map((file) => file.path) };
}
