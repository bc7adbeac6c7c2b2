// XLSX read directly from its XML parts (workbook, relationships, shared
// strings, styles, worksheets) with the linear scanner, one sheet in memory at a
// time. Each sheet becomes a heading (its name, so chunks of it carry it as their
// section) and one table whose first row is the header when it is all text.
import { ProblemError } from '../errors/problem-error.ts';
import type { Block, ParsedDocument, ParseLimits } from './blocks.ts';
import { openOfficePackage, type OfficePackage } from './office-package.ts';
import { readRelationships, relationshipOfKind } from './package-relationships.ts';
import { attribute, scanXml } from './xml-scan.ts';
import { readSharedStrings, readSheet, type SheetContext } from './xlsx-sheet.ts';
import { readCellFormats } from './xlsx-values.ts';

interface SheetRef {
  name: string;
  part: string;
}

function workbookSheets(pkg: OfficePackage, workbookPart: string, workbookXml: string): SheetRef[] {
  const relationships = readRelationships(pkg, workbookPart);
  const sheets: SheetRef[] = [];
  scanXml(workbookXml, {
    open(name, attributes) {
      if (name !== 'sheet') return;
      const relationship = relationships.get(attribute(attributes, 'r:id') ?? '');
      // Chart sheets and dialog sheets hold no cells.
      if (!relationship?.type.endsWith('/worksheet')) return;
      sheets.push({ name: attribute(attributes, 'name') ?? `Sheet${sheets.length + 1}`, part: relationship.target });
    },
  });
  return sheets;
}

function sheetBlocks(pkg: OfficePackage, sheet: SheetRef, context: SheetContext): Block[] {
  const xml = pkg.text(sheet.part);
  if (xml === undefined) throw new ProblemError('corrupt_document', `Worksheet "${sheet.name}" is missing`);
  const { rows, firstRowIsText } = readSheet(xml, context);
  if (rows.length === 0) return [];
  return [
    { kind: 'heading', level: 1, text: sheet.name, sheet: sheet.name },
    { kind: 'table', text: '', rows, headerRows: firstRowIsText && rows.length > 1 ? 1 : 0, sheet: sheet.name },
  ];
}

export async function parseXlsx(bytes: Uint8Array, limits: ParseLimits): Promise<ParsedDocument> {
  const pkg = openOfficePackage(bytes, limits.maxExpandedBytes);
  const workbookPart = relationshipOfKind(readRelationships(pkg, ''), 'officeDocument')?.target ?? 'xl/workbook.xml';
  const workbookXml = pkg.text(workbookPart);
  if (workbookXml === undefined) throw new ProblemError('corrupt_document', 'The workbook part is missing');
  const sheets = workbookSheets(pkg, workbookPart, workbookXml);
  if (sheets.length > limits.maxSheets) {
    const detail = `The workbook has ${sheets.length} sheets, over the limit of ${limits.maxSheets}`;
    throw new ProblemError('document_too_complex', detail);
  }
  const parts = readRelationships(pkg, workbookPart);
  const stylesPart = relationshipOfKind(parts, 'styles')?.target;
  const stringsPart = relationshipOfKind(parts, 'sharedStrings')?.target;
  let cells = 0;
  const context: SheetContext = {
    sharedStrings: readSharedStrings(stringsPart === undefined ? undefined : pkg.text(stringsPart)),
    formats: readCellFormats(stylesPart === undefined ? undefined : pkg.text(stylesPart), workbookXml),
    countCell() {
      if (++cells > limits.maxCells) {
        throw new ProblemError('document_too_complex', `The workbook has more than ${limits.maxCells} cells`);
      }
    },
  };
  return { blocks: sheets.flatMap((sheet) => sheetBlocks(pkg, sheet, context)), warnings: [] };
}
