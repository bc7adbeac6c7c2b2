// Turns an object's bytes into plain text by content type (or file extension).
// PDF is not parsed: a poor PDF text layer would be indexed as if it were right.
import { isUtf8 } from 'node:buffer';
import { ProblemError } from '../errors/problem-error.ts';

export type ContentKind = 'text' | 'markdown' | 'html' | 'json';

const BY_EXTENSION: Record<string, ContentKind> = { txt: 'text', text: 'text', md: 'markdown', markdown: 'markdown', html: 'html', htm: 'html', json: 'json' };
const BY_TYPE: Record<string, ContentKind> = { 'text/plain': 'text', 'text/markdown': 'markdown', 'text/x-markdown': 'markdown', 'text/html': 'html', 'application/json': 'json' };

export function contentKind(contentType: string | undefined, key: string): ContentKind | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  const extension = /\.([a-z0-9]+)$/i.exec(key)?.[1]?.toLowerCase();
  return (type && BY_TYPE[type]) || (extension ? BY_EXTENSION[extension] : undefined);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<\/(p|div|section|article|li|tr|h[1-6]|pre|blockquote)\s*>|<br\s*\/?>/gi, '\n\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (entity, name: string) => {
      if (name.startsWith('#')) {
        const code = name[1]?.toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : entity;
      }
      return ENTITIES[name.toLowerCase()] ?? entity;
    })
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n\s*/g, '\n\n')
    .trim();
}

function markdownToText(markdown: string): string {
  return markdown
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1') // images: keep alt text
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1') // links: keep link text
    .replace(/^[ \t]{0,3}#{1,6}[ \t]+/gm, '') // heading markers
    .replace(/^[ \t]*>[ \t]?/gm, '') // block quotes
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/^```.*$/gm, '')
    .trim();
}

function jsonToText(value: unknown, path = ''): string[] {
  if (value === null || typeof value !== 'object') return [`${path || 'value'}: ${String(value)}`];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return entries.flatMap(([key, v]) => jsonToText(v, path ? `${path}.${key}` : key));
}

export function parseContent(bytes: Uint8Array, kind: ContentKind): string {
  if (!isUtf8(bytes)) throw new ProblemError('invalid_encoding', 'The object is not UTF-8 text');
  return parseText(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ''), kind);
}

export function parseText(text: string, kind: ContentKind): string {
  if (kind === 'html') return htmlToText(text);
  if (kind === 'markdown') return markdownToText(text);
  if (kind === 'json') {
    try {
      return jsonToText(JSON.parse(text)).join('\n');
    } catch {
      throw new ProblemError('invalid_json', 'The object is not valid JSON');
    }
  }
  return text.trim();
}
