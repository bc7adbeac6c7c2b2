// PPTX: slides in presentation order (p:sldIdLst → presentation.xml.rels), each
// starting with its title as a heading (or "Slide N", so a section never leaks
// from one slide into the next), then its text and tables, then the speaker notes
// as "Notes: …". `page` is the slide number. Parts are inflated one at a time.
import { ProblemError } from '../errors/problem-error.ts';
import type { Block, ParsedDocument, ParseLimits } from './blocks.ts';
import { openOfficePackage, type OfficePackage } from './office-package.ts';
import { readRelationships, relationshipOfKind } from './package-relationships.ts';
import { readNotes, readSlide } from './pptx-slide.ts';
import { attribute, scanXml } from './xml-scan.ts';

function mainPart(pkg: OfficePackage): string {
  return relationshipOfKind(readRelationships(pkg, ''), 'officeDocument')?.target ?? 'ppt/presentation.xml';
}

function slideParts(pkg: OfficePackage, presentation: string): string[] {
  const xml = pkg.text(presentation);
  if (xml === undefined) throw new ProblemError('corrupt_document', 'The presentation part is missing');
  const relationships = readRelationships(pkg, presentation);
  const parts: string[] = [];
  scanXml(xml, {
    open(name, attributes) {
      if (name !== 'sldId') return;
      const target = relationships.get(attribute(attributes, 'r:id') ?? '')?.target;
      if (target !== undefined) parts.push(target);
    },
  });
  return parts;
}

function slideBlocks(pkg: OfficePackage, part: string, page: number): Block[] {
  const xml = pkg.text(part);
  if (xml === undefined) throw new ProblemError('corrupt_document', `Slide ${page} is missing`);
  const { title, blocks } = readSlide(xml);
  const out: Block[] = [{ kind: 'heading', level: 1, text: title ?? `Slide ${page}`, page }];
  for (const block of blocks) out.push({ ...block, page });
  const notesPart = relationshipOfKind(readRelationships(pkg, part), 'notesSlide')?.target;
  const notesXml = notesPart === undefined ? undefined : pkg.text(notesPart);
  const notes = notesXml === undefined ? '' : readNotes(notesXml);
  if (notes) out.push({ kind: 'paragraph', text: `Notes: ${notes}`, page });
  return out;
}

export async function parsePptx(bytes: Uint8Array, limits: ParseLimits): Promise<ParsedDocument> {
  const pkg = openOfficePackage(bytes, limits.maxExpandedBytes);
  const parts = slideParts(pkg, mainPart(pkg));
  if (parts.length > limits.maxPages) {
    const detail = `The presentation has ${parts.length} slides, over the limit of ${limits.maxPages}`;
    throw new ProblemError('document_too_complex', detail);
  }
  const blocks = parts.flatMap((part, i) => slideBlocks(pkg, part, i + 1));
  return { blocks, warnings: [] };
}
