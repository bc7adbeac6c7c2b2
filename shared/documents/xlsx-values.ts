// How a stored cell value reads as text. XLSX stores dates as serial day numbers
// whose meaning comes only from the cell's number format (ECMA-376 Part 1
// §18.8.30 lists the built-in formats), so styles.xml is read for that alone.
import { attribute, scanXml } from './xml-scan.ts';

export interface CellFormats {
  /** Per cell style index (the c@s attribute): how its numbers read. */
  kinds: NumberKind[];
  date1904: boolean;
}

export type NumberKind = 'number' | 'date' | 'percent';

/** Built-in date/time format ids: 14–22 and 45–47, and 27–36 / 50–58 in East Asian locales. */
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const BUILT_IN_DATES = new Set([...range(14, 22), ...range(27, 36), ...range(45, 47), ...range(50, 58)]);
const BUILT_IN_PERCENT = new Set([9, 10]);
const DAY_MS = 86_400_000;

/** A format code's tokens once quoted text, escapes and [colour]/[$currency] sections are removed. */
function formatTokens(code: string): string {
  let out = '';
  for (let i = 0; i < code.length; i++) {
    const ch = code[i]!;
    if (ch === '"') {
      const end = code.indexOf('"', i + 1);
      i = end < 0 ? code.length : end;
    } else if (ch === '\\' || ch === '_' || ch === '*') {
      i++; // the next character is literal (or padding)
    } else if (ch === '[') {
      const end = code.indexOf(']', i + 1);
      const inner = end < 0 ? '' : code.slice(i + 1, end).toLowerCase();
      if (/^(h+|m+|s+)$/.test(inner)) out += inner; // elapsed time: [h]:mm
      i = end < 0 ? code.length : end;
    } else {
      out += ch.toLowerCase();
    }
  }
  return out;
}

export function numberKind(formatId: number, code: string | undefined): NumberKind {
  if (BUILT_IN_DATES.has(formatId)) return 'date';
  if (BUILT_IN_PERCENT.has(formatId)) return 'percent';
  if (code === undefined || code.toLowerCase() === 'general') return 'number';
  const tokens = formatTokens(code);
  if (/[dmyhs]/.test(tokens)) return 'date';
  return tokens.includes('%') ? 'percent' : 'number';
}

export function readCellFormats(stylesXml: string | undefined, workbookXml: string): CellFormats {
  let date1904 = false;
  scanXml(workbookXml, {
    open(name, attributes) {
      if (name === 'workbookPr') date1904 = ['1', 'true'].includes(attribute(attributes, 'date1904') ?? '');
    },
  });
  const codes = new Map<number, string>();
  const kinds: NumberKind[] = [];
  let inCellXfs = false;
  if (stylesXml !== undefined) {
    scanXml(stylesXml, {
      open(name, attributes) {
        if (name === 'numFmt') {
          codes.set(Number(attribute(attributes, 'numFmtId')), attribute(attributes, 'formatCode') ?? '');
        }
        else if (name === 'cellXfs') inCellXfs = true;
        else if (name === 'xf' && inCellXfs) {
          const id = Number(attribute(attributes, 'numFmtId') ?? 0);
          kinds.push(numberKind(id, codes.get(id)));
        }
      },
      close(name) {
        if (name === 'cellXfs') inCellXfs = false;
      },
    });
  }
  return { kinds, date1904 };
}

/** Excel shows at most 15 significant digits; beyond that binary noise (0.30000000000000004) shows. */
export function formatNumber(value: number): string {
  return String(Number(value.toPrecision(15)));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A serial date as ISO 8601: 1900 system with its phantom 29 February 1900, or the 1904 system. */
export function serialToIso(serial: number, date1904: boolean): string {
  const days = date1904 ? serial + 1462 : serial < 60 ? serial + 1 : serial;
  const ms = Math.round((days - 25569) * DAY_MS / 1000) * 1000;
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return formatNumber(serial);
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const seconds = date.getUTCHours() * 3600 + date.getUTCMinutes() * 60 + date.getUTCSeconds();
  if (seconds === 0) return day;
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return serial < 1 ? time : `${day} ${time}`;
}

export function formatStoredNumber(raw: string, style: number, formats: CellFormats): string {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) return raw;
  const kind = formats.kinds[style] ?? 'number';
  if (kind === 'date') return serialToIso(value, formats.date1904);
  if (kind === 'percent') return `${formatNumber(value * 100)}%`;
  return formatNumber(value);
}
