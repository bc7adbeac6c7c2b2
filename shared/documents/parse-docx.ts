// DOCX through mammoth (Word styles → semantic HTML: headings, lists, tables
// with header rows) and then the HTML block builder. mammoth reads the zip with
// JSZip, which would inflate whatever it is given; so it is given a package
// rebuilt, uncompressed, from only the XML parts, each inflated here under the
// zip guard. Images are never inflated and never inlined as data URIs.
import { Buffer } from 'node:buffer';
import { zipSync } from 'fflate';
import mammoth from 'mammoth';
import { ProblemError } from '../errors/problem-error.ts';
import type { ParsedDocument, ParseLimits } from './blocks.ts';
import { openOfficePackage } from './office-package.ts';
import { htmlToBlocks } from './parse-html.ts';

const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => p:fresh"];
const DOCTYPE = Buffer.from('<!DOCTYPE');

function xmlParts(bytes: Uint8Array, maxExpandedBytes: number): Uint8Array {
  const pkg = openOfficePackage(bytes, maxExpandedBytes);
  const parts: Record<string, Uint8Array> = {};
  for (const name of pkg.names()) {
    if (!name.endsWith('.xml') && !name.endsWith('.rels')) continue;
    const part = pkg.bytes(name)!;
    // Entity declarations are how XML bombs expand; OOXML parts never declare a DTD.
    if (Buffer.from(part.buffer, part.byteOffset, part.byteLength).includes(DOCTYPE)) {
      throw new ProblemError('corrupt_document', `Part ${name} declares a document type`);
    }
    parts[name] = part;
  }
  if (!Object.keys(parts).some((name) => name.startsWith('word/'))) {
    throw new ProblemError('corrupt_document', 'The package has no Word document part');
  }
  return zipSync(parts, { level: 0 });
}

export async function parseDocx(bytes: Uint8Array, limits: ParseLimits): Promise<ParsedDocument> {
  const rebuilt = xmlParts(bytes, limits.maxExpandedBytes);
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(rebuilt.buffer, rebuilt.byteOffset, rebuilt.byteLength) },
      {
        styleMap: STYLE_MAP,
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
        externalFileAccess: false,
      },
    );
    html = result.value;
  } catch (error) {
    throw new ProblemError('corrupt_document', 'The Word document cannot be read', { cause: error });
  }
  return { blocks: htmlToBlocks(html), warnings: [] };
}
