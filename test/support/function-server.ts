// Serves a handler through functions-framework's real server (as production
// does, via createFunctionServer), on a free loopback port.
import { http, type HttpFunction } from '@google-cloud/functions-framework';
import type { AddressInfo } from 'node:net';
import { createFunctionServer } from '../../shared/runtime/serve-function.ts';

export interface ServedFunction {
  url: string;
  close(): Promise<void>;
}

export async function serveHandler(name: string, handler: HttpFunction): Promise<ServedFunction> {
  http(name, handler);
  const server = createFunctionServer(name);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
