// The body of a preparation worker process: says it is ready once its modules
// are loaded, then prepares one document per message and answers with the
// result or the problem. See document-preparer.ts.
import type { LimitsConfig } from '../config/schemas.ts';
import { ProblemError, type ProblemCode } from '../errors/problem-error.ts';
import { prepareDocument } from './prepare-document.ts';
import type { DocumentInput } from './prepared-document.ts';

export type PreparationRequest = { input: DocumentInput; limits: LimitsConfig };
export type PreparationReply =
  | { ready: true }
  | { ok: true; prepared: Awaited<ReturnType<typeof prepareDocument>> }
  | { ok: false; code: ProblemCode; message: string };

const reply = (message: PreparationReply) => process.send?.(message);

process.on('message', async ({ input, limits }: PreparationRequest) => {
  try {
    reply({ ok: true, prepared: await prepareDocument(input, limits) });
  } catch (error) {
    // The same bytes fail the same way again: whatever escaped the parsers is permanent, not retried.
    reply(error instanceof ProblemError
      ? { ok: false, code: error.code, message: error.message }
      : { ok: false, code: 'corrupt_document', message: `The document cannot be prepared: ${String((error as Error)?.message ?? error).slice(0, 200)}` });
  }
});
process.on('disconnect', () => process.exit(0)); // the function is gone: so is its worker

reply({ ready: true });
