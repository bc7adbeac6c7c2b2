// Reads a document upload in any of its three forms: JSON with the text inline;
// multipart/form-data with the file in the field "file" and the other fields
// beside it; or the file itself as the body, with its content type and the
// fields in the query string. The file name (Content-Disposition, or the form's)
// is the default source, and its extension helps find the format.
import type { Request } from '@google-cloud/functions-framework';
import busboy from 'busboy';
import type { DocumentInput } from '../../shared/documents/prepared-document.ts';
import { ProblemError } from '../../shared/errors/problem-error.ts';
import { parseOrThrow } from '../../shared/errors/zod-issues.ts';
import type { ApiSchemas, DocumentFields } from './api-schemas.ts';
import { readJsonBody } from './read-json-body.ts';

export interface DocumentUpload {
  fields: DocumentFields;
  input: DocumentInput;
}

const FORM_FIELD_BYTES = 64 * 1024;
/** What a multipart envelope (boundaries, part headers, fields) may add to the file. */
export const FORM_OVERHEAD_BYTES = 16 * FORM_FIELD_BYTES;

const tooLarge = (maxBytes: number) => new ProblemError('payload_too_large', `The document exceeds ${maxBytes} bytes`);

/** The file name, without folders, as a multipart part's is (busboy drops them too). */
const baseName = (name: string | undefined) => name?.split(/[\\/]/).pop() || undefined;

/** The filename parameter of a Content-Disposition header (RFC 6266: filename* first). */
function dispositionFilename(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*(?:utf-8|UTF-8)''([^;\s]{1,1024})/.exec(header)?.[1];
  if (extended) {
    try {
      return baseName(decodeURIComponent(extended));
    } catch {
      return undefined;
    }
  }
  return baseName(/filename\s*=\s*(?:"([^"]{1,1024})"|([^;\s]{1,1024}))/.exec(header)?.slice(1).find(Boolean));
}

function withSource(api: ApiSchemas, raw: Record<string, unknown>, fileName: string | undefined, where: string): DocumentFields {
  const parsed = parseOrThrow(api.uploadFields, raw, 'invalid_request', where);
  const source = parsed.source ?? fileName;
  if (!source) throw new ProblemError('invalid_request', `Name the document: a source ${where === 'Query string' ? 'parameter' : 'field'}, or a file name`);
  return { ...parsed, source: parseOrThrow(api.documentFields.shape.source, source, 'invalid_request', 'File name') };
}

function readRaw(req: Request, api: ApiSchemas, maxBytes: number): DocumentUpload {
  if (!req.get('content-type')) {
    throw new ProblemError('unsupported_media_type', 'Send the document with its Content-Type (application/octet-stream and a file name will do)');
  }
  const bytes = req.rawBody;
  if (!bytes || bytes.length === 0) throw new ProblemError('invalid_request', 'The body is empty: send the document itself');
  if (bytes.length > maxBytes) throw tooLarge(maxBytes);
  const fileName = dispositionFilename(req.get('content-disposition'));
  const fields = withSource(api, req.query as Record<string, unknown>, fileName, 'Query string');
  return { fields, input: { bytes, contentType: req.get('content-type'), name: fileName ?? fields.source } };
}

function readMultipart(req: Request, api: ApiSchemas, maxBytes: number): Promise<DocumentUpload> {
  return new Promise((resolve, reject) => {
    let form: busboy.Busboy;
    try {
      // UTF-8 file names (busboy's default for filename parameters is latin1).
      form = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { files: 1, fileSize: maxBytes, fields: 16, fieldSize: FORM_FIELD_BYTES, parts: 17 } });
    } catch {
      return reject(new ProblemError('invalid_request', 'A multipart/form-data body needs a boundary'));
    }
    const fields = new Map<string, string>();
    let file: { bytes: Buffer; name: string; type: string } | undefined;
    let failure: ProblemError | undefined;
    const fail = (problem: ProblemError) => void (failure ??= problem);
    form.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(new ProblemError('payload_too_large', `The form field "${name.slice(0, 64)}" exceeds ${FORM_FIELD_BYTES} bytes`));
      else fields.set(name, value);
    });
    form.on('file', (name, stream, info) => {
      // A body cut off inside a part errors the part's stream: unheard, that would end the process.
      stream.on('error', () => fail(new ProblemError('invalid_request', 'The multipart/form-data body ends inside a part')));
      if (name !== 'file' || file) {
        stream.resume();
        return fail(new ProblemError('invalid_request', 'Send one document, in the form field "file"'));
      }
      const parts: Buffer[] = [];
      stream.on('data', (part: Buffer) => parts.push(part));
      stream.on('limit', () => fail(tooLarge(maxBytes)));
      stream.on('close', () => (file = { bytes: Buffer.concat(parts), name: info.filename ?? '', type: info.mimeType }));
    });
    form.on('filesLimit', () => fail(new ProblemError('invalid_request', 'Send one document per request')));
    form.on('fieldsLimit', () => fail(new ProblemError('invalid_request', 'The form has too many fields')));
    form.on('partsLimit', () => fail(new ProblemError('invalid_request', 'The form has too many parts')));
    form.on('error', () => reject(failure ?? new ProblemError('invalid_request', 'The multipart/form-data body is malformed')));
    form.on('close', () => {
      if (failure) return reject(failure);
      if (!file) return reject(new ProblemError('invalid_request', 'The form has no document in its field "file"'));
      if (file.bytes.length === 0) return reject(new ProblemError('empty_document', 'The file in the field "file" is empty'));
      try {
        const parsed = withSource(api, Object.fromEntries(fields), file.name || undefined, 'Form fields');
        resolve({ fields: parsed, input: { bytes: file.bytes, contentType: file.type, name: file.name || parsed.source } });
      } catch (error) {
        reject(error);
      }
    });
    form.end(req.rawBody ?? Buffer.alloc(0));
  });
}

export async function readDocumentUpload(req: Request, api: ApiSchemas, maxBytes: number): Promise<DocumentUpload> {
  if (req.is('application/json')) {
    const { text, contentType, ...fields } = readJsonBody(req, api.documentRequest, maxBytes);
    return { fields, input: { bytes: Buffer.from(text), contentType, name: fields.source } };
  }
  if (req.is('multipart/form-data')) return readMultipart(req, api, maxBytes);
  return readRaw(req, api, maxBytes);
}
