// Prometheus metrics on their own port (METRICS_PORT), never on the function's
// public one: Knative routes only the serving port, so the public URL cannot
// reach them, and a scrape needs the pod's address (the NetworkPolicy admits
// Prometheus to that port only).
import { createServer, type Server } from 'node:http';
import { registry } from './metrics.ts';

export async function serveMetrics(port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return server;
}
