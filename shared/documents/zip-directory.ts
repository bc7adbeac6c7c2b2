// Reads a zip's central directory without inflating anything, so the declared
// sizes can be judged before a single byte is expanded. Layout per PKWARE
// APPNOTE.TXT 4.3.12 (central header), 4.3.16 (end record), 4.3.14/4.5.3 (zip64).
import { ProblemError } from '../errors/problem-error.ts';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate; anything else is refused when read */
  method: number;
  encrypted: boolean;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const END_RECORD = 0x06054b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END_RECORD = 0x06064b50;
const ZIP64_EXTRA = 0x0001;
/** The classic format's own limit; an office file near it is far past any page or sheet limit. */
const MAX_ENTRIES = 65_535;
const MAX_COMMENT = 0xffff;

const corrupt = (detail: string) => new ProblemError('corrupt_document', `Corrupt zip container: ${detail}`);

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function findEndRecord(view: DataView): number {
  const last = view.byteLength - 22;
  for (let at = last; at >= 0 && at >= last - MAX_COMMENT; at--) {
    if (view.getUint32(at, true) === END_RECORD) return at;
  }
  return -1;
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ProblemError('document_too_complex', 'A zip size exceeds any limit');
  }
  return Number(value);
}

function readZip64End(view: DataView, endRecord: number): { count: number; offset: number } {
  const locator = endRecord - 20;
  if (locator < 0 || view.getUint32(locator, true) !== ZIP64_LOCATOR) throw corrupt('zip64 locator missing');
  const record = safeNumber(view.getBigUint64(locator + 8, true));
  if (record + 56 > view.byteLength || view.getUint32(record, true) !== ZIP64_END_RECORD) {
    throw corrupt('zip64 end record missing');
  }
  return {
    count: safeNumber(view.getBigUint64(record + 32, true)),
    offset: safeNumber(view.getBigUint64(record + 48, true)),
  };
}

/** Replaces 0xFFFFFFFF placeholders with the zip64 extra field's 8-byte values, in their fixed order. */
function applyZip64Extra(view: DataView, start: number, end: number, entry: ZipEntry): void {
  for (let at = start; at + 4 <= end; ) {
    const id = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (id === ZIP64_EXTRA) {
      let field = at + 4;
      const next = () => {
        if (field + 8 > at + 4 + length) throw corrupt('short zip64 extra field');
        const value = safeNumber(view.getBigUint64(field, true));
        field += 8;
        return value;
      };
      if (entry.size === 0xffffffff) entry.size = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next();
      return;
    }
    at += 4 + length;
  }
}

export function readZipDirectory(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const endRecord = findEndRecord(view);
  if (endRecord < 0) throw corrupt('no end of central directory (truncated?)');
  let count = view.getUint16(endRecord + 10, true);
  let offset = view.getUint32(endRecord + 16, true);
  if (count === 0xffff || offset === 0xffffffff) ({ count, offset } = readZip64End(view, endRecord));
  if (count > MAX_ENTRIES) throw new ProblemError('document_too_complex', `The zip has ${count} entries`);
  const names = new TextDecoder();
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL_HEADER) throw corrupt('bad central directory');
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const nameEnd = at + 46 + nameLength;
    if (nameEnd + extraLength > bytes.length) throw corrupt('bad central directory');
    const entry: ZipEntry = {
      name: names.decode(bytes.subarray(at + 46, nameEnd)),
      method: view.getUint16(at + 10, true),
      encrypted: (view.getUint16(at + 8, true) & 1) === 1,
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localHeaderOffset: view.getUint32(at + 42, true),
    };
    applyZip64Extra(view, nameEnd, nameEnd + extraLength, entry);
    entries.push(entry);
    at = nameEnd + extraLength + commentLength;
  }
  return entries;
}

/** The entry's compressed bytes (a view, not a copy), found through its local header. */
export function entryData(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const at = entry.localHeaderOffset;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL_HEADER) {
    throw corrupt(`bad local header for ${entry.name}`);
  }
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start + entry.compressedSize > bytes.length) throw corrupt(`${entry.name} is truncated`);
  return bytes.subarray(start, start + entry.compressedSize);
}
