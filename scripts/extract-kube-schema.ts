// Extracts a built-in Kubernetes kind's JSON Schema from the OpenAPI v3
// documents in the k8s.io/kubernetes module (api/openapi-spec/v3), for the
// manifest tests: only the definitions the kind reaches, refs rewritten to
// $defs, and every object that lists its properties closed to others
// (additionalProperties: false), as kubectl's strict field validation is.
// Usage: node --import tsx scripts/extract-kube-schema.ts <openapi.json> <definition> <out.json>
//   e.g. .../apis__networking.k8s.io__v1_openapi.json io.k8s.api.networking.v1.NetworkPolicy
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

type Schema = Record<string, unknown>;
const REF = '#/components/schemas/';

function rewrite(node: unknown, reached: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((item) => rewrite(item, reached));
  if (node === null || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith(REF)) {
      reached.add(value.slice(REF.length));
      out.$ref = `#/$defs/${value.slice(REF.length)}`;
    } else out[key] = rewrite(value, reached);
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

export async function extractKubeSchema(openapiFile: string, definition: string): Promise<Schema> {
  const schemas = (JSON.parse(await readFile(openapiFile, 'utf8')) as { components: { schemas: Record<string, Schema> } }).components.schemas;
  const reached = new Set([definition]);
  const defs: Record<string, unknown> = {};
  for (let added = true; added; ) {
    added = false;
    for (const name of [...reached]) {
      if (defs[name] || !schemas[name]) continue;
      defs[name] = rewrite(schemas[name], reached);
      added = true;
    }
  }
  return { $ref: `#/$defs/${definition}`, $defs: defs };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [openapiFile, definition, out] = process.argv.slice(2);
  if (!openapiFile || !definition || !out) throw new Error('usage: extract-kube-schema.ts <openapi.json> <definition> <out.json>');
  await writeFile(out, `${JSON.stringify(await extractKubeSchema(openapiFile, definition), null, 1)}\n`);
}
