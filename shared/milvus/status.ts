// Milvus reports many server failures as a status object, not an exception, and
// the SDK turns UNIMPLEMENTED into an empty success: every call goes through here.
import { ProblemError } from '../errors/problem-error.ts';
import { withSpan } from '../observability/tracing.ts';

interface MilvusStatus {
  error_code?: string | number;
  code?: number;
  reason?: string;
}

export function isSuccess(status: MilvusStatus | undefined): boolean {
  if (!status || (status.error_code === undefined && status.code === undefined)) return false;
  return (status.error_code === 'Success' || status.error_code === 0 || status.error_code === undefined) && (status.code ?? 0) === 0;
}

export function ensureSuccess(status: MilvusStatus | undefined, operation: string): void {
  if (!isSuccess(status)) {
    const reason = status?.reason ? `: ${status.reason.slice(0, 200)}` : ': no status returned';
    throw new ProblemError('milvus_unavailable', `Milvus ${operation} failed${reason}`);
  }
}

/** Runs one Milvus call in a `milvus.<operation>` span; transport errors become 503. */
export function milvusCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  return withSpan(`milvus.${operation}`, async () => {
    try {
      return await call();
    } catch (error) {
      if (error instanceof ProblemError) throw error;
      throw new ProblemError('milvus_unavailable', `Milvus ${operation} failed: ${String((error as Error).message).slice(0, 200)}`, { cause: error });
    }
  });
}
