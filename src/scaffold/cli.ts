// The generator without VS Code, for tests and for people at a terminal:
//   node dist/scaffold-cli.js <flavour> <dir> [--port N] [--name NAME]
//   node dist/scaffold-cli.js --list
import { parseArgs } from 'node:util';
import { defaultPort, flavours } from './flavours';
import { generateProject, ScaffoldError } from './generateProject';
import { findTemplatesRoot } from './templatesLocation';

const usage = `Usage: scaffold-cli <flavour> <dir> [--port N] [--name NAME]
       scaffold-cli --list
Creates an echo server/client project in <dir> (absent or empty). Flavours: ${flavours.map((f) => f.id).join(', ')}.`;

function templatesRoot(): string {
  const found = findTemplatesRoot(__dirname);
  if (!found) throw new ScaffoldError('The project templates are missing from this installation.');
  return found;
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`scaffold-cli: ${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (values.list) {
    const width = Math.max(...flavours.map((flavour) => flavour.id.length));
    for (const flavour of flavours)
      process.stdout.write(`${flavour.id.padEnd(width)}  ${flavour.description}\n`);
    return 0;
  }
  if (positionals.length !== 2) {
    process.stderr.write(`scaffold-cli: expected a flavour and a folder\n${usage}\n`);
    return 2;
  }
  const [flavour, dir] = positionals;
  try {
    const project = await generateProject({
      flavour,
      targetDir: dir,
      name: values.name,
      port: values.port ?? defaultPort,
      templatesRoot: templatesRoot(),
    });
    process.stdout.write(
      `Created ${project.flavour.label} project in ${project.dir} (${project.files.length} files)\n`,
    );
    const setup = project.flavour.setupCommand ? `${project.flavour.setupCommand} && ` : '';
    process.stdout.write(
      `Next: cd ${JSON.stringify(project.dir)} && ${setup}${project.flavour.serverCommand}\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof ScaffoldError)) throw error;
    process.stderr.write(`scaffold-cli: ${error.message}\n`);
    return 1;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      name: { type: 'string' },
      list: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`scaffold-cli: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
