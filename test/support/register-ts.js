// Lets a child process started by a test run TypeScript sources directly:
// `node -r ./test/support/register-ts.js some-file.ts`. Transpile only (the
// test run typechecks), with the project's compiler options. The output is
// kept on disk by content, so that a start (a child process, the embedded
// event store's writer thread) loads the compiler only for a file it has not
// seen in that version: loading it takes longer than the rest of a start.
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { pid } = require('node:process');
const { threadId } = require('node:worker_threads');

const CACHE = join(tmpdir(), 'contract-handover-register-ts');
/** What the output depends on besides the file: the compiler's version and this hook (its options). */
const TRANSPILER = [require('typescript/package.json').version, readFileSync(require.resolve('./register-ts.js'), 'utf8')];
let ts;

function transpile(source, filename) {
  const key = createHash('sha256')
    .update(JSON.stringify([...TRANSPILER, filename, source]))
    .digest('hex');
  const cached = join(CACHE, `${key}.js`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    // Not transpiled yet.
  }
  ts ??= require('typescript');
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    },
  });
  // Written aside, then renamed: a concurrent start reads a whole file or none.
  mkdirSync(CACHE, { recursive: true });
  const aside = `${cached}.${pid}-${threadId}`;
  writeFileSync(aside, outputText);
  renameSync(aside, cached);
  return outputText;
}

require.extensions['.ts'] = (module, filename) => {
  module._compile(transpile(readFileSync(filename, 'utf8'), filename), filename);
};
