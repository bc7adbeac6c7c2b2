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
  bucket_document: { status: 409, title: 'The document mirrors a bucket object: change the object instead' },
  async_not_configured: { status: 501, title: 'Asynchronous queries need an event sink (K_SINK)' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  document_too_complex: { status: 413, title: 'The document exceeds a parsing limit (pages, sheets, cells, expanded size)' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  batch_not_supported: { status: 415, title: 'Batched CloudEvents are not accepted' },
  rate_limited: { status: 429, title: 'Too many concurrent requests' },
  unsupported_event_type: { status: 422, title: 'Event type not handled here' },
  invalid_event_data: { status: 422, title: 'Event data failed validation' },
  dimension_mismatch: { status: 422, title: 'Vector dimension does not match the collection' },
  model_mismatch: { status: 422, title: 'The event carries another embedding model than this step serves' },
  not_embeddable: { status: 422, title: 'The text has nothing the embedding model can represent' },
  callback_refused: { status: 422, title: 'The callbackUrl is well formed but may not be called' },
  empty_document: { status: 422, title: 'The document holds no text' },
  no_text_layer: { status: 422, title: 'The document has no text layer (a scan?)' },
  encrypted_document: { status: 422, title: 'The document is encrypted' },
  corrupt_document: { status: 422, title: 'The document is corrupt or truncated' },
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
  /** Response headers the problem calls for (Allow on 405, Retry-After on 429). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ProblemCode, detail: string, options: { cause?: unknown; errors?: readonly unknown[]; headers?: Record<string, string> } = {}) {
    super(detail, { cause: options.cause });
    this.name = 'ProblemError';
    this.code = code;
    this.status = PROBLEMS[code].status;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }

  get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }

  /**
   * Whether the detail may be shown to the caller. A failing dependency's
   * detail can carry its internals (gRPC and Milvus messages, addresses): it is
   * logged, and the caller reads the title. 501 names a missing configuration.
   */
  get detailIsPublic(): boolean {
    return this.status < 500 || this.status === 501;
  }
}

/** Wraps anything thrown into a ProblemError; unknown errors become `internal`. */
export function toProblemError(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  return new ProblemError('internal', 'Unexpected error', { cause: error });
}
