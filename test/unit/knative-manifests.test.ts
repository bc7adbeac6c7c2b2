// Every manifest under knative/ validates against the real Knative CRD schemas,
// and the manifests agree with the code: event types, functions, configuration.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import { loadManifests, routesOf, type Manifest } from '../../scripts/knative-manifests.ts';
import { CATALOGUE } from '../../shared/events/catalogue.ts';
import * as configSchemas from '../../shared/config/schemas.ts';

const SCHEMAS = join(import.meta.dirname, '../fixtures/knative-schemas');
// The Prometheus schema uses RE2's (?i) prefix, which JavaScript spells as a flag.
const ajv = new Ajv({
  strict: false,
  allErrors: true,
  code: { regExp: (pattern: string, flags: string) => (pattern.includes('(?i)') ? new RegExp(pattern.replaceAll('(?i)', ''), `${flags}i`) : new RegExp(pattern, flags)) } as never,
});
for (const format of ['int32', 'int64', 'byte', 'double', 'float']) ajv.addFormat(format, true);
const validators = new Map<string, ValidateFunction>();

async function validatorFor(manifest: Pick<Manifest, 'apiVersion' | 'kind'>): Promise<ValidateFunction | undefined> {
  const [group, version] = manifest.apiVersion.split('/');
  if (!version) return undefined; // core API group (ConfigMap): no CRD schema
  const key = `${group}_${manifest.kind.toLowerCase()}_${version}`;
  if (!validators.has(key)) validators.set(key, ajv.compile(JSON.parse(await readFile(join(SCHEMAS, `${key}.json`), 'utf8'))));
  return validators.get(key);
}

async function errorsOf(manifest: Manifest): Promise<string[]> {
  const validate = await validatorFor(manifest);
  if (!validate) return [];
  const { file: _file, ...resource } = manifest;
  return validate(resource) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

const manifests = await loadManifests();
const services = manifests.filter((m) => m.kind === 'Service');
const routes = routesOf(manifests);

describe('knative/ manifests', () => {
  it('validate against the Knative 1.22 CRD schemas', async () => {
    assert.ok(manifests.length >= 10);
    for (const manifest of manifests) assert.deepEqual(await errorsOf(manifest), [], `${manifest.file}: ${manifest.kind}/${manifest.metadata.name}`);
  });

  it('fail validation on a misspelt field (imagee, subscriber.reff)', async () => {
    const service = structuredClone(services[0]!) as any;
    service.spec.template.spec.containers[0].imagee = service.spec.template.spec.containers[0].image;
    delete service.spec.template.spec.containers[0].image;
    assert.notDeepEqual(await errorsOf(service), []);
    const trigger = structuredClone(manifests.find((m) => m.kind === 'Trigger')!) as any;
    trigger.spec.subscriber = { reff: trigger.spec.subscriber.ref };
    assert.notDeepEqual(await errorsOf(trigger), []);
  });

  it('route every event of the chains to exactly one step, by exact type', () => {
    const chain = ['query.received', 'query.embedded', 'query.retrieved', 'prompt.built', 'answer.generated', 'document.chunked', 'chunks.embedded'];
    const storage = ['google.cloud.storage.object.v1.finalized', 'google.cloud.storage.object.v1.deleted'];
    for (const type of [...chain.map((name) => `dev.ragnative.${name}.v1`), ...storage]) {
      assert.equal(routes.filter((r) => r.exact.type === type).length, 1, type);
    }
    for (const route of routes) {
      assert.ok(Object.hasOwn(CATALOGUE, route.exact.type!), `${route.trigger} filters on an unknown type`);
      assert.ok(services.some((s) => s.metadata.name === route.subscriber), `${route.trigger} delivers to a missing Service`);
    }
  });

  it('run every function, scale-to-zero, with explicit limits; only query is public', async () => {
    const functions = ['query', 'ingest', 'embed', 'search', 'prompt', 'generate', 'index', 'dead-letters'];
    for (const service of services) {
      const template = (service.spec as any).template;
      assert.equal(template.metadata.annotations['autoscaling.knative.dev/min-scale'], '0', service.metadata.name);
      assert.equal(typeof template.spec.containerConcurrency, 'number');
      assert.equal(typeof template.spec.timeoutSeconds, 'number');
      assert.ok(template.spec.containers[0].resources.limits, `${service.metadata.name} sets limits`);
      const visibility = service.metadata.labels?.['networking.knative.dev/visibility'];
      assert.equal(visibility === 'cluster-local', service.metadata.name !== 'query', service.metadata.name);
    }
    const targets = services.map((s) => (s.spec as any).template.spec.containers[0].env?.find((e: any) => e.name === 'FUNCTION_TARGET')?.value);
    for (const fn of functions) assert.ok(targets.includes(fn), `no Service runs ${fn}`);
    const gpu = services.find((s) => s.metadata.name === 'embed-gpu')!;
    assert.equal((gpu.spec as any).template.spec.containers[0].resources.limits['nvidia.com/gpu'], '1');
  });

  it('alert on metric names the functions serve', async () => {
    const served = await readFile('shared/observability/metrics.ts', 'utf8');
    const rule = manifests.find((m) => m.kind === 'PrometheusRule')!;
    const exprs = (rule.spec as any).groups.flatMap((g: any) => g.rules.map((r: any) => r.expr as string));
    const names = exprs.flatMap((e: string) => [...e.matchAll(/\b([a-z_]+_(?:total|seconds))(?:_bucket)?\b/g)].map((m) => m[1]));
    assert.ok(names.length >= 4);
    for (const name of names) assert.ok(served.includes(`name: '${name}'`), `${name} is served by no function`);
  });

  it('configure only variables the code reads', () => {
    const known = new Set(Object.values(configSchemas).flatMap((s) => (typeof s === 'object' && 'shape' in s ? Object.keys(s.shape) : [])));
    const config = manifests.find((m) => m.kind === 'ConfigMap')!;
    for (const key of Object.keys(config.data as object)) assert.ok(known.has(key), `${key} is read by no function`);
    for (const service of services) {
      for (const env of (service.spec as any).template.spec.containers[0].env ?? []) {
        assert.ok(known.has(env.name) || env.name === 'FUNCTION_TARGET', `${service.metadata.name}: ${env.name} is read by no function`);
      }
    }
  });
});
