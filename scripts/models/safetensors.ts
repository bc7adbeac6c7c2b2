// Reads a safetensors file: an 8-byte little-endian header length, a JSON header
// ({ name: { dtype, shape, data_offsets: [begin, end] } }, offsets relative to the
// end of the header), then the raw little-endian tensor bytes.
// Tensors are decoded to Float32Array only when asked for, so a checkpoint may
// hold tensors we never use (BERT's int64 `embeddings.position_ids`) in any dtype.

export interface FloatTensor {
  readonly shape: readonly number[];
  /** Row-major values, converted to f32. */
  readonly data: Float32Array;
}

export interface TensorInfo {
  readonly dtype: string;
  readonly shape: readonly number[];
}

export interface SafetensorsFile {
  /** Every tensor the header lists, by name (metadata excluded). */
  readonly tensors: ReadonlyMap<string, TensorInfo>;
  /** The tensor as f32; throws for an unknown name or a dtype that is not F32, F16 or BF16. */
  float(name: string): FloatTensor;
  readonly metadata: Readonly<Record<string, string>>;
}

const BYTES: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };
const FLOAT_DTYPES = new Set(['F32', 'F16', 'BF16']);
/** The format caps the header at 100 MB; anything larger is a corrupt or foreign file. */
const MAX_HEADER = 100_000_000;

interface Entry extends TensorInfo {
  readonly begin: number;
  readonly end: number;
}

/** IEEE half precision to f32, subnormals and infinities included. */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function parseHeader(bytes: Uint8Array): { entries: Map<string, Entry>; metadata: Record<string, string>; dataStart: number } {
  if (bytes.byteLength < 8) throw new Error('safetensors: file shorter than its 8-byte header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER || 8 + headerLength > bytes.byteLength) {
    throw new Error(`safetensors: header length ${headerLength} does not fit a ${bytes.byteLength}-byte file`);
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`safetensors: header is not JSON (${(error as Error).message})`);
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.byteLength - dataStart;
  const entries = new Map<string, Entry>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = (value ?? {}) as Record<string, string>;
      continue;
    }
    const { dtype, shape, data_offsets: offsets } = (value ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof dtype !== 'string' || !Array.isArray(shape) || !Array.isArray(offsets) || offsets.length !== 2) {
      throw new Error(`safetensors: tensor ${name} has a malformed header entry`);
    }
    const [begin, end] = offsets as number[];
    const size = BYTES[dtype];
    const count = (shape as number[]).reduce((product, dim) => product * dim, 1);
    if (!Number.isSafeInteger(begin) || !Number.isSafeInteger(end) || begin! < 0 || end! < begin! || end! > dataLength) {
      throw new Error(`safetensors: tensor ${name} lies outside the file (offsets ${begin}..${end}, ${dataLength} data bytes)`);
    }
    if (size !== undefined && end! - begin! !== count * size) {
      throw new Error(`safetensors: tensor ${name} holds ${end! - begin!} bytes, but ${dtype} ${JSON.stringify(shape)} needs ${count * size}`);
    }
    entries.set(name, { dtype, shape: shape as number[], begin: begin!, end: end! });
  }
  return { entries, metadata, dataStart };
}

function decode(entry: Entry, raw: Uint8Array): Float32Array {
  const count = entry.shape.reduce((product, dim) => product * dim, 1);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float32Array(count);
  if (entry.dtype === 'F32') {
    // A byte copy: the file buffer need not be 4-byte aligned, and the caller may keep the tensor.
    // Both the file and every platform Node runs on are little-endian.
    new Uint8Array(out.buffer).set(raw);
  } else if (entry.dtype === 'F16') {
    for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
  } else {
    // bfloat16 is the top half of an f32.
    const words = new Uint32Array(out.buffer);
    for (let i = 0; i < count; i++) words[i] = view.getUint16(i * 2, true) << 16;
  }
  return out;
}

/** Parses the header of an in-memory safetensors file; tensors decode on demand. */
export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  const { entries, metadata, dataStart } = parseHeader(bytes);
  return {
    tensors: entries,
    metadata,
    float(name) {
      const entry = entries.get(name);
      if (!entry) throw new Error(`safetensors: no tensor named ${name}`);
      if (!FLOAT_DTYPES.has(entry.dtype)) {
        throw new Error(`safetensors: tensor ${name} is ${entry.dtype}; only F32, F16 and BF16 weights are supported`);
      }
      return { shape: entry.shape, data: decode(entry, bytes.subarray(dataStart + entry.begin, dataStart + entry.end)) };
    },
  };
}
