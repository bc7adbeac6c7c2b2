// /openapi.json and the event catalogue's JSON Schemas, generated from the very
// zod schemas the code validates with (zod 4's z.toJSONSchema).
import { z } from 'zod';
import { CATALOGUE } from '../../shared/events/catalogue.ts';
import { PROBLEMS } from '../../shared/errors/problem-error.ts';
import type { ApiSchemas } from './api-schemas.ts';

const schema = (s: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(s, { io, unrepresentable: 'any' });

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

const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), { description: 'RFC 9457 problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } }]));

const json = (s: z.ZodType, io: 'input' | 'output') => ({ content: { 'application/json': { schema: schema(s, io) } } });

const docIdParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

export function eventSchemas(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(CATALOGUE).map(([type, s]) => [type, schema(s, 'output')]));
}

export function openApiDocument(api: ApiSchemas): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'ragnative', version: '1', description: 'Retrieval-augmented generation as Knative functions.' },
    paths: {
      '/v1/query': {
        post: {
          summary: 'Ask a question; JSON, or SSE (citations, delta…, done) with Accept: text/event-stream',
          requestBody: { required: true, ...json(api.queryRequest, 'input') },
          responses: {
            200: {
              description: 'The answer with numbered citations',
              content: { ...json(api.queryResponse, 'output').content, 'text/event-stream': { schema: { type: 'string' } } },
            },
            202: { description: 'Accepted: answer.generated will be POSTed to callbackUrl', ...json(api.queryAccepted, 'output') },
            ...problems(400, 413, 415, 422, 501, 503, 504),
          },
        },
      },
      '/v1/documents': {
        get: {
          summary: 'List indexed documents',
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
            { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
          ],
          responses: { 200: { description: 'Documents', ...json(api.documentList, 'output') }, ...problems(400, 503) },
        },
        post: {
          summary: 'Chunk, embed and index a text document synchronously',
          requestBody: { required: true, ...json(api.documentRequest, 'input') },
          responses: { 200: { description: 'Indexed', ...json(api.documentIndexed, 'output') }, ...problems(400, 413, 415, 422, 503, 504) },
        },
      },
      '/v1/documents/{id}': {
        get: {
          summary: 'Whether and how a document is indexed',
          parameters: [docIdParam],
          responses: { 200: { description: 'Indexed', ...json(api.documentStatus, 'output') }, ...problems(400, 404, 503) },
        },
        delete: {
          summary: 'Remove every chunk of a document',
          parameters: [docIdParam],
          responses: { 200: { description: 'Deleted', ...json(api.documentDeleted, 'output') }, ...problems(400, 404, 503) },
        },
      },
      '/v1/events': { get: { summary: 'JSON Schemas of the CloudEvent catalogue', responses: { 200: { description: 'type -> JSON Schema' } } } },
      '/healthz': { get: { summary: 'Liveness', responses: { 200: { description: 'Alive' } } } },
      '/readyz': { get: { summary: 'Readiness (Milvus reachable)', responses: { 200: { description: 'Ready' }, ...problems(503) } } },
    },
    components: { schemas: { Problem: problem } },
  };
}
