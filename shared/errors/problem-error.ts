// One typed error hierarchy: every failure has a stable snake_case code, an HTTP
// status and therefore a retry fate under Knative delivery (5xx/429 retried,
// 400/413/415/422 permanent). Bodies follow RFC 9457 (problem details).
export const PROBLEMS = {
  invalid_json: { status: 400, title: 'Body is not valid JSON' },
  invalid_encoding: { status: 400, title: 'Body is not valid UTF-8' },
  invalid_request: { status: 400, title: 'Request failed validation' },
  invalid_event: { status: 400, title: 'Not a valid CloudEvent' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'No such route' },
  document_not_found: { status: 404, title: 'Document not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  superseded: { status: 409, title: 'A newer write of this document won' },
  async_not_configured: { status: 501, title: 'Asynchronous queries need an event sink (K_SINK)' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  batch_not_supported: { status: 415, title: 'Batched CloudEvents are not accepted' },
  rate_limited: { status: 429, title: 'Too many concurrent requests' },
  unsupported_event_type: { status: 422, title: 'Event type not handled here' },
  invalid_event_data: { status: 422, title: 'Event data failed validation' },
  dimension_mismatch: { status: 422, title: 'Vector dimension does not match the collection' },
  not_embeddable: { status: 422, title: 'The text has nothing the embedding model can represent' },
  upstream_rejected: { status: 422, title: 'A dependency rejected the request' },
  milvus_unavailable: { status: 503, title: 'Vector store unavailable' },
  model_unavailable: { status: 503, title: 'Embedding model unavailable' },
  step_unavailable: { status: 503, title: 'A pipeline step is unavailable' },
  identity_provider_unavailable: { status: 503, title: 'The identity provider\'s signing keys are unavailable' },
  llm_unavailable: { status: 503, title: 'Language model unavailable' },
  deadline_exceeded: { status: 504, title: 'Deadline exceeded' },
  llm_timeout: { status: 504, title: 'Language model timed out' },
  internal: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export class ProblemError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  /** Validation issues or other structured, non-sensitive detail. */
  readonly errors: readonly unknown[] | undefined;

  constructor(code: ProblemCode, detail: string, options: { cause?: unknown; errors?: readonly unknown[] } = {}) {
    super(detail, { cause: options.cause });
    this.name = 'ProblemError';
    this.code = code;
    this.status = PROBLEMS[code].status;
    this.errors = options.errors;
  }

  get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

/** Wraps anything thrown into a ProblemError; unknown errors become `internal`. */
export function toProblemError(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  return new ProblemError('internal', 'Unexpected error', { cause: error });
}
