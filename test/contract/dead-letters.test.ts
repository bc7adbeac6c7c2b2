// The dead-letter sink: accepts any event, counts it by type and Knative error
// code for the DeadLettersGrowing alert, and logs no event data.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDeadLetterFunction } from '../../functions/dead-letters/handler.ts';
import { instrument } from '../../shared/observability/http-metrics.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { registry } from '../../shared/observability/metrics.ts';
import { event, postEvent } from '../support/cloudevents.ts';
import { serveHandler, type ServedFunction } from '../support/function-server.ts';

const lines: string[] = [];
let fn: ServedFunction;

before(async () => {
  fn = await serveHandler('dead-letters-contract', instrument('dead-letters', createDeadLetterFunction(createLogger({ function: 'dead-letters' }, (line) => lines.push(line)))));
});
after(() => fn.close());

describe('dead-letters', () => {
  it('accepts any dead-lettered event, logs it without its data and counts it', async () => {
    const dead = event('dev.ragnative.prompt.built.v1', { secret: 'never logged' }, { knativeerrorcode: '503', knativeerrordest: 'http://generate' });
    assert.equal((await postEvent(fn.url, dead)).status, 202);
    const log = JSON.parse(lines.find((l) => l.includes('dead_letter.received'))!);
    assert.deepEqual([log.type, log.errorCode, log.destination], ['dev.ragnative.prompt.built.v1', '503', 'http://generate']);
    assert.ok(!lines.some((l) => l.includes('never logged')));
    const metrics = await registry.metrics();
    assert.match(metrics, /^dead_letters_total\{type="dev\.ragnative\.prompt\.built\.v1",code="503"\} 1$/m);
    assert.match(metrics, /^http_requests_total\{function="dead-letters",method="POST",status="202"\} 1$/m);
    assert.match(metrics, /^function_cold_start_seconds\{function="dead-letters"\} \d/m);
  });

  it('keeps attacker-chosen strings out of metric labels', async () => {
    const chosen = [
      event('attacker.chosen.type', {}, { knativeerrorcode: 'x'.repeat(200) }),
      event('dev.ragnative.prompt.built.v1', {}, { knativeerrorcode: '99999' }),
      event('dev.ragnative.prompt.built.v1', {}, {}),
    ];
    for (const dead of chosen) assert.equal((await postEvent(fn.url, dead)).status, 202);
    const metrics = await registry.metrics();
    const leaked = metrics.split('\n').filter((line) => line.startsWith('dead_letters_total') && /attacker\.chosen|xxxx|99999/.test(line));
    assert.deepEqual(leaked, []);
    assert.match(metrics, /^dead_letters_total\{type="other",code="other"\} 1$/m);
    assert.match(metrics, /^dead_letters_total\{type="dev\.ragnative\.prompt\.built\.v1",code="other"\} 2$/m);
  });

  it('refuses what is not a CloudEvent', async () => {
    assert.equal((await fetch(fn.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status, 400);
  });
});
