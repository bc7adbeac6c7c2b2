// Plain text: paragraphs are separated by blank (or whitespace-only) lines;
// line breaks inside a paragraph are kept.
import type { Block, ParsedDocument } from './blocks.ts';
import { decodeUtf8 } from './decode-text.ts';

export function textToBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let lines: string[] = [];
  const flush = () => {
    if (lines.length > 0) blocks.push({ kind: 'paragraph', text: lines.join('\n') });
    lines = [];
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') flush();
    else lines.push(line);
  }
  flush();
  return blocks;
}

export async function parseText(bytes: Uint8Array): Promise<ParsedDocument> {
  return { blocks: textToBlocks(decodeUtf8(bytes)), warnings: [] };
}
