// Wraps a function's HTTP handler: counts and times every request, records the
// cold start (process start to the first answered request) once, and serves
// GET /metrics for Prometheus.
import type { HttpFunction } from '@google-cloud/functions-framework';
import { metrics, registry } from './metrics.ts';

export function instrument(name: string, handler: HttpFunction): HttpFunction {
  let first = true;
  return async (req, res) => {
    if (req.method === 'GET' && req.path === '/metrics') {
      res.status(200).type(registry.contentType).send(await registry.metrics());
      return;
    }
    const stop = metrics.httpDuration.startTimer({ function: name, method: req.method });
    res.once('finish', () => {
      stop();
      metrics.httpRequests.inc({ function: name, method: req.method, status: String(res.statusCode) });
      if (first) {
        first = false;
        metrics.coldStart.set({ function: name }, process.uptime());
      }
    });
    return handler(req, res);
  };
}
