// Opens an OOXML package (DOCX, PPTX, XLSX) for reading parts on demand: nothing
// is inflated until a parser asks for it, and then only within the zip guard.
// Encrypted OOXML is not a zip at all but an OLE compound file holding an
// EncryptionInfo stream (MS-OFFCRYPTO §2.3.4.15), so that is checked first.
import { Buffer } from 'node:buffer';
import { ProblemError } from '../errors/problem-error.ts';
import { isZip, readZipDirectory, type ZipEntry } from './zip-directory.ts';
import { checkDeclaredSizes, inflateEntry } from './zip-guard.ts';

const COMPOUND_FILE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ENCRYPTION_INFO = Buffer.from('EncryptionInfo', 'utf16le');
const LEGACY_STREAMS = ['WordDocument', 'Workbook', 'PowerPoint Document'].map((name) => Buffer.from(name, 'utf16le'));

export interface OfficePackage {
  names(): string[];
  /** A part's bytes, inflated now; undefined when absent. */
  bytes(name: string): Uint8Array | undefined;
  /** A part decoded as UTF-8 text. */
  text(name: string): string | undefined;
}

export function isCompoundFile(bytes: Uint8Array): boolean {
  return COMPOUND_FILE.every((byte, i) => bytes[i] === byte);
}

/** An OLE file named as OOXML is an encrypted package, unless it is a legacy binary document. */
function refuseCompoundFile(bytes: Uint8Array): never {
  const haystack = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const encrypted = haystack.includes(ENCRYPTION_INFO);
  if (!encrypted && LEGACY_STREAMS.some((name) => haystack.includes(name))) {
    const detail = 'Legacy binary Office files (.doc/.xls/.ppt) are not supported: save as OOXML';
    throw new ProblemError('corrupt_document', detail);
  }
  throw new ProblemError('encrypted_document', 'The Office document is password-protected (an encrypted OLE package)');
}

export function openOfficePackage(bytes: Uint8Array, maxExpandedBytes: number): OfficePackage {
  if (isCompoundFile(bytes)) refuseCompoundFile(bytes);
  if (!isZip(bytes)) throw new ProblemError('corrupt_document', 'The document is not a zip package');
  const entries = readZipDirectory(bytes);
  checkDeclaredSizes(entries, maxExpandedBytes);
  const byName = new Map<string, ZipEntry>(entries.map((entry) => [entry.name, entry]));
  const read = (name: string) => {
    const entry = byName.get(name);
    return entry && inflateEntry(bytes, entry);
  };
  return {
    names: () => [...byName.keys()],
    bytes: read,
    text: (name) => {
      const part = read(name);
      return part && new TextDecoder().decode(part);
    },
  };
}
