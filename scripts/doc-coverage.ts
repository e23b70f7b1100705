// npm run doc-coverage: which public names of the package lack a doc comment, read from the .d.ts files
// the build ships (emitted in memory with tsconfig.build.json, so stripInternal applies), as an editor would.
import { join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { ROOT } from './paths.js';

/** The package's entries, as source files; their declarations are what `exports` points at. */
export const ENTRIES = ['index.ts', 'train/index.ts'];

export interface DocReport {
  /** every public name checked: `entry: Name` and `entry: Class.member` */
  names: string[];
  /** those without a doc comment */
  missing: string[];
}

// The declaration files of the build, in memory: path → text.
export function emitDeclarations(root = ROOT): Map<string, string> {
  const configPath = join(root, 'tsconfig.build.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (parsed === undefined) throw new Error(`cannot read ${configPath}`);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  const files = new Map<string, string>();
  const result = program.emit(undefined, (name, text) => files.set(resolve(name), text), undefined, true);
  if (result.emitSkipped) throw new Error('doc-coverage: the declarations were not emitted');
  return files;
}

// Public class members: not private, protected, #private or @internal (stripped from the .d.ts anyway).
function publicMembers(declaration: ts.ClassDeclaration): ts.ClassElement[] {
  return declaration.members.filter((member) => {
    if (ts.isConstructorDeclaration(member) || ts.isClassStaticBlockDeclaration(member) || member.name === undefined) return false;
    if (ts.isPrivateIdentifier(member.name)) return false;
    return (ts.getCombinedModifierFlags(member) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) === 0;
  });
}

/** Checks the exports of `entries` (declaration files held in `files`): each name, and each public member of each class. */
export function checkDocs(files: Map<string, string>, entries: readonly string[]): DocReport {
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: [], noEmit: true };
  const host = ts.createCompilerHost(options);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  const directoryExists = host.directoryExists?.bind(host);
  host.fileExists = (name) => files.has(resolve(name)) || fileExists(name);
  // NOTE: module resolution asks whether dist/engine exists before it looks for a file in it; the
  // in-memory declarations must answer yes even where no build has been run.
  host.directoryExists = (dir) => [...files.keys()].some((path) => path.startsWith(resolve(dir) + sep)) || (directoryExists?.(dir) ?? false);
  host.readFile = (name) => files.get(resolve(name)) ?? readFile(name);
  host.getSourceFile = (name, language) => {
    const text = files.get(resolve(name));
    return text === undefined ? getSourceFile(name, language) : ts.createSourceFile(name, text, language, true);
  };
  const program = ts.createProgram([...entries], options, host);
  // An import that does not resolve would make its names look undocumented (or vanish): fail instead.
  const errors = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    const first = errors[0];
    throw new Error(`doc-coverage: the declarations do not type-check: ${first.file?.fileName ?? ''} ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}`);
  }
  const checker = program.getTypeChecker();
  const names: string[] = [];
  const missing: string[] = [];
  const visit = (label: string, symbol: ts.Symbol): void => {
    names.push(label);
    if (symbol.getDocumentationComment(checker).length === 0) missing.push(label);
  };
  for (const entry of entries) {
    const source = program.getSourceFile(entry);
    const module = source && checker.getSymbolAtLocation(source);
    if (module === undefined) throw new Error(`doc-coverage: cannot read ${entry}`);
    const short = entry.replace(/^.*?dist[\\/]/, '');
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      visit(`${short}: ${exported.name}`, symbol);
      for (const declaration of symbol.declarations ?? []) {
        if (!ts.isClassDeclaration(declaration)) continue;
        for (const member of publicMembers(declaration)) {
          const memberSymbol = checker.getSymbolAtLocation(member.name as ts.PropertyName);
          if (memberSymbol !== undefined) visit(`${short}: ${exported.name}.${memberSymbol.name}`, memberSymbol);
        }
      }
    }
  }
  // A getter/setter pair, or overloads, are one name.
  return { names: [...new Set(names)], missing: [...new Set(missing)] };
}

/** The report for the package as built from this repository. */
export function packageDocReport(root = ROOT): DocReport {
  const files = emitDeclarations(root);
  const dist = join(root, 'dist');
  return checkDocs(files, ENTRIES.map((entry) => join(dist, entry.replace(/\.ts$/, '.d.ts'))));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { names, missing } = packageDocReport();
  for (const name of missing) console.log(`no doc comment: ${name}`);
  console.log(`${names.length} public names, ${names.length - missing.length} documented, ${missing.length} without a doc comment`);
  if (missing.length > 0) process.exit(1);
}
