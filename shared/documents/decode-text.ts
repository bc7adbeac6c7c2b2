// Text formats must be UTF-8 (the pipeline does not guess legacy code pages);
// a byte order mark is not content.
import { isUtf8 } from 'node:buffer';
import { ProblemError } from '../errors/problem-error.ts';

export function decodeUtf8(bytes: Uint8Array): string {
  if (!isUtf8(bytes)) throw new ProblemError('invalid_encoding', 'The document is not UTF-8 text');
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
