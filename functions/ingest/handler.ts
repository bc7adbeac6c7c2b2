// Storage events in: GCS object CloudEvents through the shared adapter, MinIO/S3
// bucket notifications (plain JSON) directly. Each change is ingested; nothing is
// replied (202): the chunk batches go to the sink.
import type { HttpFunction } from '@google-cloud/functions-framework';
import { createEventFunction, type EventContext } from '../../shared/http/event-function.ts';
import { parseOrThrow } from '../../shared/errors/zod-issues.ts';
import { sendProblem } from '../../shared/http/respond.ts';
import type { Logger } from '../../shared/observability/logger.ts';
import { ingestChange, type IngestDeps } from './ingest-change.ts';
import { fromGcsEvent, fromMinioNotification, isMinioNotification, minioNotification, RESTATED, type GcsObject } from './storage-change.ts';

export function createIngestFunction(deps: IngestDeps & { logger: Logger; ready?: () => Promise<void> }): HttpFunction {
  const onGcs = async (object: GcsObject, { event, traceparent, logger }: EventContext) => {
    await ingestChange(fromGcsEvent(event.type, object, String(event[RESTATED]) === 'true'), deps, { traceparent, logger });
    return null;
  };
  const events = createEventFunction({
    name: 'ingest',
    logger: deps.logger,
    ...(deps.ready ? { ready: deps.ready } : {}),
    routes: {
      'google.cloud.storage.object.v1.finalized': onGcs,
      'google.cloud.storage.object.v1.deleted': onGcs,
    },
  });

  return async (req, res) => {
    const isCloudEvent = Boolean(req.get('ce-specversion')) || Boolean(req.is('application/cloudevents+json'));
    if (req.method !== 'POST' || isCloudEvent || !isMinioNotification(req.body)) return events(req, res);
    try {
      const notification = parseOrThrow(minioNotification, req.body, 'invalid_request', 'Bucket notification');
      const traceparent = req.get('traceparent');
      for (const change of fromMinioNotification(notification)) await ingestChange(change, deps, { traceparent, logger: deps.logger });
      res.status(200).end();
    } catch (error) {
      sendProblem(res, error, deps.logger);
    }
  };
}
