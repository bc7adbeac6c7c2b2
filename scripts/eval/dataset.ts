// An evaluation set: a folder with documents.jsonl and questions.jsonl, one JSON
// object per line (format: eval/README.md). Validated on load, so a broken set
// fails naming its line rather than producing wrong figures.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export const evalDocument = z.strictObject({
  id: z.string().min(1).max(256),
  source: z.string().min(1).max(1024),
  contentType: z.enum(['text/plain', 'text/markdown', 'text/html', 'text/csv', 'application/json']).default('text/plain'),
  text: z.string().min(1),
});

export const evalQuestion = z.strictObject({
  id: z.string().min(1),
  question: z.string().min(1),
  /** Free-form group for the per-kind breakdown (the golden set: identifier, paraphrase, mixed). */
  kind: z.string().min(1).default('all'),
  relevant: z
    .array(z.strictObject({
      docId: z.string().min(1),
      /** A sentence of the document that answers the question (a chunk holding it is a passage hit). */
      passage: z.string().min(1).optional(),
      /** Graded relevance for nDCG: 1 relevant, 2 the answer. */
      grade: z.number().int().min(1).max(3).default(1),
    }))
    .min(1),
  answer: z.string().optional(),
});

export type EvalDocument = z.output<typeof evalDocument>;
export type EvalQuestion = z.output<typeof evalQuestion>;

export interface Dataset {
  name: string;
  documents: EvalDocument[];
  questions: EvalQuestion[];
}

async function readJsonl<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>[]> {
  const lines = (await readFile(path, 'utf8')).split('\n');
  return lines.flatMap((line, i) => {
    if (line.trim() === '') return [];
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`${path}:${i + 1}: not JSON`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new Error(`${path}:${i + 1}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    return [parsed.data];
  });
}

export async function loadDataset(dir: string): Promise<Dataset> {
  const documents = await readJsonl(join(dir, 'documents.jsonl'), evalDocument);
  const questions = await readJsonl(join(dir, 'questions.jsonl'), evalQuestion);
  const byId = new Map(documents.map((d) => [d.id, d]));
  if (byId.size !== documents.length) throw new Error(`${dir}: document ids repeat`);
  for (const q of questions) {
    for (const r of q.relevant) {
      const document = byId.get(r.docId);
      if (!document) throw new Error(`${dir}: question ${q.id} names an unknown document ${r.docId}`);
      if (r.passage && !document.text.includes(r.passage)) throw new Error(`${dir}: question ${q.id}: its passage is not in ${r.docId}`);
    }
  }
  return { name: dir.split('/').filter(Boolean).at(-1)!, documents, questions };
}
