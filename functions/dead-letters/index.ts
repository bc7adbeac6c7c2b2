import { http } from '@google-cloud/functions-framework';
import { instrument } from '../../shared/observability/http-metrics.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { createDeadLetterFunction } from './handler.ts';

http('dead-letters', instrument('dead-letters', createDeadLetterFunction(createLogger({ function: 'dead-letters' }))));
