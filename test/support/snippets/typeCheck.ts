// Type-checks TypeScript files in one program with `strict`, as a user's strict project would: ES modules
// (NodeNext, so top-level await is allowed), the ES2024 library and Node's types from this repository.
import { join } from 'node:path';
import * as ts from 'typescript';

export function typeCheckFiles(files: string[], nodeModules: string): Map<string, string[]> {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2024.d.ts'],
    types: ['node'],
    typeRoots: [join(nodeModules, '@types')],
    skipLibCheck: true,
  });
  const problems = new Map<string, string[]>();
  for (const file of files) {
    const sourceFile = program.getSourceFile(file);
    const diagnostics = sourceFile ? ts.getPreEmitDiagnostics(program, sourceFile) : [];
    problems.set(
      file,
      diagnostics.map((diagnostic) => {
        const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
        if (!diagnostic.file || diagnostic.start === undefined) return message;
        const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
        return `${line + 1}:${character + 1} TS${diagnostic.code}: ${message}`;
      }),
    );
  }
  return problems;
}
