// POST /v1/query: a question answered synchronously (JSON), streamed (SSE:
// citations, delta…, done), or asynchronously (202, then answer.generated to
// callbackUrl). The caller's tenant and groups become the search filter.
import { sendJson, sendProblemEvent } from '../../shared/http/respond.ts';
import { acceptsEventStream, openSse } from '../../shared/http/sse.ts';
import type { ApiSchemas, QueryResponse } from './api-schemas.ts';
import { askAsync, type AsyncDeps } from './ask-async.ts';
import type { Audit } from './audit.ts';
import { accessOf, principalOf, tenantFor } from './authenticate.ts';
import { readJsonBody } from './read-json-body.ts';
import type { Call, Route } from './route-table.ts';
import { runQuery } from './run-query.ts';
import type { StepsConfig } from '../../shared/config/schemas.ts';
import type { Logger } from '../../shared/observability/logger.ts';

const QUERY_BODY_BYTES = 256 * 1024;

export interface AskDeps extends AsyncDeps {
  steps: StepsConfig;
  audit: Audit;
  logger: Logger;
}

export function askRoute(deps: AskDeps, api: ApiSchemas): Route {
  const ask = async ({ req, res, signal, traceparent, identity }: Call) => {
    const body = readJsonBody(req, api.queryRequest, QUERY_BODY_BYTES);
    const tenant = tenantFor(identity, body.filter?.tenant);
    const request = { ...body, filter: { ...body.filter, ...(tenant === undefined ? {} : { tenant }), ...accessOf(identity) } };
    if (request.callbackUrl || /\brespond-async\b/.test(req.get('prefer') ?? '')) {
      return sendJson(res, 202, await askAsync(request, identity, deps, traceparent));
    }
    const run = { principal: principalOf(identity), traceparent, signal };
    const audit = (result: QueryResponse, mode: 'sync' | 'stream') =>
      deps.audit({ ...result, queryId: result.id }, { principal: identity.keyId, tenant: identity.tenant ?? null, mode, embeddingModel: result.embeddingModel, question: request.query, traceparent });
    if (!request.stream && !acceptsEventStream(req.get('accept'))) {
      const result = await runQuery(request, deps.steps, run);
      sendJson(res, 200, result);
      return audit(result, 'sync');
    }
    // Validation and failures before the first byte still answer as problems;
    // once streaming, a failure is sent as an `error` event.
    let sse: ReturnType<typeof openSse> | undefined;
    try {
      const result = await runQuery(request, deps.steps, {
        ...run,
        onCitations: (citations) => (sse ??= openSse(res)).send('citations', { citations }),
        onDelta: (text) => (sse ??= openSse(res)).send('delta', { text }),
      });
      (sse ??= openSse(res)).send('done', result);
      sse.end();
      audit(result, 'stream');
    } catch (error) {
      if (!sse) throw error;
      sendProblemEvent(sse, error, deps.logger);
    }
  };
  return { method: 'POST', path: '/v1/query', handle: ask, maxBodyBytes: QUERY_BODY_BYTES };
}
