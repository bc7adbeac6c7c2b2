// The Broker's dead-letter sink: every event that exhausted its retries, or
// failed permanently, lands here. It is logged (type, subject, the Knative error
// code and destination; never the data) and counted for the dead-letter alert.
// Metric labels come from a bounded set (catalogue types, HTTP statuses), never
// from whatever an event says: anyone reaching the sink could otherwise mint
// unbounded time series.
import type { HttpFunction } from '@google-cloud/functions-framework';
import { CATALOGUE } from '../../shared/events/catalogue.ts';
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
      const labels = { type: Object.hasOwn(CATALOGUE, event.type) ? event.type : 'other', code: /^[1-5]\d\d$/.test(code) ? code : 'other' };
      metrics.deadLetters.inc(labels);
      logger.warn('dead_letter.received', { type: event.type, subject: event.subject, eventId: event.id, errorCode: code.slice(0, 64), destination: event.knativeerrordest });
      res.status(202).end();
    } catch (error) {
      sendProblem(res, error, logger);
    }
  };
}
