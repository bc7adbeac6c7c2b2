// JSON flattened to "path: value" lines, one paragraph per top-level member so
// chunks break between them.
// Walked with an explicit stack: nesting depth cannot overflow the call stack,
// and paths are capped so deep nesting cannot make the output quadratic.
import { ProblemError } from '../errors/problem-error.ts';
import type { Block, ParsedDocument } from './blocks.ts';
import { decodeUtf8 } from './decode-text.ts';

const MAX_PATH = 256;

function childPath(parent: string, key: string): string {
  const path = parent ? `${parent}.${key}` : key;
  return path.length <= MAX_PATH ? path : `…${path.slice(-(MAX_PATH - 1))}`;
}

function entries(value: object): [string, unknown][] {
  return Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
}

/** The "path: value" lines of one value, depth first, in document order. */
function flatten(root: unknown, rootPath: string): string[] {
  const lines: string[] = [];
  const stack: [string, unknown][] = [[rootPath, root]];
  while (stack.length > 0) {
    const [path, value] = stack.pop()!;
    if (value === null || typeof value !== 'object') {
      lines.push(`${path || 'value'}: ${String(value)}`);
      continue;
    }
    const children = entries(value);
    for (let i = children.length - 1; i >= 0; i--) stack.push([childPath(path, children[i]![0]), children[i]![1]]);
  }
  return lines;
}

export function jsonToBlocks(text: string): Block[] {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    throw new ProblemError('invalid_json', 'The document is not valid JSON', { cause: error });
  }
  const groups = root !== null && typeof root === 'object'
    ? entries(root).map(([key, value]) => flatten(value, key))
    : [flatten(root, '')];
  return groups.filter((lines) => lines.length > 0).map((lines) => ({ kind: 'paragraph', text: lines.join('\n') }));
}

export async function parseJson(bytes: Uint8Array): Promise<ParsedDocument> {
  return { blocks: jsonToBlocks(decodeUtf8(bytes)), warnings: [] };
}
