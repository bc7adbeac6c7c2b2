import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentKind, parseContent } from '../../shared/text/parse-content.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('parseContent', () => {
  it('chooses the parser by content type, then by extension', () => {
    assert.equal(contentKind('text/html; charset=utf-8', 'a.txt'), 'html');
    assert.equal(contentKind(undefined, 'notes/a.MD'), 'markdown');
    assert.equal(contentKind('application/octet-stream', 'data.json'), 'json');
    assert.equal(contentKind('application/pdf', 'report.pdf'), undefined);
  });

  it('turns HTML into text without scripts, styles or tags', () => {
    const html = '<html><head><style>p{}</style><script>alert("x")</script></head><body><h1>Title</h1><p>Fish &amp; chips&nbsp;&#8364;5</p></body></html>';
    assert.equal(parseContent(bytes(html), 'html'), 'Title\n\nFish & chips €5');
  });

  it('keeps Markdown text, drops link targets and markers', () => {
    const md = '# Refunds\n\nSee [the policy](https://example.com/p) and **act fast**.\n\n> quoted';
    assert.equal(parseContent(bytes(md), 'markdown'), 'Refunds\n\nSee the policy and act fast.\n\nquoted');
  });

  it('flattens JSON into path: value lines, and refuses invalid JSON or bytes', () => {
    assert.equal(parseContent(bytes('{"a":{"b":[1,"two"]},"c":null}'), 'json'), 'a.b.0: 1\na.b.1: two\nc: null');
    assert.throws(() => parseContent(bytes('{"a":'), 'json'), { code: 'invalid_json' });
    assert.throws(() => parseContent(new Uint8Array([0xff, 0xfe]), 'text'), { code: 'invalid_encoding' });
  });
});
