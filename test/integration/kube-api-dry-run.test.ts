// Server-side dry runs of the knative/ manifests against a real Kubernetes API
// server (apiextensions-apiserver + etcd, built from the Go module proxy by
// scripts/kube-api-local.sh): the Knative and Prometheus Operator CRDs are
// created from the schemas in test/fixtures, then every custom resource is sent
// as `kubectl apply --dry-run=server` sends a new object (a create with
// dryRun=All and fieldValidation=Strict, kubectl's default validation).
// Built-in kinds (ConfigMap) are not served by this server; the JSON Schema
// checks in test/unit/knative-manifests.test.ts cover them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { loadManifests, type Manifest } from '../../scripts/knative-manifests.ts';
import { eventually } from '../support/eventually.ts';
import { crdFromSchema, kube } from '../support/kube-api.ts';

const run = promisify(execFile);
const SCHEMAS = 'test/fixtures/knative-schemas';
const KINDS: Record<string, string> = { service: 'Service', broker: 'Broker', trigger: 'Trigger', sinkbinding: 'SinkBinding', prometheusrule: 'PrometheusRule' };
const served = new Map<string, string>(); // "<group>/<version> <Kind>" -> plural

before(async () => {
  await run('bash', ['scripts/kube-api-local.sh', 'start'], { timeout: 600_000 });
  for (const file of (await readdir(SCHEMAS)).filter((f) => f.endsWith('.json'))) {
    const [group, kind, version] = file.replace(/\.json$/, '').split('_') as [string, string, string];
    const crd = crdFromSchema(group, KINDS[kind]!, version, join(SCHEMAS, file));
    const created = await kube('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    assert.ok([201, 409].includes(created.status), `${crd.metadata.name}: ${created.status} ${JSON.stringify(created.body).slice(0, 500)}`);
    await eventually(async () => {
      const { body } = await kube('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
      return body?.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True') || undefined;
    }, `${crd.metadata.name} to be established`);
    served.set(`${group}/${version} ${KINDS[kind]}`, crd.spec.names.plural);
  }
});
after(() => run('bash', ['scripts/kube-api-local.sh', 'stop']));

function dryRunCreate(manifest: Manifest) {
  const { file: _file, ...resource } = manifest;
  const plural = served.get(`${resource.apiVersion} ${resource.kind}`);
  assert.ok(plural, `${resource.apiVersion} ${resource.kind} is served`);
  const namespace = resource.metadata.namespace ?? 'ragnative';
  return kube('POST', `/apis/${resource.apiVersion}/namespaces/${namespace}/${plural}?dryRun=All&fieldManager=kubectl-client-side-apply&fieldValidation=Strict`, resource);
}

describe('knative/ manifests against a real API server', () => {
  it('every custom resource is accepted by a server-side dry run, strictly validated, and nothing is stored', async () => {
    const custom = (await loadManifests()).filter((m) => served.has(`${m.apiVersion} ${m.kind}`));
    assert.ok(custom.length >= 15, `only ${custom.length} custom resources`);
    for (const manifest of custom) {
      const { status, body } = await dryRunCreate(manifest);
      assert.ok(status === 200 || status === 201, `${manifest.file} ${manifest.kind}/${manifest.metadata.name}: ${status} ${JSON.stringify(body?.message ?? body).slice(0, 500)}`);
      assert.equal(body.metadata.name, manifest.metadata.name);
    }
    const { body } = await kube('GET', '/apis/serving.knative.dev/v1/namespaces/ragnative/services');
    assert.deepEqual(body.items, [], 'a dry run stores nothing');
  });

  it('refuses misspelt fields and wrong types, as kubectl would show', async () => {
    const manifests = await loadManifests();
    const service = structuredClone(manifests.find((m) => m.kind === 'Service' && m.apiVersion.startsWith('serving'))!) as any;
    service.spec.template.spec.containers[0].imagee = service.spec.template.spec.containers[0].image;
    const typo = await dryRunCreate(service);
    assert.equal(typo.status, 400, JSON.stringify(typo.body).slice(0, 600));
    assert.match(typo.body.message, /strict decoding error: unknown field "spec\.template\.spec\.containers\[0\]\.imagee"/);

    const trigger = structuredClone(manifests.find((m) => m.kind === 'Trigger')!) as any;
    trigger.spec.subscriber = { reff: trigger.spec.subscriber.ref };
    const reff = await dryRunCreate(trigger);
    assert.equal(reff.status, 400);
    assert.match(reff.body.message, /unknown field "spec\.subscriber\.reff"/);

    const wrongType = structuredClone(manifests.find((m) => m.kind === 'Service' && m.apiVersion.startsWith('serving'))!) as any;
    wrongType.spec.template.spec.containerConcurrency = 'ten';
    const invalid = await dryRunCreate(wrongType);
    assert.equal(invalid.status, 422);
    assert.match(invalid.body.message, /containerConcurrency/);
  });
});
