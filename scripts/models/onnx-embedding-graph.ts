// Writes a BERT-shaped ONNX graph whose hidden state is a word-embedding lookup:
//   last_hidden_state = (Gather(word, input_ids) + Gather(type, token_type_ids)) * attention_mask
// transformers.js' feature-extraction pipeline then mean-pools and normalises it,
// exactly as it does for a full transformer. Opset 13.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const { DataType } = onnx.TensorProto;

export interface EmbeddingTable {
  /** Row-major [vocabSize, dim]. */
  readonly weights: Float32Array;
  readonly vocabSize: number;
  readonly dim: number;
}

/** Per-tensor affine uint8 quantisation, as DequantizeLinear reads it. */
function quantize(weights: Float32Array): { data: Uint8Array; scale: number; zeroPoint: number } {
  let min = 0;
  let max = 0;
  for (const w of weights) {
    if (w < min) min = w;
    if (w > max) max = w;
  }
  const scale = (max - min) / 255 || 1;
  const zeroPoint = Math.round(-min / scale);
  const data = new Uint8Array(weights.length);
  for (let i = 0; i < weights.length; i++) {
    data[i] = Math.min(255, Math.max(0, Math.round(weights[i]! / scale) + zeroPoint));
  }
  return { data, scale, zeroPoint };
}

function tensor(name: string, dataType: number, dims: number[], raw: Uint8Array) {
  return onnx.TensorProto.create({ name, dataType, dims, rawData: raw });
}

function floats(values: Float32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

function int64Input(name: string) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: DataType.INT64,
        shape: { dim: [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }] },
      },
    },
  });
}

function node(opType: string, input: string[], output: string[], attribute: object[] = []) {
  return onnx.NodeProto.create({ opType, input, output, name: output[0], attribute });
}

/** Serialises the model; `quantized` stores the word table as uint8 (the `q8` dtype). */
export function buildEmbeddingModel(table: EmbeddingTable, quantized: boolean): Uint8Array {
  const { weights, vocabSize, dim } = table;
  const initializer = [
    tensor('type_embeddings', DataType.FLOAT, [2, dim], floats(new Float32Array(2 * dim))),
    tensor('unsqueeze_axes', DataType.INT64, [1], new Uint8Array(new BigInt64Array([-1n]).buffer)),
  ];
  const nodes = [];
  if (quantized) {
    const q = quantize(weights);
    initializer.push(
      tensor('word_embeddings_q', DataType.UINT8, [vocabSize, dim], q.data),
      tensor('word_scale', DataType.FLOAT, [], floats(new Float32Array([q.scale]))),
      tensor('word_zero_point', DataType.UINT8, [], new Uint8Array([q.zeroPoint])),
    );
    nodes.push(node('DequantizeLinear', ['word_embeddings_q', 'word_scale', 'word_zero_point'], ['word_embeddings']));
  } else {
    initializer.push(tensor('word_embeddings', DataType.FLOAT, [vocabSize, dim], floats(weights)));
  }
  nodes.push(
    node('Gather', ['word_embeddings', 'input_ids'], ['words'], [{ name: 'axis', type: 2, i: 0 }]),
    node('Gather', ['type_embeddings', 'token_type_ids'], ['types'], [{ name: 'axis', type: 2, i: 0 }]),
    node('Add', ['words', 'types'], ['embedded']),
    node('Cast', ['attention_mask'], ['mask_float'], [{ name: 'to', type: 2, i: DataType.FLOAT }]),
    node('Unsqueeze', ['mask_float', 'unsqueeze_axes'], ['mask_3d']),
    node('Mul', ['embedded', 'mask_3d'], ['last_hidden_state']),
  );
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'ragnative',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'word_embedding_bert',
      node: nodes,
      initializer,
      input: [int64Input('input_ids'), int64Input('attention_mask'), int64Input('token_type_ids')],
      output: [
        onnx.ValueInfoProto.create({
          name: 'last_hidden_state',
          type: {
            tensorType: {
              elemType: DataType.FLOAT,
              shape: { dim: [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }, { dimValue: dim }] },
            },
          },
        }),
      ],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
