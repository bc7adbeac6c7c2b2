// Converts a BERT-family sentence-transformers checkpoint (config.json,
// model.safetensors, tokenizer files, 1_Pooling) into a transformers.js model
// folder: config.json, tokenizer files, onnx/model.onnx (fp32) and
// onnx/model_quantized.onnx (q8). Everything is checked against config.json
// before anything is built, and the folder appears only once it is complete.
// Usage: node --import tsx scripts/models/convert-sentence-transformer.ts <checkpoint folder or .zip> <out folder>
import { chmod, mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bertTensorShapes, buildBertModel, parseBertConfig, type BertConfig } from './bert-onnx-graph.ts';
import { openCheckpoint, type CheckpointFiles } from './checkpoint-files.ts';
import { readSafetensors, type SafetensorsFile } from './safetensors.ts';

/** Bumped whenever the converter's output changes, so cached conversions are redone. */
export const CONVERTER_VERSION = 1;

export interface ConvertOptions {
  /** Recorded in config.json's ragnative.source; defaults to the source's file name. */
  readonly source?: string;
  readonly log?: (message: string) => void;
}

export interface ConvertResult {
  readonly outDir: string;
  readonly pooling: 'mean' | 'cls';
  readonly normalize: boolean;
  readonly bytes: { readonly fp32: number; readonly q8: number };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

async function readJson(files: CheckpointFiles, path: string, required: boolean): Promise<Record<string, unknown> | undefined> {
  const bytes = await files.read(path);
  if (!bytes) {
    if (required) throw new Error(`checkpoint: ${path} is missing`);
    return undefined;
  }
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`checkpoint: ${path} is not JSON (${(error as Error).message})`);
  }
}

/** sentence-transformers' pipeline (modules.json, 1_Pooling): what the exported encoder must be followed by. */
async function readModules(files: CheckpointFiles): Promise<{ pooling: 'mean' | 'cls'; normalize: boolean }> {
  const modules = ((await readJson(files, 'modules.json', false)) ?? []) as unknown as { type?: string }[];
  const types = Array.isArray(modules) ? modules.map((m) => String(m.type ?? '')) : [];
  // A Dense head changes the vector; transformers.js' feature-extraction pipeline cannot apply it.
  const extra = types.find((type) => !/(Transformer|Pooling|Normalize)$/.test(type));
  if (extra) throw new Error(`checkpoint: modules.json has a ${extra} module, which the exported encoder cannot reproduce`);
  const normalize = types.some((type) => type.endsWith('Normalize')) || files.paths.some((path) => /^\d+_Normalize\//.test(path));
  const config = await readJson(files, '1_Pooling/config.json', false);
  if (!config) return { pooling: 'mean', normalize };
  const modes = Object.entries(config).filter(([key, on]) => key.startsWith('pooling_mode_') && on === true).map(([key]) => key);
  if (modes.length === 1 && modes[0] === 'pooling_mode_mean_tokens') return { pooling: 'mean', normalize };
  if (modes.length === 1 && modes[0] === 'pooling_mode_cls_token') return { pooling: 'cls', normalize };
  throw new Error(`checkpoint: 1_Pooling/config.json enables ${modes.join(', ') || 'no mode'}; only mean or cls pooling is supported`);
}

/** Finds the tensor-name prefix ('', 'bert.', '0.auto_model.', ...) and checks every tensor's presence, dtype and shape. */
function resolveTensors(weights: SafetensorsFile, config: BertConfig): (name: string) => string {
  const anchor = 'embeddings.word_embeddings.weight';
  const prefixes = [...weights.tensors.keys()].filter((name) => name.endsWith(anchor)).map((name) => name.slice(0, -anchor.length));
  if (prefixes.length !== 1) {
    throw new Error(`model.safetensors: expected one ${anchor} tensor, found ${prefixes.length}: not a single BERT encoder`);
  }
  const prefix = prefixes[0]!;
  // Checkpoints converted from TensorFlow name LayerNorm parameters gamma/beta.
  const resolveName = (name: string) => {
    const full = prefix + name;
    if (weights.tensors.has(full)) return full;
    const legacy = full.replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta');
    return weights.tensors.has(legacy) ? legacy : full;
  };
  const problems: string[] = [];
  for (const [name, shape] of bertTensorShapes(config)) {
    const info = weights.tensors.get(resolveName(name));
    if (!info) problems.push(`tensor ${prefix}${name} is missing`);
    else if (info.shape.join() !== shape.join()) {
      problems.push(`tensor ${prefix}${name} has shape [${info.shape.join(', ')}], but config.json implies [${shape.join(', ')}]`);
    } else if (!['F32', 'F16', 'BF16'].includes(info.dtype)) problems.push(`tensor ${prefix}${name} is ${info.dtype}, not a float type`);
  }
  if (problems.length > 0) {
    const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
    throw new Error(`model.safetensors does not match config.json: ${problems.slice(0, 5).join('; ')}${more}`);
  }
  return resolveName;
}

/** Runs `write` into a fresh sibling folder, then swaps it in: an interrupted run never leaves a folder that looks complete. */
async function writeAtomically(outDir: string, write: (dir: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(outDir), { recursive: true });
  const partial = await mkdtemp(join(dirname(outDir), `.${basename(outDir)}.partial-`));
  let previous: string | undefined;
  try {
    await write(partial);
    await chmod(partial, 0o755); // mkdtemp makes it owner-only; a model folder is read by other users (containers).
    if (await stat(outDir).catch(() => undefined)) {
      previous = `${partial}.previous`;
      await rename(outDir, previous);
    }
    await rename(partial, outDir);
  } catch (error) {
    if (previous) await rename(previous, outDir).catch(() => undefined);
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
  if (previous) await rm(previous, { recursive: true, force: true });
}

export async function convertCheckpoint(source: string | Uint8Array, outDir: string, options: ConvertOptions = {}): Promise<ConvertResult> {
  const log = options.log ?? (() => {});
  const target = resolve(outDir);
  const files = await openCheckpoint(source);
  const originalConfig = (await readJson(files, 'config.json', true))!;
  const config = parseBertConfig(originalConfig);
  const tokenizer = await files.read('tokenizer.json');
  if (!tokenizer) throw new Error('checkpoint: tokenizer.json is missing (transformers.js reads only the fast-tokenizer file)');
  const tokenizerConfig = await readJson(files, 'tokenizer_config.json', true);
  const { pooling, normalize } = await readModules(files);
  const safetensors = await files.read('model.safetensors');
  if (!safetensors) throw new Error('checkpoint: model.safetensors is missing (PyTorch .bin checkpoints are not supported)');
  const weights = readSafetensors(safetensors);
  const resolveName = resolveTensors(weights, config);
  const weight = (name: string) => weights.float(resolveName(name)).data;
  // sentence-transformers truncates at max_seq_length; transformers.js truncates at model_max_length.
  const limit = (value: unknown) => (typeof value === 'number' && value > 0 ? value : Infinity);
  const maxSeqLength = (await readJson(files, 'sentence_bert_config.json', false))?.max_seq_length;
  const modelMaxLength = Math.min(limit(tokenizerConfig!.model_max_length), limit(maxSeqLength), config.maxPositions);
  const label = options.source ?? (typeof source === 'string' ? basename(source) : 'zip');
  log(`converting ${label}: ${config.layers} layers, hidden ${config.hiddenSize}, ${config.heads} heads, ${pooling} pooling`);

  const bytes = { fp32: 0, q8: 0 };
  await writeAtomically(target, async (dir) => {
    await mkdir(join(dir, 'onnx'));
    const ragnative = { pooling, normalize, source: label, converterVersion: CONVERTER_VERSION, modelMaxLength };
    await writeFile(join(dir, 'config.json'), json({ ...originalConfig, ragnative }));
    await writeFile(join(dir, 'tokenizer.json'), tokenizer);
    await writeFile(join(dir, 'tokenizer_config.json'), json({ ...tokenizerConfig, model_max_length: modelMaxLength }));
    const special = await files.read('special_tokens_map.json');
    if (special) await writeFile(join(dir, 'special_tokens_map.json'), special);
    for (const [variant, file] of [['fp32', 'model.onnx'], ['q8', 'model_quantized.onnx']] as const) {
      const model = buildBertModel(config, weight, variant === 'q8');
      await writeFile(join(dir, 'onnx', file), model);
      bytes[variant] = model.byteLength;
      log(`wrote onnx/${file} (${(model.byteLength / 1e6).toFixed(1)} MB)`);
    }
  });
  return { outDir: target, pooling, normalize, bytes };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [source, out] = process.argv.slice(2);
  if (!source || !out) {
    console.error('usage: convert-sentence-transformer.ts <checkpoint folder or model.zip> <out folder>');
    process.exit(2);
  }
  const started = performance.now();
  const result = await convertCheckpoint(source, out, { log: (message) => console.error(message) });
  console.log(JSON.stringify({ msg: 'model.converted', ...result, ms: Math.round(performance.now() - started) }));
}
