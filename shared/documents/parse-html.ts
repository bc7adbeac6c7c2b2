// HTML through htmlparser2 (a streaming tokenizer with the HTML implied-end-tag
// rules; entities decoded). Its open-element stack costs time in proportion to
// its depth for each unmatched end tag, so unclosed nesting is capped where
// browsers cap the DOM (Blink: 512), keeping hostile markup linear.
import { Parser } from 'htmlparser2';
import { ProblemError } from '../errors/problem-error.ts';
import type { Block, ParsedDocument } from './blocks.ts';
import { decodeUtf8 } from './decode-text.ts';
import { htmlBlockBuilder } from './html-blocks.ts';

const MAX_DEPTH = 512;

export function htmlToBlocks(html: string): Block[] {
  const builder = htmlBlockBuilder();
  let depth = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (++depth > MAX_DEPTH) {
          throw new ProblemError('document_too_complex', `HTML elements are nested over ${MAX_DEPTH} deep`);
        }
        builder.open(name);
      },
      onclosetag(name) {
        depth--;
        builder.close(name);
      },
      ontext(text) {
        builder.text(text);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: false },
  );
  parser.end(html);
  return builder.finish();
}

export async function parseHtml(bytes: Uint8Array): Promise<ParsedDocument> {
  return { blocks: htmlToBlocks(decodeUtf8(bytes)), warnings: [] };
}
