// Bundles the functions into dist/ for the images (npm run build): a cold start
// then reads a few files of JavaScript instead of resolving, reading and
// compiling hundreds of modules (see "Cold start per function" in
// BENCHMARKS.md). Everything lands flat in dist/:
//   serve-function.js       the entrypoint (FUNCTION_TARGET selects the function)
//   index-<hash>.js         one chunk per function, loaded by the entrypoint
//   preparation-worker.js   the document preparation worker process
//   document-preparer.js    its pool, for the document-preparation benchmark
//   <name>-<hash>.js        code shared by several of them
//   playground/             the query function's playground page, copied as is
// The worker is found beside the code that starts it, as in the sources.
// Left out of the bundle, and loaded from node_modules as before: packages with
// native code or files they load by path at run time.
// Usage: node --import tsx scripts/build-functions.ts [outdir]
import { build } from 'esbuild';
import { cp, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRIES = ['shared/runtime/serve-function.ts', 'shared/documents/preparation-worker.ts', 'shared/documents/document-preparer.ts'];
/** onnxruntime-node and sharp are native; pdf.js starts its worker from a file beside its own. */
const EXTERNAL = ['@huggingface/transformers', 'onnxruntime-node', 'onnxruntime-common', 'sharp', 'pdfjs-dist'];
/** The CommonJS packages inside an ES module bundle call require() for Node's built-ins. */
const REQUIRE_SHIM = "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);";

export async function buildFunctions(outdir = 'dist'): Promise<void> {
  await rm(new URL(outdir, `file://${ROOT}`), { recursive: true, force: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir,
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    banner: { js: REQUIRE_SHIM },
    legalComments: 'none',
    logLevel: 'warning',
  });
  // Found beside the bundle's code, as beside functions/query/ in the sources.
  await cp(new URL('functions/query/playground/', `file://${ROOT}`), new URL(`${outdir}/playground/`, `file://${ROOT}`), { recursive: true });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildFunctions(process.argv[2]);
}
