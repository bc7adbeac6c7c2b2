import { http } from '@google-cloud/functions-framework';
import { instrument } from '../../shared/observability/http-metrics.ts';
import { loadConfig } from '../../shared/config/load-config.ts';
import { embedConfig } from '../../shared/config/schemas.ts';
import { createEmbedder } from '../../shared/embedding/embedder.ts';
import { createEventFunction } from '../../shared/http/event-function.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { createEmbedRoutes } from './handler.ts';

const logger = createLogger({ function: 'embed' });
const embedder = createEmbedder(loadConfig(embedConfig), logger);
http('embed', instrument('embed', createEventFunction({ name: 'embed', routes: createEmbedRoutes({ embedder }), logger, ready: embedder.warm })));
