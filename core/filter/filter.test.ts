import { describe, expect, it } from 'vitest';
import { compileFilter, FilterError } from './index.ts';

const entry = {
  Node: { Node: 'n1', Address: '10.0.0.1', Meta: { env: 'prod', 'with-dash': 'yes' }, TaggedAddresses: {} },
  Service: { ID: 'web-1', Service: 'web', Tags: ['primary', 'v2'], Port: 8080, EnableTagOverride: false, Meta: {} },
  Checks: [
    { CheckID: 'serfHealth', Status: 'passing', ServiceTags: [] },
    { CheckID: 'web-http', Status: 'critical', ServiceTags: ['primary'] },
  ],
  Flags: 3304740253564472344n,
};

describe('filter expressions', () => {
  const cases: Array<[string, boolean]> = [
    ['Service.Service == "web"', true],
    ['Service.Service == web', true],
    ['Service.Service != "web"', false],
    ['Service.Port == 8080', true],
    ['Service.Port == "8080"', true],
    ['Service.EnableTagOverride == false', true],
    ['"primary" in Service.Tags', true],
    ['"v3" in Service.Tags', false],
    ['"v3" not in Service.Tags', true],
    ['primary in Service.Tags', true],
    ['Service.Tags contains "v2"', true],
    ['Service.Tags not contains "v2"', false],
    ['Service.ID contains "eb-"', true],
    ['"eb-" in Service.ID', true],
    ['Service.ID matches "^web-[0-9]+$"', true],
    ['Service.ID not matches "^db"', true],
    ['Service.Meta is empty', true],
    ['Service.Tags is not empty', true],
    ['Node.TaggedAddresses is empty', true],
    ['Node.Meta.env == prod', true],
    ['Node.Meta["with-dash"] == "yes"', true],
    ['"env" in Node.Meta', true],
    ['Node.Meta.missing is empty', true],
    ['Node.Meta.missing == ""', false],
    ['Checks.Status == critical', true],
    ['Checks.Status == warning', false],
    ['Checks.Status != passing', false],
    ['Checks.CheckID == "web-http" and Service.Port == 8080', true],
    ['Service.Port == 1 or Node.Node == n1', true],
    ['not Service.Port == 1', true],
    ['not (Service.Port == 8080 or Node.Node == x)', false],
    ['Service.Port == 1 or Service.Port == 2 and Node.Node == n1', false],
    ['(Service.Port == 8080 or Service.Port == 2) and Node.Node == n1', true],
    ['not Service.Port == 8080 and Node.Node == n1', false],
    ['Flags == 3304740253564472344', true],
    ['Service.Service == `web`', true],
    ['Checks.ServiceTags contains primary', true],
  ];
  for (const [expr, want] of cases) {
    it(`${expr} -> ${want}`, () => {
      expect(compileFilter(expr).match(entry)).toBe(want);
    });
  }

  it('filters row lists', () => {
    const rows = [{ Name: 'a', N: 1 }, { Name: 'b', N: 2 }, { Name: 'c', N: 3 }];
    expect(compileFilter('N != 2').filter(rows).map((r) => r.Name)).toEqual(['a', 'c']);
  });

  const bad: Array<[string, RegExp]> = [
    ['', /1:1 \(0\): no match found, expected a selector/],
    ['Service ==', /1:11 \(10\): no match found, expected a value/],
    ['Service.Service = "x"', /no match found, expected "==" or "!="/],
    ['Service.Service == "x', /unterminated string/],
    ['Service.Service == x and', /expected a selector/],
    ['(Service.Service == x', /expected "\)"/],
    ['Service.Service is full', /expected "empty"/],
    ['Service.ID matches "("', /invalid regular expression/],
    ['Service.Service == x y', /expected "and", "or" or end of input/],
    ['Service.Service ~ x', /unexpected character "~"/],
  ];
  for (const [expr, msg] of bad) {
    it(`rejects ${JSON.stringify(expr)} with a positioned error`, () => {
      expect(() => compileFilter(expr)).toThrow(FilterError);
      expect(() => compileFilter(expr)).toThrow(msg);
    });
  }

  it('carries the HTTP 400 body text', () => {
    try {
      compileFilter('Service ==');
      expect.unreachable();
    } catch (e) {
      expect((e as FilterError).httpMessage).toMatch(/^Failed to create boolean expression evaluator: 1:11 \(10\): no match found/);
    }
  });

  it('validates selectors when the endpoint gives its field set', () => {
    expect(() => compileFilter('Bogus == 1', { fields: ['Node', 'Service', 'Checks'] })).toThrow('Selector "Bogus" is not valid');
    expect(compileFilter('not Service.ID == x', { fields: ['Service'] }).match(entry)).toBe(true);
  });
});
