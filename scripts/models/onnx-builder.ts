// A small ONNX graph builder over onnx-proto: nodes get unique output names,
// initializers are typed, and MatMuls against constant weights come in the fp32
// form or onnxruntime's dynamic-quantization form, so graphs read like the math.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
export const { DataType } = onnx.TensorProto;
const { AttributeType } = onnx.AttributeProto;

export type Attribute = onnxProto.onnx.IAttributeProto;

export const attr = {
  int: (name: string, i: number): Attribute => ({ name, type: AttributeType.INT, i }),
  ints: (name: string, ints: number[]): Attribute => ({ name, type: AttributeType.INTS, ints }),
  float: (name: string, f: number): Attribute => ({ name, type: AttributeType.FLOAT, f }),
};

/** Affine uint8 quantization of a whole tensor, as onnxruntime's quantize_dynamic does for weights. */
export function quantizeUint8(values: Float32Array): { data: Uint8Array; scale: number; zeroPoint: number } {
  // The range must include 0 so that 0 is exactly representable (padding, ReLU zeros).
  let min = 0;
  let max = 0;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const scale = (max - min) / 255 || 1;
  const zeroPoint = Math.min(255, Math.max(0, Math.round(-min / scale)));
  const data = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    data[i] = Math.min(255, Math.max(0, Math.round(values[i]! / scale) + zeroPoint));
  }
  return { data, scale, zeroPoint };
}

const bytesOf = (view: ArrayBufferView): Uint8Array => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

export class GraphBuilder {
  readonly nodes: onnxProto.onnx.INodeProto[] = [];
  readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private counter = 0;
  private readonly constants = new Map<string, string>();

  /** A fresh value name; `hint` keeps the graph readable in Netron. */
  name(hint: string): string {
    return `${hint}_${this.counter++}`;
  }

  /** Adds a single-output node and returns the output's name. */
  node(opType: string, inputs: string[], hint = opType.toLowerCase(), attribute: Attribute[] = []): string {
    const output = this.name(hint);
    this.nodes.push(onnx.NodeProto.create({ opType, input: inputs, output: [output], name: output, attribute }));
    return output;
  }

  /** Exposes `value` under the exact name a graph output must have. */
  output(value: string, name: string): void {
    this.nodes.push(onnx.NodeProto.create({ opType: 'Identity', input: [value], output: [name], name }));
  }

  /** A node with several outputs, all returned. */
  multi(opType: string, inputs: string[], hint: string, outputs: number): string[] {
    const base = this.name(hint);
    const names = Array.from({ length: outputs }, (_, i) => `${base}_${i}`);
    this.nodes.push(onnx.NodeProto.create({ opType, input: inputs, output: names, name: names[0] }));
    return names;
  }

  tensor(name: string, dataType: number, dims: readonly number[], data: ArrayBufferView): string {
    this.initializers.push(onnx.TensorProto.create({ name, dataType, dims: [...dims], rawData: bytesOf(data) }));
    return name;
  }

  floats(name: string, dims: readonly number[], data: Float32Array): string {
    return this.tensor(name, DataType.FLOAT, dims, data);
  }

  /** A shared constant; `dims` [] keeps it 0-d, which Range and Slice require of scalars. */
  constant(kind: 'float' | 'int64', values: readonly number[], dims: readonly number[] = []): string {
    const key = `${kind}:${dims.join('x')}:${values.join(',')}`;
    const existing = this.constants.get(key);
    if (existing) return existing;
    const name = this.name(`const_${kind}`);
    if (kind === 'float') this.tensor(name, DataType.FLOAT, dims, new Float32Array(values));
    else this.tensor(name, DataType.INT64, dims, new BigInt64Array(values.map(BigInt)));
    this.constants.set(key, name);
    return name;
  }

  /**
   * x [.., in] · weight + bias, where `weight` is a PyTorch Linear weight [out, in].
   * Quantized, it is what quantize_dynamic emits: the activation is quantized per
   * call (DynamicQuantizeLinear), multiplied in integers against the uint8 weight,
   * and rescaled by the product of the two scales.
   */
  linear(x: string, prefix: string, weight: Float32Array, bias: Float32Array, outFeatures: number, inFeatures: number, quantized: boolean): string {
    const transposed = new Float32Array(weight.length);
    for (let o = 0; o < outFeatures; o++) {
      for (let i = 0; i < inFeatures; i++) transposed[i * outFeatures + o] = weight[o * inFeatures + i]!;
    }
    const biasName = this.floats(`${prefix}.bias`, [outFeatures], bias);
    let product: string;
    if (quantized) {
      const q = quantizeUint8(transposed);
      const w = this.tensor(`${prefix}.weight_quantized`, DataType.UINT8, [inFeatures, outFeatures], q.data);
      const wScale = this.floats(`${prefix}.weight_scale`, [], new Float32Array([q.scale]));
      const wZero = this.tensor(`${prefix}.weight_zero_point`, DataType.UINT8, [], new Uint8Array([q.zeroPoint]));
      const [xq, xScale, xZero] = this.multi('DynamicQuantizeLinear', [x], `${prefix}.input_quantized`, 3) as [string, string, string];
      const integer = this.node('MatMulInteger', [xq, w, xZero, wZero], `${prefix}.matmul_integer`);
      const asFloat = this.node('Cast', [integer], `${prefix}.matmul_float`, [attr.int('to', DataType.FLOAT)]);
      const scale = this.node('Mul', [xScale, wScale], `${prefix}.scale`);
      product = this.node('Mul', [asFloat, scale], `${prefix}.matmul`);
    } else {
      const w = this.floats(`${prefix}.weight`, [inFeatures, outFeatures], transposed);
      product = this.node('MatMul', [x, w], `${prefix}.matmul`);
    }
    return this.node('Add', [product, biasName], prefix);
  }

  layerNorm(x: string, prefix: string, weight: Float32Array, bias: Float32Array, epsilon: number): string {
    const scale = this.floats(`${prefix}.weight`, [weight.length], weight);
    const shift = this.floats(`${prefix}.bias`, [bias.length], bias);
    return this.node('LayerNormalization', [x, scale, shift], prefix, [attr.int('axis', -1), attr.float('epsilon', epsilon)]);
  }
}

const dimsOf = (dims: readonly (number | string)[]) => ({
  dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
});

export function valueInfo(name: string, elemType: number, dims: readonly (number | string)[]) {
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType, shape: dimsOf(dims) } } });
}

export interface ModelSpec {
  readonly name: string;
  readonly inputs: onnxProto.onnx.IValueInfoProto[];
  readonly outputs: onnxProto.onnx.IValueInfoProto[];
  readonly opset: number;
  readonly docString?: string;
}

export function encodeModel(builder: GraphBuilder, spec: ModelSpec): Uint8Array {
  const model = onnx.ModelProto.create({
    // IR 8 is the first to allow opset 17 (LayerNormalization); onnx-proto speaks IR 8.
    irVersion: 8,
    producerName: 'ragnative',
    docString: spec.docString ?? '',
    opsetImport: [{ domain: '', version: spec.opset }],
    graph: {
      name: spec.name,
      node: builder.nodes,
      initializer: builder.initializers,
      input: spec.inputs,
      output: spec.outputs,
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
