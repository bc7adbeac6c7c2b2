// Wraps a function's HTTP handler: counts and times every request and records
// the cold start (process start to the first answered request) once. The
// metrics are served on their own port (metrics-server.ts).
import type { HttpFunction } from '@google-cloud/functions-framework';
import { metrics } from './metrics.ts';

export function instrument(name: string, handler: HttpFunction): HttpFunction {
  let first = true;
  return async (req, res) => {
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
