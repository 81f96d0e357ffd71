import { describe, expect, it } from 'vitest';
import { check, entry, nodeInfo, summary } from './fixtures.test-helpers.ts';
import { countChecks, serviceStatus, sortChecks, splitChecks, statusOfChecks } from './health.ts';
import { instanceAddress, selectInstances } from './instances-view.ts';
import { hostOf, isLeader, selectNodes } from './nodes-view.ts';
import { type ServiceQuery, selectServices, serviceFacets, serviceSources } from './services-view.ts';

const query = (over: Partial<ServiceQuery> = {}): ServiceQuery => ({
  text: '',
  searchProperties: [],
  status: [],
  source: [],
  kind: [],
  tags: [],
  sort: 'Name:asc',
  ...over,
});

describe('health summaries', () => {
  it('counts checks and picks the worst status', () => {
    const checks = [check('passing'), check('warning'), check('passing')];
    expect(countChecks(checks)).toEqual({ passing: 2, warning: 1, critical: 0 });
    expect(statusOfChecks(checks)).toBe('warning');
    expect(statusOfChecks([...checks, check('critical')])).toBe('critical');
    expect(statusOfChecks([])).toBe('empty');
    expect(statusOfChecks(null)).toBe('empty');
  });

  it('splits node checks from service checks and sorts worst first', () => {
    const node = check('passing', { CheckID: 'serfHealth', Name: 'Serf Health Status' });
    const svc = check('critical', { CheckID: 'service:web', Name: 'web', ServiceID: 'web' });
    expect(splitChecks([node, svc])).toEqual({ node: [node], service: [svc] });
    expect(sortChecks([node, svc]).map((c) => c.CheckID)).toEqual(['service:web', 'serfHealth']);
  });

  it('derives a service status from its counts', () => {
    expect(serviceStatus(summary('a', { ChecksCritical: 1 }))).toBe('critical');
    expect(serviceStatus(summary('a', { ChecksPassing: 0 }))).toBe('empty');
  });
});

describe('services list', () => {
  const services = [
    summary('web', { Tags: ['v1', 'public'], ChecksCritical: 2 }),
    summary('api', { Tags: ['v2'], ExternalSources: ['kubernetes'] }),
    summary('consul', { Tags: [] }),
    summary('ingress', { Kind: 'ingress-gateway', ChecksWarning: 1 }),
  ];

  it('searches names and tags, case-insensitively', () => {
    expect(selectServices(services, query({ text: 'WE' })).map((s) => s.Name)).toEqual(['web']);
    expect(selectServices(services, query({ text: 'v2' })).map((s) => s.Name)).toEqual(['api']);
    expect(selectServices(services, query({ text: 'v2', searchProperties: ['Name'] }))).toEqual([]);
  });

  it('filters by status, source, kind and tags', () => {
    expect(selectServices(services, query({ status: ['critical', 'warning'] })).map((s) => s.Name)).toEqual(['ingress', 'web']);
    expect(selectServices(services, query({ source: ['kubernetes'] })).map((s) => s.Name)).toEqual(['api']);
    expect(selectServices(services, query({ kind: ['ingress-gateway'] })).map((s) => s.Name)).toEqual(['ingress']);
    expect(selectServices(services, query({ tags: ['v1', 'public'] })).map((s) => s.Name)).toEqual(['web']);
    expect(selectServices(services, query({ tags: ['v1', 'v2'] }))).toEqual([]);
  });

  it('sorts by name or by health', () => {
    expect(selectServices(services, query({ sort: 'Name:desc' })).map((s) => s.Name)).toEqual(['web', 'ingress', 'consul', 'api']);
    expect(selectServices(services, query({ sort: 'Status:asc' })).map((s) => s.Name)).toEqual(['web', 'ingress', 'api', 'consul']);
  });

  it('offers the facets present in the data', () => {
    expect(serviceFacets(services)).toEqual({
      sources: ['consul', 'kubernetes'],
      kinds: ['ingress-gateway', 'service'],
      tags: ['public', 'v1', 'v2'],
    });
    expect(serviceSources(services[1]!)).toEqual(['kubernetes']);
  });
});

describe('nodes list', () => {
  const nodes = [
    nodeInfo('server-1', '10.0.0.1', [check('passing')], { Meta: { rack: 'r1' } }),
    nodeInfo('client-1', '10.0.0.2', [check('critical')]),
    nodeInfo('client-2', '10.0.0.3', []),
  ];

  it('finds the leader by its RPC address host', () => {
    expect(isLeader(nodes[0]!, '10.0.0.1:8300')).toBe(true);
    expect(isLeader(nodes[1]!, '10.0.0.1:8300')).toBe(false);
    expect(isLeader(nodes[0]!, '')).toBe(false);
    expect(hostOf('[::1]:8300')).toBe('::1');
    expect(hostOf('::1')).toBe('::1');
  });

  it('searches name, address and meta; filters status; sorts', () => {
    expect(selectNodes(nodes, { text: 'r1', status: [], sort: 'Node:asc' }).map((n) => n.Node)).toEqual(['server-1']);
    expect(selectNodes(nodes, { text: '10.0.0.3', status: [], sort: 'Node:asc' }).map((n) => n.Node)).toEqual(['client-2']);
    expect(selectNodes(nodes, { text: '', status: ['critical'], sort: 'Node:asc' }).map((n) => n.Node)).toEqual(['client-1']);
    expect(selectNodes(nodes, { text: '', status: [], sort: 'Status:asc' }).map((n) => n.Node)).toEqual(['client-1', 'server-1', 'client-2']);
  });
});

describe('service instances', () => {
  it('prefers the service address and brackets IPv6', () => {
    expect(instanceAddress(entry('n1', 'web-1', []))).toBe('10.0.0.1:8080');
    expect(instanceAddress(entry('n1', 'web-1', [], { Address: '::1' }))).toBe('[::1]:8080');
    expect(instanceAddress(entry('n1', 'web-1', [], { Address: 'db.local', Port: 0 }))).toBe('db.local');
  });

  it('searches and filters instances, worst first', () => {
    const entries = [entry('n2', 'web-2', [check('passing')]), entry('n1', 'web-1', [check('critical')], { Tags: ['canary'] })];
    expect(selectInstances(entries, '', []).map((e) => e.Service.ID)).toEqual(['web-1', 'web-2']);
    expect(selectInstances(entries, 'canary', []).map((e) => e.Service.ID)).toEqual(['web-1']);
    expect(selectInstances(entries, '', ['passing']).map((e) => e.Service.ID)).toEqual(['web-2']);
  });
});
