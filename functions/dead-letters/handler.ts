// The Broker's dead-letter sink: every event that exhausted its retries, or
// failed permanently, lands here. It is logged (type, subject, the Knative error
// code and destination; never the data) and counted for the dead-letter alert.
import type { HttpFunction } from '@google-cloud/functions-framework';
import { readEvent } from '../../shared/events/read-event.ts';
import { sendJson, sendProblem } from '../../shared/http/respond.ts';
import type { Logger } from '../../shared/observability/logger.ts';
import { metrics } from '../../shared/observability/metrics.ts';

export function createDeadLetterFunction(logger: Logger): HttpFunction {
  return async (req, res) => {
    if (req.method === 'GET' && (req.path === '/healthz' || req.path === '/readyz')) return sendJson(res, 200, { status: 'ok', function: 'dead-letters' });
    try {
      const event = readEvent(req.headers, req.rawBody);
      const code = String(event.knativeerrorcode ?? 'unknown');
      metrics.deadLetters.inc({ type: event.type, code });
      logger.warn('dead_letter.received', { type: event.type, subject: event.subject, eventId: event.id, errorCode: code, destination: event.knativeerrordest });
      res.status(202).end();
    } catch (error) {
      sendProblem(res, error, logger);
    }
  };
}
