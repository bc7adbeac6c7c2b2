// Zip-bomb defence for OOXML packages. The declared sizes are judged before
// anything is inflated (total against maxExpandedBytes, and the compression
// ratio); then each entry is inflated in small steps into a buffer of exactly its
// declared size, so a liar is stopped the moment it overruns: the total expanded
// never exceeds the declared total, which was checked. Small steps bound the
// memory one step can produce (deflate expands at most ~1032:1).
import { Inflate } from 'fflate';
import { ProblemError } from '../errors/problem-error.ts';
import { entryData, type ZipEntry } from './zip-directory.ts';

/** Office XML compresses 5–30:1; zeros compress ~1000:1. Only large entries are judged. */
const MAX_RATIO = 200;
const RATIO_FLOOR_BYTES = 1 << 20;
/** 4 KiB of deflate input inflates to at most ~4 MiB. */
const STEP_BYTES = 4096;
const DEFLATE = 8;
const STORED = 0;

const tooComplex = (detail: string) => new ProblemError('document_too_complex', detail);
const corrupt = (detail: string, cause?: unknown) => new ProblemError('corrupt_document', detail, { cause });

export function checkDeclaredSizes(entries: readonly ZipEntry[], maxExpandedBytes: number): void {
  let total = 0;
  for (const entry of entries) {
    total += entry.size;
    if (entry.size > RATIO_FLOOR_BYTES && entry.size > Math.max(entry.compressedSize, 1) * MAX_RATIO) {
      const sizes = `${entry.size} from ${entry.compressedSize} bytes`;
      throw tooComplex(`A zip entry declares a suspicious compression ratio (${sizes})`);
    }
  }
  if (total > maxExpandedBytes) {
    throw tooComplex(`The zip expands to ${total} bytes, over the limit of ${maxExpandedBytes}`);
  }
}

export function inflateEntry(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  if (entry.encrypted) throw new ProblemError('encrypted_document', 'The zip entries are encrypted');
  const data = entryData(bytes, entry);
  if (entry.method === STORED) {
    if (data.length !== entry.size) throw corrupt(`Stored zip entry ${entry.name} has the wrong size`);
    return data;
  }
  if (entry.method !== DEFLATE) {
    throw corrupt(`Unsupported zip compression method ${entry.method}`);
  }
  const out = new Uint8Array(entry.size);
  let filled = 0;
  const inflater = new Inflate((chunk) => {
    if (filled + chunk.length > out.length) throw tooComplex('A zip entry expands beyond its declared size');
    out.set(chunk, filled);
    filled += chunk.length;
  });
  try {
    let at = 0;
    do {
      const end = Math.min(at + STEP_BYTES, data.length);
      inflater.push(data.subarray(at, end), end === data.length);
      at = end;
    } while (at < data.length);
  } catch (error) {
    if (error instanceof ProblemError) throw error;
    throw corrupt(`Zip entry ${entry.name} does not inflate`, error);
  }
  if (filled !== out.length) throw corrupt(`Zip entry ${entry.name} is shorter than declared`);
  return out;
}
