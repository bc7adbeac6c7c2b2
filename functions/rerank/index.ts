import { http } from '@google-cloud/functions-framework';
import { instrument } from '../../shared/observability/http-metrics.ts';
import { loadConfig } from '../../shared/config/load-config.ts';
import { rerankConfig } from '../../shared/config/schemas.ts';
import { createEventFunction } from '../../shared/http/event-function.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { createRerankRoutes } from './handler.ts';
import { createRerankClient } from './rerank-client.ts';

const config = loadConfig(rerankConfig);
const logger = createLogger({ function: 'rerank' });
const routes = createRerankRoutes(createRerankClient(config), config.RERANK_MODEL);
http('rerank', instrument('rerank', createEventFunction({ name: 'rerank', routes, logger })));
