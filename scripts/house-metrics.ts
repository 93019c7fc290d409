/**
 * The house's figures (issue 24): how the code is put together, counted the same way before and
 * after a change. Prints functions over 80 lines, non-null assertions, the words used for a
 * place's id, and test files that reach into the App's fields.
 *
 * Usage: node --import tsx scripts/house-metrics.ts [--list]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import ts from 'typescript';

const list = process.argv.includes('--list');
const root = resolve(process.argv.find((arg, i) => i > 1 && !arg.startsWith('--')) ?? '.');

function files(folder: string): string[] {
  return readdirSync(resolve(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => resolve(entry.parentPath, entry.name))
    .sort();
}

const longFunctions: string[] = [];
let nonNull = 0;
const nonNullByFile = new Map<string, number>();
const idWords = { locationId: 0, placeId: 0 };
for (const file of files('src')) {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node): void => {
    if (ts.isNonNullExpression(node)) {
      nonNull++;
      nonNullByFile.set(file, (nonNullByFile.get(file) ?? 0) + 1);
    }
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      if (end - start + 1 > 80) longFunctions.push(`${end - start + 1} ${relative(root, file)}:${start + 1} ${nameOf(node)}`);
    }
    if (ts.isIdentifier(node)) {
      if (/^locationIds?$/.test(node.text)) idWords.locationId++;
      if (/^placeIds?$/.test(node.text)) idWords.placeId++;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

function nameOf(node: ts.Node): string {
  const named = node as { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText();
  return '(anonymous)';
}

const reaching = files('test').filter((file) =>
  /\bapp\.(monitor|outbox|store|powerStore|people|locations|places|schedules|admins|diagrams|reports|bot|clockSteps|endDueSnoozes)\b/.test(readFileSync(file, 'utf8')),
);

console.log(`functions over 80 lines: ${longFunctions.length}`);
if (list) for (const line of longFunctions.sort((a, b) => parseInt(b) - parseInt(a))) console.log(`  ${line}`);
console.log(`non-null assertions in src: ${nonNull}`);
if (list)
  for (const [file, count] of [...nonNullByFile].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${count} ${relative(root, file)}`);
console.log(`place id words in src: locationId ${idWords.locationId}, placeId ${idWords.placeId}`);
console.log(`test files reaching into App's fields: ${reaching.length}`);
if (list) for (const file of reaching) console.log(`  ${relative(root, file)}`);
