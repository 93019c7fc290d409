/**
 * Fails when modules under a folder import each other in a circle (part of `npm test`).
 *
 * A cycle means no module in it can be read, tested or moved without the others, and at run time
 * one of them sees the other half-initialised. Type-only imports count too (as in madge): a cycle
 * through types still ties the modules together. Imports are resolved with the project's own
 * tsconfig, exactly as tsc resolves them (`./x.js` → `./x.ts`), so nothing is missed or guessed,
 * and it needs nothing beyond the TypeScript compiler the project already has (it runs offline).
 *
 * Usage: node --import tsx scripts/check-import-cycles.ts [folder=src]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

export interface ImportCycle {
  /** One shortest circle, files relative to the folder, the first repeated at the end. */
  cycle: string[];
  /** Every file tied up with it (all reach each other), sorted. */
  knot: string[];
}

/** The import cycles among the TypeScript files under `root`: one per knot of files. */
export function findImportCycles(root: string, compilerOptions: ts.CompilerOptions = projectOptions(root)): ImportCycle[] {
  const folder = resolve(root);
  const imports = importGraph(folder, compilerOptions);
  const files = [...imports.keys()];
  return stronglyConnected(files, imports)
    .filter((group) => group.length > 1 || (imports.get(group[0]!) ?? []).includes(group[0]!))
    .map((group) => ({
      cycle: shortestCycle(group, imports).map((file) => relative(folder, file)),
      knot: group.map((file) => relative(folder, file)),
    }));
}

/**
 * Every TypeScript file under `root` (absolute paths, sorted) → the files under `root` it imports,
 * statically, dynamically or for types only, resolved as tsc resolves them. Packages are left out.
 */
export function importGraph(root: string, compilerOptions: ts.CompilerOptions = projectOptions(root)): Map<string, string[]> {
  const files = typeScriptFiles(resolve(root));
  const known = new Set(files);
  const imports = new Map<string, string[]>();
  for (const file of files) {
    const specifiers = ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((imported) => imported.fileName);
    const targets = specifiers
      .map((specifier) => ts.resolveModuleName(specifier, file, compilerOptions, ts.sys).resolvedModule)
      .filter((resolved) => resolved !== undefined && !resolved.isExternalLibraryImport)
      .map((resolved) => resolve(resolved!.resolvedFileName))
      .filter((target) => known.has(target));
    imports.set(file, [...new Set(targets)].sort());
  }
  return imports;
}

/** The compiler options of the tsconfig.json that governs `root`. */
export function projectOptions(root: string): ts.CompilerOptions {
  const configPath = ts.findConfigFile(resolve(root), ts.sys.fileExists, 'tsconfig.json');
  if (!configPath) throw new Error(`No tsconfig.json found above ${root}: the imports cannot be resolved as tsc would.`);
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(config, ts.sys, resolve(configPath, '..')).options;
}

function typeScriptFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(m|c)?tsx?$/.test(entry.name) && !/\.d\.(m|c)?ts$/.test(entry.name))
    .map((entry) => resolve(entry.parentPath, entry.name))
    .sort();
}

/** Tarjan's algorithm: the groups of files that can all reach each other. */
function stronglyConnected(files: string[], edges: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let counter = 0;
  const visit = (file: string): void => {
    index.set(file, counter);
    lowLink.set(file, counter);
    counter++;
    stack.push(file);
    onStack.add(file);
    for (const next of edges.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        lowLink.set(file, Math.min(lowLink.get(file)!, lowLink.get(next)!));
      } else if (onStack.has(next)) {
        lowLink.set(file, Math.min(lowLink.get(file)!, index.get(next)!));
      }
    }
    if (lowLink.get(file) !== index.get(file)) return;
    const group: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      onStack.delete(member);
      group.push(member);
      if (member === file) break;
    }
    groups.push(group.sort());
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return groups;
}

/** One shortest circle through the group's first file: the easiest one to read and break. */
function shortestCycle(group: string[], edges: Map<string, string[]>): string[] {
  const members = new Set(group);
  const start = group[0]!;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const file = queue[head]!;
    for (const next of edges.get(file) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [file];
        for (let step = cameFrom.get(file); step !== undefined; step = cameFrom.get(step)) path.unshift(step);
        return [...path, start];
      }
      if (!cameFrom.has(next) && next !== start) {
        cameFrom.set(next, file);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = process.argv[2] ?? 'src';
  const cycles = findImportCycles(root);
  if (cycles.length === 0) {
    console.log(`No import cycles in ${root}/.`);
  } else {
    console.error(`${cycles.length} import cycle(s) in ${root}/ (break each by passing what is needed in, or by moving the shared part out):`);
    cycles.forEach(({ cycle, knot }, number) => {
      console.error(`${number + 1}) ${cycle.join(' > ')}`);
      if (knot.length > cycle.length - 1) console.error(`   tied up with it (${knot.length} files): ${knot.join(', ')}`);
    });
    process.exitCode = 1;
  }
}
