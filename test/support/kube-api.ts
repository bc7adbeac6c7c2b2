// A client for the local API server (scripts/kube-api-local.sh), authenticated
// by the system:masters client certificate that script makes, and
// CustomResourceDefinitions built from the JSON Schemas in test/fixtures.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';

const CERTS = join(process.env.KUBE_API_HOME ?? '.local/kube-api', 'certs');
export const KUBE_API = `https://127.0.0.1:${process.env.KUBE_API_PORT ?? '16443'}`;

export interface KubeResponse {
  status: number;
  body: any;
}

export function kube(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<KubeResponse> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${KUBE_API}${path}`,
      {
        method,
        cert: readFileSync(join(CERTS, 'admin.crt')),
        key: readFileSync(join(CERTS, 'admin.key')),
        rejectUnauthorized: false, // our own self-signed server on loopback
        headers: { accept: 'application/json', ...(payload === undefined ? {} : { 'content-type': contentType }) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (part: string) => (text += part)).on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * The fixtures are CRD schemas converted for JSON Schema validators, which add
 * `additionalProperties: false`; a CRD's structural schema may not have it.
 * Unknown fields are still refused: the API server prunes to the schema and,
 * with fieldValidation=Strict (kubectl's default), reports what it would prune.
 */
function structural(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(structural);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(Object.entries(schema).filter(([key, value]) => !(key === 'additionalProperties' && value === false)).map(([key, value]) => [key, structural(value)]));
}

export function crdFromSchema(group: string, kind: string, version: string, schemaFile: string) {
  const plural = `${kind.toLowerCase()}s`;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [{ name: version, served: true, storage: true, schema: { openAPIV3Schema: structural(JSON.parse(readFileSync(schemaFile, 'utf8'))) }, subresources: { status: {} } }],
    },
  };
}
