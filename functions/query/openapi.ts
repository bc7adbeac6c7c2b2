// /openapi.json and the event catalogue's JSON Schemas, generated from the very
// zod schemas the code validates with (zod 4's z.toJSONSchema).
import { z } from 'zod';
import { CATALOGUE } from '../../shared/events/catalogue.ts';
import { PROBLEMS } from '../../shared/errors/problem-error.ts';
import { documentRef } from '../../shared/events/data-schemas.ts';
import type { ApiSchemas } from './api-schemas.ts';

const schema = (s: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(s, { io, unrepresentable: 'any' });

type Json = Record<string, unknown>;

/**
 * Converts zod schemas for the OpenAPI document: a schema's own `$defs` (zod
 * names a recursive part `__schema0`) move to components.schemas under the
 * schema's name, and their `$ref`s with them, so every reference resolves from
 * the document's root.
 */
function componentSchemas(components: Json) {
  return (s: z.ZodType, io: 'input' | 'output', name: string): Json => {
    const { $schema: _, $defs, ...rest } = schema(s, io) as Json;
    const renamed = (key: string) => `${name}.${key.replace(/^_+/, '')}`;
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (!value || typeof value !== 'object') return value;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/') ? `#/components/schemas/${renamed(v.slice('#/$defs/'.length))}` : rewrite(v)]));
    };
    for (const [key, definition] of Object.entries(($defs ?? {}) as Json)) components[renamed(key)] = rewrite(definition);
    return rewrite(rest) as Json;
  };
}

const problem = {
  type: 'object',
  required: ['type', 'title', 'status', 'code', 'detail', 'retryable'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', enum: Object.keys(PROBLEMS) },
    detail: { type: 'string' },
    retryable: { type: 'boolean' },
    errors: { type: 'array' },
  },
};

const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [String(s), problemResponse('RFC 9457 problem')]));

export function eventSchemas(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(CATALOGUE).map(([type, s]) => [type, schema(s, 'output')]));
}

export function openApiDocument(api: ApiSchemas): Record<string, unknown> {
  const components: Json = { Problem: problem };
  const convert = componentSchemas(components);
  const json = (s: z.ZodType, io: 'input' | 'output', name: string) => ({ content: { 'application/json': { schema: convert(s, io, name) } } });
  /** Query parameters from the zod object the route parses its query string with. */
  const queryParams = (s: z.ZodObject, name: string) => Object.entries(s.shape).map(([key, field]) => ({ name: key, in: 'query', schema: convert(field as z.ZodType, 'input', `${name}.${key}`) }));
  const docIdParam = { name: 'id', in: 'path', required: true, schema: convert(documentRef.shape.id, 'input', 'DocumentId') };
  const queryResponse = convert(api.queryResponse, 'output', 'QueryResponse') as { properties: Json };
  components.QueryResponse = queryResponse;
  /** One server-sent event of a streamed answer: its name, and its data as JSON. */
  const event = (name: string, description: string, contentSchema: Json) => ({
    type: 'object',
    required: ['event', 'data'],
    properties: { event: { const: name }, data: { type: 'string', contentMediaType: 'application/json', contentSchema }, id: { type: 'string' }, retry: { type: 'integer' } },
    description,
  });
  const sseEvent = {
    oneOf: [
      event('citations', 'the passages the answer may cite, before any text', { type: 'object', required: ['citations'], properties: { citations: queryResponse.properties.citations } }),
      event('delta', 'the next piece of the answer', { type: 'object', required: ['text'], properties: { text: { type: 'string' } } }),
      event('done', 'the whole answer, as the JSON response carries it', { $ref: '#/components/schemas/QueryResponse' }),
      event('error', 'a failure after streaming began', { $ref: '#/components/schemas/Problem' }),
    ],
  };
  /** What every credentialed route may also answer: no or a bad credential, too many requests at once, anything unforeseen. */
  const guarded = { ...problems(401, 429), default: problemResponse('RFC 9457 problem (for example 500)') };
  const fields = convert(api.uploadFields, 'input', 'DocumentUploadFields') as { properties: Json };
  /** A form carries each list as one field, comma-separated: at most 32 labels of at most 256 characters, no control characters. */
  const list = (description: unknown) => ({ type: 'string', pattern: '^([^,\\u0000-\\u001f]{0,256}(,[^,\\u0000-\\u001f]{0,256}){0,31})?$', description: description ? `${description} (comma-separated)` : 'comma-separated' });
  const listed = (name: string) => list((fields.properties[name] as { description?: string } | undefined)?.description);
  const upload = {
    type: 'object',
    required: ['file'],
    additionalProperties: false,
    properties: { file: { type: 'string', contentMediaType: 'application/octet-stream', description: 'the file' }, ...fields.properties, tags: listed('tags'), groups: listed('groups') },
  };
  return {
    openapi: '3.1.0',
    info: { title: 'ragnative', version: '1', description: 'Retrieval-augmented generation as Knative functions.' },
    paths: {
      '/v1/query': {
        post: {
          summary: 'Ask a question; JSON, or SSE (citations, delta…, done) with Accept: text/event-stream',
          requestBody: { required: true, ...json(api.queryRequest, 'input', 'QueryRequest') },
          responses: {
            200: {
              description: 'The answer with numbered citations',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/QueryResponse' } }, 'text/event-stream': { schema: sseEvent } },
            },
            202: { description: 'Accepted: answer.generated will be POSTed to callbackUrl', ...json(api.queryAccepted, 'output', 'QueryAccepted') },
            ...problems(400, 403, 413, 415, 422, 501, 503, 504),
            ...guarded,
          },
        },
      },
      '/v1/documents': {
        get: {
          summary: 'List indexed documents',
          parameters: queryParams(api.listQuery, 'ListQuery'),
          responses: { 200: { description: 'Documents', ...json(api.documentList, 'output', 'DocumentList') }, ...problems(400, 403, 503), ...guarded },
        },
        post: {
          summary: 'Chunk, embed and index a text document synchronously',
          description: 'The document as JSON text, or a file (PDF, Office, HTML, CSV …) as multipart/form-data in the field "file" with the other fields beside it; also accepted: the file itself as the body, with its Content-Type and the fields in the query string.',
          requestBody: {
            required: true,
            content: {
              ...json(api.documentRequest, 'input', 'DocumentRequest').content,
              'multipart/form-data': { schema: upload },
            },
          },
          responses: { 200: { description: 'Indexed', ...json(api.documentIndexed, 'output', 'DocumentIndexed') }, ...problems(400, 403, 409, 413, 415, 422, 503, 504), ...guarded },
        },
      },
      '/v1/documents/{id}': {
        get: {
          summary: 'Whether and how a document is indexed',
          parameters: [docIdParam, ...queryParams(api.documentQuery, 'DocumentQuery')],
          responses: { 200: { description: 'Indexed', ...json(api.documentStatus, 'output', 'DocumentStatus') }, ...problems(400, 403, 404, 503), ...guarded },
        },
        delete: {
          summary: 'Remove every chunk of a document',
          parameters: [docIdParam, ...queryParams(api.documentQuery, 'DocumentQuery')],
          responses: { 200: { description: 'Deleted', ...json(api.documentDeleted, 'output', 'DocumentDeleted') }, ...problems(400, 403, 404, 409, 503), ...guarded },
        },
      },
      '/v1/events': { get: { summary: 'JSON Schemas of the CloudEvent catalogue', security: [], responses: { 200: { description: 'type -> JSON Schema' } } } },
      '/healthz': { get: { summary: 'Liveness', security: [], responses: { 200: { description: 'Alive' } } } },
      '/readyz': { get: { summary: 'Readiness (Milvus reachable)', security: [], responses: { 200: { description: 'Ready' }, ...problems(503) } } },
    },
    // Every /v1 route needs one of these; the others say `security: []`.
    security: [{ bearer: [] }, { apiKey: [] }],
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'an API key, or an OIDC token where an issuer is configured' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
    },
  };
}
