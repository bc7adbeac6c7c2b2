// Every manifest under knative/ validates against the real Knative CRD schemas
// and, for built-in kinds, Kubernetes' own OpenAPI schemas; and the manifests
// agree with the code: event types, functions, configuration, network policy.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import { loadManifests, routesOf, type Manifest } from '../../scripts/knative-manifests.ts';
import { CATALOGUE } from '../../shared/events/catalogue.ts';
import * as configSchemas from '../../shared/config/schemas.ts';

const SCHEMAS = join(import.meta.dirname, '../fixtures/knative-schemas');
const KUBE_SCHEMAS = join(import.meta.dirname, '../fixtures/kube-schemas');
// The Prometheus schema uses RE2's (?i) prefix, which JavaScript spells as a flag.
const ajv = new Ajv({
  strict: false,
  allErrors: true,
  code: { regExp: (pattern: string, flags: string) => (pattern.includes('(?i)') ? new RegExp(pattern.replaceAll('(?i)', ''), `${flags}i`) : new RegExp(pattern, flags)) } as never,
});
for (const format of ['int32', 'int64', 'byte', 'double', 'float', 'int-or-string', 'date-time']) ajv.addFormat(format, true);
const validators = new Map<string, ValidateFunction>();

async function validatorFor(manifest: Pick<Manifest, 'apiVersion' | 'kind'>): Promise<ValidateFunction> {
  const [group, version] = manifest.apiVersion.includes('/') ? manifest.apiVersion.split('/') : ['core', manifest.apiVersion];
  const key = `${group}_${manifest.kind.toLowerCase()}_${version}`;
  if (!validators.has(key)) {
    const dir = group!.endsWith('.k8s.io') || group === 'core' || group === 'batch' ? KUBE_SCHEMAS : SCHEMAS;
    validators.set(key, ajv.compile(JSON.parse(await readFile(join(dir, `${key}.json`), 'utf8'))));
  }
  return validators.get(key)!;
}

async function errorsOf(manifest: Manifest): Promise<string[]> {
  const validate = await validatorFor(manifest);
  const { file: _file, ...resource } = manifest;
  return validate(resource) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

const manifests = await loadManifests();
const services = manifests.filter((m) => m.kind === 'Service');
const routes = routesOf(manifests);

describe('knative/ manifests', () => {
  it('validate against the Knative 1.22 CRD schemas and the Kubernetes 1.34 schemas', async () => {
    assert.ok(manifests.length >= 10);
    const setupJob = (await loadManifests(join(import.meta.dirname, '../../milvus'))).filter((m) => m.kind === 'Job' || m.kind === 'NetworkPolicy');
    assert.deepEqual(setupJob.map((m) => m.kind).sort(), ['Job', 'NetworkPolicy']);
    for (const manifest of [...manifests, ...setupJob]) assert.deepEqual(await errorsOf(manifest), [], `${manifest.file}: ${manifest.kind}/${manifest.metadata.name}`);
  });

  it('fail validation on a misspelt field (imagee, subscriber.reff)', async () => {
    const service = structuredClone(services[0]!) as any;
    service.spec.template.spec.containers[0].imagee = service.spec.template.spec.containers[0].image;
    delete service.spec.template.spec.containers[0].image;
    assert.notDeepEqual(await errorsOf(service), []);
    const trigger = structuredClone(manifests.find((m) => m.kind === 'Trigger')!) as any;
    trigger.spec.subscriber = { reff: trigger.spec.subscriber.ref };
    assert.notDeepEqual(await errorsOf(trigger), []);
    const policy = structuredClone(manifests.find((m) => m.kind === 'NetworkPolicy')!) as any;
    policy.spec.podSelectorr = policy.spec.podSelector;
    assert.notDeepEqual(await errorsOf(policy), []);
    const ports = structuredClone(manifests.find((m) => m.metadata.name === 'query-egress')!) as any;
    ports.spec.egress[0].ports[0].protocol = 17;
    assert.notDeepEqual(await errorsOf(ports), []);
  });

  it('deny ingress by default and admit only the Knative data plane and Prometheus, to every Service', () => {
    const policies = new Map(manifests.filter((m) => m.kind === 'NetworkPolicy').map((m) => [m.metadata.name, m.spec as any]));
    assert.deepEqual(policies.get('default-deny-ingress'), { podSelector: {}, policyTypes: ['Ingress'] });
    const dataPlane = policies.get('allow-knative-data-plane');
    assert.deepEqual(dataPlane.podSelector.matchExpressions, [{ key: 'serving.knative.dev/service', operator: 'Exists' }], 'selects the pods of every Knative Service');
    assert.deepEqual(dataPlane.ingress[0].from[0].namespaceSelector.matchExpressions[0].values, ['knative-serving', 'knative-eventing', 'kourier-system', 'istio-system']);
    for (const policy of policies.values()) {
      for (const rule of policy.ingress ?? []) for (const peer of rule.from) assert.equal(peer.ipBlock, undefined, 'no ingress by address');
    }
    assert.ok(services.every((s) => s.metadata.namespace === 'ragnative'), 'the policies\' namespace is the Services\'');
  });

  it('keep query off private and link-local addresses, and embed off the network', () => {
    const policy = (name: string) => manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === name)!.spec as any;
    const query = policy('query-egress');
    assert.deepEqual(query.podSelector, { matchLabels: { 'serving.knative.dev/service': 'query' } });
    const public_ = query.egress.find((rule: any) => rule.to[0].ipBlock);
    assert.equal(public_.to[0].ipBlock.cidr, '0.0.0.0/0');
    for (const cidr of ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '127.0.0.0/8']) assert.ok(public_.to[0].ipBlock.except.includes(cidr), cidr);
    const embed = policy('embed-egress');
    assert.deepEqual(embed.podSelector.matchExpressions[0].values, ['embed', 'embed-gpu']);
    assert.deepEqual(embed.egress.flatMap((rule: any) => rule.ports.map((p: any) => p.port)), [53, 53], 'DNS only');
  });

  it('route through the optional rerank step only with its overlay, each event still to exactly one step', async () => {
    const withRerank = await loadManifests(undefined, { optional: ['rerank'] });
    for (const manifest of withRerank.filter((m) => m.file.startsWith('optional'))) assert.deepEqual(await errorsOf(manifest), [], `${manifest.file}: ${manifest.kind}/${manifest.metadata.name}`);
    const subscribers = (list: Manifest[], type: string) => routesOf(list).filter((r) => r.exact.type === type).map((r) => r.subscriber);
    assert.deepEqual(subscribers(manifests, 'dev.ragnative.query.retrieved.v1'), ['prompt'], 'without the overlay: no hop at all');
    assert.deepEqual(subscribers(withRerank, 'dev.ragnative.query.retrieved.v1'), ['rerank']);
    assert.deepEqual(subscribers(withRerank, 'dev.ragnative.query.reranked.v1'), ['prompt']);
    assert.ok(withRerank.some((m) => m.kind === 'Service' && m.metadata.name === 'rerank'));
    const query = (services.find((s) => s.metadata.name === 'query')!.spec as any).template.spec.containers[0];
    assert.ok(query.envFrom.some((e: any) => e.configMapRef?.name === 'ragnative-rerank' && e.configMapRef.optional === true), 'query reads RERANK_STEP_URL where the overlay is applied');
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
