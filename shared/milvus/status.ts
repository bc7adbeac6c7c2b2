// Milvus reports many server failures as a status object, not an exception, and
// the SDK turns UNIMPLEMENTED into an empty success: every call goes through here.
import { ProblemError } from '../errors/problem-error.ts';
import type { Histogram } from 'prom-client';
import { metrics } from '../observability/metrics.ts';
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
    metrics.milvusErrors.inc({ operation });
    const reason = status?.reason ? `: ${status.reason.slice(0, 200)}` : ': no status returned';
    throw new ProblemError('milvus_unavailable', `Milvus ${operation} failed${reason}`);
  }
}

const LATENCY: Record<string, Histogram | undefined> = { search: metrics.milvusSearchLatency, upsert: metrics.milvusInsertLatency };

/**
 * Runs one Milvus call in a `milvus.<operation>` span, timed and counted;
 * transport errors become 503. Failures reported in a status are counted where
 * the status is checked (ensureSuccess).
 */
export function milvusCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  return withSpan(`milvus.${operation}`, async () => {
    const stop = LATENCY[operation]?.startTimer();
    metrics.milvusRequests.inc({ operation });
    try {
      return await call();
    } catch (error) {
      metrics.milvusErrors.inc({ operation });
      if (error instanceof ProblemError) throw error;
      throw new ProblemError('milvus_unavailable', `Milvus ${operation} failed: ${String((error as Error).message).slice(0, 200)}`, { cause: error });
    } finally {
      stop?.();
    }
  });
}
