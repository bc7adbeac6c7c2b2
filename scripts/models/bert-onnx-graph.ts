// The BERT encoder (HF BertModel without the pooler) as an ONNX graph, opset 17:
// inputs input_ids, attention_mask, token_type_ids (int64 [batch, sequence]),
// output last_hidden_state [batch, sequence, hidden] — what transformers.js'
// feature-extraction pipeline runs and then pools. Every size comes from config.json.
import { GraphBuilder, DataType, attr, encodeModel, quantizeUint8, valueInfo } from './onnx-builder.ts';

export interface BertConfig {
  readonly hiddenSize: number;
  readonly layers: number;
  readonly heads: number;
  readonly intermediateSize: number;
  readonly layerNormEps: number;
  readonly maxPositions: number;
  readonly typeVocabSize: number;
  readonly vocabSize: number;
  /** `erf` is HF's "gelu"; `tanh` is "gelu_new" / "gelu_pytorch_tanh". */
  readonly gelu: 'erf' | 'tanh';
}

const GELU: Record<string, BertConfig['gelu']> = { gelu: 'erf', gelu_new: 'tanh', gelu_pytorch_tanh: 'tanh' };

/** Reads and checks config.json; absent optional fields take HF BertConfig's defaults, as transformers does. */
export function parseBertConfig(json: Record<string, unknown>): BertConfig {
  if (json.model_type !== 'bert') {
    throw new Error(
      `config.json: model_type ${JSON.stringify(json.model_type)} is not supported; this converter builds BERT encoders only ` +
        '(RoBERTa, XLM-R, DistilBERT, MPNet differ in embeddings and tensor names)',
    );
  }
  const int = (key: string, fallback?: number): number => {
    const value = json[key] ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new Error(`config.json: ${key} must be a positive integer, got ${JSON.stringify(json[key])}`);
    }
    return value;
  };
  const hiddenSize = int('hidden_size');
  const heads = int('num_attention_heads');
  if (hiddenSize % heads !== 0) {
    throw new Error(`config.json: hidden_size ${hiddenSize} is not divisible by num_attention_heads ${heads}`);
  }
  const act = json.hidden_act ?? 'gelu';
  const gelu = typeof act === 'string' ? GELU[act] : undefined;
  if (!gelu) throw new Error(`config.json: hidden_act ${JSON.stringify(act)} is not supported (gelu, gelu_new, gelu_pytorch_tanh)`);
  const positions = json.position_embedding_type ?? 'absolute';
  if (positions !== 'absolute') throw new Error(`config.json: position_embedding_type ${JSON.stringify(positions)} is not supported (absolute)`);
  const eps = json.layer_norm_eps ?? 1e-12;
  if (typeof eps !== 'number' || !(eps > 0)) throw new Error(`config.json: layer_norm_eps must be a positive number, got ${JSON.stringify(eps)}`);
  return {
    hiddenSize,
    heads,
    layers: int('num_hidden_layers'),
    intermediateSize: int('intermediate_size'),
    vocabSize: int('vocab_size'),
    maxPositions: int('max_position_embeddings', 512),
    typeVocabSize: int('type_vocab_size', 2),
    layerNormEps: eps,
    gelu,
  };
}

/** Every tensor the graph reads, by its BertModel name (no prefix), with the shape the config implies. */
export function bertTensorShapes(config: BertConfig): Map<string, number[]> {
  const { hiddenSize: h, intermediateSize: ffn } = config;
  const shapes = new Map<string, number[]>([
    ['embeddings.word_embeddings.weight', [config.vocabSize, h]],
    ['embeddings.position_embeddings.weight', [config.maxPositions, h]],
    ['embeddings.token_type_embeddings.weight', [config.typeVocabSize, h]],
    ['embeddings.LayerNorm.weight', [h]],
    ['embeddings.LayerNorm.bias', [h]],
  ]);
  for (let l = 0; l < config.layers; l++) {
    const p = `encoder.layer.${l}`;
    for (const linear of ['attention.self.query', 'attention.self.key', 'attention.self.value', 'attention.output.dense']) {
      shapes.set(`${p}.${linear}.weight`, [h, h]).set(`${p}.${linear}.bias`, [h]);
    }
    shapes.set(`${p}.intermediate.dense.weight`, [ffn, h]).set(`${p}.intermediate.dense.bias`, [ffn]);
    shapes.set(`${p}.output.dense.weight`, [h, ffn]).set(`${p}.output.dense.bias`, [h]);
    for (const norm of ['attention.output.LayerNorm', 'output.LayerNorm']) {
      shapes.set(`${p}.${norm}.weight`, [h]).set(`${p}.${norm}.bias`, [h]);
    }
  }
  return shapes;
}

export type WeightSource = (name: string) => Float32Array;

function gelu(g: GraphBuilder, x: string, kind: BertConfig['gelu'], hint: string): string {
  const half = g.node('Mul', [x, g.constant('float', [0.5])], `${hint}.half`);
  let inner: string;
  if (kind === 'erf') {
    // 0.5·x·(1 + erf(x/√2)): exact GELU, what PyTorch's nn.GELU() computes.
    inner = g.node('Erf', [g.node('Div', [x, g.constant('float', [Math.SQRT2])], `${hint}.scaled`)], `${hint}.erf`);
  } else {
    // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
    const cube = g.node('Mul', [g.node('Mul', [x, x], `${hint}.square`), x], `${hint}.cube`);
    const sum = g.node('Add', [x, g.node('Mul', [cube, g.constant('float', [0.044715])], `${hint}.cubic`)], `${hint}.sum`);
    inner = g.node('Tanh', [g.node('Mul', [sum, g.constant('float', [Math.sqrt(2 / Math.PI)])], `${hint}.scaled`)], `${hint}.tanh`);
  }
  return g.node('Mul', [half, g.node('Add', [inner, g.constant('float', [1])], `${hint}.one_plus`)], hint);
}

function embeddings(g: GraphBuilder, config: BertConfig, weight: WeightSource, quantized: boolean): string {
  const h = config.hiddenSize;
  const gather = (table: string, ids: string, hint: string) => g.node('Gather', [table, ids], hint, [attr.int('axis', 0)]);
  let words: string;
  if (quantized) {
    // Gather the uint8 rows first, then dequantize only those (one scale for the table).
    const q = quantizeUint8(weight('embeddings.word_embeddings.weight'));
    const table = g.tensor('embeddings.word_embeddings.weight_quantized', DataType.UINT8, [config.vocabSize, h], q.data);
    const scale = g.floats('embeddings.word_embeddings.weight_scale', [], new Float32Array([q.scale]));
    const zero = g.tensor('embeddings.word_embeddings.weight_zero_point', DataType.UINT8, [], new Uint8Array([q.zeroPoint]));
    words = g.node('DequantizeLinear', [gather(table, 'input_ids', 'embeddings.words_quantized'), scale, zero], 'embeddings.words');
  } else {
    const table = g.floats('embeddings.word_embeddings.weight', [config.vocabSize, h], weight('embeddings.word_embeddings.weight'));
    words = gather(table, 'input_ids', 'embeddings.words');
  }
  // Positions 0..sequence_length-1 come from the input's shape, so no position_ids input is needed.
  const length = g.node('Gather', [g.node('Shape', ['input_ids'], 'input_shape'), g.constant('int64', [1])], 'sequence_length', [attr.int('axis', 0)]);
  const positionIds = g.node('Range', [g.constant('int64', [0]), length, g.constant('int64', [1])], 'position_ids');
  const positionTable = g.floats('embeddings.position_embeddings.weight', [config.maxPositions, h], weight('embeddings.position_embeddings.weight'));
  const typeTable = g.floats('embeddings.token_type_embeddings.weight', [config.typeVocabSize, h], weight('embeddings.token_type_embeddings.weight'));
  const sum = g.node(
    'Add',
    [g.node('Add', [words, gather(typeTable, 'token_type_ids', 'embeddings.types')], 'embeddings.words_types'), gather(positionTable, positionIds, 'embeddings.positions')],
    'embeddings.sum',
  );
  return g.layerNorm(sum, 'embeddings.LayerNorm', weight('embeddings.LayerNorm.weight'), weight('embeddings.LayerNorm.bias'), config.layerNormEps);
}

/** (1 - mask)·min(f32) as [batch, 1, 1, sequence], added to every head's scores: padding gets no attention. */
function attentionBias(g: GraphBuilder): string {
  const mask = g.node('Cast', ['attention_mask'], 'mask_float', [attr.int('to', DataType.FLOAT)]);
  const inverted = g.node('Sub', [g.constant('float', [1]), mask], 'mask_inverted');
  const bias = g.node('Mul', [inverted, g.constant('float', [-3.4028234663852886e38])], 'mask_bias');
  return g.node('Unsqueeze', [bias, g.constant('int64', [1, 2], [2])], 'attention_bias');
}

function layer(g: GraphBuilder, config: BertConfig, weight: WeightSource, quantized: boolean, x: string, bias: string, l: number): string {
  const { hiddenSize: h, heads, intermediateSize: ffn, layerNormEps: eps } = config;
  const p = `encoder.layer.${l}`;
  const linear = (input: string, name: string, out: number, inp: number) =>
    g.linear(input, `${p}.${name}`, weight(`${p}.${name}.weight`), weight(`${p}.${name}.bias`), out, inp, quantized);
  const norm = (input: string, name: string) => g.layerNorm(input, `${p}.${name}`, weight(`${p}.${name}.weight`), weight(`${p}.${name}.bias`), eps);
  // [batch, seq, hidden] -> [batch, heads, seq, head_dim] (key: [batch, heads, head_dim, seq]).
  const split = g.constant('int64', [0, 0, heads, h / heads], [4]);
  const toHeads = (name: string, perm: number[]) =>
    g.node('Transpose', [g.node('Reshape', [linear(x, `attention.self.${name}`, h, h), split], `${p}.${name}_heads`)], `${p}.${name}_t`, [attr.ints('perm', perm)]);
  const query = toHeads('query', [0, 2, 1, 3]);
  const key = toHeads('key', [0, 2, 3, 1]);
  const value = toHeads('value', [0, 2, 1, 3]);
  const scores = g.node('Div', [g.node('MatMul', [query, key], `${p}.scores_raw`), g.constant('float', [Math.sqrt(h / heads)])], `${p}.scores`);
  const probs = g.node('Softmax', [g.node('Add', [scores, bias], `${p}.scores_masked`)], `${p}.probs`, [attr.int('axis', -1)]);
  const context = g.node('Transpose', [g.node('MatMul', [probs, value], `${p}.context_heads`)], `${p}.context_t`, [attr.ints('perm', [0, 2, 1, 3])]);
  const merged = g.node('Reshape', [context, g.constant('int64', [0, 0, h], [3])], `${p}.context`);
  const attended = norm(g.node('Add', [linear(merged, 'attention.output.dense', h, h), x], `${p}.attention_residual`), 'attention.output.LayerNorm');
  const hidden = gelu(g, linear(attended, 'intermediate.dense', ffn, h), config.gelu, `${p}.gelu`);
  return norm(g.node('Add', [linear(hidden, 'output.dense', h, ffn), attended], `${p}.output_residual`), 'output.LayerNorm');
}

/** The serialised encoder; `quantized` gives the `q8` variant (uint8 weights, dynamic activation quantization). */
export function buildBertModel(config: BertConfig, weight: WeightSource, quantized: boolean): Uint8Array {
  const g = new GraphBuilder();
  const bias = attentionBias(g);
  let x = embeddings(g, config, weight, quantized);
  for (let l = 0; l < config.layers; l++) x = layer(g, config, weight, quantized, x, bias, l);
  g.output(x, 'last_hidden_state');
  const ids = (name: string) => valueInfo(name, DataType.INT64, ['batch_size', 'sequence_length']);
  return encodeModel(g, {
    name: 'bert_encoder',
    opset: 17,
    docString: `BERT encoder: ${config.layers} layers, hidden ${config.hiddenSize}, ${config.heads} heads${quantized ? ', dynamic uint8 quantization' : ''}`,
    inputs: [ids('input_ids'), ids('attention_mask'), ids('token_type_ids')],
    outputs: [valueInfo('last_hidden_state', DataType.FLOAT, ['batch_size', 'sequence_length', config.hiddenSize])],
  });
}
